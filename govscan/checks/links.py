"""Dead links (链接不可用), soft 404s and links into an intranet; pages too large to read and
hosts that kept answering 429, which are not dead."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher
from urllib.parse import urlsplit

from govscan.checks.family import Deduction, Family, Figure, NoSettings, Rule
from govscan.checks.finding import Finding
from govscan.outcomes import FAILURE_NAMES
from govscan.store.view import Fetch, Link, Page, RunView
from govscan.urls import host_of, invalid_href, is_fetchable, is_intranet_host, origin_of

#: Network failures that make a link dead, as the crawl names them.
#: The failures of a link that are not an HTTP status: it is dead (names: FAILURE_NAMES).
NETWORK_KINDS = frozenset(
    {"dns", "refused", "timeout", "tls", "redirect_loop", "connection", "invalid_url"}
)
#: 429 Too Many Requests: the server asks to slow down; the link is not dead.
TOO_MANY_REQUESTS = 429
#: What Chinese (and English) not-found pages say.
NOT_FOUND_WORDS = (
    "页面不存在",
    "页面未找到",
    "找不到页面",
    "找不到该页面",
    "找不到您要的页面",
    "页面已删除",
    "页面已被删除",
    "内容不存在",
    "信息不存在",
    "文章不存在",
    "您访问的页面",
    "您所访问的页面",
    "页面走丢了",
    "页面丢失",
    "无法找到该页",
    "404 not found",
    "page not found",
)
#: A page longer than this is an article that may mention the words, not a not-found page.
NOT_FOUND_MAX_TEXT = 2000
MAX_SOURCES = 20

BROKEN = Rule(
    "links.broken",
    "链接不可用",
    "deduction",
    Deduction(points=0.5, homepage=2, cap=10),
    "dead_links",
)
SOFT_404 = Rule(
    "links.soft404",
    "链接不可用（软 404）",
    "deduction",
    Deduction(points=0.5, homepage=2, cap=5),
    "dead_links",
)
INTRANET = Rule(
    "links.intranet", "链接到内网地址", "warning", Deduction(points=2, cap=6), "intranet_links"
)
TOO_LARGE = Rule("links.too_large", "页面过大，未能读取", "warning")
RATE_LIMITED = Rule("links.rate_limited", "访问频率受限，链接未检查", "warning")


def judge(view: RunView, settings: NoSettings) -> list[Finding]:
    """``links.*`` for one run: dead, soft 404, intranet, too large and rate-limited links."""
    start_url = view.site.url
    pages = view.pages
    dead = {f.url: f for f in view.fetches if failure_kind(f)}
    too_large = {f.url: f for f in view.fetches if f.error_kind == "too_large"}
    limited = {f.url: f for f in view.fetches if is_rate_limited(f)}
    soft = soft_404_pages(pages, {f.url: f.status for f in view.fetches})
    invalid = [target for target in view.link_targets if invalid_href(target)]
    intranet = (
        []
        if is_intranet_host(host_of(start_url))
        else [t for t in view.link_targets if is_fetchable(t) and is_intranet_host(host_of(t))]
    )
    sources = view.links_to([*dead, *too_large, *limited, *soft, *invalid, *intranet])
    home = {p.url for p in pages if p.role == "home"} | {start_url}

    def linked(urls: dict) -> dict:  # unlinked fetches are the crawl's own probes
        return {url: fetch for url, fetch in urls.items() if url in sources or url == start_url}

    findings = [broken_link(f, sources.get(url, ()), home) for url, f in linked(dead).items()]
    findings += [invalid_link(url, sources[url], home) for url in invalid]
    findings += [soft_404(page, sources.get(page.url, ()), home) for page in soft.values()]
    findings += [intranet_link(url, sources[url], home) for url in intranet]
    findings += [unread_page(f, sources.get(url, []), home) for url, f in linked(too_large).items()]
    findings += rate_limited_hosts(linked(limited), sources, home)
    return findings


def failure_kind(fetch: Fetch) -> str | None:
    """The catalogue's ``detail.kind`` of a failed fetch, or None when the link works."""
    if fetch.error_kind in NETWORK_KINDS:
        return fetch.error_kind
    if fetch.error_kind is None and fetch.status is not None and fetch.status >= 400:
        if fetch.status == TOO_MANY_REQUESTS:
            return None
        return "http_5xx" if fetch.status >= 500 else "http_4xx"
    return None


def is_rate_limited(fetch: Fetch) -> bool:
    """Answered 429 after its retries, or not fetched once its host had answered 429 too often."""
    return fetch.error_kind == "rate_limited" or (
        fetch.error_kind is None and fetch.status == TOO_MANY_REQUESTS
    )


def soft_404_pages(pages: Iterable[Page], status: dict[str, int | None]) -> dict[str, Page]:
    """Pages that answered 200 but read as a not-found page."""
    probes = {
        origin_of(p.url): p
        for p in pages
        if p.role == "notfound_probe" and status.get(p.url) == 200
    }
    return {
        page.url: page
        for page in pages
        if page.role != "notfound_probe"
        and status.get(page.url) in (200, None)
        and (says_not_found(page) or looks_like(page, probes.get(origin_of(page.url))))
    }


