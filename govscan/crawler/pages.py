"""Reading one HTML page: its title, text, links and the facts the checks need.

The crawl keeps these facts instead of every page's HTML (a 20,000-page site must not
become gigabytes); only the homepage and the pages it links to (its columns) keep their source.
Nothing here judges a page: the checks do that with what is stored.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from datetime import date
from functools import cache
from importlib import import_module
from pathlib import Path

import lxml.etree

from govscan.crawler.article import read_article, text_chunks
from govscan.crawler.layout import layout_signature
from govscan.dates import parse_date
from govscan.markup import drop_furniture, link_elements, parse_plain
from govscan.store.records import LinkRecord, PageRecord, PageSource
from govscan.urls import canonical_url, invalid_href

#: Where each element keeps its link.
LINK_ATTRIBUTE = {
    "a": "href",
    "area": "href",
    "link": "href",
    "img": "src",
    "script": "src",
    "iframe": "src",
    "frame": "src",
}
LINK_TAGS = frozenset({*LINK_ATTRIBUTE, "meta"})  # and <meta http-equiv="refresh">
#: ``<link rel>`` values that name an origin to warm up, not a resource.
HINT_RELS = frozenset({"dns-prefetch", "preconnect"})
REFRESH_URL = re.compile(r"url\s*=\s*(.+)$", re.IGNORECASE)
EXCERPT_CHARS = 300
#: The visible text kept of a page, at most: a page of a million characters is a data dump.
MAX_TEXT_CHARS = 200_000
ANCHOR_CHARS = 200

#: The meta tags of the guideline's 网页设计规范 (国办发〔2017〕47号), by lower-case name.
GUIDELINE_META = {
    name.lower(): name
    for name in (
        "SiteName",
        "SiteDomain",
        "SiteIDCode",
        "ColumnName",
        "ColumnType",
        "ArticleTitle",
        "PubDate",
        "ContentSource",
    )
}
#: The four 公开属性 a policy document must carry.
DISCLOSURE_ATTRIBUTE = re.compile(r"此件(?:公开发布|删减后公开|依申请公开|不公开)")
#: Downloadable versions of a document (PDF, OFD, WPS, Word).
DOCUMENT_ENDINGS = (".pdf", ".ofd", ".wps", ".doc", ".docx")
#: The code that turns a page into what is stored of it (``reader_version``).
READER_MODULES = (
    "govscan.crawler.pages",
    "govscan.crawler.article",
    "govscan.crawler.layout",
    "govscan.markup",
    "govscan.dates",
    "govscan.urls",
)


@cache
def reader_version() -> str:
    """A digest of the code that reads a page, and of lxml's version: an unchanged page that
    an earlier run read with other code is downloaded and read again, never reused."""
    digest = hashlib.sha256(".".join(map(str, lxml.etree.LXML_VERSION)).encode())
    for name in READER_MODULES:
        digest.update(Path(import_module(name).__file__).read_bytes())
    return digest.hexdigest()[:16]


def read_page(url: str, html: str, role: str, depth: int, keep: bool = False) -> PageRecord:
    """Reduce an HTML page to what the checks read; ``keep`` also stores its source."""
    return read_content(PageSource(url, role, depth, html, read_links(url, html), keep))


def read_links(url: str, html: str) -> list[LinkRecord]:
    """Every link of the page: what the crawl needs at once, to follow them."""
    doc, gave_up = parse_plain(html)
    if doc is None:  # nothing an HTML parser can read
        return []
    # libxml2 dropped what followed where it gave up; a tokenizer still finds every link
    linking = doc if gave_up is None else link_elements(html, LINK_TAGS)
    return extract_links(linking, base_url(doc, url))


def read_content(source: PageSource) -> PageRecord:
    """The page's title, text and facts, with its links as read by ``read_links``.

    The crawl reads a page's links itself and leaves this, which costs as much again, to the
    process that stores its results (``govscan.crawler.storing``), on another core; of the
    links, that process is given only the downloads the facts name."""
    url, role, depth, html = source.url, source.role, source.depth, source.html
    doc, gave_up = parse_plain(html)
    if doc is None:
        return PageRecord(url, role, depth, "", "", 0, source.links)
    meta = guideline_meta(doc)
    lxml.etree.strip_elements(doc, "script", "style", "noscript", with_tail=False)
    title = " ".join((doc.findtext(".//title") or "").split())[:500]
    layout = layout_signature(doc)
    heading = article_title(doc, meta, title)
    body = doc.find("body")
    visible = visible_text(body if body is not None else doc)
    drop_furniture(body if body is not None else doc)
    chunks = text_chunks(body if body is not None else doc)
    text = " ".join(chunks)
    facts = page_facts(meta, chunks, heading, source.links)
    facts["layout"] = layout
    if len(visible) > MAX_TEXT_CHARS:
        facts["text_cut"] = len(visible)  # the checks read the first MAX_TEXT_CHARS
    if gave_up is not None:
        facts["malformed"] = gave_up
    return PageRecord(
        url,
        role,
        depth,
        title,
        text[:EXCERPT_CHARS],
        len(text),
        source.links,
        facts=facts,
        html=zlib.compress(html.encode("utf-8")) if source.keep else None,
        text=zlib.compress(visible[:MAX_TEXT_CHARS].encode("utf-8")),
    )


def visible_text(element: lxml.etree._Element) -> str:
    """Every word a visitor reads on the page, its header and footer included (a 主办单位 in
    the footer can name a body renamed years ago), collapsed."""
    text = lxml.etree.tostring(element, method="text", encoding=str, with_tail=False)
    return " ".join(text.split())


def is_download(link: LinkRecord) -> bool:
    """A downloadable version of a document (PDF, OFD, WPS, Word)."""
    return link.target.lower().endswith(DOCUMENT_ENDINGS)


def base_url(doc: lxml.etree._Element, url: str) -> str:
    """What the page's relative links are relative to: its ``<base href>``, unless browsers
    would ignore it as invalid, else its own URL."""
    element = doc.find(".//base[@href]")
    found = canonical_url(element.get("href"), url) if element is not None else url
    return url if invalid_href(found) else found


def guideline_meta(doc: lxml.etree._Element) -> dict[str, str]:
    """The guideline's meta tags present on the page, by their standard names."""
    found = {}
    for element in doc.iter("meta"):
        name = GUIDELINE_META.get((element.get("name") or "").lower())
        if name and element.get("content"):
            found[name] = element.get("content").strip()
    return found


