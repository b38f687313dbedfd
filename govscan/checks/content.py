"""content: 严重表述错误 and 错别字 in the visible text of every page.

国办秘函〔2019〕19号 vetoes a site with 严重表述错误 (a leader's name or title written wrong, a
formulation of the Party's documents mangled, an improper expression) and deducts points for
ordinary 错别字. govscan reads every crawled page's visible text, header and footer included
(a footer's 主办单位 can still name a body abolished in 2018), against two dictionaries: those
shipped in ``govscan/checks/dictionaries`` and the inventory's ``settings.dictionaries``.

Written here rather than with a spelling library because the field's errors are not a
language model's: they are fixed forms, and what matters is never to call a correct text
wrong. A wrong form inside a correct word (全部份额 holds 部份) does not count, nor does a
renamed body on a page published before the rename, written as the former body (原…), or in
a sentence that dates it to before the rename (2017年…环境保护局…). A renamed body on a page
with no date is a warning for a person to confirm, not a veto.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from pydantic import BaseModel, ConfigDict

from govscan.checks.dictionary import Dictionary, Hit, shipped
from govscan.checks.family import Deduction, Family, Figure, Rule
from govscan.checks.finding import Finding
from govscan.store.inventory import Dictionaries
from govscan.store.view import Page, RunView

SERIOUS = Rule("content.serious_error", "严重表述错误", "veto", group="serious_errors")
TYPO = Rule("content.typo", "错别字", "deduction", Deduction(points=1, cap=5), "typos")
TEXT_CUT = Rule("content.text_cut", "页面文字过长，仅检查了开头部分", "info")

#: How far back a 原 or a year may stand to make a renamed body history.
HISTORY_REACH = 40
#: Where a sentence or a name begins: what a 原 before a body's name may follow.
SENTENCE_END = re.compile(r"[。！？；\n]")
NAME_START = re.compile(r"[\s，。、；：！？（）()“”\"'《》【】\[\]]")
FORMER = ("原", "前")
YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


class ContentSettings(BaseModel):
    """The inventory's ``settings.dictionaries``: entries added to the shipped ones."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dictionaries: Dictionaries = Dictionaries()


def judge(view: RunView, settings: ContentSettings) -> list[Finding]:
    """Each wrong form on each page, once per page with how often it stands there."""
    serious = Dictionary([*shipped("serious"), *settings.dictionaries.serious])
    typos = Dictionary([*shipped("typo"), *settings.dictionaries.typo])
    pages = {page.url: page for page in view.pages}
    findings = []
    for url, text in view.texts():
        page = pages.get(url)
        if page is None or page.role == "notfound_probe":
            continue
        published = page.published(view.run.day)
        findings += serious_errors(page, published, serious.hits(text), text)
        findings += page_findings(TYPO, page, list(typos.hits(text)))
    cut = sorted(page.url for page in view.pages if page.facts.text_cut)
    if cut:
        findings.append(text_cut(cut, pages))
    return findings


def serious_errors(
    page: Page, published: date | None, hits: Iterator[Hit], text: str
) -> list[Finding]:
    """The serious errors of a page: renamed bodies only where they are written as current."""
    current = [hit for hit in hits if not is_history(hit, published, text)]
    undated = [hit for hit in current if hit.entry.since is not None and published is None]
    dated = [hit for hit in current if hit not in undated]
    return page_findings(SERIOUS, page, dated) + page_findings(
        SERIOUS, page, undated, severity="warning"
    )


def is_history(hit: Hit, published: date | None, text: str) -> bool:
    """Whether a renamed body's name is correct where it stands: on a page published before
    the rename, written as the former body, or in a sentence dated before it."""
    since = hit.entry.since
    if since is None:
        return False
    if published is not None and published < since:
        return True
    before = text[max(0, hit.start - HISTORY_REACH) : hit.start]
    sentence = SENTENCE_END.split(before)[-1]
    name = NAME_START.split(sentence)[-1]
    if name.startswith(FORMER) or sentence.endswith(FORMER):
        return True
    return any(int(year) < since.year for year in YEAR.findall(sentence))


def page_findings(
    rule: Rule, page: Page, hits: list[Hit], severity: str | None = None
) -> list[Finding]:
    """One finding per wrong form on the page, with its first context and its count."""
    by_form: dict[str, list[Hit]] = {}
    for hit in hits:
        by_form.setdefault(hit.entry.wrong, []).append(hit)
    return [finding(rule, page, found, severity) for found in by_form.values()]


def finding(rule: Rule, page: Page, hits: list[Hit], severity: str | None) -> Finding:
    entry, first = hits[0].entry, hits[0]
    times = f"（共 {len(hits)} 处）" if len(hits) > 1 else ""
    message = f"“{entry.wrong}”应为“{entry.right}”{times}：…{first.context}…"
    if severity == "warning":
        message += "；页面未标明发布日期，请人工确认是否为机构改革前的内容"
    detail = {
        "wrong": entry.wrong,
        "right": entry.right,
        "kind": entry.kind,
        "context": first.context,
        "count": len(hits),
        "title": page.title,
    }
    if entry.since is not None:
        detail["since"] = entry.since.isoformat()
    return rule.finding(page.url, message, detail=detail, severity=severity)


def text_cut(urls: list[str], pages: dict[str, Page]) -> Finding:
    lengths = {url: pages[url].facts.text_cut for url in urls}
    return TEXT_CUT.finding(
        urls[0],
        f"{len(urls)} 个页面文字过长，只检查了每页开头的部分",
        detail={"pages": [{"url": url, "chars": chars} for url, chars in lengths.items()]},
    )


FAMILY = Family(
    name="content",
    rules=(SERIOUS, TYPO, TEXT_CUT),
    judge=judge,
    settings=ContentSettings,
    figures=(Figure("serious_errors", "严重表述错误"), Figure("typos", "错别字")),
)
