"""Batched writes of one run's crawl results: plain tuples through the driver's executemany.

A crawl stores about fifty links for every page; building ORM objects or SQLAlchemy
parameter sets for a million rows would cost more than the crawl itself.
"""

from __future__ import annotations

from sqlalchemy import Engine

from govscan.store.records import FetchRecord, PageRecord

PAGE_COLUMNS = ("run_id", "url", "role", "depth", "title", "excerpt", "text_length")
LINK_COLUMNS = ("run_id", "source", "target", "element", "anchor", "count")
FETCH_COLUMNS = ("run_id", *FetchRecord.__slots__)


class RunWriter:
    """Buffers pages, links and fetches and inserts them ``batch`` rows at a time."""

    def __init__(self, engine: Engine, run_id: int, batch: int = 5000):
        self.engine = engine
        self.run_id = run_id
        self.batch = batch
        mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
        self.tables = {
            "pages": (_insert_sql("pages", PAGE_COLUMNS, mark), []),
            "links": (_insert_sql("links", LINK_COLUMNS, mark), []),
            "fetches": (_insert_sql("fetches", FETCH_COLUMNS, mark), []),
        }
        self.pending = 0

    def add_page(self, page: PageRecord) -> None:
        run_id, url = self.run_id, page.url
        self._add(
            "pages",
            [(run_id, url, page.role, page.depth, page.title, page.excerpt, page.text_length)],
        )
        self._add(
            "links",
            [
                (run_id, url, link.target, link.element, link.anchor, link.count)
                for link in page.links
            ],
        )

    def add_fetch(self, fetch: FetchRecord) -> None:
        self._add("fetches", [(self.run_id, *(getattr(fetch, f) for f in FetchRecord.__slots__))])

    def _add(self, table: str, rows: list[tuple]) -> None:
        self.tables[table][1].extend(rows)
        self.pending += len(rows)
        if self.pending >= self.batch:
            self.flush()

    def flush(self) -> None:
        """Insert everything buffered, in one transaction."""
        with self.engine.begin() as connection:
            for sql, rows in self.tables.values():
                if rows:
                    connection.exec_driver_sql(sql, rows)
                    rows.clear()
        self.pending = 0


def _insert_sql(table: str, columns: tuple[str, ...], mark: str) -> str:
    quoted = ", ".join(f'"{column}"' for column in columns)
    return f"INSERT INTO {table} ({quoted}) VALUES ({', '.join([mark] * len(columns))})"
