"""The item pipeline: hands what the spiders record to the process that stores it."""

from __future__ import annotations

from govscan.crawler.handover import CrawlEnd, Handover, slowed_hosts
from govscan.crawler.items import FetchItem
from govscan.crawler.pages import is_download
from govscan.store.batches import RunWriter
from govscan.store.records import ArchiveRecord


class HandoverPipeline:
    """Fetches and pages go in batches of rows, an account's archive read at once (a few an
    account), and the crawl's end last, down the pipe ``GOVSCAN_HANDOVER_FD``."""

    def __init__(self, crawler, fd: int, run_id: int):
        self.crawler = crawler
        self.handover = Handover(fd)
        self.writer = RunWriter(self.handover.send, run_id, reader_needs=is_download)

    @classmethod
    def from_crawler(cls, crawler) -> HandoverPipeline:
        settings = crawler.settings
        return cls(
            crawler, settings.getint("GOVSCAN_HANDOVER_FD"), settings.getint("GOVSCAN_RUN_ID")
        )

    def close_spider(self) -> None:
        self.writer.flush()
        self.handover.send(CrawlEnd(slowed_hosts(self.crawler.stats.get_stats())))
        self.handover.close()

    def process_item(self, item: FetchItem | ArchiveRecord) -> FetchItem | ArchiveRecord:
        if isinstance(item, ArchiveRecord):
            self.handover.send(item)
        else:
            self.writer.add_fetch(item)
        return item
