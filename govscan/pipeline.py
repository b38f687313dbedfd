"""One scan of one site: crawl in a child process, run the checks, keep everything in the store."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from functools import partial
from pathlib import Path

from sqlalchemy import Engine

from govscan import USER_AGENT
from govscan.checks import a11y, availability, newmedia
from govscan.checks.context import homepage_fetch, kept_homepage
from govscan.checks.family import Family
from govscan.checks.registry import family_names, registry
from govscan.checks.scoring import load_profile, score, waive
from govscan.crawler.launch import crawl
from govscan.leases import LEASE, heartbeat, worker_name
from govscan.outcomes import COMPLETED, FAILED
from govscan.probes import browser, ipv6, tls
from govscan.probes.availability import ATTEMPTS, attempt, stamp
from govscan.resolver import Lookup
from govscan.store.accounts import (
    archive_reads,
    finish_account_run,
    get_account_run,
    save_account_findings,
    save_accounts,
)
from govscan.store.inventory import (
    AccountEntry,
    AvailabilitySettings,
    Dictionaries,
    IPv6Settings,
    NewMediaSettings,
    Settings,
    SiteEntry,
)
from govscan.store.leases import Claim, claim
from govscan.store.models import AccountRun, Run
from govscan.store.runs import (
    RunData,
    finish_run,
    get_run,
    save_findings,
    save_metrics,
    save_rendered,
    save_site,
)
from govscan.store.snapshot import load_view, with_measurements
from govscan.store.view import Attempt, Fetch, RenderedPage, RunView, as_json, measured
from govscan.urls import host_of

#: What a site's scan is doing, in order: its crawl, waiting for its turn at the checks (one
#: site's at a time), the probes the selected families need, and the judging.
CRAWL, QUEUED, IPV6, TLS, BROWSER, CHECKS = "crawl", "queued", "ipv6", "tls", "browser", "checks"
#: A scan's progress: the phase it has entered, with the crawl's counts so far
Progress = Callable[[str, dict[str, int]], None]
Phase = Callable[[str], None]


@dataclass
class ScanOptions:
    """How to scan; stored with the run so that any worker can run the job."""

    max_pages: int = 1000
    max_depth: int = 3
    concurrency: int = 4  # requests at once to one host (a share of per_ip where sites share one)
    timeout: float = 15.0
    resolve: dict[str, list[str]] = field(default_factory=dict)
    nameserver: str | None = None
    user_agent: str | None = None
    obey_robots: bool = False
    skip_hosts: list[str] = field(default_factory=list)  # linked, never fetched nor judged
    exclude: list[str] = field(default_factory=list)  # regular expressions of such URLs
    checks: list[str] = field(default_factory=family_names)
    timezone: str = Settings().timezone
    sample_pages: int = Settings().sample_pages
    # each check family's settings, by family name, as the inventory gives them; a family
    # without an entry judges with its settings model's defaults
    settings: dict[str, dict] = field(default_factory=dict)
    # the register's accounts, {platform, name, account_id}: links to others are unregistered
    known_accounts: list[dict] = field(default_factory=list)
    # bounds of a link, page or host that the inventory sets (CrawlLimits); others: the crawl's
    limits: dict[str, float] = field(default_factory=dict)
    scoring_profile: str | None = None  # default: govscan/checks/scoring.yaml
    full: bool = False  # download every page and check every link, reusing no earlier run
    link_ttl_days: float = Settings().incremental.link_ttl_days

    def job(self) -> dict:
        """What the run keeps of the options: every one."""
        return asdict(self)


@dataclass
class ScanResult:
    run_id: int
    completed: bool
    error: str | None = None


def scan_site(
    engine: Engine,
    inspection_id: int,
    site: SiteEntry,
    options: ScanOptions,
    log_path: Path,
    on_progress: Progress | None = None,
    judging: AbstractContextManager | None = None,
    lease: float = LEASE,
) -> ScanResult | None:
    """Crawl ``site``, run the selected checks, and mark the run completed or failed; the
    checks run inside ``judging`` (a lock when many sites are crawled at once). None when the
    site's run in this inspection is taken already (a task delivered twice)."""
    save_site(engine, site)
    wanted = Claim(inspection_id, site.id, site_job(site, options), worker_name(), lease)
    if (run_id := claim(engine, wanted)) is None:
        return None

    crawled: dict[str, int] = {}  # the crawl's last counts, which the later phases show

    def counted(counts: dict[str, int]) -> None:
        crawled.update(counts)
        entering(CRAWL)

    def entering(phase: str) -> None:
        """Tell who watches that the scan has entered ``phase``, with the crawl's counts."""
        if on_progress:
            on_progress(phase, dict(crawled))

    def crawl_and_check() -> tuple[str | None, dict]:
        if error := crawl(engine, run_id, log_path, counted if on_progress else None):
            return error, {}
        entering(QUEUED)
        with judging or nullcontext():
            return check(engine, run_id, options, entering)

    return carry_out(engine, Run, run_id, lease, crawl_and_check)


