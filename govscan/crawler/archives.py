"""What a government new-media account posted, read from the archives its posts come in.

The new-media checks need an account's posts with their publication times: to tell whether it
is updated often enough and whether posts were deleted or blocked. Those lists reach govscan in
several shapes: RSS 2.0, Atom and JSON Feed bridges (RSSHub-style routes), the JSON of
wechat-article-exporter, a single mp.weixin.qq.com article page, or a plain HTML list on a
portal. Each adapter here turns one shape into an :class:`Archive` of :class:`Post`.

The adapters are pure (bytes in, dataclasses out, no network, no Scrapy) so a spider, the CLI
and the tests use them alike. An archive that cannot be read raises :class:`ArchiveError` with
a Chinese message saying what broke, where, and what to check. One unreadable date does not:
it becomes ``None`` and the checks treat that time as unknown.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector, SelectorError

#: Where a time without a zone was written: China has kept UTC+8 without DST since 1992.
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")
STATES = ("ok", "deleted", "blocked", "unavailable")


@dataclass(frozen=True, slots=True)
class Post:
    """One post of an account, as its archive states it."""

    url: str
    title: str
    published_at: datetime | None  # timezone-aware, UTC; None when unknown
    state: str = "ok"  # ok | deleted | blocked | unavailable
    nickname: str | None = None  # the account's display name, if the source states it
    user_name: str | None = None  # WeChat original id "gh_…", if stated
    biz: str | None = None  # WeChat __biz, if stated


@dataclass(frozen=True, slots=True)
class Archive:
    """An account's posts, with the account names the archive states for all of them."""

    posts: list[Post]
    nickname: str | None = None
    user_name: str | None = None
    biz: str | None = None


class ArchiveError(ValueError):
    """The archive could not be read: the message is Chinese, says what is wrong and where
    (line/column or JSON path) and what to check."""


# --- Dates -----------------------------------------------------------------------------------

#: 2024-05-01, 2024/5/1, 2024.05.01, 2024年5月1日, each optionally followed by 10:30[:15].
_DATE = re.compile(
    r"(?<!\d)(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?!\d)\s*[日号]?"
    r"(?:\s*T?\s*(\d{1,2})\s*[:：]\s*(\d{2})(?:\s*[:：]\s*(\d{2}))?)?"
)
#: "CST" in an RFC 822 date from a Chinese server (Java's Date.toString) is China Standard Time,
#: not US Central as the email module reads it.
_CHINA_CST = re.compile(r"\s+CST$")


def _parse_datetime(text: str | None) -> datetime | None:
    """A written publication time in UTC: ISO 8601, RFC 822, then the forms Chinese sites use.

    Returns None rather than raising: a single odd date must not make an archive unreadable.
    """
    if not text or not (text := text.strip()):
        return None
    for parse in (_iso8601, _rfc822, _chinese_date):
        if (moment := parse(text)) is not None:
            return _as_utc(moment)
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


def _chinese_date(text: str) -> datetime | None:
    if not (match := _DATE.search(text)):
        return None
    numbers = [int(part) if part else 0 for part in match.groups()]
    try:
        return datetime(*numbers)  # type: ignore[arg-type]
    except ValueError:  # 2024-13-45, 25:61
        return None


def _as_utc(moment: datetime) -> datetime:
    """UTC, reading a time without a zone as Beijing time (what Chinese sites write)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SHANGHAI)
    return moment.astimezone(UTC)


def _from_unix(value: object) -> datetime | None:
    """Unix seconds (a number or a string of digits) as UTC; None for 0, junk and overflow."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        seconds = int(value.strip() if isinstance(value, str) else value)
        return datetime.fromtimestamp(seconds, UTC) if seconds > 0 else None
    except (ValueError, OverflowError, OSError):
        return None


# --- Feeds: RSS 2.0 (and 1.0), Atom 1.0, JSON Feed 1.0/1.1 ----------------------------------

