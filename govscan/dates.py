"""Publication dates and times as Chinese government sites and new-media archives write them.

Site dates (list pages, articles) are days without a zone, judged against the scan's day. The
hard part is not reading ``2022-05-05`` but ignoring the dates that are not publication dates:
the "今天是…星期五" widget in the header, the copyright year and update date in the footer,
phone numbers, document numbers and times.

Archive times (feeds, list pages of posts) are instants: RFC 822 with its zones, ISO 8601, the
Chinese written forms with a time of day, unix seconds. A time written without a zone is read in
the inventory's time zone (``settings.timezone``), never in a fixed offset.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urldefrag, urljoin, urlsplit
from zoneinfo import ZoneInfo

import lxml.etree
import lxml.html

from govscan.markup import drop_furniture, parse_document

#: The inventory's time zone unless its settings name another: Chinese sites write Beijing time.
DEFAULT_TIMEZONE = "Asia/Shanghai"
#: No government page was published before this year.
_FIRST_YEAR = 1990

_FULL_DATES = r"""
    # 2022-05-05, 2022/5/5, 2022.05.05 (one separator throughout; not inside a longer number)
    (?<!\d)(?<!\d[-/.])(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)
    # 2022年5月5日
    | (?<!\d)(?P<cy>\d{4})\s*年\s*(?P<cm>\d{1,2})\s*月\s*(?P<cd>\d{1,2})\s*[日号]
