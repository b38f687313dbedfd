"""The crawl's second process: it reads each page's title, text and facts, and stores the
crawl's batches.

Scrapy runs on one core. Reading a page's content (``pages.read_content``) costs about as
much as reading its links, and the inserts a quarter of the crawl, so the crawl reads only a
page's links, which it must follow, and hands everything else to this process through a pipe.
"""

from __future__ import annotations

import fcntl
import os
import pickle
import queue
import subprocess
import sys
import threading

from govscan.crawler.pages import read_content
from govscan.store.db import open_engine
from govscan.store.writer import PAGE_SOURCES, Batch, DatabaseSink, page_row

PIPE_BYTES = 1 << 20
#: Batches received and waiting to be stored, at most (a few MB each, with their pages' HTML).
QUEUED_BATCHES = 8


class StoringProcess:
    """``python -m govscan.crawler.storing``, fed batches through a pipe.

    ``close`` waits until every batch is stored and raises if the process failed, so a crawl
    whose results were not all stored cannot finish as complete.
    """

    def __init__(self, db_url: str):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "govscan.crawler.storing"],
            stdin=subprocess.PIPE,
            env={**os.environ, "GOVSCAN_DB": db_url},
        )
        fcntl.fcntl(self.process.stdin, fcntl.F_SETPIPE_SZ, PIPE_BYTES)

    def __call__(self, batch: Batch) -> None:
        pickle.dump(batch, self.process.stdin, protocol=pickle.HIGHEST_PROTOCOL)

    def close(self) -> None:
        self.process.stdin.close()
        if self.process.wait() != 0:
            raise RuntimeError(f"store writer exited with status {self.process.returncode}")


def read_sources(batch: Batch) -> Batch:
    """The batch with its pages read into rows of ``pages``."""
    sources = batch.pop(PAGE_SOURCES, [])
    pages = [page_row(run_id, read_content(page), count) for run_id, page, count in sources]
    if pages:
        batch["pages"] = pages
    return batch


def main() -> None:
    """Read and store the batches arriving on stdin until it closes."""
    sink = DatabaseSink(open_engine())
    batches: queue.Queue[Batch | BaseException | None] = queue.Queue(maxsize=QUEUED_BATCHES)
    threading.Thread(target=receive, args=(batches,), daemon=True).start()
    while (batch := batches.get()) is not None:
        if isinstance(batch, BaseException):
            raise batch
        sink(read_sources(batch))


def receive(batches: queue.Queue) -> None:
    """Drain the pipe into ``batches`` as they arrive: while a batch is being read and stored,
    the crawl must not wait for room in the pipe."""
    try:
        while True:
            batches.put(pickle.load(sys.stdin.buffer))
    except EOFError:
        batches.put(None)
    except BaseException as error:  # a broken pipe or batch: the crawl must not pass
        batches.put(error)


if __name__ == "__main__":
    main()
