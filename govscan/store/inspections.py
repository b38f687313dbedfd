"""Inspections: start one, find its runs, and end it — completed exactly once, by whoever
finishes its last run, or failed."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, select, update

from govscan.outcomes import COMPLETED, FAILED, FINISHED, RUNNING
from govscan.store.db import session_scope
from govscan.store.inventory import AccountEntry, Settings, SiteEntry
from govscan.store.models import AccountRun, Inspection, Run
from govscan.store.runs import now


def start_inspection(
    engine: Engine,
    sites: list[SiteEntry],
    accounts: list[AccountEntry],
    settings: Settings,
    options: dict,
    out: Path,
    notify: bool,
) -> Inspection:
    """Store a new, running inspection of these sites and accounts with these settings."""
    with session_scope(engine) as session:
        inspection = Inspection(
            started_at=now(),
            status=RUNNING,
            settings=settings.model_dump(mode="json"),
            options=options,
            sites=[site.model_dump(mode="json") for site in sites],
            accounts=[account.model_dump(mode="json") for account in accounts],
            out=str(out),
            notify=notify,
        )
        session.add(inspection)
        session.flush()
        return inspection


def get_inspection(engine: Engine, inspection_id: int) -> Inspection:
    with session_scope(engine) as session:
        return session.get(Inspection, inspection_id)


def inspection_runs(engine: Engine, inspection_id: int) -> tuple[list[Run], AccountRun | None]:
    """The inspection's last run of each site, in the order they started, and its last
    account run."""
    with session_scope(engine) as session:
        runs = session.scalars(
            select(Run).where(Run.inspection_id == inspection_id).order_by(Run.id)
        )
        last_of_site = {run.site_id: run for run in runs}
        account_run = session.scalars(
            select(AccountRun)
            .where(AccountRun.inspection_id == inspection_id)
            .order_by(AccountRun.id.desc())
            .limit(1)
        ).first()
        return sorted(last_of_site.values(), key=lambda run: run.id), account_run


def complete_inspection(engine: Engine, inspection_id: int) -> bool:
    """Mark the inspection completed when every site and, if it has any, the accounts have a
    finished run in it. True for the one caller that did; False when runs are still to
    finish or another caller (or an interruption) has already ended it."""
    inspection = get_inspection(engine, inspection_id)
    runs, account_run = inspection_runs(engine, inspection_id)
    finished_sites = {run.site_id for run in runs if run.status in FINISHED}
    if not {site["id"] for site in inspection.sites} <= finished_sites:
        return False
    if inspection.accounts and (account_run is None or account_run.status not in FINISHED):
        return False
    return end_inspection(engine, inspection_id, COMPLETED)


def fail_inspection(engine: Engine, inspection_id: int, error: str) -> bool:
    """Mark a running inspection failed, with the reason."""
    return end_inspection(engine, inspection_id, FAILED, error)


def end_inspection(
    engine: Engine, inspection_id: int, status: str, error: str | None = None
) -> bool:
    """Move the inspection from running to ``status`` in one statement, so that of two
    callers at once only one succeeds."""
    ending = (
        update(Inspection)
        .where(Inspection.id == inspection_id, Inspection.status == RUNNING)
        .values(status=status, error=error, finished_at=now())
    )
    with engine.begin() as connection:
        return connection.execute(ending).rowcount == 1
