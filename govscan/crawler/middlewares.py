"""Downloader middleware: wait and retry when a server answers 429 Too Many Requests, and leave
a host alone for the rest of the run once it keeps answering so."""

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


class RetryAfterMiddleware:
    """Honours 429 and ``Retry-After`` a few times per request, within a budget per host.

    Each wait holds one of the host's concurrency slots, so a host that answers 429 to
    everything would stall the crawl for minutes: after ``budget`` 429 answers, or at once when
    it asks for a pause longer than ``max_wait``, the host is given up for this run.
    """

    def __init__(self, max_wait: float, max_retries: int, budget: int):
        self.max_wait = max_wait
        self.max_retries = max_retries
        self.budget = budget
        self.answers: Counter[str] = Counter()  # 429 answers so far, by host and port
        self.given_up: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler) -> RetryAfterMiddleware:
        settings = crawler.settings
        return cls(
            settings.getfloat("GOVSCAN_MAX_RETRY_AFTER"),
            settings.getint("GOVSCAN_429_RETRIES"),
            settings.getint("GOVSCAN_429_BUDGET"),
        )

    def process_request(self, request) -> None:
        host = urlparse_cached(request).netloc.lower()
        if host in self.given_up:
            raise self.refusal(host)

    async def process_response(self, request, response):
        if response.status != 429:
            return response
        host = urlparse_cached(request).netloc.lower()
        self.answers[host] += 1
        wait = retry_after_seconds(response.headers.get(b"Retry-After"), default=1.0)
        if wait > self.max_wait or self.answers[host] >= self.budget:
            self.give_up(host, wait)
            raise self.refusal(host)
        tries = request.meta.get("retry_after_tries", 0)
        if tries >= self.max_retries:
            return response
        await deferLater(reactor, wait)
        return request.replace(meta={**request.meta, "retry_after_tries": tries + 1})

    def give_up(self, host: str, wait: float) -> None:
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
