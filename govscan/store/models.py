"""The database schema: sites, runs and what one run of the crawl and the checks stored."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from govscan.outcomes import RUNNING


class Base(DeclarativeBase):
    pass


class url_key(FunctionElement):
    """A URL as an index holds it: its md5 on PostgreSQL, whose btree entries cannot exceed
    2,704 bytes while URLs run to 10,000 characters; the URL itself elsewhere."""

    inherit_cache = True


@compiles(url_key)
def _url_itself(element: url_key, compiler: SQLCompiler, **kw) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(url_key, "postgresql")
def _url_md5(element: url_key, compiler: SQLCompiler, **kw) -> str:
    return f"md5({compiler.process(element.clauses, **kw)})"


class Site(Base):
    """A site as last described by the inventory."""

    __tablename__ = "sites"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(200))
    level: Mapped[str | None] = mapped_column(String(32))
    profile: Mapped[str] = mapped_column(String(32))
    site_code: Mapped[str | None] = mapped_column(String(16))
    hosts: Mapped[list[str]] = mapped_column(JSON)


class Inspection(Base):
    """One night's work, or one command's: which sites and accounts, with which settings, and
    its runs. Completed once every run has finished; then its outputs are written and the
    units notified, once. Failed when it was interrupted."""

    __tablename__ = "inspections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default=RUNNING)
    error: Mapped[str | None] = mapped_column(Text)
    settings: Mapped[dict] = mapped_column(JSON)  # the inventory's settings
    options: Mapped[dict] = mapped_column(JSON)  # the scan options (govscan.pipeline.ScanOptions)
    sites: Mapped[list[dict]] = mapped_column(JSON)  # as the inventory described them
    accounts: Mapped[list[dict]] = mapped_column(JSON)
    out: Mapped[str] = mapped_column(Text)  # the folder its outputs are written to
    notify: Mapped[bool] = mapped_column(Boolean)  # whether the units are told when it completes
    queued: Mapped[bool] = mapped_column(Boolean, default=False)  # its runs are tasks of workers


class Leased:
    """A run carried out by one process, which renews its lease while it works: a run whose
    lease has run out lost its process (killed, or its machine down) and is failed, never left
    running. The crawl's log is kept with the run, wherever the process ran."""

    worker: Mapped[str | None] = mapped_column(String(255))
    lease_until: Mapped[datetime | None]
    log: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)  # zlib, UTF-8


class Run(Leased, Base):
    """One scan of one site. A run whose process died is failed when its lease runs out."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"), index=True)
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspections.id"), index=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default=RUNNING)
    error: Mapped[str | None] = mapped_column(Text)
    options: Mapped[dict] = mapped_column(JSON)
    stats: Mapped[dict | None] = mapped_column(JSON)
    metrics: Mapped[dict | None] = mapped_column(JSON)  # by probe family: {"ipv6": {…}}


class Page(Base):
    """An internal HTML page the crawl parsed, reduced to what the checks need."""

    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))  # home | page | frame | notfound_probe
    depth: Mapped[int]
    title: Mapped[str] = mapped_column(String(500))
    excerpt: Mapped[str] = mapped_column(Text)  # the start of the visible text
    text_length: Mapped[int]
    link_count: Mapped[int] = mapped_column(default=0, server_default="0")  # with repeats
    facts: Mapped[dict | None] = mapped_column(JSON)  # see govscan.crawler.pages.page_facts
    html: Mapped[bytes | None] = mapped_column(LargeBinary)  # zlib; homepage and depth 1
    text: Mapped[bytes | None] = mapped_column(LargeBinary)  # zlib; the visible text, bounded


Index("ix_pages_run_url", Page.run_id, url_key(Page.url), unique=True)


class Link(Base):
    """A link from a crawled page; duplicates on one page are counted, not repeated."""

    __tablename__ = "links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(Text)
    target: Mapped[str] = mapped_column(Text)
    element: Mapped[str] = mapped_column(
        String(16)
    )  # a | area | img | script | link | iframe | frame
    anchor: Mapped[str] = mapped_column(String(200))
    count: Mapped[int] = mapped_column(Integer, default=1)


Index("ix_links_run_target", Link.run_id, url_key(Link.target))


class Fetch(Base):
    """The outcome of fetching one unique URL once in a run."""

    __tablename__ = "fetches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(8))
    status: Mapped[int | None]
    error_kind: Mapped[str | None] = mapped_column(String(32))  # dns | refused | timeout | tls | …
    error: Mapped[str | None] = mapped_column(Text)
    final_url: Mapped[str | None] = mapped_column(Text)
    elapsed_ms: Mapped[int | None]
    etag: Mapped[str | None] = mapped_column(Text)  # the page's validators, for the next run
    last_modified: Mapped[str | None] = mapped_column(Text)
    reuse: Mapped[str | None] = mapped_column(String(16))  # revalidated | cached; None: fetched
    checked_at: Mapped[datetime | None]  # a cached result's last real fetch; None: this run's


Index("ix_fetches_run_url", Fetch.run_id, url_key(Fetch.url), unique=True)


class RenderedPage(Base):
    """A page opened in the browser: axe-core's results and the layout the 适老化 checks read."""

    __tablename__ = "rendered_pages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))  # home | column | article
    error: Mapped[str | None] = mapped_column(Text)  # why the page could not be tested
    result: Mapped[dict] = mapped_column(JSON)  # see govscan.probes.browser


