"""Batched writes of one run's crawl results: plain tuples through the driver's executemany.

A crawl stores about fifty links for every page; building ORM objects or SQLAlchemy
parameter sets for a million rows would cost more than the crawl itself. Even plain
inserts take a quarter of a crawl's time, so the crawl hands its batches to a process of
their own (``govscan.crawler.storing``) and the inserts run on another core.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace

from sqlalchemy import Boolean, Engine, bindparam, case, insert, select

from govscan.store.models import Page, url_key
from govscan.store.records import FETCH_FIELDS, FetchRecord, LinkRecord, PageRecord, PageSource

#: Rows of one or more tables, by table name, to insert in one transaction; and under
#: ``PAGE_SOURCES``, pages still to be read into ``pages`` rows (``page_row``) first.
Batch = dict[str, list[tuple]]
PAGE_SOURCES = "page_sources"  # (run_id, PageSource, link_count)
#: Unchanged pages whose row an earlier run stored is copied (``copy_statement``).
COPIED_PAGES = "copied_pages"
COPY_FIELDS = ("run_id", "url", "role", "depth", "keep", "from_run")

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
        "text",
    ),
    "links": ("run_id", "source", "target", "element", "anchor", "count"),
    "fetches": ("run_id", *FETCH_FIELDS),
}


class RunWriter:
    """Turns pages and fetches into rows and hands them to ``sink`` ``batch`` rows at a time."""

    def __init__(
        self,
        sink: Callable[[Batch], None],
        run_id: int,
        reader_needs: Callable[[LinkRecord], bool],
        batch: int = 5000,
    ):
        self.sink = sink
        self.run_id = run_id
        self.reader_needs = reader_needs  # the links a page's reader is given with the page
        self.batch = batch
        self.rows: Batch = {table: [] for table in BATCH_KEYS}
        self.pending = 0

    def add_page(self, page: PageSource) -> None:
        """The page's links as rows, and the page itself, to be read on the store's side with
        the few links its reader needs: pickling all of them would cost what it saves."""
        run_id, url = self.run_id, page.url
        links = [
            (run_id, url, link.target, link.element, link.anchor, link.count) for link in page.links
        ]
        self._add("links", links)
        if page.reused_from is not None:
            self._add(
                COPIED_PAGES, [(run_id, url, page.role, page.depth, page.keep, page.reused_from)]
            )
            return
        link_count = sum(link.count for link in page.links)
        needed = [link for link in page.links if self.reader_needs(link)]
        self._add(PAGE_SOURCES, [(run_id, replace(page, links=needed), link_count)])

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
        self.rows = {table: [] for table in BATCH_KEYS}
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
                if table == COPIED_PAGES:
                    connection.execute(
                        COPY, [dict(zip(COPY_FIELDS, row, strict=True)) for row in rows]
                    )
                else:
                    connection.exec_driver_sql(self.sql[table], rows)


def copy_statement():
    """Insert an unchanged page's row of an earlier run into this run, at the place this run
    found it (role, depth), with its source only when this run keeps it."""
    old = Page.__table__
    copied = select(
        bindparam("run_id"),
        old.c.url,
        bindparam("role"),
        bindparam("depth"),
        *(old.c[column] for column in COLUMNS["pages"][4:9]),
        case((bindparam("keep", type_=Boolean), old.c.html)),
        old.c.text,
    ).where(old.c.run_id == bindparam("from_run"), url_key(old.c.url) == url_key(bindparam("url")))
    return insert(Page).from_select(COLUMNS["pages"], copied)


COPY = copy_statement()
BATCH_KEYS = (*COLUMNS, PAGE_SOURCES, COPIED_PAGES)


def page_row(run_id: int, page: PageRecord, link_count: int) -> tuple:
    """A page as its row of ``pages``."""
    return (
        run_id,
        page.url,
        page.role,
        page.depth,
        page.title,
        page.excerpt,
        page.text_length,
        link_count,
        json.dumps(page.facts, ensure_ascii=False),
        page.html,
        page.text,
    )


def _insert_sql(table: str, columns: tuple[str, ...], mark: str) -> str:
    quoted = ", ".join(f'"{column}"' for column in columns)
    return f"INSERT INTO {table} ({quoted}) VALUES ({', '.join([mark] * len(columns))})"
