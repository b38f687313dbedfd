"""What a government new-media account posted, read from the archives its posts come in.

The new-media checks need an account's posts with their publication times: to tell whether it
is updated often enough and whether posts were deleted or blocked. Those lists reach govscan in
several shapes: RSS and Atom feeds and JSON Feed bridges (RSSHub-style routes,
:mod:`~govscan.feeds.syndication`), a single mp.weixin.qq.com article page
(:mod:`~govscan.feeds.wechat`), the JSON of wechat-article-exporter
(:mod:`~govscan.feeds.exporter`), or a plain HTML list on a portal
(:mod:`~govscan.feeds.html_list`). Each reader turns one shape into an :class:`Archive` of
:class:`Post`.

The readers are pure (bytes in, dataclasses out, no network, no Scrapy) so the archive spider
and the tests use them alike. An archive that cannot be read raises :class:`ArchiveError` with
a Chinese message saying what broke, where, and what to check. One unreadable date does not:
it becomes ``None`` and the checks treat that time as unknown.
"""

from __future__ import annotations

from govscan.feeds import exporter, html_list, syndication, wechat
from govscan.feeds.models import Archive, ArchiveError, Post
from govscan.store.inventory import ArchiveSource

__all__ = ["Archive", "ArchiveError", "Post", "read_archive"]


def read_archive(source: ArchiveSource, body: bytes, url: str, timezone: str) -> Archive:
    """The archive a document fetched for ``source`` holds, read by the reader of its type; a
    time written without a zone is read in ``timezone``, the inventory's."""
    if source.type == "feed":
        return syndication.parse_feed(body, url, timezone)
    if source.type == "exporter_json":
        return exporter.parse_exporter_json(body, url)
    if source.type == "wechat_articles":
        post = wechat.parse_wechat_article(body, url)
        # an article page is an archive of one post, which also names its account
        return Archive([post], nickname=post.nickname, user_name=post.user_name)
    return html_list.parse_html_list(body, url, source.item, source.date, source.encoding, timezone)
