"""Inspections on a cluster, with real components: a redis-server queue, a PostgreSQL store and
real ``govscan worker`` processes. Two inspections queued at once, a worker killed with kill -9
mid-scan, a broker that goes away and comes back, workers that migrate the store together,
and the mistakes a cluster refuses."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import psutil
import pytest
from servers import http_site, inventory_of, linked_pages
from sqlalchemy import select, text

from govscan.cli import main
from govscan.scheduler import nightly_scan
from govscan.store.db import connect, session_scope
from govscan.store.inspections import recent_inspections
from govscan.store.models import Run

LEASE = 4  # seconds: a lost worker is found within a few seconds, not a minute


@dataclass
class Worker:
    process: subprocess.Popen
    log: Path

    @property
    def name(self) -> str:
        """As the runs it leases name it."""
        return f"{socket.gethostname()}:{self.process.pid}"

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def wait_for(condition: Callable[[], object], seconds: float, what: str) -> object:
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds} s waiting for {what}")
        time.sleep(0.2)
    return found


@contextmanager
def workers(count: int, env: dict, folder: Path, concurrency: int) -> Iterator[list[Worker]]:
    """``count`` real ``govscan worker`` processes, ready to take tasks; stopped after."""
    started = []
    try:
        for number in range(count):
            log = folder / f"worker{number}.log"
            command = [sys.executable, "-m", "govscan.cli", "worker"]
            command += ["--concurrency", str(concurrency), "--lease", str(LEASE)]
            with log.open("w") as out:
                process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
            started.append(Worker(process, log))
        wait_for(lambda: all(" ready." in w.output() for w in started), 60, "workers ready")
        yield started
    finally:
        for worker in started:
            worker.process.terminate()  # Celery finishes the tasks it runs, then stops
        for worker in started:
            try:
                worker.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.process.kill()


@pytest.fixture
def cluster(redis, fresh_postgres, tmp_path, monkeypatch):
    """The queue and the store, in this process's environment and the workers'."""
    monkeypatch.setenv("GOVSCAN_BROKER", redis.url)
    monkeypatch.setenv("GOVSCAN_DB", fresh_postgres)
    return {**os.environ}, connect(fresh_postgres)


def queue(sites: dict, folder: Path, name: str, accounts: str = "") -> Path:
    """``govscan scan --config … --detach``: the inspection is queued, the command returns."""
    inventory_text, resolve = inventory_of(sites)
    inventory = folder / f"{name}.yaml"
    inventory.write_text(inventory_text + accounts, encoding="utf-8")
    out = folder / name
    command = ["scan", "--config", str(inventory), "--detach", "--out", str(out)]
    assert main([*command, "--checks", "links", "--concurrency", "2", *resolve]) == 0
    return out


FEED = (
    "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>苍山发布</title>"
    f"<item><title>通知</title><link>/1.html</link><pubDate>{format_datetime(datetime.now(UTC))}"
    "</pubDate></item></channel></rss>"
)


def accounts(feeds) -> str:
    """Three accounts read two at a time: two batches, a task each."""
    entries = "".join(
        f"  - {{id: m{n}, platform: wechat, name: 苍山发布, unit: 苍山州政府办公室, "
        f"archives: [{{type: feed, url: '{feeds.url_for('/feed.xml')}'}}]}}\n"
        for n in range(3)
    )
    return f"accounts:\n{entries}settings: {{account_batch: 2}}\n"


def ended(engine, count: int) -> bool:
    states = recent_inspections(engine, 10)
    return len(states) >= count and all(state.status != "running" for state in states)


def site_runs(engine, site_id: str) -> list[Run]:
    with session_scope(engine) as session:
        return list(session.scalars(select(Run).where(Run.site_id == site_id).order_by(Run.id)))


def test_two_inspections_queued_at_once_are_shared_by_the_workers(cluster, tmp_path):
    env, engine = cluster
    with ExitStack() as stack:
        sites = {
            name: stack.enter_context(http_site(linked_pages(f"{name}县", 6, 0.2)))
            for name in ("a", "b", "c", "d")
        }
        feeds = stack.enter_context(http_site({"/feed.xml": FEED}))
        pool = stack.enter_context(workers(2, env, tmp_path, concurrency=2))
        first = queue({"a": sites["a"], "b": sites["b"]}, tmp_path, "first", accounts(feeds))
        second = queue({"c": sites["c"], "d": sites["d"]}, tmp_path, "second")
        wait_for(lambda: ended(engine, 2), 180, "both inspections to end")

    assert [state.status for state in recent_inspections(engine, 10)] == ["completed"] * 2
    for site in sites.values():  # every page fetched once: no task ran twice
        assert [site.count("GET", f"/p{n}.html") for n in range(6)] == [1] * 6
    for out, names in ((first, {"a", "b"}), (second, {"c", "d"})):
        result = json.loads((out / "findings.json").read_text(encoding="utf-8"))
        assert {site["id"] for site in result["sites"]} == names
        assert all(site["stats"]["pages"] == 7 for site in result["sites"])
        assert (out / "bulletin.html").is_file()
        logs = {path.name for path in (out / "logs").iterdir()}
        assert {f"{n}.log" for n in names} <= logs
    accounts_read = json.loads((first / "findings.json").read_text(encoding="utf-8"))["accounts"]
    assert [account["verdict"] for account in accounts_read] == ["合格"] * 3  # in two batches
    assert len({account["run_id"] for account in accounts_read}) == 2
    assert feeds.count("GET", "/feed.xml") == 3
    logs = "".join(worker.output() for worker in pool)
    for inspection in recent_inspections(engine, 10):  # the outputs were written once
        assert logs.count(f"检查 {inspection.id} 已完成") == 1
    runs = [run for name in sites for run in site_runs(engine, name)]
    assert {run.worker for run in runs} == {worker.name for worker in pool}

    listing = subprocess.run(
        [sys.executable, "-m", "govscan.cli", "inspections"],
        env={**env, "COLUMNS": "200"},
        capture_output=True,
        text=True,
    )
    assert listing.returncode == 0
    assert listing.stderr.count("集群") == 2 and listing.stderr.count("2/2") == 2


def test_a_worker_killed_mid_scan_loses_nothing(cluster, tmp_path):
    env, engine = cluster
    with ExitStack() as stack:
        site = stack.enter_context(http_site(linked_pages("慢县", 30, 0.4)))
        pool = stack.enter_context(workers(2, env, tmp_path, concurrency=1))
        out = queue({"slow": site}, tmp_path, "night")
        crawling = wait_for(
            lambda: (
                [run for run in site_runs(engine, "slow") if run.status == "running"]
                and site.count("GET", "/p3.html")
            ),
            60,
            "the crawl to be under way",
        )
        assert crawling
        (running,) = site_runs(engine, "slow")
        victim = next(worker for worker in pool if worker.name == running.worker)
        survivor = next(worker for worker in pool if worker is not victim)
        crawl = [child.pid for child in psutil.Process(victim.process.pid).children()]
        victim.process.kill()  # kill -9, mid-scan
        killed = time.monotonic()
        wait_for(lambda: not any(map(psutil.pid_exists, crawl)), 10, "its crawl to die with it")
        wait_for(lambda: len(site_runs(engine, "slow")) == 2, 60, "the site to be scanned again")
        restarted = time.monotonic() - killed
        wait_for(lambda: ended(engine, 1), 120, "the inspection to end")

    lost, again = site_runs(engine, "slow")
    assert lost.status == "failed" and "失联" in lost.error and victim.name in lost.error
    assert again.status == "completed" and again.worker == survivor.name
    assert restarted < 4 * LEASE
    assert recent_inspections(engine, 1)[0].status == "completed"
    result = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    (scanned,) = result["sites"]
    assert scanned["run_id"] == again.id and scanned["stats"]["pages"] == 31
    assert scanned["verdict"] != "未完成"


def test_a_broker_that_goes_away_and_comes_back(cluster, redis, tmp_path):
    env, engine = cluster
    with ExitStack() as stack:
        sites = {
            name: stack.enter_context(http_site(linked_pages(f"{name}县", 8, 0.3)))
            for name in ("a", "b", "c")
        }
        stack.enter_context(workers(1, env, tmp_path, concurrency=1))
        queue(sites, tmp_path, "night")
        wait_for(lambda: site_runs(engine, "a") or site_runs(engine, "b"), 60, "a first scan")
        redis.stop()
        time.sleep(3)
        redis.start()
        wait_for(lambda: ended(engine, 1), 180, "the inspection to end")

    assert recent_inspections(engine, 1)[0].status == "completed"
    for name, site in sites.items():
        assert [run.status for run in site_runs(engine, name)] == ["completed"]
        assert [site.count("GET", f"/p{n}.html") for n in range(8)] == [1] * 8


def test_a_scan_follows_its_inspection_on_the_workers_to_the_end(cluster, tmp_path, capsys):
    env, engine = cluster
    with ExitStack() as stack:
        site = stack.enter_context(http_site(linked_pages("甲县", 4, 0.1)))
        stack.enter_context(workers(1, env, tmp_path, concurrency=1))
        out = tmp_path / "out"
        assert main(["scan", site.url, "--out", str(out), "--checks", "links"]) == 0
    printed = capsys.readouterr().err
    assert "由工作进程（govscan worker）执行" in printed and "扫描结果" in printed
    assert f"检查通报：{out / 'bulletin.html'}" in printed
    assert recent_inspections(engine, 1)[0].status == "completed"


def test_the_nightly_service_queues_the_night_for_the_workers(cluster, tmp_path):
    """The service's nightly job hands the night to the workers and returns; the worker that
    finishes it writes the bulletin."""
    env, engine = cluster
    with ExitStack() as stack:
        site = stack.enter_context(http_site(linked_pages("甲县", 4, 0.1)))
        stack.enter_context(workers(1, env, tmp_path, concurrency=2))
        text, _ = inventory_of({"a": site})
        config = tmp_path / "sites.yaml"
        config.write_text(text.replace("a.gov.test", "127.0.0.1"), encoding="utf-8")
        started = time.monotonic()
        nightly_scan(str(config), str(tmp_path / "night"))
        assert time.monotonic() - started < 10  # queued, not scanned here
        wait_for(lambda: ended(engine, 1), 120, "the night to end")
    (state,) = recent_inspections(engine, 5)
    assert state.status == "completed" and state.queued
    assert (tmp_path / "night" / "bulletin.html").is_file()


def test_workers_starting_together_migrate_the_store_once(fresh_postgres):
    env = {**os.environ, "GOVSCAN_DB": fresh_postgres}
    command = [sys.executable, "-m", "govscan.cli", "db", "upgrade"]
    together = [subprocess.Popen(command, env=env, stderr=subprocess.PIPE) for _ in range(4)]
    for process in together:
        _, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors.decode()
    with connect(fresh_postgres).connect() as connection:
        assert len(connection.execute(text("SELECT version_num FROM alembic_version")).all()) == 1


def test_a_cluster_refuses_sqlite(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GOVSCAN_BROKER", "redis://127.0.0.1:1/0")
    monkeypatch.setenv("GOVSCAN_DB", f"sqlite:///{tmp_path / 'govscan.db'}")
    assert main(["scan", "http://www.example.gov.cn/", "--out", str(tmp_path / "out")]) == 2
    assert "必须共用一个 PostgreSQL 数据库" in capsys.readouterr().err
    assert main(["worker"]) == 2
    assert "必须共用一个 PostgreSQL 数据库" in capsys.readouterr().err
    assert not (tmp_path / "govscan.db").exists()  # refused before anything was stored


def test_a_worker_needs_a_queue(monkeypatch, capsys):
    monkeypatch.delenv("GOVSCAN_BROKER", raising=False)
    assert main(["worker"]) == 2
    assert "GOVSCAN_BROKER=redis://" in capsys.readouterr().err
    assert main(["scan", "http://www.example.gov.cn/", "--detach"]) == 2
    assert "--detach 只用于集群" in capsys.readouterr().err
