"""The store: schema from migrations, and runs that die are never reported as passed."""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import signal
import subprocess
import sys
import time

import psutil
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from servers import Route, http_site
from sqlalchemy.exc import IntegrityError

from govscan.crawler.handover import CrawlEnd
from govscan.crawler.storing import Storing
from govscan.outcomes import RUNNING
from govscan.reports import findings_json
from govscan.store.db import (
    MIGRATIONS,
    SCHEMA_REVISION,
    connect,
    open_engine,
    schema_revision,
    upgrade,
)
from govscan.store.models import Base
from govscan.store.runs import get_run


def test_migrations_build_exactly_the_models(db_url):
    engine = open_engine(db_url)
    upgrade(engine)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    connect(db_url)  # a second start finds the schema current and keeps it


def test_a_new_sqlite_file_gets_the_migrations_schema_and_revision(tmp_path):
    """``connect`` builds a new SQLite file from the models, stamped: the same tables,
    indexes and constraints as the migrations make, and a revision they continue from."""
    migrated, created = (
        open_engine(f"sqlite:///{tmp_path / 'm.db'}"),
        connect(f"sqlite:///{tmp_path / 'c.db'}"),
    )
    upgrade(migrated)
    assert schema_revision(created) == SCHEMA_REVISION
    with created.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    assert sqlite_objects(created) == sqlite_objects(migrated)


def sqlite_objects(engine) -> list[tuple[str, str, str]]:
    """(type, name, table) of every table, index and trigger in a SQLite database."""
    with engine.connect() as connection:
        query = "SELECT type, name, tbl_name FROM sqlite_master ORDER BY name"
        return [tuple(row) for row in connection.exec_driver_sql(query)]


def test_the_schema_revision_is_the_newest_migration():
    assert ScriptDirectory(str(MIGRATIONS)).get_current_head() == SCHEMA_REVISION


def test_a_process_that_opens_the_store_never_loads_alembic(tmp_path):
    """A new SQLite database is built from the models; one up to date is only read."""
    opened = (
        "import sys\n"
        "from govscan.store.db import SCHEMA_REVISION, connect, schema_revision\n"
        f"engine = connect('sqlite:///{tmp_path / 'new.db'}')\n"
        "assert schema_revision(engine) == SCHEMA_REVISION\n"
        "assert 'alembic' not in sys.modules, 'Alembic loaded'\n"
    )
    for _ in range(2):  # created, then found current
        done = subprocess.run([sys.executable, "-c", opened], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr


def slow_site():
    slow = Route(body="<html><title>慢</title></html>", delay=30)
    return http_site(
        {"/": "<html><a href='/slow.html'>慢页面</a><a href='/x'>坏</a></html>", "/slow.html": slow}
    )


def start_scan(url: str, out, db_url: str, *options: str) -> psutil.Process:
    """``govscan scan`` in its own process, returned once its crawl process is running."""
    process = subprocess.Popen(
        [sys.executable, "-m", "govscan.cli", "scan", url, "--out", str(out), *options],
        env={**os.environ, "GOVSCAN_DB": db_url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    parent = psutil.Process(process.pid)
    crawl_of(parent)
    time.sleep(2)  # let the crawl reach the slow page
    return parent


def crawl_of(scanner: psutil.Process) -> psutil.Process:
    """The scanner's crawl process, once it has started it."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for process in scanner.children():
            with contextlib.suppress(psutil.NoSuchProcess):
                if "govscan.crawler.run" in process.cmdline():
                    return process
        time.sleep(0.1)
    raise AssertionError("the scan never started its crawl")


def test_a_killed_crawl_fails_the_scan_and_keeps_earlier_runs(scan, db_url, tmp_path):
    with slow_site() as site:
        earlier = scan(site.url, "--timeout", "1", "--checks", "links")
        scanner = start_scan(site.url, tmp_path / "killed", db_url)
        crawl_of(scanner).send_signal(signal.SIGKILL)
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


def test_results_that_cannot_be_stored_stop_the_crawl_and_fail(db_url):
    """A batch the database refuses (here: rows of a run that does not exist) ends the crawl
    process at once and is an error, never a quietly shorter run."""
    engine = connect(db_url)
    reading, writing = os.pipe()
    stopped = []
    storing = Storing(engine, 999, os.fdopen(reading, "rb"), stop=lambda: stopped.append(True))
    with os.fdopen(writing, "wb") as crawl:
        fetch = (999, "http://example.gov.cn/", "GET", 200, *[None] * 8)
        pickle.dump({"fetches": [fetch]}, crawl)
        pickle.dump(CrawlEnd(), crawl)
    with pytest.raises(IntegrityError):
        storing.wait()
    assert stopped == [True]


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