def says_not_found(page: Page) -> bool:
    title = page.title.lower()
    text = page.excerpt.lower() if page.text_length <= NOT_FOUND_MAX_TEXT else ""
    return any(word in title or word in text for word in NOT_FOUND_WORDS)


def looks_like(page: Page, probe: Page | None) -> bool:
    """Like the page the site shows for a random path that cannot exist (GSA's soft-404 probe)."""
    if probe is None or page.title != probe.title:
        return False
    if abs(page.text_length - probe.text_length) > max(50, probe.text_length // 10):
        return False
    return SequenceMatcher(None, page.excerpt, probe.excerpt).ratio() >= 0.9


def evidence(links: Sequence[Link], home: set[str]) -> tuple[str | None, dict]:
    """The linking page to show first (the homepage if it links), and every source in detail."""
    ordered = sorted(links, key=lambda link: link.source not in home)
    first = ordered[0] if ordered else None
    return (first.source if first else None), {
        "anchor": first.anchor if first else "",
        "element": first.element if first else "",
        "on_homepage": any(link.source in home for link in links),
        "source_count": len({link.source for link in links}),
        "sources": [
            {"url": link.source, "anchor": link.anchor, "element": link.element}
            for link in ordered[:MAX_SOURCES]
        ],
    }


def broken_link(fetch: Fetch, links: Sequence[Link], home: set[str]) -> Finding:
    kind = failure_kind(fetch)
    source, detail = evidence(links, home)
    if kind in NETWORK_KINDS:
        reason = FAILURE_NAMES[kind]
    else:
        problem = "服务器错误" if kind == "http_5xx" else "页面不存在或无法访问"
        reason = f"HTTP {fetch.status}，{problem}"
    where = "首页上的" if detail["on_homepage"] else ""
    subject = "首页无法访问" if not links else f"{where}链接不可用"
    return BROKEN.finding(
        fetch.url,
        f"{subject}：{reason}",
        source=source,
        detail={
            "kind": kind,
            "status": fetch.status,
            "error": fetch.error,
            "final_url": fetch.final_url,
            **detail,
        },
    )


def invalid_link(target: str, links: Sequence[Link], home: set[str]) -> Finding:
    """A link whose href no browser can follow (``http://[bad``, a port over 65535): shown
    as the page wrote it."""
    href = invalid_href(target)
    source, detail = evidence(links, home)
    where = "首页上的" if detail["on_homepage"] else ""
    return BROKEN.finding(
        href,
        f"{where}链接不可用：{FAILURE_NAMES['invalid_url']}（{href}）",
        source=source,
        detail={"kind": "invalid_url", "status": None, "error": None, "final_url": None, **detail},
    )


def unread_page(fetch: Fetch, links: Sequence[Link], home: set[str]) -> Finding:
    """A page whose body passed the crawl's size limit (announced, received or decompressed):
    it answers, so it is no dead link, but govscan did not read it."""
    source, detail = evidence(links, home)
    return TOO_LARGE.finding(
        fetch.url,
        "页面超过抓取上限（过大、传输不结束或解压后过大），未能读取其内容和链接",
        source=source,
        detail={"kind": "too_large", "error": fetch.error, **detail},
    )


def rate_limited_hosts(
    fetches: dict[str, Fetch], sources: dict[str, Sequence[Link]], home: set[str]
) -> list[Finding]:
    """One warning per host that kept answering 429: its links were not checked."""
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in sorted(fetches):
        by_host[urlsplit(url).netloc].append(url)
    findings = []
    for host, urls in sorted(by_host.items()):
        source, detail = evidence([link for url in urls for link in sources.get(url, ())], home)
        findings.append(
            RATE_LIMITED.finding(
                urls[0],
                f"{host} 多次返回 HTTP 429（请求过于频繁），本次有 {len(urls)} 个链接"
                "未能检查，未计为不可用链接",
                source=source,
                detail={
                    "kind": "rate_limited",
                    "host": host,
                    "count": len(urls),
                    "urls": urls[:MAX_SOURCES],
                    **detail,
                },
            )
        )
    return findings


def soft_404(page: Page, links: Sequence[Link], home: set[str]) -> Finding:
    source, detail = evidence(links, home)
    return SOFT_404.finding(
        page.url,
        "链接不可用：页面返回 200，但内容是“页面不存在”提示",
        source=source,
        detail={"status": 200, "title": page.title, **detail},
    )


def intranet_link(url: str, links: Sequence[Link], home: set[str]) -> Finding:
    source, detail = evidence(links, home)
    return INTRANET.finding(
        url,
        "公开网站链接到内网地址，公众无法访问，并暴露内部系统",
        source=source,
        detail={"host": host_of(url), **detail},
    )


FAMILY = Family(
    name="links",
    rules=(BROKEN, SOFT_404, INTRANET, TOO_LARGE, RATE_LIMITED),
    judge=judge,
    figures=(Figure("dead_links", "不可用链接"), Figure("intranet_links", "内网链接")),
)