class Screenshot(Base):
    """A screenshot the browser took as evidence (``govscan.probes.browser.Camera``), a JPEG
    kept by the key the findings name it by."""

    __tablename__ = "screenshots"

    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class FindingColumns:
    """What a finding says (see govscan.checks.finding.Finding), for sites and accounts."""

    rule: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(16))
    url: Mapped[str] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    detail: Mapped[dict] = mapped_column(JSON)


#: The fields of a stored finding, in findings.json's order.
FINDING_FIELDS = ("rule", "severity", "url", "source", "message", "detail")


class FindingRow(FindingColumns, Base):
    """A finding of a check, as reported."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)


class Account(Base):
    """A new-media account as last described by the register."""

    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    account_id: Mapped[str | None] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(200))
    registered: Mapped[bool] = mapped_column(Boolean)


class AccountRun(Leased, Base):
    """One reading of a batch of accounts' archives; ``options`` holds the accounts and
    settings."""

    __tablename__ = "account_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspections.id"), index=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default=RUNNING)
    error: Mapped[str | None] = mapped_column(Text)
    options: Mapped[dict] = mapped_column(JSON)
    summaries: Mapped[dict | None] = mapped_column(JSON)  # by account: last post, posts, …
    batch: Mapped[int] = mapped_column(Integer, default=0)  # which of the inspection's batches


class OfAccountRun:
    """A row about one account in one account run."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("account_runs.id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[str] = mapped_column(String(64))


class ArchiveRead(OfAccountRun, Base):
    """The outcome of reading one archive source of an account: posts found, or the error."""

    __tablename__ = "archive_reads"

    source: Mapped[str] = mapped_column(Text)  # the archive's URL
    status: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)  # Chinese, for the supervisor
    nickname: Mapped[str | None] = mapped_column(Text)  # as the archive names the account
    user_name: Mapped[str | None] = mapped_column(String(100))
    posts: Mapped[list[dict]] = mapped_column(JSON)  # see govscan.feeds.Post


class AccountFinding(OfAccountRun, FindingColumns, Base):
    """A finding about an account, as reported."""

    __tablename__ = "account_findings"


class AvailabilityProbe(Base):
    """One fetch of a site's homepage by the scheduler: answered in time, or not."""

    __tablename__ = "availability_probes"
    __table_args__ = (Index("ix_availability_site_at", "site_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]  # UTC
    ok: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    elapsed_ms: Mapped[int | None]


class RectificationClaim(Base):
    """What a unit wrote back in its 整改清单 about one problem, found again by the next
    inspection through the problem's rule and URL (see ``govscan.store.claims``)."""

    __tablename__ = "rectification_claims"
    __table_args__ = (Index("ix_claims_subject", "kind", "subject_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # site | account
    subject_id: Mapped[str] = mapped_column(String(64))
    rule: Mapped[str] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(Text)  # as govscan.reports.bulletin.problem_key holds it
    progress: Mapped[str] = mapped_column(String(16))  # 未整改 | 整改中 | 已整改 | 无法整改
    owner: Mapped[str | None] = mapped_column(Text)
    measures: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)  # the file it was imported from
    imported_at: Mapped[datetime]
