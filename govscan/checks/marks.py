"""The identity marks (标识) that 国办发〔2017〕47号 requires in every government page's footer.

This module only reads what a page shows and links to; whether a mark is missing, malformed or
disagrees with another is decided by the checks that use it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from urllib.parse import SplitResult, parse_qsl, unquote, urlsplit

from lxml import etree
from lxml import html as lxml_html

from govscan.markup import parse_document


@dataclass(frozen=True, slots=True)
class Marks:
    site_code_text: str | None  # 网站标识码 as written in the page text
    site_code_meta: str | None  # <meta name="SiteIDCode" content="…">
    icp: str | None  # ICP 备案 number as written, e.g. 赣ICP备11002306号-1
    icp_link: str | None  # href of the link to beian.miit.gov.cn
    psb: str | None  # digits of the 公安机关备案 number
    psb_link_code: str | None  # record code in the beian.gov.cn link
    conac: bool  # the 党政机关 mark: a script, link or image from conac.cn
    jiucuo_src: str | None  # the 找错 entry: src of its script (jiucuo.js), or its link
    jiucuo_sitecode: str | None  # the site code that entry reports errors under
    sitemap: str | None  # href of the 网站地图 link
    contact: str | None  # href of the 联系我们 link, else the contact line of the footer
    sponsor: str | None  # the 主办单位


#: Text nodes a visitor can read: comments are not text nodes, scripts and styles are excluded.
_VISIBLE_TEXT = ".//text()[not(ancestor::script or ancestor::style)]"
#: id/class words of footer containers in the CMSs of government sites.
_FOOTER_HINT = re.compile(r"foot|bottom|copyright", re.I)

_SITE_CODE = re.compile(r"标识码\s*[:：]?\s*((?:bm)?\d+)", re.I)
#: ICP and 公安 numbers are matched in NFKC text: full-width digits and colons made plain.
_ICP = re.compile(
    r"[\u4e00-\u9fff]\s*ICP\s*备?\s*(?:案号?)?\s*:?\s*(?:\d\s?)*\d\s*号?(?:\s*-\s*\d+)?", re.I
)
_ICP_FILLER = re.compile(r"\s+|(?<=备)案号?|:")
_PSB = re.compile(
    r"(?:公网安备|公安(?:机关)?备案)\s*(?:编?号)?\s*:?\s*((?:\d\s?){9,19}\d(?:-\d+)?)"
)
_SPONSOR = re.compile(r"主办(?:单位|方)?(?:\s*[:：]\s*|\s+)([^\s|｜,，;；:：。]+)")
#: 某某市人民政府办公室主办: the organiser before the word, ending as a body's name ends.
_SPONSOR_BEFORE = re.compile(
    r"([\u4e00-\u9fff（）()]{2,30}?(?:政府|办公室|办公厅|委员会|局|厅|委|中心|院|部|会|署|办))"
    r"\s*主办(?!\s*(?:单位|方)?\s*[:：])"
)
#: What stands before a body's name when a footer runs it together: 版权所有X主办, 本网站由X主办.
_NOT_SPONSOR_PREFIX = re.compile(
    r"^(?:.*(?:版权所有|主办单位|承办单位|主办|承办|协办|网站|Copyright|©)\s*[:：]?)?\s*由?"
)
#: Labels that end a sponsor's name when the footer runs them together without a separator.
_NEXT_LABEL = re.compile(
    r"承办|协办|主管|技术支持|版权所有|运维|地址|电话|邮编|邮箱|备案|政府网站标识码|网站标识码"
    r"|[\u4e00-\u9fff]ICP|[\u4e00-\u9fff]公网安备",
    re.I,
)

_JIUCUO = re.compile(r"jiucuo\.js", re.I)
#: Other forms of the 找错 entry: a link to the platform's page (by name or its old address),
#: ``window.open(…jiucuo…)``, or the ``Link('site code')`` that jiucuo.js itself defines.
_JIUCUO_LINK = re.compile(r"jiucuo|exposure", re.I)
_JIUCUO_CALL = re.compile(r"\bLink\(\s*[\"']((?:bm)?\d{8,})[\"']\s*\)")
_JS_SITE_CODE = re.compile(r"\bsite_?code\s*[=:]\s*[\"']?((?:bm)?\d+)", re.I)
_WRITES_MARK = re.compile(r"conac|jiucuo", re.I)
_JS_COMMENT = re.compile(r"/\*.*?\*/|^\s*//.*$", re.S | re.M)
_RECORD_DIGITS = re.compile(r"\d{6,}")

_SITEMAP_LABELS = frozenset({"网站地图", "站点地图"})
_CONTACT_LABELS = frozenset({"联系我们", "联系方式"})
#: A contact given as text in the footer: 联系我们：0872-…, 联系电话：…, 政务信息专线：…, 邮箱：…
_CONTACT_TEXT = re.compile(
    r"(?:联系我们|联系方式|电话|专线|热线|举报|邮箱|信箱|E-?mail)\s*[:：]\s*[\w(（+]", re.I
)
#: Where a page's footer begins when no container is marked as one.
_FOOTER_START = re.compile(r"版权所有|Copyright|©|ICP\s*备|公网安备|网站标识码", re.I)
_FOOTER_REACH = 300


def read_marks(html: str) -> Marks:
    """Every identity mark found in the page."""
    root = _parse(html)
    texts = _texts(root)
    plain = tuple(unicodedata.normalize("NFKC", text) for text in texts)
    footer = texts[0] or _bottom(texts[1])
    anchors = _anchors(root)
    hrefs = [a.get("href") for a in anchors]
    elements = list(_elements(root))
    jiucuo, jiucuo_sitecode = _jiucuo(elements)
    return Marks(
        site_code_text=_first(m.group(1) for m in _matches(_SITE_CODE, plain)),
        site_code_meta=_first(
            meta.get("content")
            for meta in root.iter("meta")
            if (meta.get("name") or "").strip().lower() == "siteidcode"
        ),
        icp=_first(_ICP_FILLER.sub("", m.group()) for m in _matches(_ICP, plain)),
        icp_link=_first(href for href in hrefs if _is_miit(_split(href).hostname)),
        psb=_first(re.sub(r"\s", "", m.group(1)) for m in _matches(_PSB, plain)),
        psb_link_code=_first(
            _record_code(href) for href in hrefs if _is_psb(_split(href).hostname)
        ),
        conac=any(_is_conac(e) for e in elements),
        jiucuo_src=jiucuo,
        jiucuo_sitecode=jiucuo_sitecode,
        sitemap=_first(a.get("href") for a in anchors if _label(a) in _SITEMAP_LABELS),
        contact=_first(
            chain(
                (a.get("href") or _label(a) for a in anchors if _label(a) in _CONTACT_LABELS),
                (m.group() for m in _CONTACT_TEXT.finditer(footer)),
            )
        ),
        sponsor=_sponsor(footer, bottom_up=not texts[0]),
    )


def _sponsor(footer: str, bottom_up: bool) -> str | None:
    """The 主办单位 the footer names, before the word (X主办 Y承办) or after it (主办：X);
    never the body's 主办."""
    after = [_NEXT_LABEL.split(m.group(1), 1)[0] for m in _SPONSOR.finditer(footer)]
    before = [_NOT_SPONSOR_PREFIX.sub("", m.group(1)) for m in _SPONSOR_BEFORE.finditer(footer)]
    if bottom_up:
        after.reverse()
        before.reverse()
    return _first(chain(before, after))