def article_title(doc: lxml.etree._Element, meta: dict[str, str], title: str) -> str:
    """The article's own title: its ArticleTitle tag, else its heading, else the <title>."""
    if meta.get("ArticleTitle"):
        return meta["ArticleTitle"]
    heading = doc.find(".//h1")
    if heading is not None and (text := " ".join("".join(heading.itertext()).split())):
        return text
    return title


def page_facts(
    meta: dict[str, str], chunks: list[str], title: str, links: list[LinkRecord]
) -> dict:
    """What the date, identity and disclosure checks need from a page they do not keep."""
    facts: dict = {"meta": meta} if meta else {}
    downloads = [link.target for link in links if is_download(link)]
    if downloads:
        facts["downloads"] = downloads[:5]
    article = read_article(chunks, title)
    if disclosure := article.table.as_dict():
        facts["disclosure"] = disclosure
    if date_text := article.date_text:
        facts["date_text"] = date_text
        if differs(date_text, meta.get("PubDate")):
            facts["date_conflict"] = meta["PubDate"]  # the visible date wins; keep the other
    text = " ".join(chunks)
    if attribute := DISCLOSURE_ATTRIBUTE.search(text):
        facts["attribute"] = attribute.group(0)
    elif article.table.attribute:
        facts["attribute"] = article.table.attribute
    if article.doc_number:
        facts["doc_number"] = article.doc_number
    if "规范性文件" in text:
        facts["normative"] = True
    return facts


def differs(visible: str, tagged: str | None) -> bool:
    """Whether the PubDate tag names another day than the page shows."""
    if not tagged:
        return False
    today = date.today()
    return parse_date(tagged, today) not in (None, parse_date(visible, today))


def extract_links(doc: lxml.etree._Element, base_url: str) -> list[LinkRecord]:
    """Every link of the page, once per target and element, with how often it occurs."""
    found: dict[tuple[str, str], LinkRecord] = {}
    for element in doc.iter(*LINK_TAGS):
        tag = element.tag
        href = refresh_target(element) if tag == "meta" else element.get(LINK_ATTRIBUTE[tag])
        if not href or href.isspace():
            continue
        if tag == "link" and HINT_RELS & set((element.get("rel") or "").lower().split()):
            continue
        target = canonical_url(href, base_url)
        link = found.get((target, tag))
        if link is None:
            found[target, tag] = LinkRecord(target, tag, anchor_text(element))
        else:
            link.count += 1
    return list(found.values())


def refresh_target(meta: lxml.etree._Element) -> str | None:
    """Where ``<meta http-equiv="refresh" content="0; url=…">`` sends the reader.

    Many portals' front page is nothing but such a redirect to the real homepage.
    """
    if (meta.get("http-equiv") or "").lower() != "refresh":
        return None
    match = REFRESH_URL.search(meta.get("content") or "")
    return match.group(1).strip("'\" ") if match else None


def anchor_text(element: lxml.etree._Element) -> str:
    """What a reader sees of the link: its text, else an image's alt, else its title."""
    if element.tag in ("a", "area"):
        # most anchors are plain text: join the text of nested elements only when there are some
        text = " ".join(
            (element.text or "" if len(element) == 0 else "".join(element.itertext())).split()
        )
        if not text:
            image = element.find(".//img[@alt]")
            text = image.get("alt", "") if image is not None else ""
        text = text or element.get("title", "") or element.get("alt", "")
    else:
        text = element.get("alt", "") or element.get("title", "")
    return " ".join(text.split())[:ANCHOR_CHARS]
