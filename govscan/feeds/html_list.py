"""A portal's HTML list of an account's posts, read with the CSS selector and the date pattern
the register gives for it (no feed format covers these pages)."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urljoin

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector, SelectorError

from govscan.dates import DEFAULT_TIMEZONE, parse_instant
from govscan.feeds.common import agreed, biz_of, collapse
from govscan.feeds.models import Archive, ArchiveError, Post

_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
#: GB2312 and GBK pages routinely contain characters only GB18030 (their superset) decodes.
_GB = frozenset({"gb2312", "gbk", "gb18030", "x-gbk", "euc-cn", "cp936"})
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def parse_html_list(
    body: bytes,
    url: str,
    item: str,
    date: str,
    encoding: str | None = None,
    timezone: str = DEFAULT_TIMEZONE,
) -> Archive:
    """The posts of an HTML list page: ``item`` (CSS) selects each entry, whose first link gives
    the URL and title and in whose text ``date`` (a regex; group 1 if it has groups) finds the
    publication time, read in ``timezone`` unless it names a zone. A selector that matches
    nothing gives an empty archive: the checks judge.
    """
    select = _css(item)
    pattern = _regex(date)
    root = _html_root(_decode(body, encoding))
    if root is None:
        return Archive(posts=[])
    base_element = root.find(".//base[@href]")
    base = urljoin(url, base_element.get("href").strip()) if base_element is not None else url
    entries = (_list_post(element, base, pattern, timezone) for element in select(root))
    posts = [post for post in entries if post is not None]
    return Archive(posts=posts, biz=agreed(post.biz for post in posts))


def _css(selector: str) -> CSSSelector:
    try:
        return CSSSelector(selector, translator="html")
    except SelectorError as error:
        raise ArchiveError(
            f"列表项的 CSS 选择器“{selector}”无效（{error}），请检查该账号归档的 item 设置"
        ) from error


def _regex(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as error:
        where = f"第 {error.pos + 1} 个字符处：" if error.pos is not None else ""
        raise ArchiveError(
            f"日期正则表达式“{pattern}”无效（{where}{error.msg}），请检查该账号归档的 date 设置"
        ) from error


def _decode(body: bytes, encoding: str | None) -> str:
    """The page's text: the given encoding, else the meta charset, else UTF-8, else GB18030."""
    if encoding:
        try:
            return body.decode(_codec(encoding), errors="replace")
        except LookupError as error:
            raise ArchiveError(
                f"未知的字符编码“{encoding}”，请检查该账号归档的 encoding 设置"
            ) from error
    declared = _META_CHARSET.search(body[:16384])
    candidates = [_codec(declared[1].decode("ascii"))] if declared else []
    for codec in [*candidates, "utf-8"]:
        try:
            return body.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("gb18030", errors="replace")


def _codec(name: str) -> str:
    name = name.strip().lower()
    return "gb18030" if name in _GB else name


def _html_root(text: str) -> lxml.html.HtmlElement | None:
    text = _XML_DECLARATION.sub("", text)  # lxml refuses a str that declares its encoding
    try:
        return lxml.html.document_fromstring(text)
    except etree.ParserError:  # an empty page
        return None


def _list_post(
    element: lxml.html.HtmlElement, base: str, date: re.Pattern[str], timezone: str
) -> Post | None:
    """One entry's post; None for an entry without a link (a separator, a "more" row)."""
    link = next((a for a in element.iter("a") if _is_post_href(a.get("href"))), None)
    if link is None:
        return None
    post_url = urljoin(base, link.get("href").strip())
    return Post(
        url=post_url,
        title=_link_title(link),
        published_at=_date_in(collapse(element.text_content()), date, timezone),
        biz=biz_of(post_url),
    )


def _is_post_href(href: str | None) -> bool:
    href = (href or "").strip()
    return bool(href) and not href.lower().startswith(("javascript:", "#"))


def _link_title(link: lxml.html.HtmlElement) -> str:
    """The link text; its title attribute when the text is empty or cut short with an ellipsis
    (lists truncate long titles and keep the full one there)."""
    text = collapse(link.text_content())
    full = collapse(link.get("title") or "")
    if full and (not text or text.endswith(("...", "…"))):
        return full
    return text


def _date_in(text: str, pattern: re.Pattern[str], timezone: str) -> datetime | None:
    if not (match := pattern.search(text)):
        return None
    value = match.group(1) if pattern.groups else match.group(0)
    return parse_instant(value, timezone)
