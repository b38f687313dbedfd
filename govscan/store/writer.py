"""Batched writes of one run's crawl results; a batch is one transaction."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import Engine, insert

from govscan.store.models import Fetch, Link, Page
from govscan.store.records import FetchRecord, PageRecord


class RunWriter:
    """Buffers pages, links and fetches and inserts them in bulk, ``batch`` rows at a time."""

    def __init__(self, engine: Engine, run_id: int, batch: int = 2000):
        self.engine = engine
        self.run_id = run_id
        self.batch = batch
        self.pages: list[dict] = []
        self.links: list[dict] = []
        self.fetches: list[dict] = []

    def add_page(self, page: PageRecord) -> None:
        row = asdict(page)
        for link in row.pop("links"):
            link["source"] = page.url
            link["run_id"] = self.run_id
            self.links.append(link)
        row["run_id"] = self.run_id
        self.pages.append(row)
        self._flush_if_full()

    def add_fetch(self, fetch: FetchRecord) -> None:
        row = asdict(fetch)
        row["run_id"] = self.run_id
        self.fetches.append(row)
        self._flush_if_full()

    def _flush_if_full(self) -> None:
        if len(self.pages) + len(self.links) + len(self.fetches) >= self.batch:
            self.flush()

    def flush(self) -> None:
        with self.engine.begin() as connection:
            for model, rows in ((Page, self.pages), (Link, self.links), (Fetch, self.fetches)):
                if rows:
                    connection.execute(insert(model), rows)
                    rows.clear()
