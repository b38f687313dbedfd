"""``a11y.<axe-rule-id>``: axe-core's WCAG 2.0/2.1 A and AA violations in a real browser.

GB/T 37668-2019 follows WCAG, so axe's rules are the national standard's checkpoints. One
finding per rule and site lists the pages affected, with an element and its HTML on each.
Which pages the browser opens is decided here too: the homepage, the pages of its main
navigation, a page of each layout the crawl found, each column's page and a sample of
articles, the same pages on every run so that scores compare across runs.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict
from urllib.parse import urlsplit

import lxml.etree
import lxml.html

from govscan.checks.columns import is_navigation, links_in, site_columns
from govscan.checks.context import homepage, kept_homepage
from govscan.checks.family import (
    EVIDENCE_ROLE,
    BrowserPage,
    Deduction,
    Family,
    Figure,
    Needs,
    NoSettings,
    Rule,
)
from govscan.checks.finding import Finding
from govscan.checks.links import says_not_found
from govscan.markup import parse_document
from govscan.store.view import AxeResult, AxeViolation, Page, RenderedPage, RunView
from govscan.urls import canonical_url

IMPACTS = ("critical", "serious", "moderate", "minor")
IMPACT_NAMES = {"critical": "严重", "serious": "较重", "moderate": "中等", "minor": "轻微"}
SEVERITY_OF_IMPACT = {
    "critical": "deduction",
    "serious": "deduction",
    "moderate": "warning",
    "minor": "warning",
}
#: One rule per axe-core rule: ``a11y.image-alt``, titled by axe-core's own Chinese name.
AXE_RULE = Rule("a11y.*", "无障碍", "deduction", Deduction(points=1, cap=8), "a11y")


def pages_to_render(view: RunView) -> list[BrowserPage]:
    """The pages the browser opens, as many as the homepage, its columns and ``sample_pages``
    articles: first the homepage and the pages its main navigation links to, then one page of
    each layout they do not show (the commonest layouts first; a column when one has it), then
    the other columns, then articles (see ``article_sample``), in an order that makes every run
    test the same pages."""
    if (kept := kept_homepage(view)) is None:
        return []
    home, html = kept
    doc = parse_document(html)
    if doc is None:
        return []
    columns = site_columns(view.run.columns, home, links_in(doc, home.url), view.sources)
    column_urls = [column.url for column in columns if column.url]
    budget = len({home.url, *column_urls}) + view.run.sample_pages
    readable = readable_pages(view)
    chosen = {home.url: "home"}
    for url in main_navigation(doc, home.url):
        if url in readable:
            chosen.setdefault(url, "nav")
    for cluster in layout_clusters(readable):
        if not any(page.url in chosen for page in cluster):
            url, role = representative(cluster, column_urls)
            chosen[url] = role
    for url in column_urls:
        chosen.setdefault(url, "column")
    candidates = [page for url, page in readable.items() if url not in chosen]
    featured = picture_links(doc, home.url)
    for page in article_sample(candidates, max(0, budget - len(chosen)), featured):
        chosen[page.url] = "article"
    return [
        BrowserPage(url, role, layout_of(readable.get(url)))
        for url, role in list(chosen.items())[:budget]
    ]


def readable_pages(view: RunView) -> dict[str, Page]:
    """The site's pages as visitors read them, by URL: the homepage and the pages below it,
    without not-found pages or the front pages that only redirect to the homepage."""
    home = homepage(view.pages)
    pages = (page for page in view.pages if page.role == "page" or page is home)
    return {page.url: page for page in pages if not says_not_found(page)}


def representative(cluster: list[Page], column_urls: list[str]) -> tuple[str, str]:
    """The page that stands for a layout: a column's page when it has one (so that the column,
    tested anyway, is not tested twice), else the first in hash order."""
    column = next((page.url for page in cluster if page.url in column_urls), None)
    return (column, "column") if column else (cluster[0].url, "layout")


def layout_of(page: Page | None) -> str | None:
    return page.facts.layout if page is not None else None


def main_navigation(doc: lxml.html.HtmlElement, base_url: str) -> list[str]:
    """The links of the homepage's main navigation, in page order: of the containers marked
    as navigation (``<nav>``, ``role="navigation"``, a nav or menu class or id) whose text is
    mostly link text, the one with the most links."""
    bars = [
        element
        for element in doc.iter(lxml.etree.Element)
        if is_navigation(element) and mostly_links(element)
    ]
    bar = max(bars, key=lambda element: sum(1 for _ in element.iter("a")), default=None)
    if bar is None:
        return []
    return list(dict.fromkeys(url for _, url in links_in(bar, base_url)))


def mostly_links(element: lxml.html.HtmlElement) -> bool:
    """Made mostly of links: a navigation bar, not a page wrapper named so."""
    link_text = sum(len(link.text_content().strip()) for link in element.iter("a"))
    return 2 * link_text >= len(element.text_content().strip())


def layout_count(view: RunView) -> int:
    """How many layouts the crawl found among the site's readable pages."""
    return len(layout_clusters(readable_pages(view)))


