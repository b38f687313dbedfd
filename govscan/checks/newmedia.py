"""``newmedia.*``: government new-media accounts (政务新媒体).

For each account of the register, from what its archives showed: ``zombie`` (no post
within the window, a veto), ``shell`` (never posted, a veto), ``stale`` (a warning before
the veto), ``archive_unreachable`` (the account could not be judged — never called a
zombie), ``deleted_posts`` and ``mismatch`` (the archive names another account).

For each site: ``unregistered``, an account the site links to that the register lacks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import lxml.html

from govscan.checks.dictionary import Dictionary, Hit, shipped
from govscan.checks.family import Deduction, Family, Rule
from govscan.checks.finding import Finding
from govscan.markup import parse_document
from govscan.store.inventory import Dictionaries, NewMediaSettings
from govscan.store.records import ArchiveRecord
from govscan.store.view import KnownAccount, Link, RunView

NO_ADDITIONS = Dictionaries()  # the inventory adds no dictionary entries

PLATFORM_NAMES = {
    "wechat": "微信公众号",
    "weibo": "微博",
    "douyin": "抖音",
    "toutiao": "今日头条",
    "other": "其他平台",
}
STATE_NAMES = {
    "deleted": "已被发布者删除",
    "blocked": "因违规无法查看",
    "unavailable": "暂时无法查看",
}

ZOMBIE = Rule("newmedia.zombie", "账号不更新（僵尸账号）", "veto")
SHELL = Rule("newmedia.shell", "空壳账号", "veto")
STALE = Rule("newmedia.stale", "账号即将超期未更新", "warning")
ARCHIVE_UNREACHABLE = Rule("newmedia.archive_unreachable", "归档无法读取（未判断）", "warning")
DELETED_POSTS = Rule("newmedia.deleted_posts", "信息被删除或无法查看", "warning")
SERIOUS_ERROR = Rule("newmedia.serious_error", "信息标题存在严重表述错误", "veto")
TYPO = Rule("newmedia.typo", "信息标题存在错别字", "deduction", Deduction(points=1, cap=3))
MISMATCH = Rule(
    "newmedia.mismatch", "归档与台账账号不一致", "deduction", Deduction(points=2, cap=4)
)
UNREGISTERED = Rule(
    "newmedia.unregistered", "未报备的政务新媒体账号", "deduction", Deduction(points=3, cap=9)
)


@dataclass
class AccountSummary:
    """What the archives showed of one account, for the report."""

    posts: int
    last_post_at: str | None  # ISO 8601, UTC
    days_since: int | None  # since the last post, on the scan's day
    judged: bool  # False when the archives could not be read well enough to judge


def check_account(
    account: dict,
    reads: list[ArchiveRecord],
    started_at: datetime,
    settings: NewMediaSettings,
    timezone: str,
    added: Dictionaries = NO_ADDITIONS,
) -> tuple[list[Finding], AccountSummary]:
    """Findings about one account and the summary they rest on, judged against the scan's
    day in the inventory's ``timezone``."""
    today = started_at.replace(tzinfo=UTC).astimezone(ZoneInfo(timezone)).date()
    posts = unique_posts(read for read in reads if read.error is None)
    last = max(
        (p["published_at"] for p in posts if p["state"] == "ok" and p["published_at"]), default=None
    )
    days = (today - local_day(last, timezone)).days if last else None
    failed = [read for read in reads if read.error is not None]
    judged = bool(reads) and (not failed or (days is not None and days <= settings.stale_days))
    findings = [*mismatches(account, reads), *deleted_posts(account, posts)]
    findings += title_errors(account, posts, added)
    if not judged:
        findings.insert(0, unreachable(account, failed))
    else:
        fresh = freshness(account, posts, last, days, settings, timezone)
        findings[:0] = [*unreachable_warning(account, failed), *fresh]
    return findings, AccountSummary(len(posts), last, days, judged)


def unique_posts(reads) -> list[dict]:
    """Every post of the readable archives, once each, however many archives list it."""
    seen: dict[str, dict] = {}
    for read in reads:
        for post in read.posts:
            seen.setdefault(post["url"], post)
    return list(seen.values())


