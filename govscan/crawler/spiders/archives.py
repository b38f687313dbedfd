"""The archive spider: reads every archive source of the accounts of a run, once.

Each source gives one :class:`~govscan.store.accounts.ArchiveRecord`: the posts its reader
in :mod:`govscan.feeds` found, or why it could not be read. Whether an account is a
zombie is decided later by ``govscan.checks.newmedia``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from typing import ClassVar

import scrapy
from scrapy.exceptions import DownloadCancelledError
from scrapy.http import Response

from govscan.crawler.errors import error_kind
from govscan.feeds import ArchiveError, Post, read_archive
from govscan.outcomes import FAILURE_NAMES
from govscan.store.inventory import ArchiveSource
from govscan.store.records import ArchiveRecord

#: Chinese names of network failures, for the supervisor.
#: The failures an archive's message names (FAILURE_NAMES); others are unexpected.
FAILURES = frozenset(
    {"dns", "refused", "timeout", "tls", "connection", "too_large", "rate_limited", "robots"}
)


class ArchiveSpider(scrapy.Spider):
    name = "archives"
    custom_settings: ClassVar[dict] = {
        "REDIRECT_ENABLED": True,
    }

    def __init__(self, accounts: list[dict], timezone: str, **kwargs):
        super().__init__(**kwargs)
        self.accounts = accounts
        self.timezone = timezone  # the inventory's: where a time without a zone was written

    async def start(self):
        for account in self.accounts:
            for source in map(ArchiveSource.model_validate, account["archives"]):
                for url in source.addresses:
                    yield scrapy.Request(
                        url,
                        callback=self.read,
                        errback=self.on_error,
                        dont_filter=True,
                        meta={"account": account["id"], "source": source},
                    )

    def read(self, response: Response) -> Iterator[ArchiveRecord]:
        record = ArchiveRecord(response.meta["account"], response.url, response.status)
        if response.status >= 400:
            record.error = f"归档地址返回 HTTP {response.status}"
            yield record
            return
        try:
            archive = read_archive(
                response.meta["source"], response.body, response.url, self.timezone
            )
        except ArchiveError as error:
            record.error = str(error)
        except Exception as error:  # one archive's fault must never cost the others their verdicts
            record.error = self.unexpected(response.url, error)
        else:
            record.nickname, record.user_name = archive.nickname, archive.user_name
            record.posts = [post_record(post) for post in archive.posts]
        yield record

    def on_error(self, failure) -> Iterator[ArchiveRecord]:
        url = failure.request.url
        yield ArchiveRecord(failure.request.meta["account"], url, error=self.why(failure))

    def why(self, failure) -> str:
        """The Chinese reason a download failed, for the account's archive_unreachable."""
        if failure.check(DownloadCancelledError):  # Scrapy cancels a body over the size limit
            limit = self.settings.getint("DOWNLOAD_MAXSIZE") // 2**20
            return f"归档内容超过 {limit} MB 的下载上限，请检查归档地址是否指向订阅源或导出文件"
        redirects = len(failure.request.meta.get("redirect_urls", ()))
        if redirects >= self.settings.getint("REDIRECT_MAX_TIMES"):
            return f"重定向超过 {redirects} 次（可能是循环重定向），请检查归档地址是否正确"
        kind = error_kind(failure)
        if kind in FAILURES:
            return FAILURE_NAMES[kind]
        return self.unexpected(failure.request.url, failure.value)

    def unexpected(self, url: str, error: BaseException) -> str:
        """A failure govscan does not expect: the archive's reason, and a warning in the log."""
        self.logger.warning("Archive %s could not be read: %r", url, error)
        return f"读取归档时出错（{type(error).__name__}），请检查归档地址是否正确；详见抓取日志"


def post_record(post: Post) -> dict:
    record = asdict(post)
    record["published_at"] = post.published_at.isoformat() if post.published_at else None
    return record
