"""Rectification claims: what units wrote back in their 整改清单, and the problems a claim
may name — every rule and URL a subject's stored findings hold."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, delete, select

from govscan.outcomes import COMPLETED
from govscan.store.db import session_scope
from govscan.store.models import AccountFinding, AccountRun, FindingRow, RectificationClaim, Run
from govscan.store.runs import now

SITE, ACCOUNT = "site", "account"
Problem = tuple[str, str, str, str]  # kind, subject id, rule, URL


@dataclass(frozen=True)
class Claim:
    """A unit's answer about one problem of one site or account."""

    kind: str  # SITE | ACCOUNT
    subject_id: str
    rule: str
    url: str  # the problem's URL as the bulletin matches it across runs
    progress: str  # 未整改 | 整改中 | 已整改 | 无法整改
    owner: str | None
    measures: str | None
    source: str  # the file it came from

    @property
    def key(self) -> Problem:
        return self.kind, self.subject_id, self.rule, self.url


def save_claims(engine: Engine, claims: list[Claim]) -> None:
    """Store the claims of one returned file in one transaction; a claim replaces the one
    stored before about the same problem, so importing a file again changes nothing."""
    moment = now()
    with session_scope(engine) as session:
        for claim in claims:
            session.execute(delete(RectificationClaim).where(*same_problem(claim)))
            session.add(RectificationClaim(**claim.__dict__, imported_at=moment))


def same_problem(claim: Claim) -> tuple:
    return (
        RectificationClaim.kind == claim.kind,
        RectificationClaim.subject_id == claim.subject_id,
        RectificationClaim.rule == claim.rule,
        RectificationClaim.url == claim.url,
    )


def claims_of(engine: Engine, kind: str, subject_id: str) -> dict[tuple[str, str], Claim]:
    """The stored claims about one site or account, by (rule, URL)."""
    query = select(RectificationClaim).where(
        RectificationClaim.kind == kind, RectificationClaim.subject_id == subject_id
    )
    with session_scope(engine) as session:
        return {(row.rule, row.url): as_claim(row) for row in session.scalars(query)}


def as_claim(row: RectificationClaim) -> Claim:
    return Claim(
        row.kind,
        row.subject_id,
        row.rule,
        row.url,
        row.progress,
        row.owner,
        row.measures,
        row.source,
    )


def found_problems(engine: Engine, subjects: set[tuple[str, str]]) -> set[Problem]:
    """(kind, subject id, rule, URL) of every finding stored about these subjects in completed
    runs: what a returned list may name."""
    sites = {subject_id for kind, subject_id in subjects if kind == SITE}
    accounts = {subject_id for kind, subject_id in subjects if kind == ACCOUNT}
    of_sites = (
        select(Run.site_id, FindingRow.rule, FindingRow.url)
        .join(Run, FindingRow.run_id == Run.id)
        .where(Run.site_id.in_(sites), Run.status == COMPLETED)
        .distinct()
    )
    of_accounts = (
        select(AccountFinding.account_id, AccountFinding.rule, AccountFinding.url)
        .join(AccountRun, AccountFinding.run_id == AccountRun.id)
        .where(AccountFinding.account_id.in_(accounts), AccountRun.status == COMPLETED)
        .distinct()
    )
    with session_scope(engine) as session:
        found = {(SITE, *row) for row in session.execute(of_sites)}
        return found | {(ACCOUNT, *row) for row in session.execute(of_accounts)}
