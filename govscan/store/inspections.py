"""Inspections: start one, find its runs, and end it — completed exactly once, by whoever
finishes its last run, or failed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter
from pathlib import Path

from sqlalchemy import Engine, select, update

from govscan.outcomes import COMPLETED, FAILED, FINISHED, RUNNING
from govscan.store.db import session_scope
from govscan.store.inventory import AccountEntry, Settings, SiteEntry
from govscan.store.leases import ATTEMPTS, is_lost, work_of
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
    queued: bool = False,
) -> Inspection:
    """Store a new, running inspection of these sites and accounts with these settings;
    ``queued`` when its runs are tasks on a queue for workers."""
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
            queued=queued,
        )
        session.add(inspection)
        session.flush()
        return inspection


def get_inspection(engine: Engine, inspection_id: int) -> Inspection:
    with session_scope(engine) as session:
        return session.get(Inspection, inspection_id)


def inspection_runs(engine: Engine, inspection_id: int) -> tuple[list[Run], list[AccountRun]]:
    """The inspection's last run of each site and of each batch of accounts, each list in
    the order the runs started."""
    last = last_of_each(all_runs(engine, inspection_id))
    by_start = attrgetter("id")
    return (
        sorted((run for run in last if isinstance(run, Run)), key=by_start),
        sorted((run for run in last if isinstance(run, AccountRun)), key=by_start),
    )


def all_runs(engine: Engine, inspection_id: int) -> list[Run | AccountRun]:
    """Every run of the inspection, those of each kind in the order they started."""
    with session_scope(engine) as session:
        return [
            run
            for model in (Run, AccountRun)
            for run in session.scalars(
                select(model).where(model.inspection_id == inspection_id).order_by(model.id)
            )
        ]


def last_of_each(runs: list[Run | AccountRun]) -> list[Run | AccountRun]:
    """The last run of each site and of each batch of accounts."""
    return list({work_of(run): run for run in runs}.values())


def complete_inspection(engine: Engine, inspection_id: int, batches: int) -> bool:
    """Take the completing of the inspection, once every site and each of its ``batches``
    of accounts have settled in it (``settled``): its end time is set, its status stays
    running until ``mark_completed``, so that no one reads its outputs before they are
    written. True for the one caller that took it; False when runs are still to finish or
    another caller (or an interruption) already did."""
    inspection = get_inspection(engine, inspection_id)
    runs = all_runs(engine, inspection_id)
    lost = Counter(work_of(run) for run in runs if is_lost(run))
    done = {work_of(run) for run in last_of_each(runs) if settled(run, lost[work_of(run)])}
    wanted = {("site", site["id"]) for site in inspection.sites}
    wanted |= {("accounts", batch) for batch in range(batches)}
    if not wanted <= done:
        return False
    taking = (
        update(Inspection)
        .where(
            Inspection.id == inspection_id,
            Inspection.status == RUNNING,
            Inspection.finished_at.is_(None),
        )
        .values(finished_at=now())
    )
    with engine.begin() as connection:
        return connection.execute(taking).rowcount == 1


def mark_completed(engine: Engine, inspection_id: int) -> None:
    """The inspection's outputs are written: it is completed."""
    with engine.begin() as connection:
        completing = update(Inspection).where(Inspection.id == inspection_id)
        connection.execute(completing.values(status=COMPLETED))


def settled(last_run: Run | AccountRun, times_lost: int) -> bool:
    """Whether a site's (or a batch's) last run is its final word: finished, and not lost
    with its process unless that happened too often to try again."""
    return last_run.status in FINISHED and (not is_lost(last_run) or times_lost >= ATTEMPTS)


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


def running_inspections(engine: Engine, queued: bool) -> list[int]:
    """The running inspections whose runs are queued tasks, or those carried out by one
    process, oldest first."""
    query = (
        select(Inspection.id)
        .where(Inspection.status == RUNNING, Inspection.queued == queued)
        .order_by(Inspection.id)
    )
    with engine.connect() as connection:
        return list(connection.scalars(query))


@dataclass(frozen=True)
class InspectionState:
    """An inspection as ``govscan inspections`` lists it: its state and how far it got."""

    id: int
    started_at: datetime
    finished_at: datetime | None
    status: str
    error: str | None
    queued: bool
    sites: int
    sites_finished: int  # sites whose last run has finished, completed or failed
    sites_failed: int
    sites_running: int
    accounts: int
    batches_finished: int  # batches of accounts whose last run has finished


def recent_inspections(engine: Engine, limit: int) -> list[InspectionState]:
    """The ``limit`` newest inspections, newest first."""
    with session_scope(engine) as session:
        found = session.scalars(select(Inspection).order_by(Inspection.id.desc()).limit(limit))
        inspections = list(found)
    return [state_of(engine, inspection) for inspection in inspections]


def state_of(engine: Engine, inspection: Inspection) -> InspectionState:
    runs, account_runs = inspection_runs(engine, inspection.id)
    statuses = [run.status for run in runs]
    return InspectionState(
        id=inspection.id,
        started_at=inspection.started_at,
        finished_at=inspection.finished_at,
        status=inspection.status,
        error=inspection.error,
        queued=inspection.queued,
        sites=len(inspection.sites),
        sites_finished=sum(status in FINISHED for status in statuses),
        sites_failed=statuses.count(FAILED),
        sites_running=statuses.count(RUNNING),
        accounts=len(inspection.accounts),
        batches_finished=sum(run.status in FINISHED for run in account_runs),
    )
