"""Small runs for the families' unit tests: a site, its pages and links, as the store would
give them to a family, without a crawl."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urljoin

from portal import SITE_CODE, UNIT

from govscan.store.view import Fetch, Link, Page, PageFacts, RunInfo, RunView, SiteInfo

HOME = "http://www.csz.gov.cn/"
SITE = SiteInfo("csz", "苍山州人民政府", HOME, UNIT, site_code=SITE_CODE)
#: The scan's start: 2026-11-27 10:00 in Beijing.
STARTED_AT = datetime(2026, 11, 27, 2, 0)


def url(path: str) -> str:
    return urljoin(HOME, path)


def page(
    path: str,
    html: str | None = None,
    *,
    role: str = "page",
    depth: int = 1,
    title: str = "",
    excerpt: str = "",
    text_length: int = 1000,
    **facts,
) -> Page:
    """A crawled page of the site; ``html`` when the crawl kept its source."""
    return Page(url(path), role, depth, title, excerpt, text_length, PageFacts.of(facts), html)


def home(html: str, **fields) -> Page:
    return page("/", html, role="home", depth=0, **fields)


def link(source: str, target: str, anchor: str = "", element: str = "a") -> Link:
    return Link(url(target), element, anchor, 1, url(source))


def fetch(path: str, status: int | None = 200, error_kind: str | None = None) -> Fetch:
    return Fetch(url(path), status=status, error_kind=error_kind)


def view(
    pages: Iterable[Page] = (),
    *,
    links: Iterable[Link] = (),
    fetches: Iterable[Fetch] = (),
    site: SiteInfo = SITE,
    **parts,
) -> RunView:
    """A run of the site started at ``STARTED_AT``; ``parts`` are the view's other fields,
    and the run's (``columns``, ``known_accounts``, ``sample_pages``) by their names."""
    run = {name: parts.pop(name) for name in RUN_FIELDS if name in parts}
    return RunView.of(
        site,
        links=links,
        pages=tuple(pages),
        fetches=tuple(fetches),
        run=RunInfo(1, STARTED_AT, **run),
        **parts,
    )


RUN_FIELDS = ("columns", "known_accounts", "sample_pages", "external_services")