def local_day(moment: str, timezone: str) -> date:
    return datetime.fromisoformat(moment).astimezone(ZoneInfo(timezone)).date()


def finding(account: dict, rule: Rule, message: str, url: str | None = None, **detail) -> Finding:
    """A finding about ``account``; its ``url`` is the account's first archive unless given."""
    where = url or first_archive(account)
    name = f"{PLATFORM_NAMES[account['platform']]}「{account['name']}」"
    return rule.finding(where, f"{name}{message}", detail=detail)


def first_archive(account: dict) -> str:
    for source in account["archives"]:
        return source["url"] or source["urls"][0]
    return ""


def freshness(
    account: dict,
    posts: list[dict],
    last: str | None,
    days: int | None,
    settings: NewMediaSettings,
    timezone: str,
) -> list[Finding]:
    """zombie, shell or stale, judged against the scan's day in the inventory's time zone."""
    zombie, stale = settings.zombie_days, settings.stale_days
    if not posts:
        return [finding(account, SHELL, "从未发布信息（空壳账号）")]
    if last is None:
        return [
            finding(
                account,
                ZOMBIE,
                "没有可查看的、注明日期的发布信息",
                posts=len(posts),
                window_days=zombie,
            )
        ]
    if days > zombie:
        return [
            finding(
                account,
                ZOMBIE,
                f"最近一次发布在 {local_day(last, timezone)}，已 {days} 天未更新"
                f"（超过 {zombie} 天即为不更新）",
                last_post_at=last,
                days_since=days,
                window_days=zombie,
            )
        ]
    if days > stale:
        return [
            finding(
                account,
                STALE,
                f"已 {days} 天未更新，超过 {zombie} 天将被认定为不更新",
                last_post_at=last,
                days_since=days,
                window_days=zombie,
            )
        ]
    return []


def unreachable(account: dict, failed: list[ArchiveRecord]) -> Finding:
    """The account could not be judged: no archive, or none read well enough."""
    if not account["archives"]:
        return finding(
            account,
            ARCHIVE_UNREACHABLE,
            "未登记归档来源，无法判断更新情况；请在台账中补充订阅源或文章链接",
        )
    reasons = "；".join(f"{read.source}：{read.error}" for read in failed[:3])
    return finding(
        account,
        ARCHIVE_UNREACHABLE,
        f"归档无法读取，本次未能判断更新情况（{reasons}）",
        url=failed[0].source,
        sources=[{"url": read.source, "error": read.error} for read in failed],
    )


def unreachable_warning(account: dict, failed: list[ArchiveRecord]) -> list[Finding]:
    """A source that failed while another showed a recent post: fix the register."""
    return [unreachable(account, failed)] if failed else []


def deleted_posts(account: dict, posts: list[dict]) -> list[Finding]:
    gone = [post for post in posts if post["state"] != "ok"]
    if not gone:
        return []
    return [
        finding(
            account,
            DELETED_POSTS,
            f"有 {len(gone)} 篇信息已删除或无法查看",
            url=gone[0]["url"],
            posts=[
                {
                    "url": p["url"],
                    "title": p["title"],
                    "state": p["state"],
                    "state_name": STATE_NAMES.get(p["state"], p["state"]),
                }
                for p in gone[:20]
            ],
        )
    ]


def title_errors(account: dict, posts: list[dict], added: Dictionaries) -> list[Finding]:
    """The dictionaries' wrong forms (shipped, and ``added`` by the inventory) in the titles
    the archives give; a renamed body counts only in posts published after the rename."""
    found = []
    for rule, name in ((SERIOUS_ERROR, "serious"), (TYPO, "typo")):
        dictionary = Dictionary([*shipped(name), *getattr(added, name)])
        hits = [
            (post, hit)
            for post in posts
            if post["state"] == "ok"
            for hit in dictionary.hits(post["title"])
            if not renamed_before(hit, post)
        ]
        if hits:
            post, hit = hits[0]
            found.append(
                finding(
                    account,
                    rule,
                    f"有 {len(hits)} 处标题写法有误，如“{hit.entry.wrong}”应为“{hit.entry.right}”"
                    f"（{post['title']}）",
                    url=post["url"],
                    posts=[
                        {
                            "url": p["url"],
                            "title": p["title"],
                            "wrong": h.entry.wrong,
                            "right": h.entry.right,
                        }
                        for p, h in hits[:20]
                    ],
                )
            )
    return found


