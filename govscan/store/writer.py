"""Batched writes of one run's crawl results: plain tuples through the driver's executemany.

A crawl stores about fifty links for every page; building ORM objects or SQLAlchemy
parameter sets for a million rows would cost more than the crawl itself. Even plain
inserts take a quarter of a crawl's time, so the crawl process hands its batches
(``store.batches``) to the process that started it (``govscan.crawler.storing``), and the
inserts run on another core.
"""

from __future__ import annotations

import json

from sqlalchemy import Boolean, Engine, bindparam, case, insert, select

from govscan.store.batches import COPIED_PAGES, TABLES, Batch
from govscan.store.models import Page, url_key
from govscan.store.records import PageRecord

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
    **TABLES,
}


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
