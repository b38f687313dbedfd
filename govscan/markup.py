"""Parsing a page's HTML the way a browser reads it: the whole document, whatever the CMS wrote.

libxml2 stops at the first ``</html>`` and drops everything after it, but CMS templates often
close the document and then go on: the footer with the identity marks, more links, a 找错
script. Browsers keep all of it, so govscan removes the closing ``</body>`` and ``</html>``
before parsing. An XML declaration is removed too: lxml refuses one in a ``str``.
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

#: id or class of a page's header and footer furniture.
_FURNITURE_ATTR = re.compile(r"foot|bottom|copyright|banquan", re.IGNORECASE)
_UNSEEN_TAGS = frozenset({"head", "script", "style", "noscript", "header", "footer"})
_CLOSING_ROOT = re.compile(r"</\s*(?:html|body)\s*>", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
#: Plain lxml elements: the HTML element classes of ``lxml.html`` cost a lookup per node.
_PLAIN_PARSER = lxml.etree.HTMLParser(remove_comments=True, remove_pis=True)


def whole_document(html: str) -> str:
    """``html`` without what makes libxml2 stop early or refuse it."""
    return _CLOSING_ROOT.sub("", _XML_DECLARATION.sub("", html, count=1))


def parse_plain(html: str) -> lxml.etree._Element | None:
    """The document as plain elements, fast, without comments; None when nothing is there."""
    try:
        return lxml.etree.fromstring(whole_document(html), _PLAIN_PARSER)
    except (lxml.etree.ParserError, ValueError):
        return None


def parse_document(html: str) -> lxml.html.HtmlElement | None:
    """The document as ``lxml.html`` elements (``text_content``, ``drop_tree``, …)."""
    try:
        return lxml.html.document_fromstring(whole_document(html))
    except (lxml.etree.ParserError, ValueError):
        return None


def is_furniture(element: lxml.etree._Element) -> bool:
    """Whether ``element`` is unseen or the page's header or footer, by its tag, id or class:
    what never holds an article's own date or facts."""
    if not isinstance(element.tag, str):  # comment or processing instruction
        return True
    if element.tag in _UNSEEN_TAGS:
        return True
    attrs = f"{element.get('id') or ''} {element.get('class') or ''}"
    # <body class="has-footer"> is still the page
    return element.tag not in ("html", "body") and bool(_FURNITURE_ATTR.search(attrs))
