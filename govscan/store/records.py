"""Plain records the store writes and reads, so crawler and checks need no SQL."""

from __future__ import annotations

from dataclasses import dataclass, field


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


#: The fetch fields that are stored as columns of ``fetches``.
FETCH_FIELDS = ("url", "method", "status", "error_kind", "error", "final_url", "elapsed_ms")
