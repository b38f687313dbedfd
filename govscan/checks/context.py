"""What several check families need to know about a run: its homepage, as crawled."""

from __future__ import annotations

from collections.abc import Iterable

from govscan.store.view import Fetch, Page, RunView
from govscan.urls import canonical_url


def kept_homepage(view: RunView) -> tuple[Page, str] | None:
    """The homepage and its kept HTML; None when the crawl could not read it (links.broken
    then reports the homepage)."""
    home = homepage(view.pages)
    return (home, home.html) if home is not None and home.html is not None else None


def homepage(pages: Iterable[Page]) -> Page | None:
    """The site's homepage as crawled: the fullest page the crawl reached as its start."""
    homes = [page for page in pages if page.role == "home"]
    return max(homes, key=lambda page: page.text_length, default=None)


def homepage_fetch(view: RunView) -> Fetch | None:
    """How the homepage answered the crawl: its fetch, redirects followed."""
    start = canonical_url(view.site.url, view.site.url)
    return next((fetch for fetch in view.fetches if fetch.url == start), None)
