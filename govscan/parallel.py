"""Many sites at once, politely: which site may start, and with how many requests at a time.

A night's scans are latency-bound (government servers answer in 0.1–2 s), so sites are
crawled side by side, each crawl in its own process. Many sites of a province live on one
集约化 platform, i.e. on the same servers: the sites' addresses are looked up first, every site
on a shared address gets an equal share of the per-address limit as its per-host
concurrency, and a site starts only when its addresses have room for its share. So the
requests in flight to one address, summed over the sites being crawled, never pass
``per_ip``, and no host ever passes ``concurrency``.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

from govscan.resolver import Lookup
from govscan.store.inventory import SiteEntry

#: Sites crawled at once by default. Crawls mostly wait for servers (two cores carried 16,
#: docs/benchmarks.md), so memory binds first: a site being crawled holds about 100 MB.
MAX_DEFAULT_PARALLEL = 16
SITES_PER_CORE = 8
MB_PER_SITE = 512  # with room for the checks and the rest of the machine
LOOKUPS_AT_ONCE = 16  # a province's sites are looked up before the night starts


def default_parallel() -> int:
    """As many sites as the machine's memory and cores carry, at most 16."""
    memory_mb = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2**20
    by_memory = max(1, memory_mb // MB_PER_SITE)
    return min(MAX_DEFAULT_PARALLEL, SITES_PER_CORE * (os.cpu_count() or 1), by_memory)


@dataclass(frozen=True)
class Slot:
    """A site to scan, the addresses its hosts resolve to, and its per-host concurrency."""

    site: SiteEntry
    addresses: frozenset[str]
    concurrency: int


def slots(sites: list[SiteEntry], lookup: Lookup, concurrency: int, per_ip: int) -> list[Slot]:
    """Each site with its share: ``concurrency``, or less where sites share an address, so
    that all the sites on one address together can run within ``per_ip``."""
    with ThreadPoolExecutor(max_workers=LOOKUPS_AT_ONCE) as pool:
        found_addresses = pool.map(lambda site: site_addresses(site, lookup), sites)
        addresses = dict(zip((site.id for site in sites), found_addresses, strict=True))
    sharing = Counter(address for found in addresses.values() for address in found)
    found = []
    for site in sites:
        crowd = max((sharing[address] for address in addresses[site.id]), default=1)
        own = site.crawl.concurrency or concurrency
        share = max(1, min(own, per_ip // crowd))
        found.append(Slot(site, addresses[site.id], share))
    return found


def site_addresses(site: SiteEntry, lookup: Lookup) -> frozenset[str]:
    return frozenset(address for host in site.all_hosts for address in lookup.addresses(host))


class Admission:
    """Which waiting site may start: at most ``parallel`` at once, and only if every one of
    its addresses has room for its share (a site alone on an address always starts)."""

    def __init__(self, parallel: int, per_ip: int):
        self.parallel = parallel
        self.per_ip = per_ip
        self.running: list[Slot] = []
        self.in_flight: Counter[str] = Counter()  # requests allowed at once, by address

    def next(self, waiting: list[Slot]) -> Slot | None:
        if len(self.running) >= self.parallel:
            return None
        return next((slot for slot in waiting if self.has_room(slot)), None)

    def has_room(self, slot: Slot) -> bool:
        return all(
            self.in_flight[address] == 0
            or self.in_flight[address] + slot.concurrency <= self.per_ip
            for address in slot.addresses
        )

    def start(self, slot: Slot) -> None:
        self.running.append(slot)
        self.in_flight.update(dict.fromkeys(slot.addresses, slot.concurrency))

    def finish(self, slot: Slot) -> None:
        self.running.remove(slot)
        self.in_flight.subtract(dict.fromkeys(slot.addresses, slot.concurrency))


def scan_all(waiting: list[Slot], parallel: int, per_ip: int, scan: Callable[[Slot], None]) -> None:
    """``scan`` every slot, as many at once as ``Admission`` allows, in the given order where
    it can. The first failure (an interruption) stops the starting of new sites and is raised
    once the running ones have ended."""
    admission = Admission(parallel, per_ip)
    waiting = list(waiting)
    running: dict[Future, Slot] = {}
    with ThreadPoolExecutor(max_workers=parallel, thread_name_prefix="site") as pool:
        while waiting or running:
            while (slot := admission.next(waiting)) is not None:
                waiting.remove(slot)
                admission.start(slot)
                running[pool.submit(scan, slot)] = slot
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                admission.finish(running.pop(future))
                if (error := future.exception()) is not None:
                    waiting.clear()
                    wait(running)
                    raise error


#: One site's checks at a time: they are CPU- and memory-bound (the run's pages in memory,
#: Chromium), while crawls wait on servers; so memory does not grow with ``parallel``.
JUDGING = threading.Lock()
