"""Columns (栏目): required entrances, stale and empty columns, and the homepage's freshness.

国办秘函〔2019〕19号 makes a homepage without news for two weeks a single veto, and so are
columns gone stale or empty in numbers. Columns come from the inventory, or else from the
homepage's links whose names say what kind of column they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from urllib.parse import urldefrag, urljoin

import lxml.html
from pydantic import BaseModel, ConfigDict

from govscan.checks.context import kept_homepage
from govscan.checks.family import Deduction, Family, Figure, Rule
from govscan.checks.finding import Finding
from govscan.dates import dated_items, parse_date
from govscan.markup import parse_document
from govscan.store.inventory import ColumnEntry, Freshness, VetoThresholds
from govscan.store.view import Page, RunView
from govscan.urls import canonical_url, origin_of


@dataclass(frozen=True)
class Entrance:
    """A column or entrance a site must have, found by the label of the link to it."""

    name: str
    labels: str  # a regular expression the whole label must match, e.g. 政务服务|网上办事
    within: tuple[Entrance, ...] = ()  # entrances expected on this one's page

    def is_named_by(self, text: str) -> bool:
        """The link's whole text is one of the entrance's labels: 政务服务, 政务服务网, never
        关于利企惠民政策服务的通知."""
        return re.fullmatch(f"(?:{self.labels}){LABEL_SUFFIX}", label_of(text)) is not None

    def is_mentioned_in(self, text: str) -> bool:
        """The link's text has one of the labels somewhere: a candidate, when it is no label."""
        return re.search(self.labels, label_of(text)) is not None


#: What may follow a label: 政务服务网, 政府信息公开平台, 网上办事大厅, 互动交流专栏.
LABEL_SUFFIX = r"(?:网|平台|入口|大厅|专栏|专区|频道)?"
#: 发展指引: what every government site must offer; 信息公开 with its four parts. The labels
#: are what real portals' navigation calls them (政务公开 | 政务服务 | 政民互动 | 解读回应 …);
#: a headline that merely uses the words is no entrance.
PUBLIC_INFORMATION = Entrance(
    "政府信息公开",
    r"(?:政府|部门)?信息公开(?:目录)?|政务公开|公开",
    (
        Entrance("政府信息公开指南", r"(?:政府信息|信息|政务)?公开指南"),
        Entrance("政府信息公开制度", r"(?:政府信息|信息|政务)?公开(?:制度|规定)"),
        Entrance("法定主动公开内容", r"(?:法定)?主动公开(?:内容|目录|事项)?"),
        Entrance(
            "政府信息公开年报",
            r"(?:政府信息|信息|政务)?公开(?:工作)?(?:年报|年度报告)|年报|年度报告",
        ),
    ),
)
ENTRANCES = (
    PUBLIC_INFORMATION,
    Entrance("政策解读", r"(?:政策|文件)?解读(?:回应)?|解读与回应|(?:政策)?图解|图解政策"),
    Entrance(
        "互动交流",
        r"互动交流|交流互动|政民互动|互动回应|政府互动|互动|交流|公众参与"
        r"|(?:领导|书记|[省市州县区盟旗镇乡局]长)?信箱|我要写信"
        r"|(?:在线|网上|政务|我要)?咨询|咨询投诉|(?:在线|网上|我要)?留言(?:板)?"
        r"|(?:意见|民意)征集|征集调查|在线访谈",
    ),
    Entrance(
        "办事服务",
        r"(?:办事|政务|便民|公共|在线|网上)?服务|(?:网上|在线|我要)?办事|一网通办",
    ),
)
#: Required entrances by the inventory's ``profile``.
PROFILES: dict[str, tuple[Entrance, ...]] = {
    "portal": ENTRANCES,
    "county": ENTRANCES,
    "department": ENTRANCES,
    "other": (),
}
#: Column kinds by their names; the first that matches wins.
CATEGORY_WORDS = (
    ("notice", re.compile(r"通知|公告|公示|通告")),
    ("policy", re.compile(r"政策|文件|法规|规章|规范性")),
    ("dynamic", re.compile(r"要闻|动态|新闻|资讯|快讯|头条|工作信息|政务信息")),
)
CATEGORY_NAMES = {
    "dynamic": "动态要闻类",
    "notice": "通知公告类",
    "policy": "政策文件类",
    "other": "其他",
}
NEWS_CATEGORIES = ("dynamic", "notice", "policy")
#: What an empty column page says.
EMPTY_WORDS = re.compile(r"暂无(?:信息|数据|内容|记录|相关)|没有(?:相关)?(?:信息|数据|记录)")
MAX_COLUMN_NAME = 12  # a longer link text is a headline, never a column's name
#: What marks a page's navigation bar: <nav>, or a role, id or class that says so.
NAVIGATION = re.compile(r"nav|menu|daohang|(?<![a-z])dh(?![a-z])", re.IGNORECASE)
FOOTER = re.compile(r"foot", re.IGNORECASE)


