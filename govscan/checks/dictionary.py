"""The dictionaries of wrong forms (严重表述错误, 错别字) and the matcher that finds them,
shared by the families that read text: pages (``content``) and new-media posts
(``newmedia``). The matching is govscan's own: a wrong form inside a correct word (全部份额
holds 部份) must never count, which a plain substring search would get wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from govscan.store.inventory import DictionaryEntry, load_dictionary

SHIPPED = Path(__file__).parent / "dictionaries"
#: Characters of text shown on each side of a wrong form.
CONTEXT_CHARS = 20


@dataclass(frozen=True)
class Hit:
    """A wrong form at ``start`` in a page's text."""

    entry: DictionaryEntry
    start: int
    context: str


class Dictionary:
    """Every wrong form of a dictionary, found in one pass over a text."""

    def __init__(self, entries: list[DictionaryEntry]):
        self.entries = {entry.wrong: entry for entry in entries}  # the last entry wins
        wrong = sorted(self.entries, key=len, reverse=True)  # the longest form first
        self.pattern = re.compile("|".join(map(re.escape, wrong))) if wrong else None
        correct = {entry.right for entry in entries} | {a for e in entries for a in e.allow}
        #: correct words that contain a wrong form: a match inside one of them is no error
        self.guards = tuple(word for word in correct if any(w in word for w in self.entries))

    def hits(self, text: str) -> Iterator[Hit]:
        if self.pattern is None:
            return
        guarded = [span for word in self.guards for span in occurrences(word, text)]
        for match in self.pattern.finditer(text):
            start, end = match.span()
            if any(first <= start and end <= last for first, last in guarded):
                continue
            context = text[max(0, start - CONTEXT_CHARS) : end + CONTEXT_CHARS]
            yield Hit(self.entries[match.group(0)], start, context)


def occurrences(word: str, text: str) -> Iterator[tuple[int, int]]:
    """Every span of ``word`` in ``text``, overlapping ones included."""
    start = text.find(word)
    while start >= 0:
        yield start, start + len(word)
        start = text.find(word, start + 1)


@cache
def shipped(name: str) -> tuple[DictionaryEntry, ...]:
    return tuple(load_dictionary(SHIPPED / f"{name}.yaml"))
