"""The store: schema from migrations, and runs that die are never reported as passed."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time

import psutil
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from servers import Route, http_site

from govscan.outcomes import RUNNING
from govscan.reports import findings_json
from govscan.store.db import connect
from govscan.store.models import Base
from govscan.store.runs import get_run


def test_migrations_build_exactly_the_models(db_url):
    engine = connect(db_url)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    connect(db_url)  # a second start finds the schema current and keeps it


def slow_site():
    slow = Route(body="<html><title>慢</title></html>", delay=30)
    return http_site(
        {"/": "<html><a href='/slow.html'>慢页面</a><a href='/x'>坏</a></html>", "/slow.html": slow}
    )


def start_scan(url: str, out, db_url: str, *options: str) -> psutil.Process:
    """``govscan scan`` in its own process, returned once its crawl child is running."""
    process = subprocess.Popen(
        [sys.executable, "-m", "govscan.cli", "scan", url, "--out", str(out), *options],
        env={**os.environ, "GOVSCAN_DB": db_url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    parent = psutil.Process(process.pid)
    deadline = time.monotonic() + 30
    while not parent.children() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(2)  # let the crawl reach the slow page
    return parent


def test_a_killed_crawl_fails_the_scan_and_keeps_earlier_runs(scan, db_url, tmp_path):
    with slow_site() as site:
        earlier = scan(site.url, "--timeout", "1", "--checks", "links")
        scanner = start_scan(site.url, tmp_path / "killed", db_url)
        [crawl] = scanner.children()
        crawl.send_signal(signal.SIGKILL)
        code = scanner.wait(timeout=30)
    assert code == 1
    result = json.loads((tmp_path / "killed" / "findings.json").read_text(encoding="utf-8"))
    [site_result] = result["sites"]
    assert site_result["verdict"] == "未完成"
    assert site_result["status"] == "failed" and "代码 -9" in site_result["error"]
    assert site_result["findings"] == []
    again = findings_json.build(connect(db_url), [earlier.site["run_id"]])
    assert again["sites"][0]["findings"] == earlier.site["findings"]
    assert again["sites"][0]["verdict"] == "合格"


def wait_for_writer(scanner: psutil.Process) -> psutil.Process:
    """The crawl's store writer, once the crawl has started it."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for process in scanner.children(recursive=True):
            with contextlib.suppress(psutil.NoSuchProcess):
                if "govscan.crawler.storing" in process.cmdline():
                    return process
        time.sleep(0.1)
    raise AssertionError("the crawl never started its store writer")


def test_a_crawl_whose_store_writer_dies_is_not_complete(db_url, tmp_path):
    with slow_site() as site:
        scanner = start_scan(site.url, tmp_path / "out", db_url, "--timeout", "4")
        wait_for_writer(scanner).send_signal(signal.SIGKILL)
        code = scanner.wait(timeout=60)
    assert code == 1
    result = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    [site_result] = result["sites"]
    assert site_result["verdict"] == "未完成" and site_result["status"] == "failed"
    assert "内部错误" in site_result["error"]


def test_a_killed_scanner_leaves_its_run_unfinished(db_url, tmp_path):
    with slow_site() as site:
        scanner = start_scan(site.url, tmp_path / "out", db_url)
        for process in [*scanner.children(recursive=True), scanner]:
            process.send_signal(signal.SIGKILL)
        scanner.wait(timeout=30)
    engine = connect(db_url)
    assert get_run(engine, 1).status == RUNNING
    [site_result] = findings_json.build(engine, [1])["sites"]
    assert site_result["verdict"] == "未完成"
