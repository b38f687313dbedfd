"""Plain records the store writes and reads, so crawler and checks need no SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


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
