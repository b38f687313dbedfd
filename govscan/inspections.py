"""Inspections: a night's work — which sites and accounts, with which settings, its runs —
stored with its own id. The command line and the nightly service start, run and finish
inspections here and only here. The plan is stored with the inspection, so whoever finishes
its last run can finish it: the outputs are written and the units notified then, once."""

from __future__ import annotations

import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine

from govscan.options import site_options
from govscan.outcomes import COMPLETED, RUNNING
from govscan.parallel import JUDGING, Slot, default_parallel, scan_all, slots
from govscan.pipeline import ScanOptions, ScanResult, describe, scan_accounts, scan_site
from govscan.reports.notify import Delivery, notify
from govscan.reports.outputs import LOGS_FOLDER, Outputs, write_outputs
from govscan.resolver import Lookup
from govscan.store.inspections import (
    complete_inspection,
    fail_inspection,
    get_inspection,
    inspection_runs,
    mark_completed,
    start_inspection,
)
from govscan.store.inventory import AccountEntry, Inventory, Settings, SiteEntry
from govscan.store.leases import LostRun, batch_log_name, expire, is_lost
from govscan.store.models import Inspection
from govscan.store.runs import progress


@dataclass(frozen=True)
class Plan:
    """What an inspection covers and how: the sites and accounts, the inventory's settings,
    the scan options, and whether the units are notified when it completes."""

    sites: list[SiteEntry]
    accounts: list[AccountEntry]
    options: ScanOptions
    settings: Settings = field(default_factory=Settings)
    notify: bool = False

    @classmethod
    def of_inventory(cls, inventory: Inventory, options: ScanOptions, notify: bool) -> Plan:
        """Every site and account of the inventory."""
        return cls(inventory.sites, inventory.accounts, options, inventory.settings, notify)

    @classmethod
    def stored(cls, inspection: Inspection) -> Plan:
        """The plan an inspection was started with."""
        return cls(
            sites=[SiteEntry.model_validate(site) for site in inspection.sites],
            accounts=[AccountEntry.model_validate(account) for account in inspection.accounts],
            options=ScanOptions(**inspection.options),
            settings=Settings.model_validate(own_sections(inspection.settings)),
            notify=inspection.notify,
        )

    @property
    def parallel(self) -> int:
        """Sites crawled at once."""
        return self.settings.parallel or default_parallel()

    @property
    def per_ip(self) -> int:
        """Requests at once to one address, over all the sites crawled at once."""
        return self.settings.per_ip or self.options.concurrency

    @property
    def account_batches(self) -> list[list[AccountEntry]]:
        """The accounts in batches of ``settings.account_batch``, each read by one crawl."""
        size = self.settings.account_batch
        return [self.accounts[start : start + size] for start in range(0, len(self.accounts), size)]

    def contacts(self) -> dict[str, set[str]]:
        """The addresses each unit's problems are mailed to."""
        found: dict[str, set[str]] = defaultdict(set)
        for entry in [*self.sites, *self.accounts]:
            if entry.contact.email:
                found[entry.unit].add(entry.contact.email)
        return found


class Watch(Protocol):
    """Who follows an inspection as it goes: the command line shows it on the terminal."""

    def planned(self, sites: list[SiteEntry], parallel: int | None) -> None:
        """The sites to scan, ``parallel`` at once (None: as many as the workers take)."""

    def scanning(self, site: SiteEntry, phase: str | None, counts: dict[str, int]) -> None:
        """A site's scan so far: its phase (``pipeline.CRAWL``, …; None when unknown, as for
        a worker's) and its crawl's counts: pages parsed, URLs fetched, fetches that failed."""

    def scanned(self, site: SiteEntry, result: ScanResult) -> None:
        """A site's run has finished, completed or failed."""

    def reading(self, accounts: list[AccountEntry]) -> None:
        """The accounts' archives are being read."""

    def written(self, outputs: Outputs) -> None:
        """The outputs are written; the units are notified next."""


@dataclass
class Finished:
    """A completed inspection: what it wrote, and how each notification went."""

    inspection: Inspection
    outputs: Outputs
    deliveries: list[Delivery]


def start(engine: Engine, plan: Plan, out: Path, queued: bool = False) -> Inspection:
    """A new inspection of ``plan``, its outputs to be written to ``out``; ``queued`` when
    workers carry out its runs (``govscan.cluster``)."""
    options = asdict(plan.options)
    return start_inspection(
        engine, plan.sites, plan.accounts, plan.settings, options, out, plan.notify, queued
    )


def recover(engine: Engine) -> list[LostRun]:
    """Fail the runs, and the inspections, of a process that died without ending them (kill
    -9, a machine down): found by their lease, which that process no longer renews."""
    lost = expire(engine, queued=False)
    for run in lost:  # ends each inspection once, with the first lost run's process
        fail_inspection(engine, run.inspection_id, f"检查进程（{run.worker}）失联，未能完成")
    return lost


