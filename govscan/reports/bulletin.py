"""The bulletin (检查通报): one self-contained, print-friendly HTML file built from the stored
runs, set out as an office issues it (文头, 主送, scope and basis, overall situation, problems
by category, the ranking, 回头看 against the previous run, 整改要求 with a deadline, 落款),
every site's findings with the points each cost as its 附件, and the charts drawn as inline
SVG (no script, no network)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Engine

from govscan import __version__
from govscan.checks.registry import registry
from govscan.outcomes import COMPLETED, PASSED
from govscan.reports.charts import BarChart, TrendChart, bar_chart, trend_chart
from govscan.reports.figures import counted, headline, rank_key
from govscan.reports.findings_json import account_results, iso, site_result
from govscan.reports.history import local_moment
from govscan.reports.html import DISPLAY_ZONE, environment
from govscan.reports.notice import chinese_date, chinese_ordinal, notice
from govscan.reports.problems import DONE, problem_key
from govscan.store.accounts import get_account_run
from govscan.store.claims import SITE, Claim, claims_of
from govscan.store.inventory import BulletinSettings
from govscan.store.runs import latest_runs

HISTORY = 8  # runs drawn in each trend
OTHER = "其他"  # the category of a site's finding that no summary figure counts
ACCOUNTS = "政务新媒体"  # the category of every account's finding


@dataclass
class Checked:
    """One problem of the previous run: what its unit wrote back about it, if anything, and
    whether the re-scan still finds it."""

    finding: dict
    claim: Claim | None
    fixed: bool

    @property
    def false_claim(self) -> bool:
        """The unit says it fixed what the re-scan still finds."""
        return self.claim is not None and self.claim.progress == DONE and not self.fixed

    @property
    def confirmed(self) -> bool:
        return self.claim is not None and self.claim.progress == DONE and self.fixed


@dataclass
class Review:
    """回头看: this run's problems against the previous run's, by rule and URL; and each
    previous problem's claim against the re-scan, false claims first."""

    new: list[dict]
    fixed: list[dict]
    persisting: list[dict]
    checked: list[Checked]


@dataclass(frozen=True)
class Category:
    """A kind of problem (a summary figure's title): how many, and on which sites."""

    title: str
    count: int
    subjects: list[tuple[str, int]]  # (site or account name, its problems), most first


@dataclass(frozen=True)
class UnitResult:
    """One unit's sites: how many passed and their mean score (the units' ranking)."""

    unit: str
    sites: int
    passed: int
    mean_score: float | None

    @property
    def pass_rate(self) -> float:
        return 100 * self.passed / self.sites if self.sites else 0.0


def build(
    engine: Engine,
    site_ids: list[str],
    account_run_ids: list[int],
    inspection: dict | None,
    issue: BulletinSettings,
) -> dict:
    """What the bulletin of ``inspection`` (findings.json's) shows, from each site's last
    completed runs and the inspection's account runs, issued as ``issue`` says."""
    sites = []
    for site_id in site_ids:
        runs = latest_runs(engine, site_id, (COMPLETED,), HISTORY)
        if not runs:
            continue
        current = site_result(engine, runs[0])
        previous = site_result(engine, runs[1]) if len(runs) > 1 else None
        claims = claims_of(engine, SITE, site_id)
        current["review"] = review(previous, current, claims) if previous else None
        current["trend"] = trend(current["name"], list(reversed(runs)))
        sites.append(current)
    account_runs = [get_account_run(engine, run_id) for run_id in account_run_ids]
    accounts = [account for run in account_runs for account in account_results(engine, run)]
    started = [site["started_at"] for site in sites]
    started += [iso(run.started_at) for run in account_runs]
    inspected_at = min(started, default=None)
    found = categories(sites, accounts)
    units = unit_results(sites)
    return {
        "tool": {"name": "govscan", "version": __version__},
        "inspected_at": inspected_at,
        "inspection": inspection,
        "notice": notice(issue, local_day(inspected_at), (inspection or {}).get("id")),
        "headline": headline(sites, accounts),
        "ranking": sorted(sites, key=rank_key),
        "sites": sites,
        "accounts": accounts,
        "categories": found,
        "charts": charts(found, units),
    }