def site_job(site: SiteEntry, options: ScanOptions) -> dict:
    """What the site's run keeps of the site and the options: all a crawl process needs."""
    return {
        "url": site.url,
        "hosts": site.all_hosts,
        "columns": [column.model_dump() for column in site.columns],
        "waivers": [waiver.model_dump() for waiver in site.waivers],
        "external_services": site.external_services,
        **options.job(),
    }


def check(engine: Engine, run_id: int, options: ScanOptions, entering: Phase) -> tuple[None, dict]:
    """Everything after the crawl: the probes and the checks, unless the homepage could not
    be read; then only whether the site is available. Each phase is announced to
    ``entering`` as it starts, for the terminal to show what a long wait is for."""
    entering(CHECKS)  # reading the run back and, when it failed, the homepage again
    window = probe_window(selected(options))
    view = load_view(engine, run_id, window)
    if unscanned := homepage_unread(engine, view, options):
        skipped = [name for name in options.checks if name != "availability"]
        save_metrics(engine, run_id, "not_run", dict.fromkeys(skipped, unscanned))
        view = with_measurements(engine, view, window)
        return None, {"stats": run_checks(engine, view, ["availability"], scored=False)}
    run_probes(engine, view, options, entering)
    view = with_measurements(engine, view, window)
    entering(CHECKS)
    return None, {"stats": run_checks(engine, view, options.checks)}


def scan_accounts(
    engine: Engine,
    inspection_id: int,
    accounts: list[AccountEntry],
    options: ScanOptions,
    log_path: Path,
    lease: float = LEASE,
    batch: int = 0,
) -> ScanResult | None:
    """Read the archives of a batch of accounts in one crawl, judge each account, finish the
    run; None when the batch's run in the inspection is taken already."""
    save_accounts(engine, accounts)
    job = {"accounts": [account.model_dump() for account in accounts], **options.job()}
    wanted = Claim(inspection_id, None, job, worker_name(), lease, batch)
    if (run_id := claim(engine, wanted)) is None:
        return None

    def read_and_judge() -> tuple[str | None, dict]:
        if error := crawl(engine, run_id, log_path, None, archives=True):
            return error, {}
        return None, {"summaries": judge_accounts(engine, run_id, job)}

    return carry_out(engine, AccountRun, run_id, lease, read_and_judge)


def carry_out(
    engine: Engine,
    model: type[Run] | type[AccountRun],
    run_id: int,
    lease: float,
    work: Callable[[], tuple[str | None, dict]],
) -> ScanResult:
    """Do a run's ``work`` under its lease and finish the run completed, with what the work
    returned, or failed with its reason; Ctrl-C or a crash never leaves a run "running"."""
    finish = partial(finish_run if model is Run else finish_account_run, engine)
    try:
        with heartbeat(engine, model, run_id, lease):
            error, results = work()
    except BaseException as interrupt:
        finish(run_id, FAILED, error=f"扫描中断：{describe(interrupt)}")
        raise
    if error is not None:
        finish(run_id, FAILED, error=error)
        return ScanResult(run_id, completed=False, error=error)
    finish(run_id, COMPLETED, **results)
    return ScanResult(run_id, completed=True)


