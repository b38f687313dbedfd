"""Parsing a page's HTML the way a browser reads it: the whole document, whatever the CMS wrote.

libxml2 stops at the first ``</html>`` and drops everything after it, but CMS templates often
close the document and then go on: the footer with the identity marks, more links, a 找错
script. Browsers keep all of it, so govscan removes the closing ``</body>`` and ``</html>``
before parsing. An XML declaration is removed too: lxml refuses one in a ``str``.

libxml2 also gives up on a page nested deeper than 256 elements (or with a text node over
10 MB) and silently drops the rest; ``parse_plain`` says so, and ``link_elements`` then reads
the page's links with a tokenizer, which has no depth to exceed.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import lxml.etree
import lxml.html

#: What separates a page's own title from the site's in a <title>: 标题_某某市人民政府,
#: 标题 | 站点, 标题 - 站点.
TITLE_SUFFIX = re.compile(r"_+|\||｜|\s[-—–]+\s")
_SPACES = re.compile(r"\s+")
#: Words in the id or class of a page's header and footer furniture (any case).
_FURNITURE_WORDS = ("foot", "bottom", "copyright", "banquan")
_UNSEEN_TAGS = frozenset({"head", "script", "style", "noscript", "header", "footer"})
_FURNITURE_CANDIDATES = lxml.etree.XPath(
    "|".join([*(f".//{tag}" for tag in sorted(_UNSEEN_TAGS)), ".//*[@id]", ".//*[@class]"])
)
_CLOSING_ROOT = re.compile(r"</\s*(?:html|body)\s*>", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
#: Plain lxml elements: the HTML element classes of ``lxml.html`` cost a lookup per node.
_PLAIN_PARSER = lxml.etree.HTMLParser(remove_comments=True, remove_pis=True)
#: The attributes ``link_elements`` keeps: those a link, an image's alt or a refresh is read from.
_LINK_ATTRIBUTES = frozenset({"href", "src", "rel", "alt", "title", "http-equiv", "content"})
#: Enough of a link's text for its anchor; an <a> never closed would otherwise take the page's.
_ANCHOR_TEXT_CHARS = 2000
#: What lxml refuses in text: controls other than tab and newlines, and lone surrogates.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def whole_document(html: str) -> str:
    """``html`` without what makes libxml2 stop early or refuse it."""
    return _CLOSING_ROOT.sub("", _XML_DECLARATION.sub("", html, count=1))


def parse_plain(html: str) -> tuple[lxml.etree._Element | None, str | None]:
    """The document as plain elements, fast, without comments (None when nothing is there),
    and libxml2's message when it gave up before the end (None when it read it all)."""
    try:
        doc = lxml.etree.fromstring(whole_document(html), _PLAIN_PARSER)
    except (lxml.etree.ParserError, ValueError):
        return None, None
    limit = lxml.etree.ErrorTypes.ERR_RESOURCE_LIMIT
    gave_up = next(
        (error.message for error in _PLAIN_PARSER.error_log if error.type == limit), None
    )
    return doc, gave_up


def link_elements(html: str, tags: frozenset[str]) -> lxml.etree._Element:
    """The elements of ``tags`` in ``html``, read by a tokenizer whatever their depth, flat
    under one root: a link's text and the images inside it stay with it."""
    tokens = _LinkTokens(tags)
    tokens.feed(html)
    tokens.close()
    return tokens.root


class _LinkTokens(HTMLParser):
    """Builds ``link_elements``' tree from the page's tags as they come."""

    def __init__(self, tags: frozenset[str]):
        super().__init__(convert_charrefs=True)
        self.tags = tags
        self.root = lxml.etree.Element("html")
        self.anchor: lxml.etree._Element | None = None  # the open <a>, whose text this is

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.anchor = None  # an <a> closes the one before, as in browsers
        if tag not in self.tags:
            return
        kept = {
            name: _NOT_XML.sub("", value or "") for name, value in attrs if name in _LINK_ATTRIBUTES
        }
        element = lxml.etree.SubElement(
            self.root if self.anchor is None else self.anchor, tag, kept
        )
        if tag == "a":
            self.anchor = element

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self.anchor = None

    def handle_data(self, data: str) -> None:
        if self.anchor is not None and len(self.anchor.text or "") < _ANCHOR_TEXT_CHARS:
            self.anchor.text = (self.anchor.text or "") + _NOT_XML.sub("", data)


def parse_document(html: str) -> lxml.html.HtmlElement | None:
    """The document as ``lxml.html`` elements (``text_content``, ``drop_tree``, …)."""
    try:
        return lxml.html.document_fromstring(whole_document(html))
    except (lxml.etree.ParserError, ValueError):
        return None


def drop_furniture(root: lxml.etree._Element) -> None:
    """Empty the elements below ``root`` that ``is_furniture`` names, keeping their tails (the
    text after them is the page's). Only elements that can be furniture are tested: the unseen
    tags and those with an id or a class, found by libxml2 rather than a Python walk."""
    for element in _FURNITURE_CANDIDATES(root):
        if is_furniture(element):
            element.clear(keep_tail=True)


def is_furniture(element: lxml.etree._Element) -> bool:
    """Whether ``element`` is unseen or the page's header or footer, by its tag, id or class:
    what never holds an article's own date or facts."""
    if not isinstance(element.tag, str):  # comment or processing instruction
        return True
    if element.tag in _UNSEEN_TAGS:
        return True
    if element.tag in ("html", "body"):  # <body class="has-footer"> is still the page
        return False
    attrs = f"{element.get('id') or ''} {element.get('class') or ''}".lower()
    return any(word in attrs for word in _FURNITURE_WORDS)


def squeezed(text: str) -> str:
    """``text`` without white space: Chinese reads the same with or without it, and CMSs put
    it anywhere (a <br> in a title, spaces in a 文号)."""
    return _SPACES.sub("", text)
