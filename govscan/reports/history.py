"""The bulletins of past inspections, kept beside the current one, and ``index.html``: the
report folder's front page, listing every kept bulletin (newest first) and the current
bulletin, report and workbooks, so that ``govscan serve`` shows a page, not a directory.

Each bulletin is kept as ``bulletin-<day>-<inspection id>.html`` (the inspection's day in
Beijing time; ``bulletin-<day>-<HHMM>.html`` when the runs belong to no single inspection),
and described in ``bulletins.json``; the index is rebuilt from that manifest, listing only the
kept files still present. Kept bulletins are never deleted: a new inspection adds its own.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from govscan.reports.html import DISPLAY_ZONE, environment

MANIFEST = "bulletins.json"
INDEX = "index.html"
#: What the index links to when the folder holds it: (file or folder, Chinese title).
CURRENT = (
    ("bulletin.html", "最新检查通报"),
    ("bulletin.pdf", "最新检查通报（PDF，可打印）"),
    ("report.html", "详细技术报告（供各网站运维单位整改）"),
    ("汇总.xlsx", "检查汇总表"),
    ("findings.csv", "全部问题（CSV）"),
    ("findings.json", "检查结果（JSON）"),
)
WORKBOOKS = "xlsx"  # each unit's 整改清单


def local_moment(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(DISPLAY_ZONE)


def kept_name(data: dict) -> str:
    """The file a bulletin is kept as: its inspection's day and number."""
    inspection = data.get("inspection")
    started = (inspection or {}).get("started_at") or data.get("inspected_at")
    moment = local_moment(started) if started else datetime.now(DISPLAY_ZONE)
    suffix = str(inspection["id"]) if inspection else f"{moment:%H%M}"
    return f"bulletin-{moment:%Y-%m-%d}-{suffix}.html"


def entry(data: dict, name: str) -> dict:
    """The manifest's line of one kept bulletin."""
    inspection = data.get("inspection") or {}
    return {
        "file": name,
        "inspection": inspection.get("id"),
        "inspected_at": inspection.get("started_at") or data.get("inspected_at"),
        "sites": data["headline"]["sites"],
        "accounts": data["headline"]["accounts"],
        "pass_rate": data["headline"]["pass_rate"],
    }


def read_manifest(folder: Path) -> list[dict]:
    try:
        entries = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return entries if isinstance(entries, list) else []


def keep(data: dict, bulletin: Path) -> Path:
    """Keep a copy of the bulletin just written under its dated name, record it in the
    manifest (the same inspection written again replaces its line) and rebuild the index."""
    folder = bulletin.parent
    name = kept_name(data)
    (folder / name).write_bytes(bulletin.read_bytes())
    entries = [e for e in read_manifest(folder) if e.get("file") != name]
    entries.append(entry(data, name))
    (folder / MANIFEST).write_text(
        json.dumps(entries, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return write_index(folder)


def newest_first(entries: list[dict]) -> list[dict]:
    return sorted(
        entries, key=lambda e: (e.get("inspected_at") or "", e.get("inspection") or 0), reverse=True
    )


def write_index(folder: Path) -> Path:
    """``index.html`` from the manifest's bulletins still in the folder and the current files."""
    kept = [
        e
        for e in newest_first(read_manifest(folder))
        if isinstance(e.get("file"), str) and (folder / e["file"]).is_file()
    ]
    current = [(name, title) for name, title in CURRENT if (folder / name).is_file()]
    workbooks = sorted((folder / WORKBOOKS).glob("*.xlsx")) if (folder / WORKBOOKS).is_dir() else []
    path = folder / INDEX
    path.write_text(
        environment.get_template("index.html").render(
            kept=kept,
            current=current,
            workbooks=[f"{WORKBOOKS}/{book.name}" for book in workbooks],
        ),
        encoding="utf-8",
    )
    return path
