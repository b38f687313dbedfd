"""``findings.json``: the machine-readable result of a scan, in the contract of DESIGN.md."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine

from govscan import __version__
from govscan.store.runs import COMPLETED, findings_of, get_run, get_site

#: What each verdict means; scoring per the indicator profile refines 合格 later.
PASSED, FAILED, INCOMPLETE = "合格", "不合格", "未完成"


def iso(moment) -> str | None:
    return moment.isoformat(timespec="seconds") + "Z" if moment else None


def site_result(engine: Engine, run_id: int) -> dict:
    """One site's part of findings.json, from its stored run."""
    run = get_run(engine, run_id)
    site = get_site(engine, run.site_id)
    findings = findings_of(engine, run_id) if run.status == COMPLETED else []
    vetoes = sorted({f["rule"] for f in findings if f["severity"] == "veto"})
    verdict = INCOMPLETE if run.status != COMPLETED else FAILED if vetoes else PASSED
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
        "stats": {**(run.stats or {}), **rule_counts(findings)},
        "metrics": {},
        "findings": findings,
    }


def rule_counts(findings: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding["rule"]] = counts.get(finding["rule"], 0) + 1
    return counts


def build(engine: Engine, run_ids: list[int]) -> dict:
    sites = [site_result(engine, run_id) for run_id in run_ids]
    runs = [get_run(engine, run_id) for run_id in run_ids]
    return {
        "tool": {"name": "govscan", "version": __version__},
        "run": {
            "id": ",".join(str(run_id) for run_id in run_ids),
            "started_at": iso(min(r.started_at for r in runs)),
            "finished_at": iso(max(r.finished_at for r in runs if r.finished_at))
            if all(r.finished_at for r in runs)
            else None,
            "checks": runs[0].options.get("checks", []) if runs else [],
        },
        "sites": sites,
        "accounts": [],
    }


def write(result: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
