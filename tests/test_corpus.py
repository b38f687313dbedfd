"""Facts read from real government pages, against what a person reads on them.

Each page in ``tests/corpus/pages/`` has a YAML file beside it with its source, its licence and
the facts checked by hand (see ``tests/corpus/README.md``). The crawl's and the identity
check's parsers read each page as a scan would (bytes decoded as Scrapy decodes them), and the
share of facts read right must stay at or above ``TARGET``.

``python tests/test_corpus.py`` prints the accuracy per field and every miss.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import yaml
from scrapy.http import HtmlResponse

from govscan.checks.marks import read_marks
from govscan.crawler.pages import read_page
from govscan.dates import parse_date

PAGES = Path(__file__).parent / "corpus" / "pages"
TARGET = 0.97
#: The corpus pages were saved before this day; year-less dates resolve against it.
TODAY = date(2026, 12, 1)
DATE_FIELDS = frozenset({"pub_date", "written_date", "disclosure_date"})
OPENING = str.maketrans("［[(（【", "〔〔〔〔〔")
CLOSING = str.maketrans("］])）】", "〕〕〕〕〕")


def read_facts(path: Path) -> dict[str, object]:
    """What govscan reads from the saved page, in the corpus's terms."""
    response = HtmlResponse(f"https://{path.stem}.gov.cn/page.html", body=path.read_bytes())
    facts = read_page(response.url, response.text, "page", 2).facts
    marks = read_marks(response.text)
    table = facts.get("disclosure", {})
    return {
        "site_code": marks.site_code_text,
        "icp": marks.icp,
        "psb": marks.psb,
        "jiucuo": marks.jiucuo_src is not None,
        "jiucuo_site_code": marks.jiucuo_sitecode,
        "sponsor": marks.sponsor,
        "contact": marks.contact is not None,
        "sitemap": marks.sitemap is not None,
        "conac": marks.conac,
        "pub_date": facts.get("date_text") or facts.get("meta", {}).get("PubDate"),
        "doc_number": facts.get("doc_number"),
        **{name: table.get(name) for name in TABLE_FIELDS},
        "attribute": table.get("attribute") or facts.get("attribute"),
    }


TABLE_FIELDS = ("index_no", "publisher", "written_date", "disclosure_date", "validity", "topic")


def normal(field: str, value: object) -> object:
    """A value as compared: dates as days, text without spaces, 文号 brackets alike."""
    if not isinstance(value, str):
        return value
    if field in DATE_FIELDS:
        day = parse_date(value, TODAY)
        return day.isoformat() if day else value
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
    if field == "icp":
        text = text.replace(":", "")
    if field == "doc_number":
        text = text.translate(OPENING).translate(CLOSING)
    return text


def corpus() -> list[Path]:
    return sorted(PAGES.glob("*.yaml"))


def compare(expected_file: Path) -> list[tuple[str, object, object]]:
    """``(field, expected, read)`` for every fact the page's YAML states."""
    expected = yaml.safe_load(expected_file.read_text(encoding="utf-8"))["facts"]
    read = read_facts(expected_file.with_suffix(".html"))
    return [
        (field, normal(field, value), normal(field, read[field]))
        for field, value in expected.items()
        if field in read
    ]


def accuracy() -> tuple[Counter, Counter, list[str]]:
    """Facts right and stated, per field, and a line per miss."""
    right, stated, misses = Counter(), Counter(), []
    for expected_file in corpus():
        for field, expected, read in compare(expected_file):
            stated[field] += 1
            if expected == read:
                right[field] += 1
            else:
                misses.append(
                    f"{expected_file.stem}: {field}: expected {expected!r}, read {read!r}"
                )
    return right, stated, misses


def test_the_corpus_is_large_and_varied() -> None:
    pages = [yaml.safe_load(f.read_text(encoding="utf-8")) for f in corpus()]
    assert len(pages) >= 40
    assert len({page["cms"] for page in pages}) >= 8
    assert any(page["encoding"] == "gbk" for page in pages)
    assert any(page["kind"] == "disclosure" for page in pages)
    for page in pages:
        assert page["source"]["repo"] and page["source"]["licence"]


def test_facts_of_real_pages_are_read_right() -> None:
    right, stated, misses = accuracy()
    total = sum(right.values()) / sum(stated.values())
    assert total >= TARGET, "\n".join([f"{total:.1%} of facts right", *misses])


@pytest.mark.parametrize("expected_file", corpus(), ids=lambda path: path.stem)
def test_every_corpus_page_parses(expected_file: Path) -> None:
    """Each page at least yields its identity marks without an error."""
    assert compare(expected_file)


if __name__ == "__main__":
    right, stated, misses = accuracy()
    print(f"{len(corpus())} pages, {sum(stated.values())} facts")
    print("| field | right | stated | accuracy |\n|---|---|---|---|")
    for field in stated:
        print(
            f"| {field} | {right[field]} | {stated[field]} | {right[field] / stated[field]:.1%} |"
        )
    print(
        f"| all | {sum(right.values())} | {sum(stated.values())} | "
        f"{sum(right.values()) / sum(stated.values()):.1%} |"
    )
    print("\n".join(misses))