_HTML_START = re.compile(
    rb"^(?:<\?xml[^>]*>|<!--.*?-->|\s)*<(?:!doctype\s+html|html)\b", re.IGNORECASE | re.DOTALL
)
#: A WeChat original id; feeds put it in custom elements, author URLs or extension fields.
_GH = re.compile(r"gh_[0-9a-f]{12}")
_GH_IN_URL = re.compile(r"(?<![0-9A-Za-z_])gh_[0-9a-f]{12}(?![0-9A-Za-z_])")
_NOT_A_FEED_HTML = (
    "归档内容是 HTML 网页，不是 RSS、Atom 或 JSON Feed 订阅源，"
    "请检查归档地址是否指向订阅源而不是栏目页或文章页"
)


def parse_feed(body: bytes, url: str) -> Archive:
    """An account's posts from an RSS 2.0, Atom 1.0 or JSON Feed document (detected)."""
    start = body.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not start:
        raise ArchiveError(f"订阅源内容为空（{url}），请检查归档地址是否正确")
    if start[:1] in (b"{", b"["):
        return _json_feed(body, url)
    if start[:1] != b"<":
        excerpt = start[:40].decode("utf-8", errors="replace")
        raise ArchiveError(
            f"归档内容不是 RSS、Atom 或 JSON Feed 订阅源（开头是“{excerpt}”），"
            "请检查归档地址是否指向订阅源"
        )
    if _HTML_START.match(start[:4096]):
        raise ArchiveError(_NOT_A_FEED_HTML)
    return _xml_feed(_read_xml(body, url), url)


def _read_xml(body: bytes, url: str) -> etree._Element:
    """The XML tree, never fetching a DTD or expanding an entity (a feed is untrusted input).

    ``huge_tree`` reads a text node over 10 MB (a feed that inlines whole articles); libxml2
    still refuses documents nested too deep and entities that expand too much.
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


def _xml_feed(root: etree._Element, url: str) -> Archive:
    kind = _local(root)
    if kind == "feed":
        return _atom_feed(root, url)
    if kind in ("rss", "RDF"):
        channel = _child(root, "channel")
        if channel is None:
            raise ArchiveError(
                f"RSS 订阅源缺少 <channel> 元素（第 {root.sourceline} 行），请检查订阅源的生成方式"
            )
        items = [*_children(channel, "item"), *_children(root, "item")]  # RSS 1.0: beside it
        posts = [_rss_post(item, url) for item in items]
        meta = _gh_in_xml(channel, skip="item")
        return _archive(posts, _text(_child(channel, "title")), meta)
    if kind == "html":
        raise ArchiveError(_NOT_A_FEED_HTML)
    raise ArchiveError(
        f"归档内容是 XML，但不是 RSS、Atom 或 JSON Feed 订阅源（根元素是 <{kind}>），"
        "请检查归档地址是否指向订阅源"
    )


def _rss_post(item: etree._Element, url: str) -> Post:
    link = _rss_link(item)
    if not link:
        raise ArchiveError(
            f"RSS 订阅源第 {item.sourceline} 行的 <item> 没有链接（<link> 或 <guid>），"
            "请检查订阅源的生成方式"
        )
    post_url = urljoin(url, link)
    return Post(
        url=post_url,
        title=_text(_child(item, "title")),
        published_at=_parse_datetime(_first_text(item, "pubDate", "date", "published", "updated")),
        nickname=_person(_first_text(item, "creator", "author")),
        user_name=_gh_in_xml(item),
        biz=_biz_of(post_url),
    )


def _rss_link(item: etree._Element) -> str:
    """<link> text, else a permalink <guid>, else an atom:link's href."""
    if text := _first_text(item, "link"):
        return text
    guid = _child(item, "guid")
    is_permalink = guid is not None and guid.get("isPermaLink", "true") != "false"
    if is_permalink and (text := _text(guid)).startswith(("http://", "https://")):
        return text
    return next(
        (link.get("href", "").strip() for link in _children(item, "link") if link.get("href")), ""
    )