"""
_FULL_DATE = re.compile(_FULL_DATES, re.VERBOSE)
_DATE = re.compile(
    _FULL_DATES
    + r"""
    # 05-05, 5/5, 05.05 standing alone: not in 0871-1234567, 第3-5条, 1-5月, 3.5%, 10:33
    | (?<![\w.\-/:])(?P<sm>\d{1,2})(?P<ssep>[-/.])(?P<sd>\d{1,2})(?![\w%‰]|[-/.:]\d)
    # 5月5日 (not the tail of 1980年5月5日)
    | (?<![\d年])(?P<zm>\d{1,2})\s*月\s*(?P<zd>\d{1,2})\s*[日号]
    """,
    re.VERBOSE,
)
#: What precedes or follows the header's "today" widget: 今天是2026年11月27日 星期五.
_TODAY_BEFORE = re.compile(r"(?:今天是|今日|当前日期|当前时间|现在是)\s*[：:]?\s*$")
_TODAY_AFTER = re.compile(r"\s*(?:星期|周|礼拜)\s*[一二三四五六日天]")
#: The time of day an archive may write after a full date: 14:30, 14:30:15, T08:05.
_TIME = re.compile(r"\s*T?\s*(\d{1,2})\s*[:：]\s*(\d{2})(?:\s*[:：]\s*(\d{2}))?(?!\d)")
#: "CST" in an RFC 822 date from a Chinese server (Java's Date.toString) is China Standard Time,
#: not US Central as the email module reads it: an explicit zone, whatever the inventory's.
_CHINA_CST = re.compile(r"\s+CST$")
#: Text that marks a block as the site's identity footer.
_NOTICE = re.compile(r"版权所有|copyright|©|主办单位|ICP备|公网安备|网站标识码", re.IGNORECASE)
#: Rows of a list: a date outside the row around a link is not that link's date.
_ROWS = frozenset({"li", "tr"})
#: Most text a <div>, <p> or <dd> row has beside its link (a title's summary, source, date).
_ROW_TEXT = 200


@dataclass(frozen=True, slots=True)
class DatedItem:
    url: str
    title: str
    date: date


def parse_date(text: str, today: date) -> date | None:
    """The first publication date written in ``text``, or None."""
    return next((day for _, day in _dates(text, today)), None)


def dated_items(html: str, base_url: str, today: date) -> list[DatedItem]:
    """The dated entries of a list page (or of a homepage's blocks), newest first."""
    root = parse_document(html)
    if root is None:
        return []
    # what never holds a publication date: comments, the page's header and footer
    lxml.etree.strip_elements(root, lxml.etree.Comment, with_tail=False)
    drop_furniture(root)
    links = [a for a in root.iter("a") if a.get("href", "").strip() and a.text_content().strip()]
    link_set = set(links)
    items: dict[tuple[str, date], DatedItem] = {}
    for link in links:
        if (day := _item_date(link, link_set, today)) is None:
            continue
        url = urldefrag(urljoin(base_url, link.get("href").strip())).url
        if urlsplit(url).scheme in ("http", "https"):
            items.setdefault((url, day), DatedItem(url, _collapse(link.text_content()), day))
    return sorted(items.values(), key=lambda item: item.date, reverse=True)


def _dates(text: str, today: date) -> Iterator[tuple[int, date]]:
    """Each publication date in ``text`` with where it starts, skipping the "today" widget."""
    for match in _DATE.finditer(text):
        day = _date_of(match, today)
        if day and not _is_today_widget(text, match.start(), match.end()):
            yield match.start(), day


def _date_of(match: re.Match[str], today: date) -> date | None:
    """The date a match spells, if it is a real day a page can have been published on."""
    if match["y"] or match["cy"]:
        return _checked(*_year_month_day(match), today)
    if match["sm"]:
        return _latest(int(match["sm"]), int(match["sd"]), today)
    return _latest(int(match["zm"]), int(match["zd"]), today)


def _year_month_day(match: re.Match[str]) -> tuple[int, int, int]:
    """The numbers of a full date: 2022-05-05 or 2022年5月5日."""
    if match["y"]:
        return int(match["y"]), int(match["m"]), int(match["d"])
    return int(match["cy"]), int(match["cm"]), int(match["cd"])


def _checked(year: int, month: int, day: int, today: date) -> date | None:
    """date(year, month, day) unless impossible, too old or in the future.

    One day ahead is allowed: a site in UTC+8 is already on tomorrow's date for part of the day.
    """
    try:
        result = date(year, month, day)
    except ValueError:
        return None
    if year < _FIRST_YEAR or result > today + timedelta(days=1):
        return None
    return result


def _latest(month: int, day: int, today: date) -> date | None:
    """The most recent month/day not after ``today``: lists drop the year of recent items."""
    for year in range(today.year, today.year - 5, -1):  # a 29 February recurs within 4 years
        try:
            result = date(year, month, day)
        except ValueError:
            continue
        if result <= today:
            return result
    return None


def _is_today_widget(text: str, start: int, end: int) -> bool:
    """Whether the date at text[start:end] is the header's 今天是…星期五, not a publication."""
    return bool(
        _TODAY_BEFORE.search(text, max(0, start - 12), start) or _TODAY_AFTER.match(text, end)
    )


def _item_date(
    link: lxml.html.HtmlElement, links: set[lxml.html.HtmlElement], today: date
) -> date | None:
    """The date written beside ``link`` in the smallest container that holds no other link.

    A date in the title itself counts only when the row has none, so 关于5月5日停水的通知
    listed on 2022-05-03 is dated 2022-05-03.
    """
    title = link.text_content()
    if _NOTICE.search(title):
        return None
    for row in link.iterancestors():
        if row.tag == "body" or sum(a in links for a in row.iter("a")) > 1:
            break
        beside = _text_outside(row, link)
        if row.tag not in _ROWS and len(_collapse(beside)) > _ROW_TEXT:
            break  # an article body around its only link, not a row: its dates are not the link's
        if _NOTICE.search(row.text_content()):
            return None
        if day := parse_date(beside, today):
            return day
        if row.tag in _ROWS:
            break
    return parse_date(title, today)


def _text_outside(el: lxml.html.HtmlElement, link: lxml.html.HtmlElement) -> str:
    """The text of ``el`` without the text of ``link``, one space between elements."""
    parts = [el.text or ""]
    for child in el:
        if child is not link:
            parts.append(_text_outside(child, link))
        parts.append(child.tail or "")
    return " ".join(parts)


def _collapse(text: str) -> str:
    return " ".join(text.split())


# --- Archive times: instants ------------------------------------------------------------------


def parse_instant(text: str | None, timezone: str) -> datetime | None:
    """A written publication time in UTC: ISO 8601, RFC 822, then the Chinese written forms
    (2025年11月10日 14:30, 2025/11/10); a time without a zone was written in ``timezone``.

    Returns None rather than raising: one odd date must not make an archive unreadable.
    """
    if not text or not (text := text.strip()):
        return None
    for parse in (_iso8601, _rfc822, _written):
        if (moment := parse(text)) is not None:
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=ZoneInfo(timezone))
            return moment.astimezone(UTC)
    return None


def unix_instant(value: object) -> datetime | None:
    """Unix seconds (a number or a string of digits) in UTC; None for 0, junk and overflow."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        seconds = int(value.strip() if isinstance(value, str) else value)
        return datetime.fromtimestamp(seconds, UTC) if seconds > 0 else None
    except (ValueError, OverflowError, OSError):
        return None


def _iso8601(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _rfc822(text: str) -> datetime | None:
    text = _CHINA_CST.sub(" +0800", text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None and text.endswith("-0000"):  # RFC 5322: UTC, local zone unknown
        return moment.replace(tzinfo=UTC)
    return moment


def _written(text: str) -> datetime | None:
    """The first full date written in ``text``, with the time of day written after it."""
    if not (match := _FULL_DATE.search(text)):
        return None
    clock = _TIME.match(text, match.end())
    hour, minute, second = (int(part or 0) for part in clock.groups()) if clock else (0, 0, 0)
    try:
        return datetime(*_year_month_day(match), hour, minute, second)
    except ValueError:  # 2024-13-45, 25:61
        return None


def nth_working_day(start: date, days: int) -> date:
    """The ``days``-th Monday-to-Friday day counting ``start`` itself: the end of a period
    the rules count in working days. Public holidays and their make-up working days are not
    known here."""
    day = start - timedelta(1)
    while days > 0:
        day += timedelta(1)
        days -= day.weekday() < 5
    return day
