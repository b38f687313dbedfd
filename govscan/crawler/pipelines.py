"""Item pipelines: hand pages and fetch results to the store in batches, archive reads at once."""

from __future__ import annotations

from govscan.crawler.items import FetchItem
from govscan.crawler.pages import is_download
from govscan.crawler.storing import StoringProcess
from govscan.store.accounts import ArchiveRecord, save_archive_read
from govscan.store.db import open_engine
from govscan.store.writer import RunWriter


class StorePipeline:
    """Writes every item of the run ``GOVSCAN_RUN_ID`` into ``GOVSCAN_DB_URL``."""

    def __init__(self, db_url: str, run_id: int):
        self.db_url = db_url
        self.run_id = run_id
        self.process: StoringProcess | None = None
        self.writer: RunWriter | None = None

    @classmethod
    def from_crawler(cls, crawler) -> StorePipeline:
        settings = crawler.settings
        return cls(settings.get("GOVSCAN_DB_URL"), settings.getint("GOVSCAN_RUN_ID"))

    def open_spider(self) -> None:
        self.process = StoringProcess(self.db_url)
        self.writer = RunWriter(self.process, self.run_id, reader_needs=is_download)

    def close_spider(self) -> None:
        self.writer.flush()
        self.process.close()

    def process_item(self, item: FetchItem) -> FetchItem:
        self.writer.add_fetch(item)
        return item


class ArchivePipeline:
    """Writes what the archive spider read into the account run ``GOVSCAN_RUN_ID``: a few
    records an account, so straight to the database."""

    def __init__(self, db_url: str, run_id: int):
        self.engine = open_engine(db_url)
        self.run_id = run_id

    @classmethod
    def from_crawler(cls, crawler) -> ArchivePipeline:
        settings = crawler.settings
        return cls(settings.get("GOVSCAN_DB_URL"), settings.getint("GOVSCAN_RUN_ID"))

    def process_item(self, item: ArchiveRecord) -> ArchiveRecord:
        save_archive_read(self.engine, self.run_id, item)
        return item