def local_day(moment: str | None) -> date:
    """The Beijing day of an ISO instant: the inspection's day (today, before any run)."""
    if moment is None:
        return datetime.now(DISPLAY_ZONE).date()
    return local_moment(moment).date()


def categories(sites: list[dict], accounts: list[dict]) -> list[Category]:
    """The problems to fix, by the summary figure that counts them, most first."""
    titles = dict((figure.name, figure.title) for figure, _ in registry().figures())
    by_title: dict[str, Counter] = {}
    for site in sites:
        for finding in counted(site["findings"]):
            title = titles.get(registry().group(finding["rule"]) or "", OTHER)
            by_title.setdefault(title, Counter())[site["name"]] += 1
    for account in accounts:
        for _ in counted(account["findings"]):
            by_title.setdefault(ACCOUNTS, Counter())[account["name"]] += 1
    found = [
        Category(title, sum(subjects.values()), subjects.most_common())
        for title, subjects in by_title.items()
    ]
    return sorted(found, key=lambda category: -category.count)


def unit_results(sites: list[dict]) -> list[UnitResult]:
    """Each unit's sites, the best unit first (the higher pass rate, then mean score)."""
    by_unit: dict[str, list[dict]] = {}
    for site in sites:
        by_unit.setdefault(site["unit"], []).append(site)
    units = []
    for unit, own in by_unit.items():
        scores = [site["score"] for site in own if site["score"] is not None]
        mean = round(sum(scores) / len(scores), 1) if scores else None
        passed = sum(1 for site in own if site["verdict"] == PASSED)
        units.append(UnitResult(unit, len(own), passed, mean))
    return sorted(units, key=lambda u: (-u.pass_rate, -(u.mean_score or 0)))


def charts(found: list[Category], units: list[UnitResult]) -> dict[str, BarChart]:
    """The bars of the problems by category and of the units' pass rates and scores."""
    most = max((category.count for category in found), default=0)
    return {
        "categories": bar_chart(
            "各类问题数量（项）",
            [(c.title, c.count, f"{c.count} 项") for c in found],
            nice_top(most),
        ),
        "pass_rates": bar_chart(
            "各单位网站合格率（%）",
            [(u.unit, u.pass_rate, f"{u.pass_rate:.0f}%") for u in units],
            100,
        ),
        "scores": bar_chart(
            "各单位网站平均得分（分）",
            [(u.unit, u.mean_score or 0, score_text(u.mean_score)) for u in units],
            100,
        ),
    }


def nice_top(most: int) -> int:
    """The end of a count's scale: a multiple of 4 (five whole ticks) at or above ``most``."""
    return max(4, -(-most // 4) * 4)


def score_text(score: float | None) -> str:
    return "—" if score is None else f"{score:g} 分"


def review(previous: dict, current: dict, claims: dict[tuple[str, str], Claim]) -> Review:
    before = {problem_key(f): f for f in previous["findings"] if not f["detail"].get("waived")}
    now = {problem_key(f): f for f in current["findings"] if not f["detail"].get("waived")}
    checked = [Checked(f, claims.get(key), key not in now) for key, f in before.items()]
    return Review(
        new=[f for key, f in now.items() if key not in before],
        fixed=[f for key, f in before.items() if key not in now],
        persisting=[f for key, f in now.items() if key in before],
        checked=sorted(checked, key=lambda c: (not c.false_claim, c.claim is None)),
    )


def trend(name: str, runs: list) -> TrendChart:
    """The scores of ``runs`` (oldest first) as a labelled line: each run's day and score."""
    scores = [
        (iso(run.started_at), (run.metrics or {}).get("scoring", {}).get("score")) for run in runs
    ]
    return trend_chart(
        f"{name}近 {len(runs)} 次检查得分",
        [(f"{local_day(moment):%m-%d}", score) for moment, score in scores],
    )


environment.filters["chinese_date"] = chinese_date
environment.filters["chinese_ordinal"] = chinese_ordinal


def write(data: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(environment.get_template("bulletin.html").render(b=data), encoding="utf-8")
    return path
