"""What several check families need to know about a run: its day and its homepage."""

from __future__ import annotations

from datetime import UTC, date
from zoneinfo import ZoneInfo

from govscan.store.records import PageRecord
from govscan.store.runs import RunData


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