def layout_clusters(pages: dict[str, Page]) -> list[list[Page]]:
    """The pages grouped by their layout, each group in hash order, the largest first."""
    groups: dict[str, list[Page]] = defaultdict(list)
    for page in sorted(pages.values(), key=address_hash):
        if layout := layout_of(page):
            groups[layout].append(page)
    return sorted(groups.values(), key=lambda group: (-len(group), address_hash(group[0])))


def picture_links(doc: lxml.html.HtmlElement, base_url: str) -> set[str]:
    """What the homepage links to through a picture: its headline stories (焦点图, 图片新闻)."""
    pictures = (link for link in doc.iter("a") if link.find(".//img") is not None)
    return {canonical_url(link.get("href", "").strip(), base_url) for link in pictures}


def article_sample(pages: list[Page], size: int, featured: set[str]) -> list[Page]:
    """The stories the homepage features with a picture first (their photos are where
    alternative text goes missing, and most visitors open them), then pages that state a
    publication date (articles), then the rest, each group in hash order."""

    def order(page: Page) -> tuple[bool, bool, int]:
        dated = "PubDate" in page.facts.meta or page.facts.date_text is not None
        return page.url not in featured, not dated, address_hash(page)

    return sorted(pages, key=order)[:size]


def address_hash(page: Page) -> int:
    """A rank that is the same on every run: a hash of the page's host, path and query (not
    the port: the same pages however the site is served)."""
    address = urlsplit(page.url)
    return zlib.crc32(f"{address.hostname}{address.path}?{address.query}".encode())


def judge(view: RunView, settings: NoSettings) -> list[Finding]:
    """One finding per axe rule that some tested page violates."""
    hits: dict[str, list[tuple[str, AxeViolation]]] = defaultdict(list)
    for page in tested(view.rendered):
        for violation in page.axe.violations:
            hits[violation.id].append((page.url, violation))
    return [rule_finding(rule, pages) for rule, pages in sorted(hits.items())]


def sampled(rendered: Iterable[RenderedPage]) -> list[RenderedPage]:
    """The pages opened as the accessibility sample, not those another family opened only
    as evidence (security's suspect pages)."""
    return [page for page in rendered if page.role != EVIDENCE_ROLE]


def tested(rendered: Iterable[RenderedPage]) -> list[RenderedPage]:
    return [page for page in sampled(rendered) if not page.error]


def rule_finding(rule: str, pages: list[tuple[str, AxeViolation]]) -> Finding:
    first = pages[0][1]
    impact = min((v.impact or "minor" for _, v in pages), key=IMPACTS.index)
    criteria = success_criteria(first.wcag)
    nodes = sum(violation.nodes for _, violation in pages)
    return AXE_RULE.finding(
        pages[0][0],
        f"{first.help}（WCAG {'、'.join(criteria) or '—'}，影响{IMPACT_NAMES[impact]}）："
        f"{len(pages)} 个页面共 {nodes} 处",
        suffix=rule,
        severity=SEVERITY_OF_IMPACT[impact],
        detail={
            "axe_rule": rule,
            "title": first.help,
            "description": first.description,
            "impact": impact,
            "wcag": criteria,
            "page_count": len(pages),
            "nodes": nodes,
            "affected": [
                {"url": url, "nodes": violation.nodes, **asdict(violation.examples[0])}
                for url, violation in pages
            ],
        },
    )


def success_criteria(tags: Iterable[str]) -> list[str]:
    """axe's ``wcag1410`` tags as WCAG success criteria: ``1.4.10``."""
    return [f"{tag[4]}.{tag[5]}.{tag[6:]}" for tag in tags]


def summary(rendered: list[RenderedPage], layouts_found: int) -> dict:
    """``metrics.a11y``: what was tested, how many of the site's layouts, and a score that
    compares across runs of the same pages: the mean over pages of the share of applicable axe
    rules the page passes."""
    pages = tested(rendered)
    untested = [{"url": p.url, "error": p.error} for p in sampled(rendered) if p.error]
    if untested and not pages:
        return {"not_run": f"浏览器未能检测任何页面：{untested[0]['error']}", "untested": untested}
    violations = {impact: 0 for impact in IMPACTS}
    nodes = {impact: 0 for impact in IMPACTS}
    for page in pages:
        for violation in page.axe.violations:
            violations[violation.impact or "minor"] += 1
            nodes[violation.impact or "minor"] += violation.nodes
    return {
        "pages_tested": len(pages),
        "pages_failing": sum(1 for page in pages if page.axe.violations),
        "layouts_found": layouts_found,
        "layouts_tested": len({page.layout for page in pages if page.layout}),
        "violations": violations,  # (page, rule) pairs by impact
        "nodes": nodes,
        "score": round(sum(page_score(page.axe) for page in pages) / len(pages), 1)
        if pages
        else None,
        "untested": untested,
        "axe_version": pages[0].axe.version if pages else None,
    }


def page_score(axe: AxeResult) -> float:
    failed = {violation.id for violation in axe.violations}
    passed = set(axe.passes) - failed
    return 100.0 * len(passed) / (len(passed) + len(failed)) if passed or failed else 100.0


FAMILY = Family(
    name="a11y",
    rules=(AXE_RULE,),
    judge=judge,
    needs=Needs(browser=pages_to_render),
    figures=(Figure("a11y", "无障碍"),),
)