def _atom_feed(root: etree._Element, url: str) -> Archive:
    posts = [_atom_post(entry, url) for entry in _children(root, "entry")]
    return _archive(posts, _text(_child(root, "title")), _gh_in_xml(root, skip="entry"))


def _atom_post(entry: etree._Element, url: str) -> Post:
    link = _atom_link(entry, url)
    if not link:
        raise ArchiveError(
            f"Atom 订阅源第 {entry.sourceline} 行的 <entry> 没有链接"
            '（rel="alternate" 的 <link href>），请检查订阅源的生成方式'
        )
    author = _child(entry, "author")
    return Post(
        url=link,
        title=_text(_child(entry, "title")),
        published_at=_parse_datetime(_first_text(entry, "published", "updated")),
        nickname=_person(_first_text(author, "name")) if author is not None else None,
        user_name=_gh_in_xml(entry),
        biz=_biz_of(link),
    )


def _atom_link(entry: etree._Element, url: str) -> str:
    """The alternate link (or one without rel), resolved against xml:base and the feed URL."""
    for link in _children(entry, "link"):
        href = (link.get("href") or "").strip()
        if href and link.get("rel", "alternate") == "alternate":
            return urljoin(link.base or url, href)
    entry_id = _first_text(entry, "id")
    return entry_id if entry_id.startswith(("http://", "https://")) else ""


def _json_feed(body: bytes, url: str) -> Archive:
    data = _load_json(body, "订阅源")
    if not (isinstance(data, dict) and _is_json_feed(data)):
        raise ArchiveError(
            "归档内容是 JSON，但不是 JSON Feed 订阅源（缺少 version 或 items），"
            "如果是 wechat-article-exporter 的导出文件，请按导出文件读取"
        )
    items = data.get("items")
    if not isinstance(items, list):
        raise ArchiveError("JSON Feed 的 items 不是列表，请检查订阅源的生成方式")
    posts = [_json_feed_post(item, f"items[{index}]", url) for index, item in enumerate(items)]
    meta = _gh_in_json({key: value for key, value in data.items() if key != "items"})
    return _archive(posts, _string(data.get("title")), meta)


def _is_json_feed(data: dict[str, Any]) -> bool:
    version = data.get("version")
    is_versioned = isinstance(version, str) and "jsonfeed.org/version/" in version
    return is_versioned or isinstance(data.get("items"), list)


def _json_feed_post(item: object, path: str, url: str) -> Post:
    if not isinstance(item, dict):
        raise ArchiveError(f"JSON Feed 的 {path} 不是对象，请检查订阅源的生成方式")
    entry_id = _string(item.get("id"))
    link = _string(item.get("url")) or (entry_id if entry_id.startswith("http") else "")
    link = link or _string(item.get("external_url"))
    if not link:
        raise ArchiveError(f"JSON Feed 的 {path} 没有链接（url），请检查订阅源的生成方式")
    post_url = urljoin(url, link)
    published = _string(item.get("date_published")) or _string(item.get("date_modified"))
    return Post(
        url=post_url,
        title=_string(item.get("title")),
        published_at=_parse_datetime(published),
        nickname=_json_author(item),
        user_name=_gh_in_json(item),
        biz=_biz_of(post_url),
    )


def _json_author(item: dict[str, Any]) -> str | None:
    """authors[0].name (JSON Feed 1.1) or author.name (1.0)."""
    authors = item.get("authors")
    author = authors[0] if isinstance(authors, list) and authors else item.get("author")
    return _person(_string(author.get("name"))) if isinstance(author, dict) else None


def _archive(posts: list[Post], title: str, user_name: str | None) -> Archive:
    """A feed's archive: its title names the account; ids the posts all share are the account's."""
    return Archive(
        posts=posts,
        nickname=title or None,
        user_name=user_name or _common(post.user_name for post in posts),
        biz=_common(post.biz for post in posts),
    )


def _person(text: str) -> str | None:
    """An author element's name: "editor@example.cn (某某发布)" → 某某发布; a bare address or a
    gh_ id is no display name."""
    text = text.strip()
    if match := re.fullmatch(r"\S+@\S+\s*\((.+)\)", text):
        return match[1].strip() or None
    if not text or "@" in text or _GH.fullmatch(text):
        return None
    return text


