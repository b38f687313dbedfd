"""The indicator families on real government pages (``tests/corpus/indicators/``), against
what a person reads on them (each page's YAML, see its ``SOURCES.md``).

The pages come from a province's 集约化 platform whose ``<title>`` is 栏目名_站点名 on every
article: what a page is (a guide, a 征集) must be read from its own title, never the column's.
"""

from __future__ import annotations

import zlib
from datetime import date
from pathlib import Path

import pytest
import yaml
from scrapy.http import HtmlResponse

from govscan.checks.interaction import closed_survey, closing_day
from govscan.checks.services import is_guide
from govscan.crawler.pages import read_page
from govscan.store.snapshot import page_of
from govscan.store.view import Page

PAGES = Path(__file__).parent / "corpus" / "indicators"
TODAY = date(2026, 12, 1)


def load(stem: str) -> tuple[Page, str, dict]:
    """The page as a scan reads it, its visible text, and its hand-read facts."""
    path = PAGES / f"{stem}.html"
    response = HtmlResponse(f"https://www.pingtan.gov.cn/{stem}.htm", body=path.read_bytes())
    record = read_page(response.url, response.text, "page", 2)
    facts = yaml.safe_load((PAGES / f"{stem}.yaml").read_text(encoding="utf-8"))["facts"]
    return page_of(record, None), zlib.decompress(record.text).decode(), facts


def survey_stems() -> list[str]:
    return sorted(path.stem for path in PAGES.glob("survey-*.html"))


def test_every_page_has_its_source_and_facts():
    for path in PAGES.glob("*.html"):
        described = yaml.safe_load(path.with_suffix(".yaml").read_text(encoding="utf-8"))
        assert {"repo", "path", "licence"} <= set(described["source"]), path.name
        assert described["facts"], path.name


@pytest.mark.parametrize("stem", survey_stems())
def test_a_survey_is_known_by_its_own_title_and_closes_when_a_person_reads_it_closes(stem):
    page, text, facts = load(stem)
    assert page.title.startswith("公示公告_")  # the column's name, not the page's
    assert page.headline == facts["title"]
    closes = facts["closes"]
    assert closing_day(text, TODAY, page.published(TODAY)) == closes
    # closed long ago with no result on the page: reported; with no closing day: not judged
    assert closed_survey(page, text, TODAY, result_days=30) == closes


def test_a_survey_is_not_due_its_result_before_the_grace_ends():
    page, text, facts = load("survey-pingtan-waimai")
    assert closed_survey(page, text, facts["closes"], result_days=30) is None


def test_an_enforcement_procedure_filed_under_办事指南_is_no_incomplete_application_guide():
    """Its column is 办事指南 and its ``<title>`` says so, but it is a 行政强制 procedure that
    states 职权依据 and a 流程: demanding 收费标准 and 办理地点 of it would be a false finding."""
    page, text, facts = load("guide-pingtan-dangan")
    assert page.title.startswith("办事指南_")
    assert not facts["elements"]["办理材料"] and not facts["elements"]["收费标准"]
    assert not is_guide(page, text)
