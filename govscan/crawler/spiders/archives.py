"""The archive spider: reads every archive source of the accounts of a run, once.

Each source gives one :class:`~govscan.store.accounts.ArchiveRecord`: the posts its adapter
read (``govscan.crawler.archives``), or why it could not be read. Whether an account is a
zombie is decided later by ``govscan.checks.newmedia``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict
from typing import ClassVar

import scrapy
from scrapy.http import Response

from govscan.crawler import archives
from govscan.crawler.errors import error_kind
from govscan.store.accounts import ArchiveRecord

#: Chinese names of network failures, for the supervisor.
FAILURES = {
    "dns": "域名无法解析",
    "refused": "连接被拒绝",
    "timeout": "访问超时",
    "tls": "证书或加密连接错误",
    "connection": "连接中断",
    "too_large": "内容超过抓取上限（过大、传输不结束或解压后过大）",
    "rate_limited": "服务器多次返回 HTTP 429（请求过于频繁）",
    "robots": "robots.txt 禁止抓取",
}


class ArchiveSpider(scrapy.Spider):
    name = "archives"
    custom_settings: ClassVar[dict] = {
        "ITEM_PIPELINES": {"govscan.crawler.pipelines.ArchivePipeline": 300},
        "REDIRECT_ENABLED": True,
    }

    def __init__(self, accounts: list[dict], **kwargs):
        super().__init__(**kwargs)
        self.accounts = accounts

    async def start(self):
        for account in self.accounts:
            for source in account["archives"]:
                for url in source["urls"] or [source["url"]]:
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
            archive = adapter_for(response.meta["source"])(response.body, response.url)
        except archives.ArchiveError as error:
            record.error = str(error)
        else:
            record.nickname, record.user_name = archive.nickname, archive.user_name
            record.posts = [post_record(post) for post in archive.posts]
        yield record

    def on_error(self, failure) -> Iterator[ArchiveRecord]:
        meta = failure.request.meta
        kind = error_kind(failure)
        if kind is None:  # govscan's own fault: let it be logged as an error, never hidden
            raise failure.value
        yield ArchiveRecord(meta["account"], failure.request.url, error=FAILURES.get(kind, kind))


def adapter_for(source: dict) -> Callable[[bytes, str], archives.Archive]:
    """The adapter of the source's format; every adapter returns an Archive."""
    if source["type"] == "feed":
        return archives.parse_feed
    if source["type"] == "exporter_json":
        return archives.parse_exporter_json
    if source["type"] == "wechat_articles":
        return lambda body, url: single_post(archives.parse_wechat_article(body, url))
    return lambda body, url: archives.parse_html_list(
        body, url, source["item"], source["date"], source.get("encoding")
    )


def single_post(post: archives.Post) -> archives.Archive:
    """An article page is an archive of one post, which also names its account."""
    return archives.Archive([post], nickname=post.nickname, user_name=post.user_name)


def post_record(post: archives.Post) -> dict:
    record = asdict(post)
    record["published_at"] = post.published_at.isoformat() if post.published_at else None
    return record
