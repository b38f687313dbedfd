"""``findings.json``: the machine-readable result of a scan, in the contract of DESIGN.md."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine

from govscan import __version__
from govscan.outcomes import COMPLETED, INCOMPLETE, NOT_PASSED, PASSED
from govscan.reports.figures import site_figures
from govscan.store.accounts import account_findings, get_account_run
from govscan.store.inspections import get_inspection
from govscan.store.models import AccountRun, Run
from govscan.store.runs import findings_of, get_run, get_site

#: The version of this file's contract: raised when a field changes meaning or goes away.
SCHEMA_VERSION = 2  # 2: run.account_run_ids, one account run per batch


def iso(moment) -> str | None:
    return moment.isoformat(timespec="seconds") + "Z" if moment else None


def site_result(engine: Engine, run: Run) -> dict:
    """One site's part of findings.json, from its stored run."""
    site = get_site(engine, run.site_id)
    findings = findings_of(engine, run.id) if run.status == COMPLETED else []
    scoring = (run.metrics or {}).get("scoring", {})  # see govscan.checks.scoring
    not_run = (run.metrics or {}).get("not_run", {})  # check → why it could not run
    verdict = verdict_of(run, scoring, not_run)
    return {
        "id": site.id,
        "name": site.name,
        "url": site.url,
        "unit": site.unit,
        "site_code": site.site_code,
        "run_id": run.id,
        "status": run.status,
        "error": run.error,
        "started_at": iso(run.started_at),
        "finished_at": iso(run.finished_at),
        "verdict": verdict,
        "score": scoring.get("score") if run.status == COMPLETED else None,
        "vetoes": scoring.get("vetoes", []),
        "deductions": scoring.get("deductions", {}),
        "not_run": not_run,
        "stats": run.stats or {},
        "figures": site_figures(findings, checks_run(run, not_run)),
        "metrics": run.metrics or {},
        "findings": findings,
    }


def checks_run(run: Run, not_run: dict[str, str]) -> list[str]:
    """The check families that judged the site: none when the scan did not finish."""
    if run.status != COMPLETED:
        return []
    return [name for name in run.options.get("checks", []) if name not in not_run]


def verdict_of(run: Run, scoring: dict, not_run: dict[str, str]) -> str:
    """The scoring profile's verdict; an unfinished scan, or a selected check that could not
    run (no browser, say), never lets a site pass."""
    if run.status != COMPLETED:
        return INCOMPLETE
    if scoring.get("verdict") == NOT_PASSED:
        return NOT_PASSED
    return INCOMPLETE if not_run else PASSED


def account_results(engine: Engine, run: AccountRun) -> list[dict]:
    """The ``accounts`` part: each account of the run with its verdict and findings."""
    findings = account_findings(engine, run.id) if run.status == COMPLETED else {}
    summaries = run.summaries or {}
    results = []
    for account in run.options["accounts"]:
        own = findings.get(account["id"], [])
        summary = summaries.get(account["id"], {})
        results.append(
            {
                **{key: account[key] for key in ACCOUNT_FIELDS},
                "run_id": run.id,
                "status": run.status,
                "error": run.error,
                "verdict": account_verdict(run, summary),
                "score": summary.get("scoring", {}).get("score"),
                "vetoes": summary.get("scoring", {}).get("vetoes", []),
                "last_post_at": summary.get("last_post_at"),
                "days_since": summary.get("days_since"),
                "posts": summary.get("posts", 0),
                "findings": own,
            }
        )
    return results


ACCOUNT_FIELDS = ("id", "platform", "name", "account_id", "unit", "registered")


def account_verdict(run: AccountRun, summary: dict) -> str:
    """Like a site's: the profile's verdict; an account that could not be judged never
    passes."""
    if summary.get("scoring", {}).get("verdict") == NOT_PASSED:
        return NOT_PASSED
    return PASSED if run.status == COMPLETED and summary.get("judged") else INCOMPLETE


def build(engine: Engine, run_ids: list[int], account_run_ids: list[int] = ()) -> dict:
    """findings.json of some site runs and account runs (one for each batch of accounts)."""
    runs = [get_run(engine, run_id) for run_id in run_ids]
    account_runs = [get_account_run(engine, run_id) for run_id in account_run_ids]
    every = [*runs, *account_runs]
    finished = [run.finished_at for run in every]
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "govscan", "version": __version__},
        "run": {
            "id": ",".join(str(run_id) for run_id in run_ids),
            "account_run_ids": list(account_run_ids),
            "started_at": iso(min(run.started_at for run in every)),
            "finished_at": iso(max(finished)) if all(finished) else None,
            "checks": runs[0].options.get("checks", []) if runs else ["newmedia"],
        },
        "inspection": inspection_of(engine, every),
        "sites": [site_result(engine, run) for run in runs],
        "accounts": [account for run in account_runs for account in account_results(engine, run)],
    }


def inspection_of(engine: Engine, runs: list[Run | AccountRun]) -> dict | None:
    """The inspection the runs were made in; None when they were made in several, or
    before inspections were stored."""
    ids = {run.inspection_id for run in runs}
    if len(ids) != 1 or None in ids:
        return None
    inspection = get_inspection(engine, ids.pop())
    return {
        "id": inspection.id,
        "started_at": iso(inspection.started_at),
        "finished_at": iso(inspection.finished_at),
    }


def write(result: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
