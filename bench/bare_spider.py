"""A bare Scrapy link checker, the floor ``bench/peers.py`` holds govscan's crawl against.

Usage: ``python bench/bare_spider.py URL --concurrency 16 --out summary.json``

It follows every link of the start URL's host (``<a href>``, ``<link href>``,
``<script src>``, ``<img src>``), requests every link once (Scrapy's duplicate filter) and
parses only HTML answers. Nothing is stored and nothing is checked beyond the status: what
it costs is what Scrapy itself costs for the same fetches. The summary it writes is the
URLs it fetched with their status, and the number of links it read.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess

LINKS = "//a/@href | //link/@href | //script/@src | //img/@src"


class BareSpider(scrapy.Spider):
    """Fetch every link once; read the links of the start host's HTML pages."""

    name = "bare"

    def __init__(self, url: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.start_urls = [url]
        self.host = urlsplit(url).netloc
        self.statuses: dict[str, int] = {}
        self.links = 0

    def parse(self, response):
        """Record the status; on an HTML page of the host, request each of its links."""
        self.statuses[response.url] = response.status
        html = response.headers.get(b"Content-Type", b"").startswith(b"text/html")
        if response.status != 200 or not html or urlsplit(response.url).netloc != self.host:
            return
        for link in response.xpath(LINKS).getall():
            url = response.urljoin(link.strip())
            if url.startswith(("http://", "https://")):
                self.links += 1
                yield scrapy.Request(url.split("#", 1)[0], callback=self.parse)


def crawl(url: str, concurrency: int) -> BareSpider:
    """Run the spider to the end with Scrapy's defaults, except what a link check needs:
    every status handed to the spider, no robots.txt, no retries, the concurrency given."""
    process = CrawlerProcess(
        {
            "CONCURRENT_REQUESTS": concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
            "HTTPERROR_ALLOW_ALL": True,
            "ROBOTSTXT_OBEY": False,
            "RETRY_ENABLED": False,
            "TELNETCONSOLE_ENABLED": False,
            "LOG_LEVEL": "WARNING",
        }
    )
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, url=url)
    process.start()
    return crawler.spider


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--out", type=Path, required=True, help="the summary, as JSON")
    args = parser.parse_args()
    spider = crawl(args.url, args.concurrency)
    summary = {"statuses": spider.statuses, "links": spider.links}
    args.out.write_text(json.dumps(summary), encoding="utf-8")


if __name__ == "__main__":
    main()
