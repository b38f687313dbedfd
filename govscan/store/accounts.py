"""Account runs: what the archive crawl read for each account, and the findings about it."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Engine, insert, select

from govscan.store.db import session_scope
from govscan.store.inventory import AccountEntry
from govscan.store.models import (
    FINDING_FIELDS,
    Account,
    AccountFinding,
    AccountRun,
    ArchiveRead,
)
from govscan.store.records import ArchiveRecord
from govscan.store.runs import now


def save_accounts(engine: Engine, accounts: list[AccountEntry]) -> None:
    """Store the accounts as the register describes them now."""
    with session_scope(engine) as session:
        for entry in accounts:
            session.merge(
                Account(
                    id=entry.id,
                    platform=entry.platform,
                    name=entry.name,
                    account_id=entry.account_id,
                    unit=entry.unit,
                    registered=entry.registered,
                )
            )


def finish_account_run(
    engine: Engine,
    run_id: int,
    status: str,
    error: str | None = None,
    summaries: dict | None = None,
) -> None:
    with session_scope(engine) as session:
        run = session.get(AccountRun, run_id)
        run.status, run.error, run.finished_at, run.summaries = status, error, now(), summaries
        run.lease_until = None  # finished by its process: not lost


def get_account_run(engine: Engine, run_id: int) -> AccountRun:
    with session_scope(engine) as session:
        return session.get(AccountRun, run_id)


def latest_account_runs(engine: Engine, statuses: tuple[str, ...]) -> list[AccountRun]:
    """The account runs, in one of ``statuses``, of the newest inspection that has one: the
    last of each batch, in batch order."""
    newest = (
        select(AccountRun)
        .where(AccountRun.status.in_(statuses))
        .order_by(AccountRun.started_at.desc(), AccountRun.id.desc())
        .limit(1)
    )
    with session_scope(engine) as session:
        found = session.scalars(newest).first()
        if found is None or found.inspection_id is None:
            return [found] if found else []
        same_inspection = (
            select(AccountRun)
            .where(
                AccountRun.inspection_id == found.inspection_id,
                AccountRun.status.in_(statuses),
            )
            .order_by(AccountRun.id)
        )
        last_of_batch = {run.batch: run for run in session.scalars(same_inspection)}
    return [last_of_batch[batch] for batch in sorted(last_of_batch)]


def save_archive_read(engine: Engine, run_id: int, record: ArchiveRecord) -> None:
    with engine.begin() as connection:
        connection.execute(insert(ArchiveRead), [{"run_id": run_id, **record.__dict__}])


def archive_reads(engine: Engine, run_id: int) -> dict[str, list[ArchiveRecord]]:
    """Every archive read of the run, by account id."""
    query = select(ArchiveRead).where(ArchiveRead.run_id == run_id).order_by(ArchiveRead.id)
    found: dict[str, list[ArchiveRecord]] = defaultdict(list)
    with session_scope(engine) as session:
        for row in session.scalars(query):
            found[row.account_id].append(
                ArchiveRecord(
                    row.account_id,
                    row.source,
                    row.status,
                    row.error,
                    row.nickname,
                    row.user_name,
                    row.posts,
                )
            )
    return found


def save_account_findings(engine: Engine, run_id: int, findings: list[dict]) -> None:
    if findings:
        with engine.begin() as connection:
            connection.execute(
                insert(AccountFinding), [{"run_id": run_id, **finding} for finding in findings]
            )


def account_findings(engine: Engine, run_id: int) -> dict[str, list[dict]]:
    """The run's findings by account id, in the order they were found."""
    query = select(AccountFinding).where(AccountFinding.run_id == run_id)
    found: dict[str, list[dict]] = defaultdict(list)
    with session_scope(engine) as session:
        for row in session.scalars(query.order_by(AccountFinding.id)):
            found[row.account_id].append({name: getattr(row, name) for name in FINDING_FIELDS})
    return found