def _bottom(page_text: str) -> str:
    """The footer of a page without a footer container: from just before its first notice
    (版权所有, ICP 备案, …), else its last lines."""
    found = _FOOTER_START.search(page_text)
    start = found.start() if found else len(page_text)
    return page_text[max(0, start - _FOOTER_REACH) :]


def _jiucuo(elements: list[etree._Element]) -> tuple[str | None, str | None]:
    """The 找错 entry (its script's src, or its link) and the site code it carries."""
    for element in elements:
        if element.tag == "script" and _JIUCUO.search(element.get("src") or ""):
            return element.get("src").strip(), _jiucuo_sitecode(element)
    for element in elements:
        code = " ".join(element.get(attr) or "" for attr in ("href", "onclick"))
        if call := _JIUCUO_CALL.search(code):
            return (element.get("href") or "").strip() or call.group(), call.group(1)
        if _JIUCUO_LINK.search(code) and (found := _JS_SITE_CODE.search(code)):
            return (element.get("href") or "").strip() or found.group(), found.group(1)
    return None, None


def _parse(html: str) -> etree._Element:
    """The page's whole tree; an empty one for a page with nothing in it."""
    root = parse_document(html)
    return root if root is not None else lxml_html.document_fromstring("<html></html>")


def _first(values: Iterable[str | None]) -> str | None:
    """The first value that says something, stripped (``&nbsp;`` and 全角 spaces included)."""
    return next((v.strip() for v in values if v and v.strip()), None)


def _is_footer(element: etree._Element) -> bool:
    hint = f"{element.get('id') or ''} {element.get('class') or ''}"
    return element.tag == "footer" or bool(_FOOTER_HINT.search(hint))


def _in_footer(element: etree._Element) -> bool:
    return _is_footer(element) or any(_is_footer(a) for a in element.iterancestors())


