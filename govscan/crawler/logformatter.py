"""Log formatter: no debug line per request and per item.

Scrapy builds a log record for every response and item even when the log level hides
it; the store already keeps each fetch and page, so those lines are dropped at source.
"""

from __future__ import annotations

from scrapy.logformatter import LogFormatter


class QuietLogFormatter(LogFormatter):
    def crawled(self, request, response, spider):
        return None

    def scraped(self, item, response, spider):
        return None
