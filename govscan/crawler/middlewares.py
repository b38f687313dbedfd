"""Downloader middleware: slow down for a server that answers 429 Too Many Requests or 503
Service Unavailable, wait and retry as its Retry-After asks, and leave a host alone for the
rest of the run once it keeps answering so. What slowed the crawl is kept in its stats
(``govscan/slowed/…``) for the report."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy.exceptions import IgnoreRequest
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet import reactor
from twisted.internet.task import deferLater

logger = logging.getLogger(__name__)


class HostRateLimited(IgnoreRequest):
    """Not fetched: the host keeps answering 429 (its links are ``rate_limited``, not dead)."""


def retry_after_seconds(value: bytes | None, default: float) -> float:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    if not value:
        return default
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return default
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


#: What a server says when it is overloaded.
SLOW_DOWN = (429, 503)
SLOWEST_START = 1.0  # seconds between requests after the first overloaded answer


class RetryAfterMiddleware:
    """Honours 429, 503 and ``Retry-After`` a few times per request, within a budget per host.

    Each overloaded answer doubles the delay between requests to the host (up to
    ``max_delay``; AutoThrottle brings it down again as the server recovers). A 429, or a 503
    with ``Retry-After``, is waited for and retried; a 503 without it is left to Scrapy's
    retry. Each wait holds one of the host's concurrency slots, so a host that answers so to
    everything would stall the crawl for minutes: after ``budget`` such answers, or at once
    when it asks for a pause longer than ``max_wait``, the host is given up for this run.
    """

    def __init__(self, crawler, max_wait: float, max_retries: int, budget: int, max_delay: float):
        self.crawler = crawler
        self.max_wait = max_wait
        self.max_retries = max_retries
        self.budget = budget
        self.max_delay = max_delay
        self.answers: Counter[str] = Counter()  # waits asked for so far, by host and port
        self.given_up: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler) -> RetryAfterMiddleware:
        settings = crawler.settings
        return cls(
            crawler,
            settings.getfloat("GOVSCAN_MAX_RETRY_AFTER"),
            settings.getint("GOVSCAN_429_RETRIES"),
            settings.getint("GOVSCAN_429_BUDGET"),
            settings.getfloat("AUTOTHROTTLE_MAX_DELAY"),
        )

    def process_request(self, request) -> None:
        host = urlparse_cached(request).netloc.lower()
        if host in self.given_up:
            raise self.refusal(host)

    async def process_response(self, request, response):
        if response.status not in SLOW_DOWN:
            return response
        host = urlparse_cached(request).netloc.lower()
        if response.status == 503 and b"Retry-After" not in response.headers:
            self.slow_down(request, host, response.status)
            return response
        self.answers[host] += 1
        wait = retry_after_seconds(response.headers.get(b"Retry-After"), default=1.0)
        if wait > self.max_wait or self.answers[host] >= self.budget:
            self.give_up(request, host, wait)
            raise self.refusal(host)
        self.slow_down(request, host, response.status)
        tries = request.meta.get("retry_after_tries", 0)
        if tries >= self.max_retries:
            return response
        await deferLater(reactor, wait)
        return request.replace(meta={**request.meta, "retry_after_tries": tries + 1})

    def slot_of(self, request):
        downloader = self.crawler.engine.downloader
        return downloader.slots.get(downloader.get_slot_key(request))

    def slow_down(self, request, host: str, status: int) -> None:
        """Double the delay between requests to the host, and note why in the stats."""
        slot = self.slot_of(request)
        stats = self.crawler.stats
        stats.inc_value(f"govscan/slowed/{host}/{status}")
        if slot is not None:
            slot.delay = min(self.max_delay, max(SLOWEST_START, 2 * slot.delay))
            stats.max_value(f"govscan/slowed/{host}/delay", slot.delay)

    def give_up(self, request, host: str, wait: float) -> None:
        """Fetch nothing more from the host; what is queued for it already goes at once, to
        be refused as it answers."""
        if (slot := self.slot_of(request)) is not None:
            slot.delay = 0.0
        if host not in self.given_up:
            self.given_up.add(host)
            logger.warning(
                "%s answered 429 %d times (the last asking for %.0f s): not fetched again",
                host,
                self.answers[host],
                wait,
            )

    def refusal(self, host: str) -> HostRateLimited:
        return HostRateLimited(f"{host} answered 429 {self.answers[host]} times: not fetched")
