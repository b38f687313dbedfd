"""Batched writes of one run's crawl results: plain tuples through the driver's executemany.

A crawl stores about fifty links for every page; building ORM objects or SQLAlchemy
parameter sets for a million rows would cost more than the crawl itself. Even plain
inserts take a quarter of a crawl's time, so the crawl hands its batches to a writer
process (``python -m govscan.store.writer``) and the inserts run on another core.
"""

from __future__ import annotations

import fcntl
import json
import os
import pickle
import subprocess
import sys
from collections.abc import Callable

from sqlalchemy import Engine

from govscan.store.db import open_engine
from govscan.store.records import FETCH_FIELDS, FetchRecord, PageRecord

#: Rows of one or more tables, by table name, to insert in one transaction.
Batch = dict[str, list[tuple]]

COLUMNS = {
    "pages": (
        "run_id",
        "url",
        "role",
        "depth",
        "title",
        "excerpt",
        "text_length",
        "link_count",
        "facts",
        "html",
    ),
    "links": ("run_id", "source", "target", "element", "anchor", "count"),
    "fetches": ("run_id", *FETCH_FIELDS),
}
PIPE_BYTES = 1 << 20  # room for a few batches, so the crawl rarely waits for the writer


class RunWriter:
    """Turns pages and fetches into rows and hands them to ``sink`` ``batch`` rows at a time."""

    def __init__(self, sink: Callable[[Batch], None], run_id: int, batch: int = 5000):
        self.sink = sink
        self.run_id = run_id
        self.batch = batch
        self.rows: Batch = {table: [] for table in COLUMNS}
        self.pending = 0

    def add_page(self, page: PageRecord) -> None:
        run_id, url = self.run_id, page.url
        links = [
            (run_id, url, link.target, link.element, link.anchor, link.count) for link in page.links
        ]
        link_count = sum(link.count for link in page.links)
        self._add(
            "pages",
            [
                (
                    run_id,
                    url,
                    page.role,
                    page.depth,
                    page.title,
                    page.excerpt,
                    page.text_length,
                    link_count,
                    json.dumps(page.facts, ensure_ascii=False),
                    page.html,
                )
            ],
        )
        self._add("links", links)

    def add_fetch(self, fetch: FetchRecord) -> None:
        """Store a fetch, and the page it brought if the crawl parsed one."""
        self._add("fetches", [(self.run_id, *(getattr(fetch, f) for f in FETCH_FIELDS))])
        if fetch.page is not None:
            self.add_page(fetch.page)

    def _add(self, table: str, rows: list[tuple]) -> None:
        self.rows[table].extend(rows)
        self.pending += len(rows)
        if self.pending >= self.batch:
            self.flush()

    def flush(self) -> None:
        """Hand over everything buffered."""
        if self.pending:
            self.sink({table: rows for table, rows in self.rows.items() if rows})
        self.rows = {table: [] for table in COLUMNS}
        self.pending = 0


class DatabaseSink:
    """Inserts each batch in one transaction."""

    def __init__(self, engine: Engine):
        self.engine = engine
        mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
        self.sql = {table: _insert_sql(table, columns, mark) for table, columns in COLUMNS.items()}

    def __call__(self, batch: Batch) -> None:
        with self.engine.begin() as connection:
            for table, rows in batch.items():
                connection.exec_driver_sql(self.sql[table], rows)


class WriterProcess:
    """A ``DatabaseSink`` in a child process, fed through a pipe.

    ``close`` waits until every batch is stored and raises if the writer failed, so a
    crawl whose results were not all stored cannot finish as complete.
    """

    def __init__(self, db_url: str):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "govscan.store.writer"],
            stdin=subprocess.PIPE,
            env={**os.environ, "GOVSCAN_DB": db_url},
        )
        fcntl.fcntl(self.process.stdin, fcntl.F_SETPIPE_SZ, PIPE_BYTES)

    def __call__(self, batch: Batch) -> None:
        pickle.dump(batch, self.process.stdin, protocol=pickle.HIGHEST_PROTOCOL)

    def close(self) -> None:
        self.process.stdin.close()
        if self.process.wait() != 0:
            raise RuntimeError(f"store writer exited with status {self.process.returncode}")


def _insert_sql(table: str, columns: tuple[str, ...], mark: str) -> str:
    quoted = ", ".join(f'"{column}"' for column in columns)
    return f"INSERT INTO {table} ({quoted}) VALUES ({', '.join([mark] * len(columns))})"


def main() -> None:
    """Store the batches arriving on stdin until it closes."""
    sink = DatabaseSink(open_engine())
    while True:
        try:
            batch = pickle.load(sys.stdin.buffer)
        except EOFError:
            return
        sink(batch)


if __name__ == "__main__":
    main()