# --- One mp.weixin.qq.com article page -------------------------------------------------------

#: A quoted JS string literal; ``value`` is its body, escapes included.
_JS_STRING = r"""(?P<q>["'])(?P<value>(?:\\.|(?!(?P=q))[^\\\n])*)(?P=q)"""


def _word(name: str) -> str:
    r"""``name`` as a whole word, checked after the literal rather than with a leading ``\b``:
    re scans a 3 MB page for a pattern that starts with a literal some 40 times faster."""
    return rf"{name}(?<!\w{name})"


#: A quoted JS value of digits or of a gh_ id (neither contains quotes or escapes).
_UNIX_TIME = r"""(?P<q>["'])(?P<value>[1-9]\d{8,10})(?P=q)"""
_GH_STRING = r"""(?P<q>["'])(?P<value>gh_\w+)(?P=q)"""
_VAR = rf"(?:{_word('var')}\s+|{_word('window')}\.)"
#: The advertisement card every article page embeds names WeChat's own ad account
#: (nick_name: '微信广告', user_name: 'gh_1e80bb81a1d2'): it is removed before reading.
_AD_ACCOUNT = re.compile(_word("biz_info") + r"\s*:\s*\{[^{}]*\}")
#: Each field's patterns, most specific first; the first non-empty value wins.
_CT = (
    re.compile(_VAR + r"ct\s*=\s*" + _UNIX_TIME),
    re.compile(_word("create_time") + r"\s*[:=]\s*" + _UNIX_TIME),
)
_NICKNAME = (
    re.compile(_word("var") + r"\s+nickname\s*=\s*(?:htmlDecode\(\s*)?" + _JS_STRING),
    re.compile(_word("nick_name") + r"\s*:\s*JsDecode\(\s*" + _JS_STRING),
    re.compile(_word("nick_name") + r"\s*[:=]\s*" + _JS_STRING),
)
_USER_NAME = (
    re.compile(_word("var") + r"\s+user_name\s*=\s*" + _GH_STRING),
    re.compile(_word("user_name") + r"\s*:\s*JsDecode\(\s*" + _GH_STRING),
    re.compile(_word("user_name") + r"\s*[:=]\s*" + _GH_STRING),
)
_TITLE = (
    re.compile(_word("var") + r"\s+msg_title\s*=\s*" + _JS_STRING),
    re.compile(_word("msg_title") + r"\s*=\s*" + _JS_STRING),
)
_OG_TITLE = re.compile(r"<meta\b[^>]*\bproperty\s*=\s*[\"']og:title[\"'][^>]*>", re.IGNORECASE)
_CONTENT = re.compile(r"\bcontent\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", re.IGNORECASE)
#: var biz = "MzI…" || ""   ·   window.biz = '' || 'MzI…'
_BIZ = re.compile(_VAR + r"biz\s*=\s*[\"']([^\"'\\]*)[\"'](?:\s*\|\|\s*[\"']([^\"'\\]*)[\"'])?")
#: The notices WeChat shows instead of a post, by state; deleted and blocked are checked first
#: because the plain "无法查看" notices are the least specific.
_STATE_NOTICES = (
    ("deleted", ("该内容已被发布者删除",)),
    ("blocked", ("此内容因违规无法查看", "违规无法查看")),
    ("unavailable", ("该内容暂时无法查看", "内容暂时无法查看", "此内容无法查看")),
)
_JS_ESCAPE = re.compile(r"\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|(.))", re.DOTALL)
_JS_CHARS = {"n": "\n", "r": "\r", "t": "\t"}


