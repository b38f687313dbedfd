"""The bulletin (检查通报): one self-contained, print-friendly HTML file built from the stored
runs — headline figures, a ranking by unit, every site's findings, 回头看 against the
previous run, and a trend of scores drawn as inline SVG (no network)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from govscan import __version__
from govscan.outcomes import COMPLETED
from govscan.reports.figures import headline, rank_key
from govscan.reports.findings_json import account_results, iso, site_result
from govscan.reports.html import environment
from govscan.reports.problems import DONE, problem_key
from govscan.store.accounts import get_account_run
from govscan.store.claims import SITE, Claim, claims_of
from govscan.store.runs import latest_runs

HISTORY = 8  # runs drawn in each trend
TREND_WIDTH, TREND_HEIGHT = 240, 60


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


def build(
    engine: Engine, site_ids: list[str], account_run_ids: list[int], inspection: dict | None
) -> dict:
    """What the bulletin of ``inspection`` (findings.json's) shows, from each site's last
    completed runs and the inspection's account runs."""
    sites = []
    for site_id in site_ids:
        runs = latest_runs(engine, site_id, (COMPLETED,), HISTORY)
        if not runs:
            continue
        current = site_result(engine, runs[0])
        previous = site_result(engine, runs[1]) if len(runs) > 1 else None
        claims = claims_of(engine, SITE, site_id)
        current["review"] = review(previous, current, claims) if previous else None
        current["trend"] = trend([run for run in reversed(runs)])
        sites.append(current)
    account_runs = [get_account_run(engine, run_id) for run_id in account_run_ids]
    accounts = [account for run in account_runs for account in account_results(engine, run)]
    started = [site["started_at"] for site in sites]
    started += [iso(run.started_at) for run in account_runs]
    return {
        "tool": {"name": "govscan", "version": __version__},
        "inspected_at": min(started, default=None),
        "inspection": inspection,
        "headline": headline(sites, accounts),
        "ranking": sorted(sites, key=rank_key),
        "sites": sites,
        "accounts": accounts,
    }


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


def trend(runs: list) -> dict:
    """The scores of ``runs`` (oldest first) as an SVG polyline: 0 at the bottom, 100 on top."""
    scores = [(run.metrics or {}).get("scoring", {}).get("score") for run in runs]
    known = [(index, score) for index, score in enumerate(scores) if score is not None]
    step = TREND_WIDTH / max(1, len(scores) - 1)
    points = [
        (round(i * step, 1), round(TREND_HEIGHT * (1 - score / 100), 1)) for i, score in known
    ]
    return {
        "width": TREND_WIDTH,
        "height": TREND_HEIGHT,
        "points": " ".join(f"{x},{y}" for x, y in points),
        "dots": points,
        "scores": [score for _, score in known],
        "dates": [iso(run.started_at)[:10] for run in runs],
    }


def write(data: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(environment.get_template("bulletin.html").render(b=data), encoding="utf-8")
    return path
