"""``govscan schedule`` as a real process on a fast clock: two nightly scans, the bulletin,
availability probes that turn into the 站点无法访问 veto, and a clean stop on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import yaml
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from servers import SMTP_PASSWORD, SMTP_USER, Route, free_port, http_site
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

SCANS, PROBES = (
    "select count(*) from runs where status = 'completed'",
    "select count(*) from availability_probes",
)


def wait_for(engine, query: str, count: int, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with engine.connect() as connection:
                found = connection.scalar(text(query))
        except OperationalError:  # the service has not created its tables yet
            found = 0
        if found >= count:
            return found
        time.sleep(1)
    raise AssertionError(f"{query}: fewer than {count} after {seconds} s")


#: The homepage links /gone, dead at the first nightly scan and fixed by the second.
ROUTES = {
    "/": "<html><title>苍山州人民政府</title><a href='/gone'>通知</a></html>",
    "/gone": Route(status=404, body="not found", then=Route(body="<html><title>通知</title>")),
}


def test_nightly_scans_bulletin_mail_and_probes_then_a_clean_stop(tmp_path, smtp, monkeypatch):
    mailbox, smtp_port, cert = smtp
    monkeypatch.setenv("GOVSCAN_SMTP_USER", SMTP_USER)
    monkeypatch.setenv("GOVSCAN_SMTP_PASSWORD", SMTP_PASSWORD)
    db_url = f"sqlite:///{tmp_path / 'govscan.db'}"
    down = f"http://127.0.0.1:{free_port()}/"  # nothing listens there
    with http_site(ROUTES) as site:
        config = tmp_path / "sites.yaml"
        mail = {"host": "127.0.0.1", "port": smtp_port, "sender": "gs@csz.gov.cn", "ca_file": cert}
        settings = {
            "schedule": {"scan": "*/30 * * * * *", "probes_per_day": 28800},
            "notify": {"mail": mail},
            # a night before the first probe tries the homepage again itself, a second apart
            "availability": {"retry_seconds": 1},
        }
        sites = [
            {
                "id": "up",
                "name": "苍山州人民政府门户网站",
                "url": site.url,
                "unit": "苍山州政府办公室",
                "contact": {"email": "web@csz.gov.cn"},
            },
            {"id": "down", "name": "苍山州旧网站", "url": down, "unit": "苍山州政府办公室"},
        ]
        config.write_text(
            yaml.safe_dump({"settings": settings, "sites": sites}, allow_unicode=True),
            encoding="utf-8",
        )
        out = tmp_path / "out"
        service = start_service(config, out, db_url)
        engine = create_engine(db_url)
        try:
            wait_for(engine, PROBES, 4, 60)
            wait_for(engine, SCANS, 4, 120)  # two nightly scans of two sites
        finally:
            output = stop_service(service)
    assert "当前任务结束后停止" in output
    bulletin = (out / "bulletin.html").read_text(encoding="utf-8")
    assert "政府网站与政务新媒体检查通报" in bulletin and "苍山州旧网站" in bulletin
    # the second night's 回头看 lists the dead link to /gone as fixed
    review = bulletin[
        bulletin.index("回头看") : bulletin.index("</table>", bulletin.index("回头看"))
    ]
    assert f"链接不可用：{site.url_for('/gone')}" in review
    assert f"链接不可用：{site.url_for('/gone')}" not in bulletin.replace(review, "")
    assert [m["To"] for m in mailbox.messages] == ["web@csz.gov.cn", "web@csz.gov.cn"]
    first_list = next(mailbox.messages[0].iter_attachments())
    assert first_list.get_filename() == "苍山州政府办公室-整改清单.xlsx"
    with engine.connect() as connection:
        probes = dict(
            connection.execute(
                text(
                    "select site_id, sum(case when ok then 0 else 1 end)"
                    " from availability_probes group by site_id"
                )
            ).all()
        )
        vetoes = connection.execute(
            text(
                "select rule, severity from findings join runs on runs.id = findings.run_id"
                " where runs.site_id = 'down' and rule = 'availability.unreachable'"
            )
        ).all()
    assert probes["up"] == 0 and probes["down"] >= 2
    assert ("availability.unreachable", "veto") in vetoes


def start_service(config, out, db_url) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "govscan.cli",
            "schedule",
            "--config",
            str(config),
            "--out",
            str(out),
        ],
        env={**os.environ, "GOVSCAN_DB": db_url},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop_service(service: subprocess.Popen) -> str:
    service.send_signal(signal.SIGTERM)
    output, _ = service.communicate(timeout=120)
    assert service.returncode == 0, output
    return output


def test_nights_missed_while_down_are_run_once(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'govscan.db'}"
    engine = create_engine(db_url)
    with http_site({"/": "<html><title>苍山州人民政府</title></html>"}) as site:
        config = tmp_path / "sites.yaml"
        entry = {"id": "up", "name": "苍山州人民政府门户网站", "url": site.url, "unit": "办公室"}
        config.write_text(yaml.safe_dump({"sites": [entry]}, allow_unicode=True), "utf-8")
        service = start_service(config, tmp_path / "out", db_url)
        wait_for(engine, "select count(*) from scheduler_jobs", 2, 60)
        stop_service(service)
        assert wait_for(engine, SCANS, 0, 1) == 0  # 02:00 has not come
        # three nights pass while the service is down
        store = SQLAlchemyJobStore(url=db_url, tablename="scheduler_jobs")
        store.start(BackgroundScheduler(), "default")  # the store alone: no job runs here
        job = store.lookup_job("nightly-scan")
        job.next_run_time = datetime.now(UTC) - timedelta(days=3)
        store.update_job(job)
        store.shutdown()
        service = start_service(config, tmp_path / "out", db_url)
        try:
            wait_for(engine, SCANS, 1, 90)
            time.sleep(10)
        finally:
            stop_service(service)
    with engine.connect() as connection:
        assert connection.scalar(text(SCANS)) == 1  # once, not three times
