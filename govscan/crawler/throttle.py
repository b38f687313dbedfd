"""AutoThrottle with a least delay per host: a robots.txt ``Crawl-delay`` must hold however fast
the host answers, and Scrapy's AutoThrottle knows only one least delay for every host.

A delay of a few milliseconds spaces nothing a concurrency limit does not already space, yet
any delay makes Scrapy send a slot's requests one reactor call at a time (15 % of the crawl's
CPU on a fast host, docs/benchmarks.md): below ``NEGLIGIBLE_DELAY`` it is none."""

from __future__ import annotations

from scrapy.extensions.throttle import AutoThrottle

NEGLIGIBLE_DELAY = 0.05  # seconds


class Throttle(AutoThrottle):
    """Spaces a host's requests by its latency over the target concurrency, never closer than
    the least delay kept for its downloader slot."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.least: dict[str, float] = {}  # seconds, by downloader slot

    def keep_at_least(self, key: str, seconds: float) -> None:
        """From now on, requests through slot ``key`` are at least ``seconds`` apart."""
        self.least[key] = max(seconds, self.least.get(key, 0.0))
        slot = self.crawler.engine.downloader.slots.get(key)
        if slot is not None:
            slot.delay = max(slot.delay, seconds)

    def _response_downloaded(self, response, request, spider) -> None:
        super()._response_downloaded(response, request, spider)
        key, slot = self._get_slot(request, spider)
        if slot is None:
            return
        if slot.delay < NEGLIGIBLE_DELAY:
            slot.delay = 0.0
        slot.delay = max(slot.delay, self.least.get(key, 0.0))