class ColumnSettings(BaseModel):
    """How columns are judged: the inventory's ``freshness`` and ``veto``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    freshness: Freshness = Freshness()
    veto: VetoThresholds = VetoThresholds()


HOME_STALE = Rule("home.stale", "首页不更新", "veto", group="columns")
STALE = Rule("columns.stale", "栏目不更新", "deduction", Deduction(points=2, cap=10), "columns")
EMPTY = Rule("columns.empty", "空白栏目", "deduction", Deduction(points=2, cap=10), "columns")
MISSING = Rule(
    "columns.missing", "缺少必备栏目", "deduction", Deduction(points=3, cap=12), "columns"
)
OUTSIDE_NAVIGATION = Rule(
    "columns.outside_navigation", "必备入口不在导航栏", "info", group="columns"
)


@dataclass
class Column:
    name: str
    url: str | None
    category: str
    declared: bool
    required: bool = False
    max_age_days: int | None = None
    newest: date | None = None
    own_links: int = 0
    says_empty: bool = False
    read: bool = False  # the crawl kept its page


def judge(view: RunView, settings: ColumnSettings) -> list[Finding]:
    """``home.stale``, ``columns.stale``, ``columns.empty`` and ``columns.missing``."""
    if (kept := kept_homepage(view)) is None:
        return []
    home, home_html = kept
    sources = view.sources
    today = view.run.day
    published = publication_dates(view.pages, today)
    home_anchors = anchors(home_html, home.url)
    required = PROFILES.get(view.site.profile, ())
    findings = [
        *missing_entrances(required, home, home_html, home_anchors, sources),
        *stale_homepage(home, home_html, home_anchors, published, today, settings.freshness),
    ]
    columns = site_columns(view.run.columns, home, home_anchors, sources)
    answered = {f.url for f in view.fetches if f.status is not None and f.status < 400}
    for column in columns:
        if column.url in sources:
            read_column(column, sources[column.url], home_anchors, published, today)
        elif column.declared and column.required and column.url not in answered:
            findings.append(missing_column(column, home.url))  # not found, or not answering
    findings += column_findings(columns, today, settings, home.url)
    return findings


def anchors(html: str, base_url: str) -> list[tuple[str, str]]:
    """The page's links as (text, absolute URL), in page order."""
    doc = parse_document(html)
    return [] if doc is None else links_in(doc, base_url)


def links_in(container: lxml.html.HtmlElement, base_url: str) -> list[tuple[str, str]]:
    """The links inside ``container`` as (text, absolute URL), in page order."""
    found = []
    for element in container.iter("a"):
        href = (element.get("href") or "").strip()
        text = " ".join(element.text_content().split()) or element.get("title", "")
        if href and text and not href.lower().startswith(("javascript:", "mailto:", "#")):
            found.append((text, canonical_url(href, base_url)))
    return found


