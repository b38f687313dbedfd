"""``findings.json``: the machine-readable result of a scan, in the contract of DESIGN.md."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from sqlalchemy import Engine

from govscan import __version__
from govscan.store.models import Run
from govscan.store.runs import COMPLETED, findings_of, get_run, get_site

#: What each verdict means; scoring per the indicator profile refines 合格 later.
PASSED, FAILED, INCOMPLETE = "合格", "不合格", "未完成"


def iso(moment) -> str | None:
    return moment.isoformat(timespec="seconds") + "Z" if moment else None


def site_result(engine: Engine, run: Run) -> dict:
    """One site's part of findings.json, from its stored run."""
    site = get_site(engine, run.site_id)
    findings = findings_of(engine, run.id) if run.status == COMPLETED else []
    vetoes = sorted({f["rule"] for f in findings if f["severity"] == "veto"})
    not_run = (run.metrics or {}).get("not_run", {})  # check → why it could not run
    verdict = verdict_of(run, vetoes, not_run)
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
        "score": None,
        "vetoes": vetoes,
        "not_run": not_run,
        "stats": {**(run.stats or {}), **Counter(f["rule"] for f in findings)},
        "metrics": run.metrics or {},
        "findings": findings,
    }


def verdict_of(run: Run, vetoes: list[str], not_run: dict[str, str]) -> str:
    """A veto fails the site; an unfinished scan, or a selected check that could not run
    (no browser, say), never lets it pass."""
    if run.status != COMPLETED:
        return INCOMPLETE
    if vetoes:
        return FAILED
    return INCOMPLETE if not_run else PASSED


def build(engine: Engine, run_ids: list[int]) -> dict:
    runs = [get_run(engine, run_id) for run_id in run_ids]
    finished = [run.finished_at for run in runs]
    return {
        "tool": {"name": "govscan", "version": __version__},
        "run": {
            "id": ",".join(str(run_id) for run_id in run_ids),
            "started_at": iso(min(run.started_at for run in runs)),
            "finished_at": iso(max(finished)) if all(finished) else None,
            "checks": runs[0].options.get("checks", []),
        },
        "sites": [site_result(engine, run) for run in runs],
        "accounts": [],
    }


def write(result: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
