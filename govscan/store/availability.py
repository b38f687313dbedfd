"""Availability probes: the scheduler's fetches of each homepage, kept for the 7-day veto."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, func, insert, select

from govscan.store.models import AvailabilityProbe
from govscan.store.runs import now


def save_probe(
    engine: Engine, site_id: str, status: int | None, error: str | None, elapsed_ms: int | None
) -> None:
    ok = error is None and status is not None and status < 400
    row = {"site_id": site_id, "at": now(), "ok": ok, "status": status, "error": error}
    with engine.begin() as connection:
        connection.execute(insert(AvailabilityProbe), [{**row, "elapsed_ms": elapsed_ms}])


def probe_counts(engine: Engine, site_id: str, since: datetime, until: datetime) -> dict:
    """Probes of the site in ``[since, until]``: how many, how many failed, the last failures."""
    window = (
        AvailabilityProbe.site_id == site_id,
        AvailabilityProbe.at >= since,
        AvailabilityProbe.at <= until,
    )
    with engine.connect() as connection:
        total = connection.scalar(select(func.count(AvailabilityProbe.id)).where(*window))
        failures = connection.execute(
            select(AvailabilityProbe.at, AvailabilityProbe.status, AvailabilityProbe.error)
            .where(*window, AvailabilityProbe.ok.is_(False))
            .order_by(AvailabilityProbe.at.desc())
        ).all()
    return {
        "probes": total,
        "failed": len(failures),
        "examples": [
            {"at": at.isoformat(timespec="seconds") + "Z", "status": status, "error": error}
            for at, status, error in failures[:10]
        ],
    }