def _texts(root: etree._Element) -> tuple[str, str]:
    """(footer text, whole page text): nodes joined by spaces so adjacent labels stay apart."""
    footers = [
        e
        for e in root.iter(etree.Element)
        if _is_footer(e) and not any(_is_footer(a) for a in e.iterancestors())
    ]
    footer = " ".join(t for f in footers for t in f.xpath(_VISIBLE_TEXT))
    return footer, " ".join(root.xpath(_VISIBLE_TEXT))


def _matches(pattern: re.Pattern[str], texts: tuple[str, str]) -> Iterator[re.Match[str]]:
    """Footer matches first; then the page's from the bottom up, where a footer would be."""
    footer, page = texts
    yield from pattern.finditer(footer)
    yield from reversed(list(pattern.finditer(page)))


def _anchors(root: etree._Element) -> list[etree._Element]:
    """Links: footer links first, then the rest from the bottom of the page up. A link without
    an href counts too: scripts open 联系我们 boxes from such links."""
    links = list(root.iter("a"))
    footer = [a for a in links if _in_footer(a)]
    return footer + [a for a in reversed(links) if not _in_footer(a)]


def _label(anchor: etree._Element) -> str:
    """A link's words without spaces; its title when it is an image."""
    text = re.sub(r"\s+", "", anchor.text_content())
    return text or re.sub(r"\s+", "", anchor.get("title") or "")


def _split(url: str | None) -> SplitResult:
    try:
        return urlsplit((url or "").strip())
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return urlsplit("")


def _is_host(host: str | None, domain: str) -> bool:
    """``domain`` or a subdomain of it, also as an IPv6 gateway rewrites the name: by
    appending its own domain (beian.miit.gov.cn.ipv6.example.com) or by turning the dots into
    dashes (bszs-conac-cnxe10….ipv6best.cn)."""
    if host is None:
        return False
    dotted = rf"(?:^|\.){re.escape(domain)}(?:$|\.)"
    dashed = rf"^(?:[a-z0-9]+-)*{re.escape(domain.replace('.', '-'))}(?![a-z0-9]*-)"
    return bool(re.search(dotted, host) or re.search(dashed, host))


def _is_miit(host: str | None) -> bool:
    return _is_host(host, "beian.miit.gov.cn")


def _is_psb(host: str | None) -> bool:
    return _is_host(host, "beian.gov.cn")


def _record_code(href: str) -> str | None:
    """The recordcode= parameter, else the digits in the URL."""
    for key, value in parse_qsl(_split(href).query):
        if key.lower() == "recordcode":
            return value
    found = _RECORD_DIGITS.search(href)
    return found.group() if found else None


def _elements(root: etree._Element) -> Iterator[etree._Element]:
    """The page's elements, each inline script followed by those it writes with document.write."""
    for element in root.iter(etree.Element):
        yield element
        if element.tag == "script" and not element.get("src"):
            yield from _written(element.text or "")


def _written(code: str) -> list[etree._Element]:
    """What a script writes with document.write, the way many sites embed 党政机关 and 找错."""
    if not _WRITES_MARK.search(code):  # most inline scripts: skip them cheaply
        return []
    code = _JS_COMMENT.sub("", code)
    if "%3c" in code.lower():
        code = unquote(code)
    if not _WRITES_MARK.search(code):
        return []
    code = code.replace("\\'", "'").replace('\\"', '"').replace("\\/", "/")
    fragment = lxml_html.fragment_fromstring(code, create_parent="div")
    return list(fragment.iter(etree.Element))


def _is_conac(element: etree._Element) -> bool:
    return any(_is_host(_split(element.get(attr)).hostname, "conac.cn") for attr in ("src", "href"))


def _jiucuo_sitecode(script: etree._Element) -> str | None:
    """From the script's ?sitecode=, its sitecode attribute, or what stands beside it."""
    query = {key.lower(): value for key, value in parse_qsl(_split(script.get("src")).query)}
    return _first([query.get("sitecode"), script.get("sitecode"), _nearby_site_code(script)])


def _nearby_site_code(script: etree._Element) -> str | None:
    """A ``sitecode = "…"`` in an inline script of the same container, or the ``sitecode``
    attribute of the ``<span id="_jiucuo_">`` written next to the script."""
    siblings = list(chain(script.itersiblings(preceding=True), script.itersiblings()))
    if span := _first(s.get("sitecode") for s in siblings if s.get("id") == "_jiucuo_"):
        return span
    js = " ".join(s.text or "" for s in siblings if s.tag == "script" and not s.get("src"))
    found = _JS_SITE_CODE.search(js)
    return found.group(1) if found else None