def publication_dates(pages: Iterable[Page], today: date) -> dict[str, date]:
    """Each crawled page's own publication date, where it states one."""
    dates = {}
    for page in pages:
        # the date the page shows wins over its PubDate tag (CMSs re-stamp it on re-publishing)
        text = page.facts.date_text or page.facts.meta.get("PubDate")
        if text and (day := parse_date(text, today)):
            dates[page.url] = day
    return dates


def navigation_anchors(html: str, base_url: str) -> list[tuple[str, str]]:
    """The links of the page's navigation bar: in the containers that say they are one, else
    in the first list of at least three short links; none when the page shows no such bar."""
    doc = parse_document(html)
    if doc is None:
        return []
    bars = [element for element in doc.iter("*") if is_navigation(element)]
    if not bars:
        first = next((lst for lst in doc.iter("ul", "ol") if is_label_list(lst, base_url)), None)
        bars = [first] if first is not None else []
    return list(dict.fromkeys(link for bar in bars for link in links_in(bar, base_url)))


def is_navigation(element: lxml.html.HtmlElement) -> bool:
    """A navigation bar, not the footer's row of 网站地图 | 联系我们."""
    said = element.tag == "nav" or NAVIGATION.search(names_of(element))
    return bool(said) and not any(
        item.tag == "footer" or FOOTER.search(names_of(item))
        for item in (element, *element.iterancestors())
    )


def names_of(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.get(name) or "" for name in ("role", "id", "class"))


def is_label_list(element: lxml.html.HtmlElement, base_url: str) -> bool:
    """A list like a navigation bar's: three links or more, and no headline among them."""
    links = links_in(element, base_url)
    return len(links) >= 3 and all(len(label_of(text)) <= MAX_COLUMN_NAME for text, _ in links)


def label_of(text: str) -> str:
    """A link's text as a label: without spaces, punctuation and symbols (》, >>, ·)."""
    return re.sub(r"[\W_]+", "", text)


def missing_entrances(
    required: tuple[Entrance, ...],
    home: Page,
    home_html: str,
    home_anchors: list[tuple[str, str]],
    sources: Mapping[str, str],
) -> list[Finding]:
    """Required entrances absent from the homepage, sought in its navigation bar first, and
    parts absent from their page; an entrance only the body links to is noted as such."""
    navigation = navigation_anchors(home_html, home.url)
    findings = []
    for entrance in required:
        in_navigation = find_entrance(entrance, navigation)
        found = in_navigation or find_entrance(entrance, home_anchors)
        if found is None:
            findings.append(missing_entrance(entrance.name, entrance, home_anchors, home.url))
            continue
        label, target = found
        if navigation and not in_navigation:
            findings.append(outside_navigation(entrance, label, target, home.url))
        if not entrance.within:
            continue
        page_anchors = anchors(sources[target], target) if target in sources else home_anchors
        links = page_anchors + home_anchors
        findings += [
            missing_entrance(f"{entrance.name}→{part.name}", part, links, home.url, target)
            for part in entrance.within
            if find_entrance(part, links) is None
        ]
    return findings


def find_entrance(entrance: Entrance, links: list[tuple[str, str]]) -> tuple[str, str] | None:
    """(text, target) of the first link labelled as ``entrance``."""
    return next(((text, url) for text, url in links if entrance.is_named_by(text)), None)


def missing_entrance(
    name: str,
    entrance: Entrance,
    links: list[tuple[str, str]],
    home_url: str,
    where: str | None = None,
) -> Finding:
    """The entrance is missing; the nearest link that was not taken for it is named, so a
    supervisor can waive the finding if it is the entrance after all."""
    rejected = min(
        (text for text, _ in links if entrance.is_mentioned_in(text)), key=len, default=None
    )
    why = f"（相近的链接“{rejected}”不是该入口的栏目名称，如确为该入口可豁免）" if rejected else ""
    return MISSING.finding(
        where or home_url,
        f"缺少必备栏目或入口：{name}{why}",
        source=home_url,
        detail={"column": name, "declared": False, "rejected": rejected},
    )


