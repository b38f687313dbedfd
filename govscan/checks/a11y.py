"""``a11y.<axe-rule-id>``: axe-core's WCAG 2.0/2.1 A and AA violations in a real browser.

GB/T 37668-2019 follows WCAG, so axe's rules are the national standard's checkpoints. One
finding per rule and site lists the pages affected, with an element and its HTML on each.
Which pages the browser opens is decided here too: the homepage, each column's page and a
sample of articles, the same pages on every run so that scores compare across runs.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from urllib.parse import urlsplit

from govscan.checks.columns import anchors, site_columns
from govscan.checks.context import kept_homepage
from govscan.checks.finding import Finding
from govscan.checks.links import says_not_found
from govscan.store.models import Site
from govscan.store.records import PageRecord
from govscan.store.runs import RunData

IMPACTS = ("critical", "serious", "moderate", "minor")
IMPACT_NAMES = {"critical": "严重", "serious": "较重", "moderate": "中等", "minor": "轻微"}
SEVERITY_OF_IMPACT = {
    "critical": "deduction",
    "serious": "deduction",
    "moderate": "warning",
    "minor": "warning",
}


def pages_to_render(data: RunData) -> list[tuple[str, str]]:
    """``(url, role)`` of the pages the browser opens: the homepage, each column's page, then
    up to ``sample_pages`` articles chosen by a hash of their URL."""
    if (kept := kept_homepage(data)) is None:
        return []
    home, html = kept
    declared = data.options.get("columns", [])
    columns = site_columns(declared, home, anchors(html, home.url), data.sources())
    chosen = {home.url: "home"}
    for column in columns:
        if column.url:
            chosen.setdefault(column.url, "column")
    candidates = [p for p in data.pages() if p.role == "page" and p.url not in chosen]
    for page in article_sample(candidates, data.options.get("sample_pages", 20)):
        chosen[page.url] = "article"
    return list(chosen.items())


def article_sample(pages: list[PageRecord], size: int) -> list[PageRecord]:
    """Pages that state a publication date (articles) first, each group in hash order."""
    readable = [page for page in pages if not says_not_found(page)]

    def order(page: PageRecord) -> tuple[bool, int]:
        dated = "PubDate" in page.facts.get("meta", {}) or "date_text" in page.facts
        address = urlsplit(page.url)  # not the port: the same pages however the site is served
        return not dated, zlib.crc32(f"{address.hostname}{address.path}?{address.query}".encode())

    return sorted(readable, key=order)[:size]


def check(site: Site, data: RunData) -> list[Finding]:
    """One finding per axe rule that some tested page violates."""
    hits: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for page in tested(data.rendered()):
        for violation in page["axe"]["violations"]:
            hits[violation["id"]].append((page["url"], violation))
    return [rule_finding(rule, pages) for rule, pages in sorted(hits.items())]


def tested(rendered: list[dict]) -> list[dict]:
    return [page for page in rendered if not page.get("error")]


def rule_finding(rule: str, pages: list[tuple[str, dict]]) -> Finding:
    first = pages[0][1]
    impact = min((v["impact"] or "minor" for _, v in pages), key=IMPACTS.index)
    criteria = success_criteria(first["wcag"])
    nodes = sum(violation["nodes"] for _, violation in pages)
    return Finding(
        rule=f"a11y.{rule}",
        severity=SEVERITY_OF_IMPACT[impact],
        url=pages[0][0],
        source=None,
        message=(
            f"{first['help']}（WCAG {'、'.join(criteria) or '—'}，影响{IMPACT_NAMES[impact]}）："
            f"{len(pages)} 个页面共 {nodes} 处"
        ),
        detail={
            "axe_rule": rule,
            "title": first["help"],
            "description": first["description"],
            "impact": impact,
            "wcag": criteria,
            "page_count": len(pages),
            "nodes": nodes,
            "affected": [
                {"url": url, "nodes": violation["nodes"], **violation["examples"][0]}
                for url, violation in pages
            ],
        },
    )


def success_criteria(tags: list[str]) -> list[str]:
    """axe's ``wcag1410`` tags as WCAG success criteria: ``1.4.10``."""
    return [f"{tag[4]}.{tag[5]}.{tag[6:]}" for tag in tags]


def summary(rendered: list[dict]) -> dict:
    """``metrics.a11y``: what was tested, and a score that compares across runs of the same
    pages: the mean over pages of the share of applicable axe rules the page passes."""
    pages = tested(rendered)
    untested = [{"url": p["url"], "error": p["error"]} for p in rendered if p.get("error")]
    if rendered and not pages:
        return {"not_run": f"浏览器未能检测任何页面：{untested[0]['error']}", "untested": untested}
    violations = {impact: 0 for impact in IMPACTS}
    nodes = {impact: 0 for impact in IMPACTS}
    for page in pages:
        for violation in page["axe"]["violations"]:
            violations[violation["impact"] or "minor"] += 1
            nodes[violation["impact"] or "minor"] += violation["nodes"]
    return {
        "pages_tested": len(pages),
        "pages_failing": sum(1 for page in pages if page["axe"]["violations"]),
        "violations": violations,  # (page, rule) pairs by impact
        "nodes": nodes,
        "score": round(sum(map(page_score, pages)) / len(pages), 1) if pages else None,
        "untested": untested,
        "axe_version": pages[0]["axe"]["version"] if pages else None,
    }


def page_score(page: dict) -> float:
    failed = {violation["id"] for violation in page["axe"]["violations"]}
    passed = set(page["axe"]["passes"]) - failed
    return 100.0 * len(passed) / (len(passed) + len(failed)) if passed or failed else 100.0
