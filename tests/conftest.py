"""Shared fixtures: a fresh database per test and a runner for ``govscan scan`` as users call it."""

from __future__ import annotations

import itertools
import json
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest
from servers import PostgresCluster, RedisServer, smtp_server

from govscan.cli import main
from govscan.store.db import connect
from govscan.store.runs import RunData
from govscan.store.snapshot import load_view
from govscan.store.view import RunView

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@dataclass
class ScanOutput:
    """What one ``govscan scan`` left behind: exit code, findings.json and the stored run."""

    code: int
    result: dict
    out: Path
    db_url: str

    @property
    def site(self) -> dict:
        return self.result["sites"][0]

    def findings(self, rule: str | None = None) -> list[dict]:
        return [f for f in self.site["findings"] if rule is None or f["rule"] == rule]

    def affected_pages(self, prefix: str) -> dict[str, set[str]]:
        """{rule: URLs of the pages it lists} for the per-site browser findings."""
        return {
            f["rule"]: {page["url"] for page in f["detail"]["affected"]}
            for f in self.findings()
            if f["rule"].startswith(prefix) and "affected" in f["detail"]
        }

    def broken(self) -> set[tuple[str, str]]:
        """(dead URL, kind) of every links.broken finding."""
        return {(f["url"], f["detail"]["kind"]) for f in self.findings("links.broken")}

    @cached_property
    def data(self) -> RunData:
        return RunData(connect(self.db_url), self.site["run_id"])

    @cached_property
    def view(self) -> RunView:
        """The run as the check families read it."""
        return load_view(connect(self.db_url), self.site["run_id"])


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'govscan.db'}"
    monkeypatch.setenv("GOVSCAN_DB", url)
    return url


def scanner(folder: Path, db_url: str):
    """``govscan scan ARGS`` run in this process (the crawl runs in its own, as always)."""
    numbers = itertools.count(1)

    def run(*args: str) -> ScanOutput:
        out = folder / f"out{next(numbers)}"
        code = main(["scan", *args, "--out", str(out)])
        path = out / "findings.json"
        result = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        return ScanOutput(code, result, out, db_url)

    return run


@pytest.fixture
def scan(db_url: str, tmp_path: Path):
    return scanner(tmp_path, db_url)


@pytest.fixture(scope="module")
def module_scan(tmp_path_factory: pytest.TempPathFactory):
    """Like ``scan``, for a module whose tests all read the same scans."""
    folder = tmp_path_factory.mktemp("scan")
    url = f"sqlite:///{folder / 'govscan.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GOVSCAN_DB", url)
        yield scanner(folder, url)


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("the real-page corpus (../shared/corpus) is not beside this checkout")
    return CORPUS


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on a loopback port, for the tests that need one."""
    binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not binaries:
        pytest.skip(
            "PostgreSQL is not installed (make test installs it: apt-get install postgresql)"
        )
    with PostgresCluster(binaries[-1]) as url:
        yield url


@pytest.fixture
def redis() -> Iterator[RedisServer]:
    """A real redis-server on a loopback port, for the cluster's queue."""
    if shutil.which("redis-server") is None:
        pytest.skip("Redis is not installed (make test installs it: apt-get install redis-server)")
    with RedisServer() as server:
        yield server


@pytest.fixture
def fresh_postgres(postgres_url: str) -> str:
    """A new, empty database in the test cluster: a store no test has migrated yet."""
    import psycopg

    name = f"govscan_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_url.replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return postgres_url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture
def smtp(tmp_path: Path):
    """A real SMTP server (STARTTLS and login required): mailbox, port, certificate file."""
    with smtp_server(tmp_path) as server:
        yield server