def outside_navigation(entrance: Entrance, label: str, target: str, home_url: str) -> Finding:
    """A note: the entrance is there, but only in the homepage's body, not its navigation bar."""
    return OUTSIDE_NAVIGATION.finding(
        target,
        f"必备入口「{entrance.name}」不在首页导航栏中，仅在首页正文中找到链接“{label}”",
        source=home_url,
        detail={"column": entrance.name, "label": label},
    )


def stale_homepage(
    home: Page,
    html: str,
    home_anchors: list[tuple[str, str]],
    published: dict[str, date],
    today: date,
    freshness: Freshness,
) -> list[Finding]:
    """The single veto 首页不更新: nothing on the homepage dated within the window."""
    window = freshness.home
    newest = newest_date(html, home.url, {url for _, url in home_anchors}, published, today)
    if newest is not None and (today - newest).days <= window:
        return []
    since = f"最新信息日期为 {newest.isoformat()}" if newest else "首页上未找到任何带日期的信息"
    return [
        HOME_STALE.finding(
            home.url,
            f"单项否决：首页超过 {window} 天未更新（{since}）",
            detail={
                "newest": newest.isoformat() if newest else None,
                "age_days": (today - newest).days if newest else None,
                "window_days": window,
            },
        )
    ]


def site_columns(
    declared: Iterable[ColumnEntry],
    home: Page,
    home_anchors: list[tuple[str, str]],
    sources: Mapping[str, str],
) -> list[Column]:
    """The inventory's columns, then those the homepage links to by a column's name."""
    columns = [declared_column(entry, home, home_anchors, sources) for entry in declared]
    known = {column.url for column in columns}
    for text, url in home_anchors:
        category = category_of(text)
        if (
            category
            and len(text) <= MAX_COLUMN_NAME
            and url not in known
            and url in sources
            and origin_of(url) == origin_of(home.url)
            and urldefrag(url).url != home.url
        ):
            known.add(url)
            columns.append(Column(text, url, category, declared=False))
    return columns


def declared_column(
    entry: ColumnEntry,
    home: Page,
    home_anchors: list[tuple[str, str]],
    sources: Mapping[str, str],
) -> Column:
    """A column of the inventory; without a URL it is found by its path of link names."""
    url = urljoin(home.url, entry.url) if entry.url else None
    url = canonical_url(url, home.url) if url else follow_path(entry.name, home_anchors, sources)
    return Column(
        entry.name,
        url,
        entry.category,
        declared=True,
        required=entry.required,
        max_age_days=entry.max_age_days,
    )


def follow_path(path: str, home_anchors: list[tuple[str, str]], sources: Mapping[str, str]):
    """Follow 政府信息公开平台→试点领域→重大建设项目 from the homepage, one link name a step."""
    links, target = home_anchors, None
    for step in (part.strip() for part in path.split("→")):
        target = next((url for text, url in links if text == step), None) or next(
            (url for text, url in links if step in text), None
        )
        if target is None:
            return None
        links = anchors(sources[target], target) if target in sources else []
    return target


def category_of(name: str) -> str | None:
    return next((category for category, words in CATEGORY_WORDS if words.search(name)), None)


def read_column(
    column: Column,
    html: str,
    home_anchors: list[tuple[str, str]],
    published: dict[str, date],
    today: date,
) -> None:
    """The column's newest date: from its list, else from the articles it links to."""
    page_links = {url for _, url in anchors(html, column.url)}
    own = page_links - {url for _, url in home_anchors} - {column.url}
    column.read = True
    column.own_links = len(own)
    column.newest = newest_date(html, column.url, own, published, today)
    column.says_empty = bool(EMPTY_WORDS.search(html))  # the words show in the source too


def newest_date(
    html: str, url: str, links: set[str], published: dict[str, date], today: date
) -> date | None:
    """The newest date a page shows: of its dated list items, and of the pages in ``links``
    that state their own publication date (lists that show no dates)."""
    dates = [item.date for item in dated_items(html, url, today)]
    dates += [published[link] for link in links if link in published]
    return max(dates, default=None)