def describe(interrupt: BaseException) -> str:
    """What stopped a run, in words: Ctrl-C by name, an error by its message."""
    if isinstance(interrupt, KeyboardInterrupt):
        return "用户中断（Ctrl-C）"
    return str(interrupt) or type(interrupt).__name__


def judge_accounts(engine: Engine, run_id: int, job: dict) -> dict:
    """Store each account's findings; return what the report shows of each."""
    reads = archive_reads(engine, run_id)
    started_at = get_account_run(engine, run_id).started_at
    profile = load_profile(job.get("scoring_profile"))
    settings = NewMediaSettings.model_validate(job["settings"].get("newmedia", {}))
    # the inventory's dictionaries, which the content family reads pages with
    added = Dictionaries.model_validate(job["settings"].get("content", {}).get("dictionaries", {}))
    summaries = {}
    for account in job["accounts"]:
        found, summary = newmedia.check_account(
            account, reads[account["id"]], started_at, settings, job["timezone"], added
        )
        rows = waive([finding.as_dict() for finding in found], account.get("waivers", []))
        scoring = asdict(score(rows, profile))  # marks each finding with the points it cost
        save_account_findings(engine, run_id, [{"account_id": account["id"], **r} for r in rows])
        summaries[account["id"]] = {**asdict(summary), "scoring": scoring}
    return summaries


def homepage_unread(engine: Engine, view: RunView, options: ScanOptions) -> str | None:
    """None when the crawl read the homepage; else why the site could not be scanned. A
    homepage that gave no answer is fetched again when no availability probes judge it;
    what was tried is kept for the availability check."""
    if kept_homepage(view) is not None:
        return None
    attempts = [crawl_attempt(view)]
    evidence = None  # it answered, with nothing to read: a 404, a page that is not HTML, …
    if availability.no_answer(attempts[0]):
        evidence = "probes" if view.availability.probes.probes else "scan_attempts"
    if evidence == "scan_attempts":
        attempts = fetch_homepage_again(attempts[0], view.site.url, options)
    reason = unscanned_reason(evidence, attempts)
    tried = {"unscanned": reason, "evidence": evidence, "attempts": [asdict(a) for a in attempts]}
    save_metrics(engine, view.run.id, "availability", tried)
    return reason


def crawl_attempt(view: RunView) -> Attempt:
    """The crawl's fetch of the homepage (Scrapy's retry included), dated at the run's start."""
    fetch = homepage_fetch(view) or Fetch(view.site.url, error="未抓取")
    return Attempt(stamp(view.run.started_at), "crawl", fetch.status, fetch.error_kind, fetch.error)


def unscanned_reason(evidence: str | None, attempts: list[Attempt]) -> str:
    what = availability.outcome(attempts[0])
    if evidence is None:
        return f"未能读取首页（{what}），网站内容未能检查"
    if availability.no_answer(attempts[-1]):
        return f"首页无法访问（{what}），网站内容未能检查"
    return f"首页在抓取时无法访问（{what}），之后恢复；网站内容未能检查，请重新扫描"


def fetch_homepage_again(first: Attempt, url: str, options: ScanOptions) -> list[Attempt]:
    """The crawl's attempt and the scan's own, the availability settings' ``retry_seconds``
    apart, until the homepage answers or ``ATTEMPTS`` have failed: three over a minute by
    default."""
    pause = AvailabilitySettings.model_validate(options.settings.get("availability", {}))
    attempts = [first]
    user_agent = options.user_agent or USER_AGENT
    while len(attempts) < ATTEMPTS and availability.no_answer(attempts[-1]):
        time.sleep(pause.retry_seconds)
        attempts.append(attempt(url, options.resolve, options.nameserver, user_agent))
    return attempts


def selected(options: ScanOptions) -> list[Family]:
    return [registry().family(name) for name in options.checks]