def run(engine: Engine, inspection: Inspection, watch: Watch | None = None) -> None:
    """Scan the inspection's sites and read its accounts' archives alongside, each a run of
    it. An interruption fails the inspection, as it fails the runs it stopped, and goes on up."""
    plan = Plan.stored(inspection)
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="accounts") as alongside:
            reading = (
                alongside.submit(read_accounts, engine, inspection, plan, watch)
                if plan.accounts
                else None
            )
            scan_sites(engine, inspection, plan, watch)
            if reading is not None:
                reading.result()
    except BaseException as interrupt:
        fail_inspection(engine, inspection.id, f"检查中断：{describe(interrupt)}")
        raise


def scan_sites(engine: Engine, inspection: Inspection, plan: Plan, watch: Watch | None) -> None:
    """The sites, ``plan.parallel`` at once within the per-address limit (``govscan.parallel``),
    each with its share of the concurrency; their checks one site at a time."""
    options = plan.options

    def scan(slot: Slot) -> None:
        shown = partial(watch.scanning, slot.site) if watch else None
        log = Path(inspection.out) / LOGS_FOLDER / f"{slot.site.id}.log"
        chosen = replace(site_options(options, slot.site), concurrency=slot.concurrency)
        result = scan_site(engine, inspection.id, slot.site, chosen, log, shown, JUDGING)
        if watch and result:
            watch.scanned(slot.site, result)

    if watch:
        watch.planned(plan.sites, plan.parallel)
    lookup = Lookup(options.resolve, options.nameserver, options.timeout)
    waiting = slots(plan.sites, lookup, options.concurrency, plan.per_ip)
    scan_all(waiting, plan.parallel, plan.per_ip, scan)


def read_accounts(engine: Engine, inspection: Inspection, plan: Plan, watch: Watch | None) -> None:
    """The accounts' archives, a batch after another."""
    if watch:
        watch.reading(plan.accounts)
    for batch, accounts in enumerate(plan.account_batches):
        log = Path(inspection.out) / LOGS_FOLDER / f"{batch_log_name(batch)}.log"
        scan_accounts(engine, inspection.id, accounts, plan.options, log, batch=batch)


def inspect(engine: Engine, plan: Plan, out: Path, watch: Watch | None = None) -> Finished:
    """An inspection of ``plan`` from start to finish, in this process."""
    inspection = start(engine, plan, out)
    run(engine, inspection, watch)
    finished = finish(engine, inspection.id, watch)
    assert finished is not None, "every run has finished, and nothing else ends an inspection"
    return finished


def finish(engine: Engine, inspection_id: int, watch: Watch | None = None) -> Finished | None:
    """Once every run of the inspection has finished: write its outputs, mark it completed
    and notify the units if its plan says so — all of it once, whoever calls. None while
    runs are still to finish, or when the inspection has already ended. Outputs that cannot
    be written fail it, with the reason."""
    inspection = get_inspection(engine, inspection_id)
    plan = Plan.stored(inspection)
    if not complete_inspection(engine, inspection_id, len(plan.account_batches)):
        return None
    runs, account_runs = inspection_runs(engine, inspection_id)
    try:
        outputs = write_outputs(
            engine,
            [run.id for run in runs],
            [run.id for run in account_runs],
            Path(inspection.out),
            plan.settings.bulletin,
        )
    except Exception as error:
        fail_inspection(engine, inspection_id, f"报告未能写入 {inspection.out}：{error}")
        raise
    mark_completed(engine, inspection_id)
    inspection = get_inspection(engine, inspection_id)
    if watch:
        watch.written(outputs)
    deliveries = (
        notify(outputs.result, outputs.folder, plan.contacts(), plan.settings.notify)
        if plan.notify
        else []
    )
    return Finished(inspection, outputs, deliveries)


def follow(engine: Engine, inspection_id: int, watch: Watch, every: float = 1.0) -> Inspection:
    """Show an inspection that workers carry out, from the store, until it ends; return it
    as it ended. A site counts as scanned once its last run finished other than lost (a
    lost run is queued again)."""
    plan = Plan.stored(get_inspection(engine, inspection_id))
    sites = {site.id: site for site in plan.sites}
    watch.planned(plan.sites, None)
    shown: set[str] = set()
    while True:
        inspection = get_inspection(engine, inspection_id)
        runs, _ = inspection_runs(engine, inspection_id)
        for run in runs:
            if run.status == RUNNING:
                watch.scanning(sites[run.site_id], None, progress(engine, run.id))
            elif run.site_id not in shown and not is_lost(run):
                shown.add(run.site_id)
                result = ScanResult(run.id, run.status == COMPLETED, run.error)
                watch.scanned(sites[run.site_id], result)
        if inspection.status != RUNNING:
            return inspection
        time.sleep(every)


def own_sections(settings: dict) -> dict:
    """The stored settings without the sections of families from other packages: those
    reach their judges through the options (``ScanOptions.settings``)."""
    return {name: value for name, value in settings.items() if name in Settings.model_fields}