def is_empty(column: Column) -> bool:
    """有栏目无内容: nothing listed, or the page says so."""
    return column.read and column.newest is None and (column.own_links == 0 or column.says_empty)


def window_of(column: Column, freshness: Freshness) -> int:
    return column.max_age_days or getattr(freshness, column.category)


def column_findings(
    columns: list[Column], today: date, settings: ColumnSettings, home_url: str
) -> list[Finding]:
    """Each empty or stale column, and the vetoes their numbers bring."""
    empty = [c for c in columns if is_empty(c)]
    stale = [
        c
        for c in columns
        if c.newest is not None and (today - c.newest).days > window_of(c, settings.freshness)
    ]
    findings = [empty_column(c, home_url) for c in empty]
    findings += [stale_column(c, today, settings.freshness, home_url) for c in stale]
    return findings + column_vetoes(stale, empty, settings.veto, home_url)


def empty_column(column: Column, home_url: str) -> Finding:
    return EMPTY.finding(
        column.url,
        f"空白栏目：「{column.name}」栏目下没有内容",
        source=home_url,
        detail={"column": column.name, "category": column.category, "declared": column.declared},
    )


def stale_column(column: Column, today: date, freshness: Freshness, home_url: str) -> Finding:
    window = window_of(column, freshness)
    age = (today - column.newest).days
    return STALE.finding(
        column.url,
        (
            f"栏目不更新：「{column.name}」（{CATEGORY_NAMES[column.category]}）最新信息为 "
            f"{column.newest.isoformat()}，已 {age} 天未更新（要求 {window} 天内）"
        ),
        source=home_url,
        detail={
            "column": column.name,
            "category": column.category,
            "declared": column.declared,
            "newest": column.newest.isoformat(),
            "age_days": age,
            "window_days": window,
        },
    )


def missing_column(column: Column, home_url: str) -> Finding:
    where = "页面无法访问" if column.url else "网站上未找到"
    return MISSING.finding(
        column.url or home_url,
        f"缺少清单要求的栏目：{column.name}（{where}）",
        source=home_url if column.url else None,
        detail={"column": column.name, "declared": True},
    )


def column_vetoes(
    stale: list[Column], empty: list[Column], thresholds: VetoThresholds, home_url: str
) -> list[Finding]:
    """The official single vetoes: ≥5 stale news/notice/policy columns or ≥10 stale columns of
    any kind (栏目不更新), ≥5 empty columns (空白栏目); thresholds from the inventory."""
    news = [c for c in stale if c.category in NEWS_CATEGORIES]
    stale_reasons = [
        f"{what} {len(found)} 个（达到 {threshold} 个即否决）"
        for what, found, threshold in (
            (
                "动态要闻、通知公告、政策文件类栏目未按时更新",
                news,
                thresholds.stale_news_columns,
            ),
            ("应更新但长期未更新的栏目", stale, thresholds.stale_columns),
        )
        if len(found) >= threshold
    ]
    vetoes = []
    if stale_reasons:
        vetoes.append(
            column_veto(STALE, "栏目不更新：" + "；".join(stale_reasons), stale, home_url)
        )
    if len(empty) >= thresholds.empty_columns:
        reason = f"空白栏目 {len(empty)} 个（达到 {thresholds.empty_columns} 个即否决）"
        vetoes.append(column_veto(EMPTY, reason, empty, home_url))
    return vetoes


def column_veto(rule: Rule, reason: str, columns: list[Column], home_url: str) -> Finding:
    return rule.finding(
        home_url,
        f"单项否决：{reason}",
        severity="veto",
        detail={
            "count": len(columns),
            "columns": [{"name": c.name, "url": c.url} for c in columns],
        },
    )


FAMILY = Family(
    name="columns",
    rules=(HOME_STALE, STALE, EMPTY, MISSING, OUTSIDE_NAVIGATION),
    judge=judge,
    settings=ColumnSettings,
    figures=(Figure("columns", "栏目与更新"),),
)
