"""The site spider: crawls a site's own pages and checks every link on them once.

It records facts (statuses, network errors, titles, links); what counts as a
violation is decided later by ``govscan.checks``.
"""

from __future__ import annotations

import re
import secrets
from collections import Counter
from collections.abc import Iterator
from posixpath import splitext
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import StopDownload
from scrapy.http import HtmlResponse, Response

from govscan.crawler.errors import error_kind
from govscan.crawler.items import FetchItem, LinkItem, PageItem
from govscan.crawler.pages import read_links
from govscan.store.records import REVALIDATED, Baseline
from govscan.urls import (
    canonical_url,
    host_of,
    invalid_href,
    is_fetchable,
    is_intranet_host,
    origin_of,
    site_scope,
)

#: Elements whose target is a document to crawl when it is on the site.
DOCUMENT_ELEMENTS = frozenset({"a", "area", "iframe", "frame", "meta"})
#: Documents shown inside another page: crawled with the role "frame", not read as pages.
FRAME_ELEMENTS = frozenset({"iframe", "frame"})
#: File endings that are never HTML: checked with HEAD, never crawled.
NON_HTML_ENDINGS = frozenset(
    ".pdf .doc .docx .xls .xlsx .ppt .pptx .wps .et .ofd .zip .rar .7z .gz .jpg .jpeg .png .gif"
    " .bmp .webp .svg .ico .mp3 .mp4 .avi .flv .wmv .mov .apk .exe .css .js .txt .xml".split()
)
MAX_REDIRECTS = 10
#: The anchors of a list's other pages, and how many pages of one list stand at its depth
#: (a calendar whose 下一页 never ends stops there).
PAGINATION_ANCHOR = re.compile(r"^(?:下一页|下页|后页|尾页|末页|›|»|>|>>|\d{1,3})$")
MAX_LIST_PAGES = 50
PAGE_SUFFIX = re.compile(r"[_-]\d+(?=\.\w+$)")  # index_2.html
INDEX_FILE = re.compile(r"(?<=/)(?:index|default)\.\w+$")
LOOPBACK_NAMES = frozenset({"127.0.0.1", "::1", "localhost"})
#: Statuses with which servers refuse HEAD though GET works.
HEAD_REFUSED = frozenset({403, 405, 501})
#: Why a homepage can go unread without being dead: nothing is left to judge the site by.
HOME_UNREAD_KINDS = frozenset({"too_large", "rate_limited", "robots"})
#: Elements whose target a page loads (images, styles, scripts): like links to other hosts,
#: their fine results are kept for a while instead of checked every night.
CONDITIONAL_HEADERS = (b"If-None-Match", b"If-Modified-Since")