def renamed_before(hit: Hit, post: dict) -> bool:
    """A renamed body in a post published before the rename (or with no date) is history."""
    since = hit.entry.since
    if since is None:
        return False
    published = post["published_at"]
    return published is None or datetime.fromisoformat(published).date() < since


def mismatches(account: dict, reads: list[ArchiveRecord]) -> list[Finding]:
    """An archive that names another account: the wrong feed, or a renamed account."""
    expected_id = account.get("account_id") or ""
    for read in reads:
        if read.user_name and expected_id.startswith("gh_") and read.user_name != expected_id:
            return [
                finding(
                    account,
                    MISMATCH,
                    f"的归档来源指向另一个账号（原始 ID {read.user_name}，台账为 {expected_id}）",
                    url=read.source,
                    field="account_id",
                    expected=expected_id,
                    found=read.user_name,
                )
            ]
        if read.nickname and not same_name(read.nickname, account["name"]):
            return [
                finding(
                    account,
                    MISMATCH,
                    f"的归档来源显示的账号名称为“{read.nickname}”，与台账不一致",
                    url=read.source,
                    field="name",
                    expected=account["name"],
                    found=read.nickname,
                )
            ]
    return []


def same_name(shown: str, registered: str) -> bool:
    """The same name once the platform's decoration is gone: ``苍山发布 - 微信公众号`` is
    苍山发布; 苍山发布旧版, 苍山发布（旧） and 苍山发布2 are other accounts."""
    shown = bare_name(shown)
    return bool(shown) and shown == bare_name(registered)


def similar_name(shown: str, registered: str) -> bool:
    """A near miss: another name, but one contains the other (苍山发布旧版, 苍山发布2)."""
    shown, registered = bare_name(shown), bare_name(registered)
    return (
        bool(shown and registered)
        and shown != registered
        and (shown in registered or registered in shown)
    )


# --------------------------------------------------------------------------- on sites

WEIBO_RESERVED = frozenset({"login", "signup", "p", "search", "hot", "tv", "newlogin", "home"})


def account_link(url: str) -> tuple[str, str] | None:
    """``(platform, identifier)`` of a link to an account's profile or to one of its posts."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    if host == "mp.weixin.qq.com":
        biz = parse_qs(parts.query).get("__biz", [None])[0]
        return ("wechat", biz) if biz else None
    if host in ("weibo.com", "www.weibo.com", "m.weibo.cn"):
        if len(segments) >= 2 and segments[0] in ("u", "profile"):
            return "weibo", segments[1]
        if len(segments) == 1 and segments[0] not in WEIBO_RESERVED:
            return "weibo", segments[0]
        return None
    if host.endswith("douyin.com") and len(segments) >= 2 and segments[0] == "user":
        return "douyin", segments[1]
    if host.endswith("toutiao.com") and "user" in segments:
        return "toutiao", segments[-1]
    return None


def judge_site(view: RunView, settings: NewMediaSettings) -> list[Finding]:
    """``newmedia.unregistered``: accounts the site links to, or shows on its 政务新媒体
    matrix page, that the register does not list."""
    known = view.run.known_accounts
    linked = {target: found for target in view.link_targets if (found := account_link(target))}
    sources = view.links_to(linked)
    findings = []
    for target, (platform, identifier) in sorted(linked.items()):
        links = sources.get(target, ())
        anchors = {link.anchor for link in links}
        if any(registered(entry, platform, identifier, anchors) for entry in known):
            continue
        similar = similar_account(known, platform, anchors)
        findings.append(unregistered(target, platform, identifier, links, similar))
    for page_url, platform, name in matrix_accounts(view):
        if not any(registered(entry, platform, name, {name}) for entry in known):
            similar = similar_account(known, platform, {name})
            findings.append(unregistered(page_url, platform, name, [], similar, shown_on=page_url))
    return findings


MATRIX_PAGE = re.compile(r"新媒体|政务微博|政务微信|新媒体矩阵")
PLATFORM_WORDS = (
    ("wechat", re.compile(r"微信|公众号")),
    ("weibo", re.compile(r"微博")),
    ("douyin", re.compile(r"抖音")),
    ("toutiao", re.compile(r"头条")),
)
#: What platforms, feeds and pages write around an account's name — 「苍山交通」微信公众号
#: 二维码, 苍山发布 - 微信公众号, 苍山发布的微博 — and punctuation, brackets and spaces.
DECORATION = re.compile(
    r"的?(?:官方)?(?:微信公众号|公众号|微信|微博|抖音号|抖音|头条号|今日头条)"
    r"|官方|二维码|扫码关注|扫一扫|[\W_]"
)


def bare_name(text: str) -> str:
    """An account's name without its decoration: 苍山交警官方微博 → 苍山交警."""
    return DECORATION.sub("", text)


