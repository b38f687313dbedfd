"""Downloader middleware: wait and retry when a server answers 429 Too Many Requests."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from twisted.internet import reactor
from twisted.internet.task import deferLater


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
    """Honours 429 and ``Retry-After`` (capped), a few times, before the answer is kept."""

    def __init__(self, max_wait: float, max_retries: int):
        self.max_wait = max_wait
        self.max_retries = max_retries

    @classmethod
    def from_crawler(cls, crawler) -> RetryAfterMiddleware:
        settings = crawler.settings
        return cls(
            settings.getfloat("GOVSCAN_MAX_RETRY_AFTER"), settings.getint("GOVSCAN_429_RETRIES")
        )

    async def process_response(self, request, response):
        tries = request.meta.get("retry_after_tries", 0)
        if response.status != 429 or tries >= self.max_retries:
            return response
        wait = retry_after_seconds(response.headers.get(b"Retry-After"), default=1.0)
        await deferLater(reactor, min(wait, self.max_wait))
        return request.replace(meta={**request.meta, "retry_after_tries": tries + 1})
