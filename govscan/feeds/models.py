"""The typed results of every archive reader: posts, the archive that lists them, and the error
that says, in Chinese, why an archive could not be read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Post:
    """One post of an account, as its archive states it."""

    url: str
    title: str
    published_at: datetime | None  # timezone-aware, UTC; None when unknown
    state: str = "ok"  # ok | deleted | blocked | unavailable
    nickname: str | None = None  # the account's display name, if the source states it
    user_name: str | None = None  # WeChat original id "gh_…", if stated
    biz: str | None = None  # WeChat __biz, if stated


@dataclass(frozen=True, slots=True)
class Archive:
    """An account's posts, with the account names the archive states for all of them."""

    posts: list[Post]
    nickname: str | None = None
    user_name: str | None = None
    biz: str | None = None


class ArchiveError(ValueError):
    """The archive could not be read: the message is Chinese, says what is wrong and where
    (line/column or JSON path) and what to check."""
