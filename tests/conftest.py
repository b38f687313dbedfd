"""Shared fixtures: a fresh database per test and a runner for ``govscan scan`` as users call it."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest
from servers import PostgresCluster

from govscan.cli import main
from govscan.store.db import connect
from govscan.store.runs import RunData

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

    def broken(self) -> set[tuple[str, str]]:
        """(dead URL, kind) of every links.broken finding."""
        return {(f["url"], f["detail"]["kind"]) for f in self.findings("links.broken")}

    @cached_property
    def data(self) -> RunData:
        return RunData(connect(self.db_url), self.site["run_id"])


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'govscan.db'}"
    monkeypatch.setenv("GOVSCAN_DB", url)
    return url


@pytest.fixture
def scan(db_url: str, tmp_path: Path):
    """Run ``govscan scan ARGS`` in this process (the crawl runs in its own, as always)."""
    numbers = itertools.count(1)

    def run(*args: str) -> ScanOutput:
        out = tmp_path / f"out{next(numbers)}"
        code = main(["scan", *args, "--out", str(out)])
        path = out / "findings.json"
        result = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        return ScanOutput(code, result, out, db_url)

    return run


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