class SiteSpider(scrapy.Spider):
    name = "site"

    def __init__(
        self,
        start_url: str,
        hosts: list[str],
        max_depth: int = 3,
        max_pages: int = 1000,
        skip_hosts: list[str] = (),
        exclude: list[str] = (),
        keep_urls: list[str] = (),
        baseline: Baseline | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.start_url = canonical_url(start_url, start_url)
        self.hosts = [host_of(f"http://{host}/") for host in hosts]
        self.scope = set(site_scope(self.start_url, hosts))
        self.max_depth = max_depth
        self.max_pages = max_pages
        self.site_is_intranet = is_intranet_host(host_of(self.start_url))
        self.skip_hosts = frozenset(host.lower() for host in skip_hosts)
        self.exclude = [re.compile(pattern) for pattern in exclude]
        self.seen: set[str] = set()
        self.parsed: set[str] = set()
        self.pages_scheduled = 0
        self.list_pages: Counter[str] = Counter()  # pages of each list at the list's depth
        self.keep_urls = frozenset(canonical_url(url, self.start_url) for url in keep_urls)
        self.baseline = baseline  # the last completed run, unless this scan is a full one

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_headers, signal=signals.headers_received)
        return spider

    async def start(self):
        self.seen.add(self.start_url)
        self.pages_scheduled += 1
        yield self.page_request(self.start_url, role="home", depth=0)
        start = urlsplit(self.start_url)
        for host in self.hosts:  # one probe per host, on the start URL's scheme and port
            netloc = f"[{host}]" if ":" in host else host
            netloc += f":{start.port}" if start.port else ""
            probe = f"{start.scheme}://{netloc}/govscan-notfound-{secrets.token_hex(6)}.html"
            yield self.request(probe, "GET", role="notfound_probe", depth=0)

    def request(self, url: str, method: str, role: str, depth: int, **meta) -> scrapy.Request:
        """One request; ``role`` says why it is fetched (home, page, probe, or a link check)."""
        return scrapy.Request(
            url,
            method=method,
            callback=self.on_response,
            errback=self.on_error,
            dont_filter=True,
            priority=-depth,  # breadth first: a page's depth is its distance from the homepage
            meta={"role": role, "level": depth, "origin": url, **meta},
        )

    def page_request(self, url: str, role: str, depth: int) -> scrapy.Request:
        """GET a page of the site; a conditional GET when the last completed run kept all
        that this run needs of it, so an unchanged page costs a 304 instead of its body."""
        request = self.request(url, "GET", role=role, depth=depth)
        if self.baseline is None:
            return request
        prior = self.baseline.page(url, keep=self.keeps_source(url, depth))
        if prior is not None:
            request.headers.update(prior.headers())
            request.meta["prior"] = prior
        return request

    def on_headers(self, headers, body_length, request, spider) -> None:
        """Stop downloading bodies nobody reads: link checks, and pages that are not HTML."""
        role = request.meta.get("role")  # None: Scrapy's own requests, such as robots.txt
        is_html = b"html" in headers.get(b"Content-Type", b"text/html")
        if role == "check" or (role is not None and not is_html):
            raise StopDownload(fail=False)

    def on_response(self, response: Response) -> Iterator[scrapy.Request | FetchItem]:
        meta = response.meta
        if 300 <= response.status < 400 and b"Location" in response.headers:
            yield self.follow_redirect(response)
            return
        if response.status == 304 and "prior" in meta:
            yield from self.revalidated(response)
            return
        if response.request.method == "HEAD" and response.status in HEAD_REFUSED:
            yield self.request(meta["origin"], "GET", role="check", depth=meta["level"])
            return
        if response.status == 429:  # the host's retries and budget were spent on it
            self.note_unread_home(meta["role"], "rate_limited")
        fetch = self.fetch_item(response)
        if self.should_parse(response):
            self.parsed.add(response.url)
            url, html = response.url, response.text
            fetch.page = PageItem(
                url,
                meta["role"],
                meta["level"],
                html,
                read_links(url, html),
                keep=self.keeps_source(url, meta["level"]),
            )
        yield fetch  # one item per response: Scrapy's cost per item is high
        if fetch.page is not None and meta["role"] != "notfound_probe":
            yield from self.follow_links(fetch.page)

    def revalidated(self, response: Response) -> Iterator[scrapy.Request | FetchItem]:
        """A page unchanged since the last completed run: its stored page is copied into this
        run, and its links, as that run read them, are followed as a download's would be."""
        meta, url = response.meta, response.url
        fetch = self.fetch_item(response)
        prior = meta["prior"]
        fetch.status, fetch.reuse = prior.status, REVALIDATED
        fetch.etag = fetch.etag or prior.etag  # a 304 need not repeat the validators
        fetch.last_modified = fetch.last_modified or prior.last_modified
        if url in self.parsed:
            yield fetch
            return
        self.parsed.add(url)
        fetch.page = PageItem(
            url,
            meta["role"],
            meta["level"],
            "",
            self.baseline.links_of(url),
            keep=self.keeps_source(url, meta["level"]),
            reused_from=self.baseline.run_id,
        )
        yield fetch
        yield from self.follow_links(fetch.page)

    def keeps_source(self, url: str, depth: int) -> bool:
        """Keep the HTML of the homepage, the pages it links to (its columns, its news) and
        the declared columns: the checks that read whole pages sample from these."""
        return depth <= 1 or url in self.keep_urls

    def should_parse(self, response: Response) -> bool:
        """Read the site's own HTML pages once; a not-found probe is read to compare with."""
        role = response.meta["role"]
        return (
            role != "check"
            and (200 <= response.status < 300 or role == "notfound_probe")
            and isinstance(response, HtmlResponse)
            and origin_of(response.url) in self.scope
            and response.url not in self.parsed
        )

    def on_error(self, failure) -> Iterator[FetchItem]:
        meta = failure.request.meta
        kind = error_kind(failure)
        if kind is None:  # a fault of govscan's, not of the site: the crawl must not pass
            self.logger.error("Internal error fetching %s", meta["origin"], exc_info=failure)
            return
        self.note_unread_home(meta["role"], kind)
        yield FetchItem(
            url=meta["origin"],
            method=failure.request.method,
            error_kind=kind,
            error=str(failure.value)[:500] or repr(failure.value),
            final_url=failure.request.url if failure.request.url != meta["origin"] else None,
        )

    def note_unread_home(self, role: str, kind: str) -> None:
        """Keep in the crawl's stats that the homepage could not be read though it is not
        dead (``govscan.crawler.run`` then reports the crawl incomplete, never passed)."""
        if role == "home" and kind in HOME_UNREAD_KINDS:
            self.crawler.stats.set_value("govscan/home_unread", kind)

    def fetch_item(self, response: Response) -> FetchItem:
        meta = response.meta
        latency = meta.get("download_latency")
        return FetchItem(
            url=meta["origin"],
            method=response.request.method,
            status=response.status,
            final_url=response.url if response.url != meta["origin"] else None,
            elapsed_ms=round(latency * 1000) if latency is not None else None,
            etag=header(response, b"ETag"),
            last_modified=header(response, b"Last-Modified"),
        )

    def follow_redirect(self, response: Response) -> scrapy.Request | FetchItem:
        """Follow a redirect by hand, so a loop is reported as one and no hop is lost."""
        location = response.headers[b"Location"].decode("latin-1")
        target = canonical_url(location, response.url)
        chain = [*response.meta.get("chain", []), response.url]
        if target in chain or len(chain) > MAX_REDIRECTS or not is_fetchable(target):
            return FetchItem(
                url=response.meta["origin"],
                method=response.request.method,
                status=response.status,
                error_kind=redirect_failure(target),
                final_url=target,
                error=" → ".join([*chain, invalid_href(target) or target])[:500],
            )
        if response.meta["role"] == "home":  # http://csz.gov.cn → https://www.csz.gov.cn
            self.scope.add(origin_of(target))
        # a conditional request asks about the page it was sent to, not about another
        headers = {
            k: v for k, v in response.request.headers.items() if k not in CONDITIONAL_HEADERS
        }
        meta = {key: value for key, value in response.meta.items() if key != "prior"}
        return response.request.replace(url=target, headers=headers, meta={**meta, "chain": chain})

    def follow_links(self, page: PageItem) -> list[scrapy.Request | FetchItem]:
        """Crawl the site's own documents within the limits; check everything else once.

        Built in full before Scrapy sees the first request: Scrapy consumes a callback's
        output while other responses arrive, and a page found meanwhile from one level
        deeper must not take a URL (and a wrong depth) that this page links to."""
        requests = []
        for link in page.links:
            url = link.target
            if url in self.seen or not is_fetchable(url) or not self.may_fetch(url):
                continue
            self.seen.add(url)
            depth = page.depth if self.continues_list(link, page.url) else page.depth + 1
            if page.role == "home" and link.element == "meta":  # a front page that only redirects
                requests.append(self.page_request(url, role="home", depth=page.depth))
            elif self.is_crawlable(url, link.element, depth):
                self.pages_scheduled += 1
                role = "frame" if link.element in FRAME_ELEMENTS else "page"
                requests.append(self.page_request(url, role=role, depth=depth))
            else:
                requests.append(self.check(url, link.element, depth))
        if page.role == "home":  # declared columns, linked or not, after the homepage's links
            requests += [self.column_request(url) for url in sorted(self.keep_urls - self.seen)]
        return requests

    def column_request(self, url: str) -> scrapy.Request:
        self.seen.add(url)
        self.pages_scheduled += 1
        return self.page_request(url, role="page", depth=1)

    def check(self, url: str, element: str, depth: int) -> scrapy.Request | FetchItem:
        """Check a link with HEAD; a link or an asset on another host that was fine when last
        checked, within the TTL, keeps that result. Failures, and everything on the site's
        own hosts (a deleted picture is the site's own fault), are checked every time."""
        cached = self.baseline.check(url) if self.baseline is not None else None
        if cached is None or origin_of(url) in self.scope:
            return self.request(url, "HEAD", role="check", depth=depth)
        return cached

    def may_fetch(self, url: str) -> bool:
        """Never reach into an intranet from a public site's links, nor into skipped hosts
        or excluded URLs."""
        host = host_of(url)
        if host in self.skip_hosts or any(pattern.search(url) for pattern in self.exclude):
            return False
        if not is_intranet_host(host):
            return True
        return self.site_is_intranet and (host in self.hosts or host in LOOPBACK_NAMES)

    def continues_list(self, link: LinkItem, page_url: str) -> bool:
        """Whether ``link`` is the next page of the list ``page_url`` shows (下一页, 2, 3 …,
        in the same folder): it stands at the list's depth, so that a column's older items
        are reached however many pages it has, up to ``MAX_LIST_PAGES`` a list."""
        if link.element != "a" or not PAGINATION_ANCHOR.match(link.anchor):
            return False
        key = list_key(link.target)
        if key != list_key(page_url):
            return False
        self.list_pages[key] += 1
        return self.list_pages[key] <= MAX_LIST_PAGES

    def is_crawlable(self, url: str, element: str, depth: int) -> bool:
        return (
            element in DOCUMENT_ELEMENTS
            and origin_of(url) in self.scope
            and depth <= self.max_depth
            and self.pages_scheduled < self.max_pages
            and splitext(urlsplit(url).path)[1].lower() not in NON_HTML_ENDINGS
        )


def header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def list_key(url: str) -> str:
    """A list page's address without its page number, as CMSs write them: /xwdt/,
    /xwdt/index.html and /xwdt/index_2.html are one list, as are list.jsp?col=3 and
    list.jsp?col=3&page=2 (a parameter whose value is a number is dropped)."""
    parts = urlsplit(url)
    path = INDEX_FILE.sub("", PAGE_SUFFIX.sub("", parts.path))
    kept = [
        pair for pair in parts.query.split("&") if pair and not pair.partition("=")[2].isdigit()
    ]
    return f"{parts.netloc}{path}?{'&'.join(kept)}"


def redirect_failure(target: str) -> str:
    """Why a redirect to ``target`` is not followed: a loop (or too long a chain), a Location
    no browser can follow, or a scheme that is not fetched (``mailto:``)."""
    if is_fetchable(target):
        return "redirect_loop"
    return "invalid_url" if invalid_href(target) else "redirect_scheme"
