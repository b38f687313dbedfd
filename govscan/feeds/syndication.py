"""Feeds: RSS 0.9x–2.0, RSS 1.0 and Atom read by feedparser, JSON Feed read here.

feedparser finds a feed's entries, their links (``<link>``, the alternate ``atom:link``, a
permalink ``<guid>``, resolved against ``xml:base`` and the feed's URL), titles, authors (split
from their e-mail addresses) and the feed's title. It never refuses a document, though: XML
that is not well-formed or whose entities expand too far is read again by its loose parser,
a wrong declared encoding is replaced by a guess, any nesting is read, and each is only flagged
in ``bozo``. A truncated or garbled feed would then pass for an account that posts less, so
:func:`_well_formed` first parses the document with libxml2, never fetching a DTD nor expanding
an entity, and refuses it with the line and column where it broke and what to check. Its root
also names what a document that is no feed is.

feedparser's parsed times are not used: it reads a time without a zone as UTC, where Chinese
feeds write the inventory's local time, and knows neither "CST" as China Standard Time nor
2025年11月10日. The texts it found are read by :func:`govscan.dates.parse_instant`.

feedparser 6.0 has no JSON Feed reader; JSON Feed is plain JSON, read here.
"""

from __future__ import annotations

import io
import re
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from govscan.dates import DEFAULT_TIMEZONE, parse_instant
from govscan.feeds.common import GH, agreed, biz_of, collapse, gh_in_json, load_json, text_of
from govscan.feeds.models import Archive, ArchiveError, Post
from govscan.lazy import lazy_import

feedparser = lazy_import("feedparser")

_HTML_START = re.compile(
    rb"^(?:<\?xml[^>]*>|<!--.*?-->|\s)*<(?:!doctype\s+html|html)\b", re.IGNORECASE | re.DOTALL
)
_NOT_A_FEED_HTML = (
    "归档内容是 HTML 网页，不是 RSS、Atom 或 JSON Feed 订阅源，"
    "请检查归档地址是否指向订阅源而不是栏目页或文章页"
)
#: The key under which feedparser adds the URL it resolved against, to every text it reports.
_BASE = "base"


def parse_feed(body: bytes, url: str, timezone: str = DEFAULT_TIMEZONE) -> Archive:
    """An account's posts from an RSS, Atom or JSON Feed document (detected); a time without a
    zone is read in ``timezone``."""
    start = body.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not start:
        raise ArchiveError(f"订阅源内容为空（{url}），请检查归档地址是否正确")
    if start[:1] in (b"{", b"["):
        return _json_feed(body, url, timezone)
    if start[:1] != b"<":
        excerpt = start[:40].decode("utf-8", errors="replace")
        raise ArchiveError(
            f"归档内容不是 RSS、Atom 或 JSON Feed 订阅源（开头是“{excerpt}”），"
            "请检查归档地址是否指向订阅源"
        )
    if _HTML_START.match(start[:4096]):
        raise ArchiveError(_NOT_A_FEED_HTML)
    return _xml_feed(body, _well_formed(body, url), url, timezone)


# --- RSS and Atom ------------------------------------------------------------------------------


def _well_formed(body: bytes, url: str) -> etree._Element:
    """The document's XML tree, or the reason it is no safe, well-formed XML.

    No DTD is fetched and no entity expanded (a feed is untrusted input). ``huge_tree`` reads a
    text node over 10 MB (a feed that inlines whole articles); libxml2 still refuses documents
    nested too deep and entities that expand too much.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        return etree.fromstring(body, parser, base_url=url or None)
    except etree.XMLSyntaxError as error:
        raise ArchiveError(_xml_problem(error)) from error


def _xml_problem(error: etree.XMLSyntaxError) -> str:
    """What libxml2 refused, in Chinese for the refusals a clerk can act on."""
    line, column = error.position
    where = f"第 {line} 行第 {column} 列"
    if error.code == etree.ErrorTypes.ERR_RESOURCE_LIMIT:
        return (
            f"订阅源超出了安全读取的上限（{where}：嵌套层数过深或实体展开过多），"
            "不是正常的订阅源，请检查归档地址是否正确"
        )
    if error.code == etree.ErrorTypes.ERR_INVALID_ENCODING:
        return (
            f"订阅源的字符编码与它声明的不一致（{where}的字节无法解码），"
            "请联系订阅源的提供方改正编码或 XML 声明中的 encoding"
        )
    return f"订阅源不是有效的 XML（{where}：{error.msg}），请检查归档地址是否正确、订阅源是否完整"


def _xml_feed(body: bytes, root: etree._Element, url: str, timezone: str) -> Archive:
    """The posts feedparser reads from a document libxml2 found well-formed."""
    if _local(root) in ("rss", "RDF") and not any(_local(child) == "channel" for child in root):
        raise ArchiveError(
            f"RSS 订阅源缺少 <channel> 元素（第 {root.sourceline} 行），请检查订阅源的生成方式"
        )
    parsed = feedparser.parse(
        io.BytesIO(body),  # bytes would first be tried as a file name
        response_headers={"content-location": url, "content-type": "application/xml"},
        sanitize_html=False,  # titles stay text; the content feedparser would clean is unused
        resolve_relative_uris=False,  # within that content; links are resolved all the same
    )
    if not parsed.version:
        raise _not_a_feed(root)
    posts = [
        _entry_post(entry, index, root, timezone) for index, entry in enumerate(parsed.entries)
    ]
    title = collapse(parsed.feed.get("title", ""))
    return _archive(posts, title, gh_in_json(parsed.feed, ignore=_BASE))


def _not_a_feed(root: etree._Element) -> ArchiveError:
    if _local(root) == "html":
        return ArchiveError(_NOT_A_FEED_HTML)
    return ArchiveError(
        f"归档内容是 XML，但不是 RSS、Atom 或 JSON Feed 订阅源（根元素是 <{_local(root)}>），"
        "请检查归档地址是否指向订阅源"
    )


def _entry_post(entry: dict[str, Any], index: int, root: etree._Element, timezone: str) -> Post:
    link = _web_address(entry.get("link") or entry.get("id"))
    if not link:
        raise _without_link(root, index)
    author = entry.get("author_detail") or {}
    return Post(
        url=link,
        title=collapse(entry.get("title", "")),
        published_at=parse_instant(entry.get("published") or entry.get("updated"), timezone),
        nickname=_display_name(author.get("name")),
        user_name=gh_in_json(entry, ignore=_BASE),
        biz=biz_of(link),
    )


def _web_address(link: str | None) -> str:
    """A post's address, only when it is one a browser opens (a guid or id may be a tag: URI)."""
    link = (link or "").strip()
    return link if link.startswith(("http://", "https://")) else ""