def probe_window(families: list[Family]) -> timedelta | None:
    """The longest window of the scheduler's probes that the families ask for; always the
    availability family's, which judges a homepage the crawl could not read."""
    asking = [*families, availability.FAMILY]
    return max(filter(None, (family.needs.probe_window for family in asking)), default=None)


def run_probes(engine: Engine, view: RunView, options: ScanOptions, entering: Phase) -> None:
    """Measure what the selected families need beside the crawl (IPv6, the TLS handshake,
    pages in the browser), through the scan's resolver, and keep it with the run; each
    probe's phase is announced to ``entering`` as it starts."""
    lookup = Lookup(options.resolve, options.nameserver, options.timeout)
    user_agent = options.user_agent or USER_AGENT
    families = selected(options)
    if any(family.needs.ipv6 for family in families):
        entering(IPV6)
        settings = IPv6Settings.model_validate(options.settings.get("ipv6", {}))
        found = ipv6.measure(view, settings, lookup, user_agent, options.timeout)
        save_metrics(engine, view.run.id, "ipv6", as_json(found))
    if any(family.needs.tls for family in families):
        entering(TLS)
        found = tls.measure(view.site.url, lookup, options.timeout)
        save_metrics(engine, view.run.id, "tls", as_json(found))
    if any(family.needs.browser for family in families):
        entering(BROWSER)
        render_pages(engine, view, options, lookup, user_agent)


def browser_targets(view: RunView, families: list[Family]) -> list[browser.Target]:
    """The pages every family that needs the browser chooses, each once, in their order."""
    choosers = dict.fromkeys(family.needs.browser for family in families if family.needs.browser)
    chosen = {page.url: page for choose in choosers for page in choose(view)}
    return [browser.Target(page.url, page.role, page.layout) for page in chosen.values()]


def suspect_words(families: list[Family]) -> str | None:
    """The words any of the families wants photographed, as one regular expression."""
    words = [family.needs.suspect_words for family in families if family.needs.suspect_words]
    return "|".join(f"(?:{pattern})" for pattern in words) or None


def render_pages(
    engine: Engine, view: RunView, options: ScanOptions, lookup: Lookup, user_agent: str
) -> None:
    """Open the chosen pages in the browser and keep what it measured; without a browser,
    or when no page could be tested, record the browser checks as not run."""
    families = selected(options)
    try:
        rendered = browser.render(
            browser_targets(view, families),
            extra_hosts={host_of(url) for url in view.embedded_targets},
            lookup=lookup,
            only_known_hosts=options.nameserver is not None,
            user_agent=user_agent,
            timeout=options.timeout,
            suspect_words=suspect_words(families),
        )
    except browser.BrowserMissing as missing:
        rendered, summary = [], {"not_run": str(missing)}
    else:
        pages = [measured(RenderedPage, result) for result in rendered]
        summary = a11y.summary(pages, a11y.layout_count(view))
    save_rendered(engine, view.run.id, rendered)
    save_metrics(engine, view.run.id, "a11y", summary)
    if "not_run" in summary:
        needing = [family.name for family in families if family.needs.browser]
        save_metrics(engine, view.run.id, "not_run", dict.fromkeys(needing, summary["not_run"]))


def run_checks(
    engine: Engine, view: RunView, names: list[str], scored: bool = True
) -> dict[str, int]:
    """Judge the run with the named check families, waive what the inventory waives, and
    give the site its verdict and, unless it could not be scanned, its score; returns the
    run's counts."""
    options = get_run(engine, view.run.id).options
    findings = []
    for name in names:
        family = registry().family(name)
        settings = family.settings.model_validate(options["settings"].get(name, {}))
        found = [finding.as_dict() for finding in family.findings(view, settings)]
        findings += waive(found, options.get("waivers", []))
    profile = load_profile(options.get("scoring_profile"))
    scoring = asdict(score(findings, profile))  # marks each finding with the points it cost
    save_findings(engine, view.run.id, findings)
    save_metrics(engine, view.run.id, "scoring", scoring if scored else {**scoring, "score": None})
    return RunData(engine, view.run.id).counts()
