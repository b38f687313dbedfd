"""Leases on runs: a run is claimed by one process, which renews the lease while it works.

A task delivered twice (a queue redelivers what a lost worker had taken) must run once, and a
run whose process died (kill -9, a machine down) must not stay "running" forever: its lease
runs out, it is failed with the reason, and whoever watches the inspection starts it again.
A run failed that way keeps its expired lease (``lease_until``); every other finished run
has none, which is how the two are told apart.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, select, update

from govscan.outcomes import COMPLETED, FAILED, RUNNING
from govscan.store.db import session_scope
from govscan.store.models import AccountRun, Inspection, Run
from govscan.store.view import now

#: Runs of one site (or of the accounts) in one inspection lost with their process, at most:
#: a site that kills its worker every time is then left 未完成 instead of retried forever.
ATTEMPTS = 3
LOG_CHARS = 2_000_000  # the end of a crawl log kept in the store


@dataclass(frozen=True)
class Claim:
    """A run to claim in an inspection: of a site (``site_id``), or of a batch of accounts
    (``site_id`` None, and the batch's number)."""

    inspection_id: int
    site_id: str | None
    options: dict
    worker: str
    lease: float  # seconds
    batch: int = 0

    @property
    def model(self) -> type[Run] | type[AccountRun]:
        return AccountRun if self.site_id is None else Run


@dataclass(frozen=True)
class LostRun:
    """A run failed because its lease ran out."""

    inspection_id: int
    site_id: str | None  # None: a batch of accounts
    batch: int
    run_id: int
    worker: str | None
    concurrency: int  # the run's per-host concurrency, its share of the per-address limit


def claim(engine: Engine, wanted: Claim) -> int | None:
    """Start the run for ``wanted.worker`` and return its id; None when the inspection has
    ended, the run is taken (finished, or running under a live lease) or it was lost
    ``ATTEMPTS`` times. The inspection's row is locked meanwhile, so of two workers given
    the same task at once only one starts it."""
    model = wanted.model
    with session_scope(engine) as session:
        inspection = session.get(Inspection, wanted.inspection_id, with_for_update=True)
        if inspection is None or inspection.status != RUNNING:
            return None
        earlier = session.scalars(select(model).where(*same_work(model, wanted))).all()
        lost = [run for run in earlier if is_lost(run)]
        if len(lost) >= ATTEMPTS or any(map(holds, earlier)):
            return None
        run = model(
            inspection_id=wanted.inspection_id,
            started_at=now(),
            status=RUNNING,
            options=wanted.options,
            worker=wanted.worker,
            lease_until=now() + timedelta(seconds=wanted.lease),
            **({"batch": wanted.batch} if wanted.site_id is None else {"site_id": wanted.site_id}),
        )
        session.add(run)
        session.flush()
        return run.id


def same_work(model: type[Run] | type[AccountRun], wanted: Claim) -> list:
    if model is Run:
        return [Run.inspection_id == wanted.inspection_id, Run.site_id == wanted.site_id]
    return [AccountRun.inspection_id == wanted.inspection_id, AccountRun.batch == wanted.batch]


def work_of(run: Run | AccountRun) -> tuple[str, str | int]:
    """What a run does in its inspection: scan a site, or read a batch of accounts."""
    return ("site", run.site_id) if isinstance(run, Run) else ("accounts", run.batch)


def is_lost(run: Run | AccountRun) -> bool:
    return run.status == FAILED and run.lease_until is not None


def holds(run: Run | AccountRun) -> bool:
    """Whether the run stands: finished, or still running under a live lease."""
    if run.status == RUNNING:
        return run.lease_until is not None and run.lease_until > now()
    return run.status == COMPLETED or not is_lost(run)


def renew(engine: Engine, model: type[Run] | type[AccountRun], run_id: int, lease: float) -> None:
    """Extend a running run's lease by ``lease`` seconds from now."""
    renewing = (
        update(model)
        .where(model.id == run_id, model.status == RUNNING)
        .values(lease_until=now() + timedelta(seconds=lease))
    )
    with engine.begin() as connection:
        connection.execute(renewing)


def expire(engine: Engine, queued: bool) -> list[LostRun]:
    """Fail every running run whose lease has run out, of the inspections whose runs are
    queued tasks or of those carried out by one process, saying which process was lost. Each
    run is failed by one caller only, whoever else looks at the same moment."""
    lost = []
    for model in (Run, AccountRun):
        stale_runs = (
            select(model)
            .join(Inspection, Inspection.id == model.inspection_id)
            .where(model.status == RUNNING, model.lease_until < now())
            .where(Inspection.queued == queued)
        )
        with session_scope(engine) as session:
            stale = session.scalars(stale_runs).all()
        for run in stale:
            if fail_lost(engine, model, run.id, run.worker, run.lease_until):
                site_id, batch = (run.site_id, 0) if model is Run else (None, run.batch)
                concurrency = run.options["concurrency"]
                lost.append(
                    LostRun(run.inspection_id, site_id, batch, run.id, run.worker, concurrency)
                )
    return lost


def fail_lost(
    engine: Engine,
    model: type[Run] | type[AccountRun],
    run_id: int,
    worker: str | None,
    lease_until: datetime,
) -> bool:
    failing = (
        update(model)
        .where(model.id == run_id, model.status == RUNNING, model.lease_until < now())
        .values(
            status=FAILED,
            finished_at=now(),
            error=f"执行此项检查的进程（{worker or '未知'}）失联："
            f"租约于 {lease_until:%Y-%m-%d %H:%M:%S}（UTC）到期未续，已记为未完成",
        )
    )
    with engine.begin() as connection:
        return connection.execute(failing).rowcount == 1


def save_log(engine: Engine, model: type[Run] | type[AccountRun], run_id: int, text: str) -> None:
    """Keep the end of a run's crawl log with the run, so that it reaches the outputs from
    whichever machine crawled."""
    kept = zlib.compress(text[-LOG_CHARS:].encode("utf-8"))
    with engine.begin() as connection:
        connection.execute(update(model).where(model.id == run_id).values(log=kept))


def run_logs(engine: Engine, run_ids: list[int], account_run_ids: list[int]) -> dict[str, str]:
    """The kept crawl logs of these site runs, by site id, and of these account runs, as
    ``accounts`` (``accounts-2`` for the third batch)."""
    sites = select(Run.site_id, Run.log).where(Run.id.in_(run_ids))
    batches = select(AccountRun.batch, AccountRun.log).where(AccountRun.id.in_(account_run_ids))
    with engine.connect() as connection:
        kept = list(connection.execute(sites))
        kept += [(batch_log_name(batch), log) for batch, log in connection.execute(batches)]
    return {name: zlib.decompress(log).decode("utf-8") for name, log in kept if log}


def batch_log_name(batch: int) -> str:
    return "accounts" if batch == 0 else f"accounts-{batch}"