def parse_wechat_article(body: bytes, url: str) -> Post:
    """The post one mp.weixin.qq.com article page shows, or the notice that replaced it.

    Real pages are 2–4 MB of inline scripts whose variables carry the facts, so the raw text is
    read with anchored patterns instead of parsing the HTML.
    """
    text = _AD_ACCOUNT.sub("", body.decode("utf-8", errors="replace"))
    biz = next((value for match in _BIZ.finditer(text) for value in match.groups() if value), None)
    return Post(
        url=url.strip(),
        title=_first_js(text, _TITLE) or _og_title(text),
        published_at=_from_unix(_first_js(text, _CT)),
        state=_article_state(text),
        nickname=_first_js(text, _NICKNAME),
        user_name=_first_js(text, _USER_NAME),
        biz=biz or _biz_of(url),
    )


def _first_js(text: str, patterns: Iterable[re.Pattern[str]]) -> str | None:
    """The first non-empty string value the patterns capture, tried in order of preference."""
    for pattern in patterns:
        for match in pattern.finditer(text):
            if value := _js_text(match["value"]):
                return value
    return None


def _js_text(raw: str) -> str:
    """A JS string literal's body as text: JS escapes, then HTML entities (``\\x26amp;``)."""

    def unescape(match: re.Match[str]) -> str:
        if code := match[1] or match[2]:
            return chr(int(code, 16))
        return _JS_CHARS.get(match[3], match[3])

    return _collapse(html.unescape(_JS_ESCAPE.sub(unescape, raw)))


def _og_title(text: str) -> str:
    if not (meta := _OG_TITLE.search(text)) or not (content := _CONTENT.search(meta[0])):
        return ""
    return _collapse(html.unescape(content[1] if content[1] is not None else content[2]))


def _article_state(text: str) -> str:
    for state, notices in _STATE_NOTICES:
        if any(notice in text for notice in notices):
            return state
    return "ok"


# --- wechat-article-exporter JSON ------------------------------------------------------------

_ARTICLE_LISTS = ("publish_page", "publish_list", "app_msg_list")


def parse_exporter_json(body: bytes, url: str) -> Archive:
    """An account's posts from wechat-article-exporter's JSON (the mp backend's publish list).

    ``publish_info`` is a JSON string inside the JSON in the real exporter; objects are
    accepted too, as are a bare list of articles and ``{"app_msg_list": [...]}``.
    """
    data = _load_json(body, "导出文件")
    posts = [_exporter_post(article, path, url) for path, article in _exporter_articles(data)]
    meta = data if isinstance(data, dict) else {}
    account = meta.get("account") if isinstance(meta.get("account"), dict) else {}
    nickname = _string(meta.get("nickname") or meta.get("nick_name"))
    nickname = nickname or _string(account.get("nickname") or account.get("nick_name"))
    rest = {key: value for key, value in meta.items() if key not in _ARTICLE_LISTS}
    return Archive(
        posts=posts,
        nickname=nickname or None,
        user_name=_gh_in_json(rest) or _common(post.user_name for post in posts),
        biz=_common(post.biz for post in posts),
    )


def _exporter_articles(data: object) -> Iterator[tuple[str, dict[str, Any]]]:
    """(JSON path, article object) of every article, in the order the file lists them."""
    if isinstance(data, list):
        yield from _entries(data, "")
        return
    if not isinstance(data, dict) or not any(key in data for key in _ARTICLE_LISTS):
        raise ArchiveError(
            "不是 wechat-article-exporter 的导出文件：顶层没有 publish_list、publish_page "
            "或 app_msg_list，请检查导出文件是否完整"
        )
    if "publish_page" in data:
        page = _nested_json(data["publish_page"], "publish_page")
        data = page if isinstance(page, dict) else {}
        if "publish_list" not in data:
            raise ArchiveError("导出文件的 publish_page 中没有 publish_list，请检查导出文件")
    for key in ("publish_list", "app_msg_list"):
        if key in data:
            yield from _entries(_expect_list(data[key], key), key)


