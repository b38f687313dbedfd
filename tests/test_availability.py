"""A homepage that does not answer the scan: tried again (a minute apart in all; a second here),
then 站点无法访问 — 不合格, nothing else claimed from a page never read, exit status 1. The
scheduler's probes, when there are any from the last 7 days, decide instead."""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise

import pytest
import yaml
from servers import Route, closed_port, dns_server, http_site, page

from govscan.store.availability import save_probe
from govscan.store.db import connect

PAUSE = 1  # settings.availability.retry_seconds: 30 by default


def inventory(tmp_path, url: str, **settings) -> str:
    """One site in an inventory whose homepage is retried ``PAUSE`` seconds apart."""
    config = tmp_path / "sites.yaml"
    site = {"id": "csz", "name": "苍山州人民政府门户网站", "url": url, "unit": "苍山州政府办公室"}
    settings = {"availability": {"retry_seconds": PAUSE}, **settings}
    config.write_text(
        yaml.safe_dump({"settings": settings, "sites": [site]}, allow_unicode=True), "utf-8"
    )
    return str(config)


def seconds_between(earlier: dict, later: dict) -> float:
    moments = [datetime.fromisoformat(a["at"].removesuffix("Z")) for a in (earlier, later)]
    return (moments[1] - moments[0]).total_seconds()


def assert_unreachable(output, error_kind: str | None, status: int | None = None) -> list[dict]:
    """不合格 by the veto alone, after three failed attempts spread out; exit status 1."""
    assert output.code == 1
    assert (output.site["verdict"], output.site["score"]) == ("不合格", None)
    assert output.site["vetoes"] == ["availability.unreachable"]
    [finding] = output.findings()  # no links.broken, columns or identity from nothing
    assert finding["rule"] == "availability.unreachable" and finding["severity"] == "veto"
    assert finding["detail"]["evidence"] == "scan_attempts"
    attempts = finding["detail"]["attempts"]
    assert [a["by"] for a in attempts] == ["crawl", "scan", "scan"]
    assert {(a["error_kind"], a["status"]) for a in attempts} == {(error_kind, status)}
    assert all(seconds_between(*pair) >= PAUSE for pair in pairwise(attempts))  # spread out
    assert "links" in output.site["not_run"] and "columns" in output.site["not_run"]
    return attempts


def test_a_refused_port_is_unreachable(scan, tmp_path):
    with closed_port() as dead:
        output = scan("--config", inventory(tmp_path, dead.url))
    assert_unreachable(output, "refused")
    reason = "首页无法访问（连接被拒绝），网站内容未能检查"
    assert output.site["not_run"]["identity"] == reason
    report = (output.out / "report.html").read_text(encoding="utf-8")
    assert reason in report and "本次扫描 3 次访问均失败（连接被拒绝）" in report
    bulletin = (output.out / "bulletin.html").read_text(encoding="utf-8")
    assert "合格率<b>0.0%</b>" in bulletin


def test_a_name_that_does_not_resolve_is_unreachable(scan, tmp_path):
    with dns_server({}) as dns:  # NXDOMAIN for every name
        config = inventory(tmp_path, "http://www.gone.test/", nameserver=dns.address)
        output = scan("--config", config)
    assert_unreachable(output, "dns")


def test_a_homepage_answering_503_is_unreachable(scan, tmp_path):
    with http_site({"/": Route(status=503, body="系统维护中")}) as site:
        output = scan("--config", inventory(tmp_path, site.url))
    assert_unreachable(output, None, 503)
    assert site.count("GET", "/") == 4  # the crawl and its retry, then the scan twice


def test_a_homepage_that_answers_a_later_attempt_is_reachable_but_not_scanned(scan, tmp_path):
    home = Route(status=503, then=Route(status=503, then=Route(body=page("首页"))))
    with http_site({"/": home}) as site:
        output = scan("--config", inventory(tmp_path, site.url))
    assert site.count("GET", "/") == 3  # the crawl and its retry, then the scan
    assert output.code == 1
    assert output.site["verdict"] == "未完成" and output.site["vetoes"] == []
    [finding] = output.findings()
    assert (finding["rule"], finding["severity"]) == ("availability.unreachable", "warning")
    assert finding["detail"]["evidence"] == "scan_attempts"
    assert [(a["by"], a["status"]) for a in finding["detail"]["attempts"]] == [
        ("crawl", 503),
        ("scan", 200),
    ]
    assert "请重新扫描" in output.site["not_run"]["links"]


def test_with_probes_of_the_week_the_probes_decide(scan, tmp_path, db_url):
    engine = connect(db_url)
    for failed in (True, True, False):
        save_probe(engine, "csz", None if failed else 200, "refused" if failed else None, None)
    with closed_port() as dead:
        output = scan("--config", inventory(tmp_path, dead.url))
    assert output.code == 1 and output.site["verdict"] == "不合格"
    [finding] = output.findings()
    assert finding["severity"] == "veto" and finding["detail"]["evidence"] == "probes"
    assert (finding["detail"]["probes"], finding["detail"]["failed"]) == (3, 2)
    measured = output.site["metrics"]["availability"]
    assert measured["evidence"] == "probes" and len(measured["attempts"]) == 1  # no retries


@pytest.mark.parametrize("status", [404, 403])
def test_a_homepage_that_answers_without_a_page_is_not_scanned(scan, tmp_path, status):
    with http_site({"/": Route(status=status, body="<h1>Not Found</h1>")}) as site:
        output = scan("--config", inventory(tmp_path, site.url))
    assert site.count("GET", "/") == 1  # it answered: no reason to try again
    assert output.code == 1
    assert output.site["verdict"] == "未完成" and output.findings() == []
    assert output.site["not_run"]["links"] == f"未能读取首页（HTTP {status}），网站内容未能检查"
