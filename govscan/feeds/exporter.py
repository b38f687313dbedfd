"""wechat-article-exporter's JSON: the mp backend's publish list of an account, as exported.

The format is the exporter's own (JSON strings inside JSON, several list shapes), so it is read
here; every error names the JSON path it found wrong.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

from govscan.dates import unix_instant
from govscan.feeds.common import agreed, biz_of, gh_in_json, load_json, text_of, too_deep
from govscan.feeds.models import Archive, ArchiveError, Post

_ARTICLE_LISTS = ("publish_page", "publish_list", "app_msg_list")


def parse_exporter_json(body: bytes, url: str) -> Archive:
    """An account's posts from wechat-article-exporter's JSON (the mp backend's publish list).

    ``publish_info`` is a JSON string inside the JSON in the real exporter; objects are
    accepted too, as are a bare list of articles and ``{"app_msg_list": [...]}``.
    """
    data = load_json(body, "导出文件")
    posts = [_exporter_post(article, path, url) for path, article in _exporter_articles(data)]
    meta = data if isinstance(data, dict) else {}
    account = meta.get("account") if isinstance(meta.get("account"), dict) else {}
    nickname = text_of(meta.get("nickname") or meta.get("nick_name"))
    nickname = nickname or text_of(account.get("nickname") or account.get("nick_name"))
    rest = {key: value for key, value in meta.items() if key not in _ARTICLE_LISTS}
    return Archive(
        posts=posts,
        nickname=nickname or None,
        user_name=gh_in_json(rest) or agreed(post.user_name for post in posts),
        biz=agreed(post.biz for post in posts),
    )


def _exporter_articles(data: object) -> Iterator[tuple[str, dict[str, Any]]]:
    """(JSON path, article object) of every article, in the order the file lists them."""
    if isinstance(data, list):
        yield from _entries(data, "")
        return
    if not isinstance(data, dict) or not any(key in data for key in _ARTICLE_LISTS):
        raise ArchiveError(
            "不是 wechat-article-exporter 的导出文件：顶层没有 publish_list、publish_page "
            "或 app_msg_list，请检查导出文件是否完整"
        )
    if "publish_page" in data:
        page = _nested_json(data["publish_page"], "publish_page")
        data = page if isinstance(page, dict) else {}
        if "publish_list" not in data:
            raise ArchiveError("导出文件的 publish_page 中没有 publish_list，请检查导出文件")
    for key in ("publish_list", "app_msg_list"):
        if key in data:
            yield from _entries(_expect_list(data[key], key), key)


def _entries(entries: list[Any], path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Articles of a list whose elements are publish entries or articles themselves."""
    for index, entry in enumerate(entries):
        where = f"{path}[{index}]"
        if not isinstance(entry, dict):
            raise ArchiveError(f"导出文件的 {where} 不是对象，请检查导出文件")
        if "publish_info" not in entry:
            yield where, entry
            continue
        info = _nested_json(entry["publish_info"], f"{where}.publish_info")
        if info is None:  # an empty publish_info: the exporter skips these entries too
            continue
        if not isinstance(info, dict):
            raise ArchiveError(f"导出文件的 {where}.publish_info 不是对象，请检查导出文件")
        articles = _expect_list(info.get("appmsgex", []), f"{where}.publish_info.appmsgex")
        for number, article in enumerate(articles):
            article_path = f"{where}.publish_info.appmsgex[{number}]"
            if not isinstance(article, dict):
                raise ArchiveError(f"导出文件的 {article_path} 不是对象，请检查导出文件")
            yield article_path, article


def _exporter_post(article: dict[str, Any], path: str, url: str) -> Post:
    link = text_of(article.get("link"))
    if not link:
        raise ArchiveError(f"导出文件的 {path}.link 缺失或为空，请检查导出文件是否完整")
    post_url = urljoin(url, link)
    return Post(
        url=post_url,
        title=text_of(article.get("title")),
        published_at=unix_instant(article.get("create_time") or article.get("update_time")),
        state="deleted" if _truthy(article.get("is_deleted")) else "ok",
        biz=biz_of(post_url),
    )


def _nested_json(value: object, path: str) -> object:
    """A field that holds JSON encoded as a string (the exporter's publish_info), decoded."""
    if not isinstance(value, str):
        return value
    if not value.strip():
        return None
    try:
        return json.loads(value)
    except json.JSONDecodeError as error:
        raise ArchiveError(
            f"导出文件的 {path} 不是有效的 JSON 字符串（第 {error.lineno} 行第 {error.colno} 列："
            f"{error.msg}），请检查导出文件是否完整"
        ) from error
    except RecursionError as error:
        raise too_deep(f"导出文件的 {path} ") from error


def _expect_list(value: object, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise ArchiveError(f"导出文件的 {path} 不是列表，请检查导出文件")
    return value


def _truthy(value: object) -> bool:
    """is_deleted as the exporter writes it: true, 1, "1"; false, 0, "0", "false" are not."""
    if isinstance(value, str):
        return value.strip().lower() not in ("", "0", "false", "null")
    return bool(value)
