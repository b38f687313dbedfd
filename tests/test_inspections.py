"""Inspections: a stored night's work with its own id. Its runs belong to it; it completes
when its last run finishes, whoever finishes it; its outputs name it; and its units are
notified once. Real scans of loopback sites, a real SMTP server."""

from __future__ import annotations

import json
import time

import pytest
import yaml
from servers import SMTP_PASSWORD, SMTP_USER, http_site

from govscan import inspections
from govscan.cli import main
from govscan.inspections import Plan
from govscan.options import scan_options
from govscan.pipeline import ScanOptions, scan_site
from govscan.store.db import connect
from govscan.store.inspections import get_inspection, inspection_runs
from govscan.store.inventory import Inventory, Settings, SiteEntry
from govscan.store.leases import Claim, claim
from govscan.store.runs import save_site

ROUTES = {"/": "<html><title>首页</title><a href='/gone'>旧页</a></html>"}


def site_entry(site_id: str, url: str, email: str | None = None) -> SiteEntry:
    contact = {"email": email} if email else {}
    return SiteEntry(
        id=site_id, name=f"{site_id}网站", url=url, unit="苍山州政府办公室", contact=contact
    )


def test_a_scan_is_an_inspection_its_outputs_name(tmp_path, db_url):
    with http_site(ROUTES) as first, http_site(ROUTES) as second:
        sites = [site_entry("a", first.url), site_entry("b", second.url)]
        config = tmp_path / "sites.yaml"
        document = {
            "settings": {"sample_pages": 3},
            "sites": [site.model_dump(exclude_defaults=True) for site in sites],
        }
        config.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        out = tmp_path / "out"
        assert main(["scan", "--config", str(config), "--checks", "links", "--out", str(out)]) == 0
    result = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    engine = connect(db_url)
    inspection = get_inspection(engine, result["inspection"]["id"])
    assert inspection.status == "completed" and inspection.error is None
    assert [site["id"] for site in inspection.sites] == ["a", "b"]
    assert inspection.settings["sample_pages"] == 3 and inspection.options["checks"] == ["links"]
    runs, account_runs = inspection_runs(engine, inspection.id)
    assert [run.id for run in runs] == [site["run_id"] for site in result["sites"]]
    assert account_runs == []
    assert result["inspection"]["started_at"] <= result["run"]["started_at"]
    assert result["inspection"]["finished_at"] >= result["run"]["finished_at"]
    bulletin = (out / "bulletin.html").read_text(encoding="utf-8")
    assert f"检查编号：{inspection.id}" in bulletin


def test_the_last_run_to_finish_completes_the_inspection_and_notifies_once(
    tmp_path, db_url, smtp, monkeypatch
):
    """As workers would: each scans one site of the inspection and then tries to finish it."""
    mailbox, port, cert = smtp
    monkeypatch.setenv("GOVSCAN_SMTP_USER", SMTP_USER)
    monkeypatch.setenv("GOVSCAN_SMTP_PASSWORD", SMTP_PASSWORD)
    mail = {"host": "127.0.0.1", "port": port, "sender": "gs@csz.gov.cn", "ca_file": cert}
    settings = Settings.model_validate({"notify": {"mail": mail}})
    engine = connect(db_url)
    with http_site(ROUTES) as first, http_site(ROUTES) as second:
        sites = [site_entry("a", first.url, "a@csz.gov.cn"), site_entry("b", second.url)]
        inventory = Inventory(settings=settings, sites=sites)
        options = scan_options(inventory, ScanOptions(checks=["links"]))
        plan = Plan.of_inventory(inventory, options, notify=True)
        inspection = inspections.start(engine, plan, tmp_path / "out")
        logs = tmp_path / "logs"
        scan_site(engine, inspection.id, sites[0], options, logs / "a.log")
        assert inspections.finish(engine, inspection.id) is None  # b is still to scan
        assert get_inspection(engine, inspection.id).status == "running"
        scan_site(engine, inspection.id, sites[1], options, logs / "b.log")
        finished = inspections.finish(engine, inspection.id)
        assert inspections.finish(engine, inspection.id) is None  # once only
    assert finished.inspection.status == "completed"
    assert [d.target for d in finished.deliveries if d.ok] == ["a@csz.gov.cn"]
    assert [m["To"] for m in mailbox.messages] == ["a@csz.gov.cn"]
    result = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    assert [site["id"] for site in result["sites"]] == ["a", "b"]
    assert result["inspection"]["id"] == inspection.id


