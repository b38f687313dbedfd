"""The summary figures, each counted in one place, so that the terminal summary,
``findings.json``, ``report.html``, the bulletin, the exports and the group robots agree.

A waived finding is a known false positive: it stays in the lists, marked 已豁免, and counts
in no figure. A dead link (不可用链接) is a target that cannot be read — an error, or a
not-found page that answers 200 — counted once however many pages link to it; a link into an
intranet is never fetched, so it is a figure of its own, not a dead link.
"""

from __future__ import annotations

from govscan.checks.registry import registry
from govscan.outcomes import PASSED


def counted(findings: list[dict]) -> list[dict]:
    """The findings the unit must fix: all but the waived ones."""
    return [finding for finding in findings if not finding["detail"].get("waived")]


def problems(findings: list[dict]) -> int:
    return len(counted(findings))


def summary_figures() -> list[tuple[str, str]]:
    """(name, Chinese title) of every figure the check families declare, in their order."""
    return [(figure.name, figure.title) for figure, _ in registry().figures()]


def site_figures(findings: list[dict], checked: list[str]) -> dict[str, int | None]:
    """Every declared figure for one site: the findings of the rules in its group, None when
    its check family did not run (0 would claim it found nothing); and the site's problems in
    all."""
    kept = counted(findings)
    groups = [registry().group(finding["rule"]) for finding in kept]
    return {
        "problems": len(kept),
        **{
            figure.name: groups.count(figure.name) if family.name in checked else None
            for figure, family in registry().figures()
        },
    }


def rank_key(subject: dict) -> tuple[bool, float]:
    """The ranking of the bulletin and the summary: those that pass first, then by score."""
    return subject["verdict"] != PASSED, -(subject["score"] or 0)


def headline(sites: list[dict], accounts: list[dict]) -> dict:
    """The figures of a whole inspection, from its sites' and accounts' results."""
    passed = sum(1 for site in sites if site["verdict"] == PASSED)
    return {
        "sites": len(sites),
        "units": len({site["unit"] for site in sites} | {a["unit"] for a in accounts}),
        "passed": passed,
        "pass_rate": f"{100 * passed / len(sites):.1f}%" if sites else "—",
        "vetoed": sum(1 for subject in [*sites, *accounts] if subject["vetoes"]),
        "dead_links": sum(site["figures"]["dead_links"] or 0 for site in sites),
        "accounts": len(accounts),
        "zombies": sum(1 for a in accounts if "newmedia.zombie" in a["vetoes"]),
    }
