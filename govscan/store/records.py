"""Plain records the store writes and reads, so crawler and checks need no SQL."""

from __future__ import annotations

import dbm.dumb
import pickle
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

#: How an incremental crawl had a page or a link check without downloading it.
REVALIDATED, CACHED = "revalidated", "cached"


@dataclass(slots=True)
class LinkRecord:
    target: str
    element: str  # a | area | img | script | link | iframe | frame
    anchor: str
    count: int = 1
    source: str = ""


@dataclass(slots=True)
class PageRecord:
    """An internal HTML page, reduced to what the checks read."""

    url: str
    role: str  # home | page | frame (shown in an iframe) | notfound_probe
    depth: int
    title: str
    excerpt: str
    text_length: int
    links: list[LinkRecord] = field(default_factory=list)
    # guideline meta tags, date label text, 公开属性, 文号, layout (see govscan.crawler.pages)
    facts: dict = field(default_factory=dict)
    html: bytes | None = None  # zlib-compressed source: homepage and depth-1 pages only
    text: bytes | None = None  # zlib-compressed visible text, header and footer included


@dataclass(slots=True)
class PageSource:
    """An internal HTML page as the crawl fetched it, with the links it read at once to follow
    them; its title, text and facts are read on the store's side (``PageRecord``)."""

    url: str
    role: str
    depth: int
    html: str
    links: list[LinkRecord] = field(default_factory=list)
    keep: bool = False  # store its source too (the homepage, its columns)
    # unchanged since this earlier run (answered 304): its stored page is copied, not read
    reused_from: int | None = None


@dataclass(slots=True)
class FetchRecord:
    """The outcome of fetching one URL: a status, or the kind of network error."""

    url: str
    method: str
    status: int | None = None
    error_kind: str | None = None  # dns | refused | timeout | tls | redirect_loop | connection
    error: str | None = None
    final_url: str | None = None
    elapsed_ms: int | None = None
    page: PageSource | None = None  # what the crawl read, when this was a page of the site
    etag: str | None = None  # the validators a page answered with, for the next run's
    last_modified: str | None = None  # conditional request
    reuse: str | None = None  # None: fetched in full | revalidated (304) | cached (see TTL)
    checked_at: datetime | None = None  # when a cached result was last fetched; None: now


#: The fetch fields that are stored as columns of ``fetches``.
FETCH_FIELDS = (
    "url",
    "method",
    "status",
    "error_kind",
    "error",
    "final_url",
    "elapsed_ms",
    "etag",
    "last_modified",
    "reuse",
    "checked_at",
)


@dataclass
class ArchiveRecord:
    """One archive source as the crawl read it: its posts, or why it could not be read."""

    account_id: str
    source: str
    status: int | None = None
    error: str | None = None
    nickname: str | None = None
    user_name: str | None = None
    posts: list[dict] = field(default_factory=list)  # Post fields, published_at as ISO text


@dataclass(frozen=True, slots=True)
class PriorPage:
    """A page of the last completed run that a conditional request may revalidate."""

    status: int
    etag: str | None
    last_modified: str | None
    has_html: bool  # its source was kept, as the homepage's and its columns' are

    def headers(self) -> dict[str, str]:
        """The conditional request's headers."""
        sent = {"If-None-Match": self.etag, "If-Modified-Since": self.last_modified}
        return {name: value for name, value in sent.items() if value}


@dataclass
class Baseline:
    """The site's last completed run, as far as this run may reuse it (``store.baseline``).

    Its pages' links, tens of MB for 20,000 pages, wait on disk in ``links_file`` (a
    ``dbm.dumb`` file, URL → packed links): the crawl reads a page's only when the page
    answers 304."""

    run_id: int
    links_file: str
    pages: dict[str, PriorPage] = field(default_factory=dict)
    checks: dict[str, FetchRecord] = field(default_factory=dict)  # fine, checked within the TTL

    def page(self, url: str, keep: bool) -> PriorPage | None:
        """The page at ``url`` if it may be revalidated; not when this run keeps its source
        and the earlier one did not."""
        prior = self.pages.get(url)
        return prior if prior is not None and (prior.has_html or not keep) else None

    def check(self, url: str) -> FetchRecord | None:
        """The earlier, fine result of checking ``url``, to keep instead of checking again."""
        return self.checks.get(url)

    def links_of(self, url: str) -> list[LinkRecord]:
        """The links of an unchanged page, as the earlier run read them."""
        packed = self.links.get(url.encode("utf-8"))
        return [LinkRecord(*row) for row in pickle.loads(zlib.decompress(packed))] if packed else []

    @cached_property
    def links(self):
        """``links_file``, opened in the crawl process on first use."""
        return dbm.dumb.open(self.links_file, "r")


def pack(rows) -> bytes:
    """A page's links, small enough that 20,000 pages' fit in a few tens of MB."""
    return zlib.compress(pickle.dumps([tuple(row[1:]) for row in rows]))