def _without_link(root: etree._Element, index: int) -> ArchiveError:
    """The error for entry ``index``, with the line it starts on: feedparser keeps no lines, and
    its entries are the document's <item> and <entry> elements, in order."""
    entries = [element for element in root.iter() if _local(element) in ("item", "entry")]
    element = entries[index] if index < len(entries) else root
    if _local(element) == "entry":
        return ArchiveError(
            f"Atom 订阅源第 {element.sourceline} 行的 <entry> 没有链接"
            '（rel="alternate" 的 <link href>），请检查订阅源的生成方式'
        )
    return ArchiveError(
        f"RSS 订阅源第 {element.sourceline} 行的 <item> 没有链接（<link> 或 <guid>），"
        "请检查订阅源的生成方式"
    )


def _local(element: etree._Element) -> str:
    """An element's name without its namespace ("" for comments and processing instructions)."""
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


# --- JSON Feed 1.0/1.1 -----------------------------------------------------------------------


def _json_feed(body: bytes, url: str, timezone: str) -> Archive:
    data = load_json(body, "订阅源")
    if not (isinstance(data, dict) and _is_json_feed(data)):
        raise ArchiveError(
            "归档内容是 JSON，但不是 JSON Feed 订阅源（缺少 version 或 items），"
            "如果是 wechat-article-exporter 的导出文件，请按导出文件读取"
        )
    items = data.get("items")
    if not isinstance(items, list):
        raise ArchiveError("JSON Feed 的 items 不是列表，请检查订阅源的生成方式")
    posts = [
        _json_feed_post(item, f"items[{index}]", url, timezone) for index, item in enumerate(items)
    ]
    meta = {key: value for key, value in data.items() if key != "items"}
    return _archive(posts, text_of(data.get("title")), gh_in_json(meta))


def _is_json_feed(data: dict[str, Any]) -> bool:
    version = data.get("version")
    is_versioned = isinstance(version, str) and "jsonfeed.org/version/" in version
    return is_versioned or isinstance(data.get("items"), list)


def _json_feed_post(item: object, path: str, url: str, timezone: str) -> Post:
    if not isinstance(item, dict):
        raise ArchiveError(f"JSON Feed 的 {path} 不是对象，请检查订阅源的生成方式")
    entry_id = text_of(item.get("id"))
    link = text_of(item.get("url")) or (entry_id if entry_id.startswith("http") else "")
    link = link or text_of(item.get("external_url"))
    if not link:
        raise ArchiveError(f"JSON Feed 的 {path} 没有链接（url），请检查订阅源的生成方式")
    post_url = urljoin(url, link)
    published = text_of(item.get("date_published")) or text_of(item.get("date_modified"))
    return Post(
        url=post_url,
        title=text_of(item.get("title")),
        published_at=parse_instant(published, timezone),
        nickname=_display_name(_json_author(item)),
        user_name=gh_in_json(item),
        biz=biz_of(post_url),
    )


def _json_author(item: dict[str, Any]) -> str | None:
    """authors[0].name (JSON Feed 1.1) or author.name (1.0)."""
    authors = item.get("authors")
    author = authors[0] if isinstance(authors, list) and authors else item.get("author")
    return author.get("name") if isinstance(author, dict) else None


# --- Both ------------------------------------------------------------------------------------


def _archive(posts: list[Post], title: str, user_name: str | None) -> Archive:
    """A feed's archive: its title names the account; ids the posts all share are the account's."""
    return Archive(
        posts=posts,
        nickname=title or None,
        user_name=user_name or agreed(post.user_name for post in posts),
        biz=agreed(post.biz for post in posts),
    )


def _display_name(name: object) -> str | None:
    """An author's name as the account's display name; an address or a gh_ id is none."""
    name = text_of(name)
    return name if name and "@" not in name and not GH.fullmatch(name) else None
