"""A crawl's results as batches of rows: plain tuples in each table's column order, built in
the crawl process, which loads no SQL library, and inserted by ``store.writer``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from govscan.store.records import FETCH_FIELDS, FetchRecord, LinkRecord, PageSource

#: Rows of one or more tables, by table name, to insert in one transaction; and under
#: ``PAGE_SOURCES``, pages still to be read into ``pages`` rows (``writer.page_row``) first.
Batch = dict[str, list[tuple]]
PAGE_SOURCES = "page_sources"  # (run_id, PageSource, link_count)
#: Unchanged pages whose row an earlier run stored is copied (``writer.copy_statement``).
COPIED_PAGES = "copied_pages"
#: The tables a batch fills, each with its columns in the order of its rows' values.
TABLES = {
    "links": ("run_id", "source", "target", "element", "anchor", "count"),
    "fetches": ("run_id", *FETCH_FIELDS),
}
BATCH_KEYS = (*TABLES, PAGE_SOURCES, COPIED_PAGES)


class RunWriter:
    """Turns pages and fetches into rows and hands them to ``sink`` ``batch`` rows at a time."""

    def __init__(
        self,
        sink: Callable[[Batch], None],
        run_id: int,
        reader_needs: Callable[[LinkRecord], bool],
        batch: int = 2000,
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