def _entries(entries: list[Any], path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Articles of a list whose elements are publish entries or articles themselves."""
    for index, entry in enumerate(entries):
        where = f"{path}[{index}]"
        if not isinstance(entry, dict):
            raise ArchiveError(f"导出文件的 {where} 不是对象，请检查导出文件")
        if "publish_info" not in entry:
            yield where, entry
            continue
        info = _nested_json(entry["publish_info"], f"{where}.publish_info")
        if info is None:  # an empty publish_info: the exporter skips these entries too
            continue
        if not isinstance(info, dict):
            raise ArchiveError(f"导出文件的 {where}.publish_info 不是对象，请检查导出文件")
        articles = _expect_list(info.get("appmsgex", []), f"{where}.publish_info.appmsgex")
        for number, article in enumerate(articles):
            article_path = f"{where}.publish_info.appmsgex[{number}]"
            if not isinstance(article, dict):
                raise ArchiveError(f"导出文件的 {article_path} 不是对象，请检查导出文件")
            yield article_path, article


def _exporter_post(article: dict[str, Any], path: str, url: str) -> Post:
    link = _string(article.get("link"))
    if not link:
        raise ArchiveError(f"导出文件的 {path}.link 缺失或为空，请检查导出文件是否完整")
    post_url = urljoin(url, link)
    return Post(
        url=post_url,
        title=_string(article.get("title")),
        published_at=_from_unix(article.get("create_time") or article.get("update_time")),
        state="deleted" if _truthy(article.get("is_deleted")) else "ok",
        biz=_biz_of(post_url),
    )


def _nested_json(value: object, path: str) -> object:
    """A field that holds JSON encoded as a string (the exporter's publish_info), decoded."""
    if not isinstance(value, str):
        return value
    if not value.strip():
        return None
    try:
        return json.loads(value)
    except json.JSONDecodeError as error:
        raise ArchiveError(
            f"导出文件的 {path} 不是有效的 JSON 字符串（第 {error.lineno} 行第 {error.colno} 列："
            f"{error.msg}），请检查导出文件是否完整"
        ) from error
    except RecursionError as error:
        raise _too_deep(f"导出文件的 {path} ") from error


def _expect_list(value: object, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise ArchiveError(f"导出文件的 {path} 不是列表，请检查导出文件")
    return value


def _truthy(value: object) -> bool:
    """is_deleted as the exporter writes it: true, 1, "1"; false, 0, "0", "false" are not."""
    if isinstance(value, str):
        return value.strip().lower() not in ("", "0", "false", "null")
    return bool(value)


# --- HTML list pages -------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
#: GB2312 and GBK pages routinely contain characters only GB18030 (their superset) decodes.
_GB = frozenset({"gb2312", "gbk", "gb18030", "x-gbk", "euc-cn", "cp936"})
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def parse_html_list(
    body: bytes, url: str, item: str, date: str, encoding: str | None = None
) -> Archive:
    """The posts of an HTML list page: ``item`` (CSS) selects each entry, whose first link gives
    the URL and title and in whose text ``date`` (a regex; group 1 if it has groups) finds the
    publication time. A selector that matches nothing gives an empty archive: the checks judge.
    """
    select = _css(item)
    pattern = _regex(date)
    root = _html_root(_decode(body, encoding))
    if root is None:
        return Archive(posts=[])
    base_element = root.find(".//base[@href]")
    base = urljoin(url, base_element.get("href").strip()) if base_element is not None else url
    posts = [post for element in select(root) if (post := _list_post(element, base, pattern))]
    return Archive(posts=posts, biz=_common(post.biz for post in posts))


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


def _list_post(element: lxml.html.HtmlElement, base: str, date: re.Pattern[str]) -> Post | None:
    """One entry's post; None for an entry without a link (a separator, a "more" row)."""
    link = next((a for a in element.iter("a") if _is_post_href(a.get("href"))), None)
    if link is None:
        return None
    post_url = urljoin(base, link.get("href").strip())
    return Post(
        url=post_url,
        title=_link_title(link),
        published_at=_date_in(_collapse(element.text_content()), date),
        biz=_biz_of(post_url),
    )


def _is_post_href(href: str | None) -> bool:
    href = (href or "").strip()
    return bool(href) and not href.lower().startswith(("javascript:", "#"))


def _link_title(link: lxml.html.HtmlElement) -> str:
    """The link text; its title attribute when the text is empty or cut short with an ellipsis
    (lists truncate long titles and keep the full one there)."""
    text = _collapse(link.text_content())
    full = _collapse(link.get("title") or "")
    if full and (not text or text.endswith(("...", "…"))):
        return full
    return text


def _date_in(text: str, pattern: re.Pattern[str]) -> datetime | None:
    if not (match := pattern.search(text)):
        return None
    value = match.group(1) if pattern.groups else match.group(0)
    return _parse_datetime(value)


# --- Shared helpers --------------------------------------------------------------------------


def _load_json(body: bytes, what: str) -> Any:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArchiveError(
            f"{what}不是 UTF-8 编码的 JSON（第 {error.start + 1} 个字节无法解码），"
            "请检查文件是否完整、是否被转码"
        ) from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ArchiveError(
            f"{what}不是有效的 JSON（第 {error.lineno} 行第 {error.colno} 列：{error.msg}），"
            "请检查归档地址是否正确、文件是否完整"
        ) from error
    except RecursionError as error:
        raise _too_deep(what) from error


def _too_deep(what: str) -> ArchiveError:
    """JSON nested deeper than Python's recursion limit: no archive looks like that."""
    return ArchiveError(
        f"{what}的 JSON 嵌套层数过深，超出了安全读取的上限，不是正常的归档内容，"
        "请检查归档地址是否正确"
    )


def _local(element: etree._Element) -> str:
    """An element's name without its namespace ("" for comments and processing instructions)."""
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: etree._Element, name: str) -> Iterator[etree._Element]:
    """Child elements called ``name`` in any namespace (feeds mix and omit namespaces)."""
    return (child for child in element if _local(child) == name)


def _child(element: etree._Element, name: str) -> etree._Element | None:
    return next(_children(element, name), None)


def _text(element: etree._Element | None) -> str:
    return _collapse("".join(element.itertext())) if element is not None else ""


def _first_text(element: etree._Element, *names: str) -> str:
    """The first non-empty text among the children named, in the order of ``names``."""
    for name in names:
        for child in _children(element, name):
            if text := _text(child):
                return text
    return ""


def _gh_in_xml(element: etree._Element, skip: str = "") -> str | None:
    """A gh_ id in any text or attribute under ``element``, not looking into ``skip`` children;
    document order, without recursion (a feed may nest two thousand levels deep)."""
    todo = [element]
    while todo:
        element = todo.pop()
        texts = [element.text, *element.attrib.values()]
        if found := next(filter(None, map(_gh_id, texts)), None):
            return found
        todo += reversed(
            [child for child in element if isinstance(child.tag, str) and _local(child) != skip]
        )
    return None


def _gh_in_json(value: object) -> str | None:
    """A gh_ id anywhere among the string values of a JSON value, in document order, without
    recursion (a document may nest as deep as the JSON reader allows)."""
    todo = [value]
    while todo:
        value = todo.pop()
        if isinstance(value, dict | list):
            todo += reversed(list(value.values()) if isinstance(value, dict) else value)
        elif found := _gh_id(value):
            return found
    return None


def _gh_id(value: object) -> str | None:
    """A WeChat original id a string states: the whole string, or a segment of a URL."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if _GH.fullmatch(value):
        return value
    if value.startswith(("http://", "https://")) and (match := _GH_IN_URL.search(value)):
        return match[0]
    return None


def _biz_of(url: str) -> str | None:
    """The __biz a WeChat URL carries (mp.weixin.qq.com/s?__biz=…&mid=…)."""
    values = parse_qs(urlsplit(url).query).get("__biz")
    return values[0] if values and values[0] else None


def _common(values: Iterable[str | None]) -> str | None:
    """The value all the posts that state one agree on; None when none do or they differ."""
    distinct = {value for value in values if value}
    return distinct.pop() if len(distinct) == 1 else None


def _string(value: object) -> str:
    return _collapse(value) if isinstance(value, str) else ""


def _collapse(text: str) -> str:
    return " ".join(text.split())
