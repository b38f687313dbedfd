"""What several check families need to know about a run: its day and its homepage."""

from __future__ import annotations

from datetime import UTC, date
from zoneinfo import ZoneInfo

from govscan.store.records import FetchRecord, PageRecord
from govscan.store.runs import RunData
from govscan.urls import canonical_url


def scan_day(data: RunData) -> date:
    """The day the scan started, in the inventory's time zone: dates are judged against it."""
    zone = ZoneInfo(data.options.get("timezone", "Asia/Shanghai"))
    return data.started_at.replace(tzinfo=UTC).astimezone(zone).date()


def kept_homepage(data: RunData) -> tuple[PageRecord, str] | None:
    """The homepage and its kept HTML; None when the crawl could not read it (links.broken
    then reports the homepage)."""
    home = homepage(data.pages())
    sources = data.sources()
    return (home, sources[home.url]) if home is not None and home.url in sources else None


def homepage(pages: list[PageRecord]) -> PageRecord | None:
    """The site's homepage as crawled: the fullest page the crawl reached as its start."""
    homes = [page for page in pages if page.role == "home"]
    return max(homes, key=lambda page: page.text_length, default=None)


def homepage_fetch(data: RunData) -> FetchRecord | None:
    """How the homepage answered the crawl: its fetch, redirects followed."""
    start = canonical_url(data.options["url"], data.options["url"])
    return next((fetch for fetch in data.fetches() if fetch.url == start), None)