def matrix_accounts(view: RunView) -> list[tuple[str, str, str]]:
    """``(page, platform, name)`` of the accounts a kept 政务新媒体 page shows by their QR
    codes: an image whose alt text or caption names the account and its platform."""
    found = []
    for page in view.pages:
        if page.html is None or not MATRIX_PAGE.search(page.title):
            continue
        if (doc := parse_document(page.html)) is None:
            continue
        for image in doc.iter("img"):
            if shown := shown_account(image):
                found.append((page.url, *shown))
    return sorted(set(found))


def shown_account(image: lxml.html.HtmlElement) -> tuple[str, str] | None:
    """``(platform, name)`` from an image's alt text, or from a short caption around it."""
    caption = " ".join((image.getparent().text_content() or "").split())
    text = image.get("alt") or image.get("title") or (caption if len(caption) <= 40 else "")
    platform = next((p for p, words in PLATFORM_WORDS if words.search(text)), None)
    name = bare_name(text)
    return (platform, name) if platform and 2 <= len(name) <= 20 else None


def unregistered(
    target: str,
    platform: str,
    identifier: str,
    links: Sequence[Link],
    similar: dict | None,
    shown_on: str | None = None,
) -> Finding:
    """An account the register lacks; a registered one of a similar name is named, since old,
    duplicate and look-alike accounts are what the 清理整治 is after."""
    first = links[0] if links else None
    anchor = first.anchor if first else ""
    how = "展示" if shown_on else "链接"
    near = (
        f"，与已报备账号“{similar['name']}”名称相近（可能是旧版、重复或仿冒账号，请核实）"
        if similar
        else ""
    )
    return UNREGISTERED.finding(
        target,
        f"网站{how}了未在台账中登记（未报备）的{PLATFORM_NAMES[platform]}：{anchor or identifier}"
        + near,
        source=shown_on or (first.source if first else None),
        detail={
            "platform": platform,
            "identifier": identifier,
            "anchor": anchor,
            "sources": sorted({link.source for link in links})[:20],
            "similar": similar,
        },
    )


def registered(entry: KnownAccount, platform: str, identifier: str, anchors: set[str]) -> bool:
    """The register lists the account: same platform, and the same id or the same name."""
    if entry.platform != platform:
        return False
    if (entry.account_id or "").lower() == identifier.lower():
        return True
    return any(same_name(anchor, entry.name) for anchor in anchors)


def similar_account(known: Sequence[KnownAccount], platform: str, names: set[str]) -> dict | None:
    """``{name, account_id}`` of the registered account of the platform whose name is nearest
    a similar name shown."""
    near = [
        (abs(len(bare_name(entry.name)) - len(bare_name(name))), index)
        for index, entry in enumerate(known)
        for name in names
        if entry.platform == platform and similar_name(name, entry.name)
    ]
    if not near:
        return None
    entry = known[min(near)[1]]
    return {"name": entry.name, "account_id": entry.account_id}


FAMILY = Family(
    name="newmedia",
    # the site check finds unregistered accounts; the others are the register's accounts'
    rules=(
        ZOMBIE,
        SHELL,
        STALE,
        ARCHIVE_UNREACHABLE,
        DELETED_POSTS,
        SERIOUS_ERROR,
        TYPO,
        MISMATCH,
        UNREGISTERED,
    ),
    judge=judge_site,
    settings=NewMediaSettings,  # the register's accounts are judged with them too
)
