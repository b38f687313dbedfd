"""What crosses between a crawl process and the process that started it.

The crawl process never opens the database: it receives its job (``CrawlJob``) pickled on
stdin and hands everything it finds, pickled, down a pipe to its parent, which stores it
(``govscan.crawler.storing``). So it loads neither SQLAlchemy nor the store's models, a
third of its memory, and the rows are read and inserted on another core.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, field

from govscan.store.batches import Batch
from govscan.store.records import ArchiveRecord, Baseline


@dataclass
class CrawlJob:
    """A run's crawl: the options the run keeps, and what it may reuse of the last run."""

    run_id: int
    options: dict
    baseline: Baseline | None = None


@dataclass
class CrawlEnd:
    """The crawl's last message: by host, what slowed it down (``slowed_hosts``)."""

    slowed: dict[str, dict] = field(default_factory=dict)


#: What the crawl process sends: rows of the run's tables, an account's archive read, its end.
Message = Batch | ArchiveRecord | CrawlEnd


class Handover:
    """The crawl process's end of the pipe, given as a file descriptor."""

    def __init__(self, fd: int):
        self.stream = os.fdopen(fd, "wb")

    def send(self, message: Message) -> None:
        pickle.dump(message, self.stream, protocol=pickle.HIGHEST_PROTOCOL)
        self.stream.flush()

    def close(self) -> None:
        self.stream.close()


def slowed_hosts(stats: dict) -> dict[str, dict]:
    """By host, what slowed the crawl down: overloaded answers (429, 503) with the longest
    delay between requests they led to, and a robots.txt Crawl-delay."""
    slowed: dict[str, dict] = {}
    for key, value in stats.items():
        match key.split("/"):
            case ["govscan", "slowed", host, what]:
                slowed.setdefault(host, {})[what] = value
            case ["govscan", "crawl_delay", host]:
                slowed.setdefault(host, {})["crawl_delay"] = value
    return slowed
