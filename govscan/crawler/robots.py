"""robots.txt as RFC 9309 lets a crawler read it: its first 500 KiB, and never at the cost of
the scan (with ``--obey-robots``); its ``Crawl-delay`` is kept between two requests to the host.

A robots.txt of tens of megabytes took minutes and a gigabyte to parse; one that could not be
downloaded was logged as an error by Scrapy, which failed the whole site.
"""

from __future__ import annotations

import logging

from protego import Protego
from scrapy import signals
from scrapy.exceptions import NotConfigured, StopDownload
from scrapy.http import Request, Response
from scrapy.robotstxt import ProtegoRobotParser
from scrapy.utils.httpobj import urlparse_cached

from govscan.crawler.throttle import Throttle

logger = logging.getLogger(__name__)


def is_robots_request(request: Request) -> bool:
    """Whether Scrapy's RobotsTxtMiddleware sent ``request`` for a host's robots.txt."""
    sent_by_scrapy = bool(request.meta.get("dont_obey_robotstxt"))
    return sent_by_scrapy and urlparse_cached(request).path == "/robots.txt"


class CappedRobotParser(ProtegoRobotParser):
    """Protego over the complete lines of the first ``GOVSCAN_ROBOTSTXT_MAXSIZE`` bytes."""

    @classmethod
    def from_crawler(cls, crawler, robotstxt_body: bytes) -> CappedRobotParser:
        limit = crawler.settings.getint("GOVSCAN_ROBOTSTXT_MAXSIZE")
        if len(robotstxt_body) > limit:  # a rule cut in half would say something else
            robotstxt_body = robotstxt_body[:limit].rpartition(b"\n")[0]
        return super().from_crawler(crawler, robotstxt_body)


class RobotsTxtLimits:
    """Stops reading a robots.txt past ``GOVSCAN_ROBOTSTXT_MAXSIZE`` bytes, and takes one that
    cannot be read for a missing one (every path allowed), as Scrapy does, with a warning."""

    def __init__(self, limit: int):
        self.limit = limit

    @classmethod
    def from_crawler(cls, crawler) -> RobotsTxtLimits:
        if not crawler.settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        limits = cls(crawler.settings.getint("GOVSCAN_ROBOTSTXT_MAXSIZE"))
        crawler.signals.connect(limits.on_bytes, signal=signals.bytes_received)
        return limits

    def on_bytes(self, data: bytes, request: Request, spider) -> None:
        if not is_robots_request(request):
            return
        received = request.meta["robots_bytes"] = request.meta.get("robots_bytes", 0) + len(data)
        if received > self.limit:
            raise StopDownload(fail=False)  # the body so far goes to the parser

    def process_exception(self, request: Request, exception: Exception) -> Response | None:
        if not is_robots_request(request):
            return None
        logger.warning("%s could not be read (%r): every path is allowed", request.url, exception)
        return Response(request.url, status=404, request=request)


class CrawlDelay:
    """Keeps the ``Crawl-delay`` a host's robots.txt asks of govscan's user agent (at most
    ``GOVSCAN_MAX_CRAWL_DELAY`` seconds) between two requests to the host, through the
    crawl's :class:`~govscan.crawler.throttle.Throttle`."""

    def __init__(self, crawler, throttle: Throttle, most: float):
        self.crawler = crawler
        self.throttle = throttle
        self.most = most

    @classmethod
    def from_crawler(cls, crawler) -> CrawlDelay:
        throttle = next(
            (e for e in crawler.extensions.middlewares if isinstance(e, Throttle)), None
        )
        if not crawler.settings.getbool("ROBOTSTXT_OBEY") or throttle is None:
            raise NotConfigured
        return cls(crawler, throttle, crawler.settings.getfloat("GOVSCAN_MAX_CRAWL_DELAY"))

    def process_response(self, request: Request, response: Response) -> Response:
        if is_robots_request(request) and response.status == 200 and response.body:
            asked = Protego.parse(response.text).crawl_delay(self.crawler.settings["USER_AGENT"])
            if asked:
                delay = min(float(asked), self.most)
                self.throttle.keep_at_least(
                    self.crawler.engine.downloader.get_slot_key(request), delay
                )
                netloc = urlparse_cached(request).netloc
                self.crawler.stats.set_value(f"govscan/crawl_delay/{netloc}", delay)
        return response
