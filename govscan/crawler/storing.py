"""The crawl's other half, in the process that started the crawl process: it receives what
the crawl hands over (``handover``), reads each page's title, text and facts, and stores it.

Scrapy runs on one core. Reading a page's content (``pages.read_content``) costs about as
much as reading its links, and the inserts a quarter of the crawl, so the crawl reads only
a page's links, which it must follow, and everything else is done here, on the other core,
by threads that spend their time in lxml and the database driver.
"""

from __future__ import annotations

import pickle
import queue
import threading
from collections.abc import Callable
from typing import BinaryIO

from sqlalchemy import Engine

from govscan.crawler.handover import CrawlEnd, Message
from govscan.crawler.pages import read_content
from govscan.store.accounts import save_archive_read
from govscan.store.batches import PAGE_SOURCES, Batch
from govscan.store.records import ArchiveRecord
from govscan.store.writer import DatabaseSink, page_row

#: Batches received and waiting to be stored, at most (a few MB each, with their pages' HTML).
QUEUED_BATCHES = 1


class Storing:
    """Stores the messages arriving on ``stream`` into the run ``run_id``.

    One thread drains the pipe, so the crawl never waits for an insert, and one stores. When
    storing fails, ``stop`` is called (it ends the crawl process) and ``wait`` raises: a
    crawl whose results were not all stored cannot finish as complete.
    """

    def __init__(self, engine: Engine, run_id: int, stream: BinaryIO, stop: Callable[[], None]):
        self.engine = engine
        self.run_id = run_id
        self.sink = DatabaseSink(engine)
        self.stop = stop
        self.end: CrawlEnd | None = None
        self.error: BaseException | None = None
        self.messages: queue.Queue[Message | BaseException | None] = queue.Queue(QUEUED_BATCHES)
        self.threads = [
            threading.Thread(target=self.receive, args=(stream,), daemon=True),
            threading.Thread(target=self.store_all, daemon=True),
        ]
        for thread in self.threads:
            thread.start()

    def wait(self) -> CrawlEnd | None:
        """The crawl's end once everything it sent is stored; None if it ended without one
        (the crawl process died)."""
        for thread in self.threads:
            thread.join()
        if self.error is not None:
            raise self.error
        return self.end

    def receive(self, stream: BinaryIO) -> None:
        with stream:
            try:
                while True:
                    self.messages.put(pickle.load(stream))
            except EOFError:
                self.messages.put(None)
            except BaseException as error:  # a message cut short: the crawl process died
                self.messages.put(error)

    def store_all(self) -> None:
        while (message := self.messages.get()) is not None:
            if self.error is not None:
                continue  # drained, so that the receiving thread is never stuck
            try:
                self.store(message)
            except BaseException as error:
                self.error = error
                self.stop()

    def store(self, message: Message | BaseException) -> None:
        if isinstance(message, BaseException):
            raise message
        if isinstance(message, CrawlEnd):
            self.end = message
        elif isinstance(message, ArchiveRecord):
            save_archive_read(self.engine, self.run_id, message)
        else:
            self.sink(read_sources(message))


def read_sources(batch: Batch) -> Batch:
    """The batch with its pages read into rows of ``pages``."""
    sources = batch.pop(PAGE_SOURCES, [])
    pages = [page_row(run_id, read_content(page), count) for run_id, page, count in sources]
    if pages:
        batch["pages"] = pages
    return batch