class Interrupting:
    """Follows an inspection and stops it, as Ctrl-C would, once its crawl is under way."""

    def planned(self, sites, parallel):
        pass

    def scanning(self, site, phase, counts):
        raise KeyboardInterrupt

    def scanned(self, site, result):
        pass

    def reading(self, accounts):
        pass

    def written(self, outputs):
        raise AssertionError("an interrupted inspection writes nothing")


def test_an_interrupted_inspection_fails_and_writes_nothing(tmp_path, db_url):
    engine = connect(db_url)
    with http_site(ROUTES) as site:
        sites = [site_entry("a", site.url)]
        plan = Plan(sites, [], scan_options(Inventory(sites=sites)))
        inspection = inspections.start(engine, plan, tmp_path / "out")
        with pytest.raises(KeyboardInterrupt):
            inspections.run(engine, inspection, Interrupting())
    stopped = get_inspection(engine, inspection.id)
    assert stopped.status == "failed" and stopped.error == "检查中断：用户中断（Ctrl-C）"
    [run], _ = inspection_runs(engine, inspection.id)
    assert run.status == "failed"
    assert inspections.finish(engine, inspection.id) is None
    assert not (tmp_path / "out" / "findings.json").exists()


def test_report_names_no_inspection_for_runs_of_several(tmp_path, db_url):
    with http_site(ROUTES) as first, http_site(ROUTES) as second:
        config = tmp_path / "sites.yaml"
        sites = [site_entry("a", first.url), site_entry("b", second.url)]
        document = {"sites": [site.model_dump(exclude_defaults=True) for site in sites]}
        config.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        scan = ["scan", "--config", str(config), "--checks", "links", "--out"]
        assert main([*scan, str(tmp_path / "both")]) == 0
        assert main([*scan, str(tmp_path / "a"), "--site", "a"]) == 0
    assert main(["report", "--config", str(config), "--out", str(tmp_path / "report")]) == 0
    result = json.loads((tmp_path / "report" / "findings.json").read_text(encoding="utf-8"))
    assert result["inspection"] is None
    assert "检查编号" not in (tmp_path / "report" / "bulletin.html").read_text(encoding="utf-8")


def test_a_run_whose_process_died_is_failed_once_its_lease_runs_out(tmp_path, db_url):
    """A scan killed with kill -9 cannot end its run: its lease does. The run and its
    inspection are failed with the reason, and a run whose lease holds is left alone."""
    engine = connect(db_url)
    sites = [site_entry("a", "http://a.gov.test/"), site_entry("b", "http://b.gov.test/")]
    plan = Plan(sites, [], ScanOptions(checks=["links"]))
    inspection = inspections.start(engine, plan, tmp_path / "out")
    for site, lease in ((sites[0], 0.2), (sites[1], 60)):
        save_site(engine, site)
        claim(engine, Claim(inspection.id, site.id, {"concurrency": 4}, "vm:4242", lease))
    time.sleep(0.5)
    assert inspections.recover(engine) and not inspections.recover(engine)  # once
    (dead, alive), _ = inspection_runs(engine, inspection.id)
    assert dead.status == "failed" and "vm:4242" in dead.error and "租约" in dead.error
    assert alive.status == "running"
    ended = get_inspection(engine, inspection.id)
    assert ended.status == "failed" and ended.error == "检查进程（vm:4242）失联，未能完成"
