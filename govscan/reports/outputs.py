"""Every file a scan leaves in its folder, written from the stored runs in one place, so that
``govscan scan`` and ``govscan report`` write the same files with the same rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from govscan.outcomes import FINISHED
from govscan.reports import bulletin, exports, findings_json, history, html
from govscan.store.accounts import latest_account_runs
from govscan.store.inventory import BulletinSettings
from govscan.store.leases import run_logs
from govscan.store.runs import latest_runs, screenshots

SHOTS_FOLDER = "shots"  # beside the report: report.html shows shots/<key>.jpg
LOGS_FOLDER = "logs"


@dataclass
class Outputs:
    folder: Path
    result: dict  # the content of findings.json
    findings: Path
    report: Path
    bulletin: Path
    exports: list[Path]  # findings.csv, 汇总.xlsx and each unit's 整改清单
    shots: list[Path]  # the screenshots the findings show
    logs: list[Path]  # the crawl logs, from the store: a worker may have crawled elsewhere
    index: Path | None = None  # index.html: the kept bulletins and the current files


def write_outputs(
    engine: Engine,
    run_ids: list[int],
    account_run_ids: list[int],
    out: Path,
    issue: BulletinSettings,
) -> Outputs:
    """findings.json, report.html, the exports and the bulletin of these site runs and these
    account runs (one for each batch of accounts), the bulletin issued as ``issue`` says; the
    bulletin is also kept under its dated name and the folder's index.html lists it."""
    result = findings_json.build(engine, run_ids, account_run_ids)
    site_ids = [site["id"] for site in result["sites"]]
    data = bulletin.build(engine, site_ids, account_run_ids, result["inspection"], issue)
    outputs = Outputs(
        folder=out,
        result=result,
        findings=findings_json.write(result, out / "findings.json"),
        report=html.write(result, out / "report.html"),
        bulletin=bulletin.write(data, out / "bulletin.html"),
        exports=exports.write_all(result, out, data["notice"].deadline),
        shots=write_shots(engine, [*result["sites"], *data["sites"]], out / SHOTS_FOLDER),
        logs=write_logs(engine, run_ids, account_run_ids, out / LOGS_FOLDER),
    )
    outputs.index = history.keep(data, outputs.bulletin)
    return outputs


def write_logs(
    engine: Engine, run_ids: list[int], account_run_ids: list[int], folder: Path
) -> list[Path]:
    """Each run's kept crawl log as ``<site id>.log`` (``accounts.log``) in ``folder``."""
    written = []
    for name, text in run_logs(engine, run_ids, account_run_ids).items():
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.log"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def write_shots(engine: Engine, sites: list[dict], folder: Path) -> list[Path]:
    """Every screenshot the sites' findings name, as ``<key>.jpg`` in ``folder``."""
    run_ids = {site["run_id"] for site in sites}
    keys = {key for site in sites for key in shot_keys(site["findings"])}
    if not keys:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for key, data in screenshots(engine, run_ids, keys).items():
        path = folder / f"{key}.jpg"
        path.write_bytes(data)
        written.append(path)
    return written


def shot_keys(found: object) -> Iterator[str]:
    """The ``shot`` values anywhere in findings' details."""
    if isinstance(found, dict):
        for name, value in found.items():
            if name == "shot" and isinstance(value, str):
                yield value
            else:
                yield from shot_keys(value)
    elif isinstance(found, list):
        for item in found:
            yield from shot_keys(item)


def rewrite_outputs(
    engine: Engine, site_ids: list[str], with_accounts: bool, out: Path, issue: BulletinSettings
) -> Outputs | None:
    """The outputs of the sites' and the accounts' last finished runs, as the scan that made
    them wrote them; None when none of them has been scanned."""
    runs = [run for site_id in site_ids for run in latest_runs(engine, site_id, FINISHED, 1)]
    account_runs = latest_account_runs(engine, FINISHED) if with_accounts else []
    if not runs and not account_runs:
        return None
    return write_outputs(
        engine, [run.id for run in runs], [run.id for run in account_runs], out, issue
    )
