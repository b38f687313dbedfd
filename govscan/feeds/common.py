"""What the archive readers share: JSON read with Chinese errors, the WeChat ids a document
states, and the values all of an archive's posts agree on."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from govscan.feeds.models import ArchiveError

#: A WeChat original id; feeds put it in custom elements, author URLs or extension fields.
GH = re.compile(r"gh_[0-9a-f]{12}")
_GH_IN_URL = re.compile(r"(?<![0-9A-Za-z_])gh_[0-9a-f]{12}(?![0-9A-Za-z_])")


def load_json(body: bytes, what: str) -> Any:
    """The JSON document ``what`` (订阅源, 导出文件) names; an error names line and column."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArchiveError(
            f"{what}不是 UTF-8 编码的 JSON（第 {error.start + 1} 个字节无法解码），"
            "请检查文件是否完整、是否被转码"
        ) from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ArchiveError(
            f"{what}不是有效的 JSON（第 {error.lineno} 行第 {error.colno} 列：{error.msg}），"
            "请检查归档地址是否正确、文件是否完整"
        ) from error
    except RecursionError as error:
        raise too_deep(what) from error


def too_deep(what: str) -> ArchiveError:
    """JSON nested deeper than Python's recursion limit: no archive looks like that."""
    return ArchiveError(
        f"{what}的 JSON 嵌套层数过深，超出了安全读取的上限，不是正常的归档内容，"
        "请检查归档地址是否正确"
    )


def gh_in_json(value: object, ignore: str = "") -> str | None:
    """A gh_ id anywhere among the string values of a JSON value, in document order, skipping
    the values of keys named ``ignore``, without recursion (a document may nest as deep as the
    JSON reader allows)."""
    todo = [value]
    while todo:
        value = todo.pop()
        if isinstance(value, dict):
            todo += reversed([item for key, item in value.items() if key != ignore])
        elif isinstance(value, list):
            todo += reversed(value)
        elif found := _gh_id(value):
            return found
    return None


def _gh_id(value: object) -> str | None:
    """A WeChat original id a string states: the whole string, or a segment of a URL."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if GH.fullmatch(value):
        return value
    if value.startswith(("http://", "https://")) and (match := _GH_IN_URL.search(value)):
        return match[0]
    return None


def biz_of(url: str) -> str | None:
    """The __biz a WeChat URL carries (mp.weixin.qq.com/s?__biz=…&mid=…)."""
    values = parse_qs(urlsplit(url).query).get("__biz")
    return values[0] if values and values[0] else None


def agreed(values: Iterable[str | None]) -> str | None:
    """The value all the posts that state one agree on; None when none do or they differ."""
    distinct = {value for value in values if value}
    return distinct.pop() if len(distinct) == 1 else None


def text_of(value: object) -> str:
    """A JSON string value with its whitespace collapsed; "" for anything else."""
    return collapse(value) if isinstance(value, str) else ""


def collapse(text: str) -> str:
    return " ".join(text.split())
