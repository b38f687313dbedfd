"""A page's layout: a short signature of the block structure its template gives it.

Pages made from one template (every article of a column, every list page) share the
signature whatever their text and however many items their lists show, so the browser
checks can test one page of each layout (see ``govscan.checks.a11y``). Computed once per
crawled page and stored with its facts: a few bytes, where the page itself is not kept.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from itertools import islice

import lxml.etree

#: Elements that make a template's structure.
BLOCKS = frozenset(
    {
        "div",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "main",
        "aside",
        "ul",
        "ol",
        "li",
        "dl",
        "table",
        "form",
        "iframe",
        "frameset",
        "frame",
    }
)
#: Elements looked through for the blocks inside them: the cells of table layouts.
WRAPPERS = frozenset({"tbody", "thead", "tfoot", "tr", "td", "th", "dd", "dt", "center"})
#: How many levels of blocks below ``<body>`` are the template's; deeper is content.
MAX_DEPTH = 6
#: Blocks of one name (the items of a list) outlined per parent; the others are alike.
SAME_BLOCKS = 3
#: A block with this many paragraphs is an article's text, whose editor markup varies.
CONTENT_PARAGRAPHS = 2
#: Numbers in class names (``list-3``, ``content_1024``) differ from page to page.
NUMBERS = re.compile(r"\d+")
#: Classes that mark the current item (the column a page belongs to), not the template.
STATE_CLASSES = frozenset({"on", "active", "cur", "current", "selected", "hover", "open"})


def layout_signature(doc: lxml.etree._Element) -> str:
    """12 hex digits that pages of the same template share."""
    body = doc.find("body")
    outline = block_outline(doc if body is None else body, MAX_DEPTH)
    return hashlib.blake2b(outline.encode(), digest_size=6).hexdigest()


def block_outline(element: lxml.etree._Element, depth: int) -> str:
    """The blocks inside ``element``, each with its own outline, repeated ones once (twenty
    list items read as one), in a fixed order.

    Only the first ``SAME_BLOCKS`` blocks of one name are outlined: the items of a list share
    their template, and outlining all twenty was most of the cost of a page's signature."""
    if depth == 0 or is_content(element):
        return ""
    outlines, seen = set(), Counter()
    for child in child_blocks(element):
        name = block_name(child)
        seen[name] += 1
        if seen[name] <= SAME_BLOCKS:
            outlines.add(f"{name}({block_outline(child, depth - 1)})")
    return ",".join(sorted(outlines))


def child_blocks(element: lxml.etree._Element) -> Iterator[lxml.etree._Element]:
    """The nearest blocks below ``element``, through table cells and other wrappers."""
    for child in element:
        if child.tag in BLOCKS:
            yield child
        elif child.tag in WRAPPERS:
            yield from child_blocks(child)


def is_content(element: lxml.etree._Element) -> bool:
    return next(islice(element.iterchildren("p"), CONTENT_PARAGRAPHS - 1, None), None) is not None


def block_name(element: lxml.etree._Element) -> str:
    """``div.box.list``: the tag and its classes, without numbers or state. Ids are left
    out: some systems give elements ids of their own on every page."""
    return _block_name(element.tag, element.get("class"))


@lru_cache(maxsize=4096)
def _block_name(tag: str, classes: str | None) -> str:
    """Cached: a template repeats a few class names on every page."""
    kept = set(NUMBERS.sub("", classes or "").split()) - STATE_CLASSES
    return ".".join([tag, *sorted(kept)])
