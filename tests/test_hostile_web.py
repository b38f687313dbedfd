"""The real web is hostile: one bad link, page or robots.txt must never cost a site's verdict.

Each test serves a site with one misbehaviour beside a seeded dead link, scans it as users do,
and asserts five things: the scan finishes within a bound, the process tree stays under
600 MB, no traceback reaches the output or the crawl log, the bad thing gets the right
classification, and the dead link is still found.
"""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
from urllib.parse import urljoin

import psutil
import pytest
from servers import (
    Route,
    closed_port,
    http_site,
    page,
    redirect_loop_site,
    silent_server,
    tls_site,
)

DEAD = "<a href='/dead.html'>已删除的文章</a>"
GONE = Route(status=404, body="<html><body><h1>404 Not Found</h1></body></html>")
MAX_TREE_BYTES = 600 * 2**20
MB = 2**20


class PeakMemory:
    """The largest resident size of this process and all its children, sampled while open."""

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for process in [me, *me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    total += process.memory_info().rss
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)


@pytest.fixture
def hostile(scan, capfd):
    """``scan(URL, ARGS…)`` of the links check with a 2 s timeout, asserting what every hostile
    site must keep: a finished scan within ``bound`` seconds, under 600 MB, without a
    traceback, that still finds the homepage's seeded dead link (``/dead.html``)."""

    def run(url: str, *args: str, bound: float = 60, complete: bool = True):
        with PeakMemory() as memory:
            started = time.monotonic()
            output = scan(url, "--checks", "links", "--timeout", "2", *args)
            took = time.monotonic() - started
        printed = capfd.readouterr()
        logs = "".join(log.read_text(encoding="utf-8") for log in output.out.glob("logs/*.log"))
        assert took < bound, f"the scan took {took:.1f} s"
        assert memory.peak < MAX_TREE_BYTES, f"the process tree reached {memory.peak / MB:.0f} MB"
        assert "Traceback" not in printed.out + printed.err + logs
        if complete:
            assert output.code == 0 and output.site["verdict"] != "未完成", output.site["error"]
            assert (urljoin(url, "/dead.html"), "http_4xx") in output.broken()
        return output

    return run


def routes(home: str, **more: Route | str) -> dict[str, Route | str]:
    """A homepage with ``home`` and the seeded dead link, and ``more`` routes by path."""
    return {"/": page("首页", home + DEAD), "/dead.html": GONE, **more}


def links(*hrefs: str) -> str:
    return "".join(f"<a href='{href}'>链接{number}</a>" for number, href in enumerate(hrefs))


# --------------------------------------------------------------------------- 1. unparsable URLs


def test_unparsable_hrefs_are_invalid_links_and_the_rest_is_followed(hostile):
    bad = ["http://[bad", "http://www.csz.gov.cn:99999/", "http://www.csz.gov.cn:abc/"]
    based = page("基准", links("a.html"), head="<base href='http://[bad'>")
    with http_site(
        routes(
            links(*bad, "/based/page.html", "/moved"),
            **{
                "/based/page.html": based,
                "/based/a.html": page("A"),
                "/moved": Route(status=302, location="http://[bad/x"),
            },
        )
    ) as site:
        output = hostile(site.url)
    assert {(url, kind) for url, kind in output.broken() if kind == "invalid_url"} == {
        *((href, "invalid_url") for href in bad),
        (site.url_for("/moved"), "invalid_url"),
    }
    assert site.count("GET", "/based/a.html") == 1  # an invalid <base> is ignored, as browsers do
    [finding] = [f for f in output.findings("links.broken") if f["url"] == bad[0]]
    assert finding["source"] == site.url and finding["message"].endswith("（http://[bad）")
    assert "链接地址无效" in (output.out / "report.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- 2, 3. sizes


def test_a_page_over_the_size_limit_is_reachable_and_an_attachment_is_not_read(hostile):
    paragraph = "<p>苍山州二〇二五年政府工作报告全文。</p>" * 1000
    more = {
        "/report.html": Route(body=paragraph, repeat=50 * MB // len(paragraph.encode())),
        "/report.pdf": Route(body=b"%PDF" * 1024, repeat=25_600, content_type="application/pdf"),
        "/report.zip": Route(
            body=b"PK" * 512, repeat=102_400, content_type="application/zip", head_status=405
        ),
    }
    with http_site(routes(links("/report.html", "/report.pdf", "/report.zip"), **more)) as site:
        output = hostile(site.url)
    [large] = output.findings("links.too_large")
    assert (large["url"], large["severity"]) == (site.url_for("/report.html"), "warning")
    assert output.broken() == {(site.url_for("/dead.html"), "http_4xx")}
    statuses = {f.url: f.status for f in output.data.fetches()}
    assert statuses[site.url_for("/report.pdf")] == statuses[site.url_for("/report.zip")] == 200


def test_an_endless_body_is_too_large_and_a_dripping_one_times_out(hostile):
    more = {
        "/endless.html": Route(body="<p>没有尽头的栏目页</p>" * 100, repeat=0),
        "/drip.html": Route(body="<p>一点一点</p>", repeat=40, drip=0.25),
    }
    with http_site(routes(links("/endless.html", "/drip.html"), **more)) as site:
        output = hostile(site.url)
    assert [f["url"] for f in output.findings("links.too_large")] == [site.url_for("/endless.html")]
    assert (site.url_for("/drip.html"), "timeout") in output.broken()


def test_a_gzip_bomb_is_too_large_not_forbidden_by_robots(hostile):
    bomb = gzip.compress(b"<html><body>" + b" " * (100 * MB), compresslevel=9)
    more = {"/bomb.html": Route(body=bomb, headers={"Content-Encoding": "gzip"})}
    with http_site(routes(links("/bomb.html"), **more)) as site:
        output = hostile(site.url)
    [finding] = output.findings("links.too_large")
    assert (finding["url"], finding["detail"]["kind"]) == (site.url_for("/bomb.html"), "too_large")
    assert "超过抓取上限" in (output.out / "report.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- 4. deep markup


def test_links_past_the_parsers_depth_limit_are_followed(hostile):
    nested = "<div>" * 3000 + links("/deep.html") + "</div>" * 3000
    with http_site({"/": page("首页", nested + DEAD), "/deep.html": page("深处")}) as site:
        output = hostile(site.url)
    assert site.count("GET", "/deep.html") == 1
    [home] = [p for p in output.data.pages() if p.role == "home"]
    assert "depth" in home.facts["malformed"]


# --------------------------------------------------------------------------- 5. 429 storms


def test_a_host_that_keeps_answering_429_is_given_up_quickly(hostile):
    busy = Route(status=429, headers={"Retry-After": "60"}, body="请求过于频繁")
    with http_site(not_found=busy) as other:
        hrefs = [other.url_for(f"/news/{number}.html") for number in range(40)]
        with http_site(routes(links(*hrefs))) as site:
            output = hostile(site.url)  # 40 links took 190 s
    [warning] = output.findings("links.rate_limited")
    assert (warning["severity"], warning["detail"]["count"]) == ("warning", 40)
    assert warning["detail"]["host"] == other.address
    assert output.broken() == {(site.url_for("/dead.html"), "http_4xx")}
    assert sum(other.hits.values()) <= 40  # each link once at most, no retries
    assert "访问频率受限" in (output.out / "report.html").read_text(encoding="utf-8")


UNREAD_HOMEPAGES = {
    "429": ({"/": Route(status=429, headers={"Retry-After": "60"})}, (), "HTTP 429"),
    # a long timeout: under load the 32 MiB may take longer than 15 s to arrive
    "endless": ({"/": Route(body="<p>首页</p>" * 100, repeat=0)}, ("--timeout", "120"), "抓取上限"),
    "robots": (
        {"/": page("首页"), "/robots.txt": Route(body="User-agent: *\nDisallow: /\n")},
        ("--obey-robots",),
        "robots.txt",
    ),
}


@pytest.mark.parametrize("case", UNREAD_HOMEPAGES)
def test_a_homepage_that_cannot_be_read_though_not_dead_leaves_the_site_incomplete(hostile, case):
    """Nothing else can be judged: never 合格 with no findings."""
    home, args, reason = UNREAD_HOMEPAGES[case]
    with http_site(home) as site:
        output = hostile(site.url, *args, complete=False)
    assert output.code == 1 and output.site["verdict"] == "未完成"
    assert reason in output.site["error"]


# --------------------------------------------------------------------------- 6. robots.txt


def test_a_huge_robots_txt_is_read_to_500_kib_once(hostile):
    padding = "Disallow: /archive/*/old-*.html$\n" * (20 * MB // 34)
    robots = "User-agent: *\nDisallow: /private/\n" + padding + "Disallow: /late/\n"
    home = links("/private/a.html", "/late/b.html", *(f"/news/{n}.html" for n in range(100)))
    more = {"/robots.txt": Route(body=robots, content_type="text/plain")}
    with http_site(routes(home, **more), not_found=lambda path: Route(body=page(path))) as site:
        hostile(site.url, "--obey-robots")
    assert site.count("GET", "/robots.txt") == 1
    assert site.count("GET", "/private/a.html") == 0
    assert site.count("GET", "/late/b.html") == 1  # past 500 KiB: never read


def test_a_robots_txt_that_never_answers_allows_every_path(hostile):
    slow = Route(body="User-agent: *\nDisallow: /\n", content_type="text/plain", delay=30)
    with http_site(routes(links("/a.html"), **{"/robots.txt": slow, "/a.html": page("A")})) as site:
        hostile(site.url, "--obey-robots")
    assert site.count("GET", "/a.html") == 1


# --------------------------------------------------------------------------- 10. backslashes


def test_backslashes_in_hrefs_are_slashes_as_in_browsers(hostile):
    more = {"/zh/x.html": page("X")}
    with http_site(routes(links("\\zh\\x.html", "\\zh\\gone.html"), **more)) as site:
        output = hostile(site.url)
    assert site.count("GET", "/zh/x.html") == 1
    assert (site.url_for("/zh/gone.html"), "http_4xx") in output.broken()


# --------------------------------------------------------------------------- what holds today


def test_a_calendar_trap_ends_at_the_depth_limit(hostile):
    def calendar(path: str) -> Route:
        month = int(path.rsplit("/", 1)[-1] or 0) if path.startswith("/cal/") else 0
        return Route(body=page(f"{month} 月", links(f"/cal/{month + 1}")))

    with http_site(routes(links("/cal/1")), not_found=calendar) as site:
        output = hostile(site.url)
    crawled = [p.url for p in output.data.pages() if p.url.startswith(site.url_for("/cal/"))]
    assert len(crawled) == 3  # depth 3; the fourth month is only checked


def test_redirect_loops_and_chains(hostile):
    chain = {f"/c{n}": Route(status=302, location=f"/c{n + 1}") for n in range(20)}
    with redirect_loop_site(chain | {"/c5": Route(body=page("到了"))}) as short:
        long = {f"/l{n}": Route(status=301, location=f"/l{n + 1}") for n in range(30)}
        home = links(short.url_for("/loop/a"), short.url_for("/c0"), "/l0")
        with http_site(routes(home, **long)) as site:
            output = hostile(site.url)
    assert (short.url_for("/loop/a"), "redirect_loop") in output.broken()
    assert (site.url_for("/l0"), "redirect_loop") in output.broken()  # over ten hops
    assert short.url_for("/c0") not in {url for url, _ in output.broken()}  # five hops


def test_silent_and_slow_servers_time_out(hostile):
    slow = {"/slow.html": Route(body=page("慢"), delay=30)}
    with silent_server() as silent, http_site(routes(links(silent.url, "/slow.html"), **slow)) as s:
        output = hostile(s.url)
    assert {(silent.url, "timeout"), (s.url_for("/slow.html"), "timeout")} <= output.broken()


def test_connection_resets_and_refusals(hostile):
    with (
        closed_port() as closed,
        http_site(
            routes(links("/reset.html", closed.url), **{"/reset.html": Route(reset=True)})
        ) as site,
    ):
        output = hostile(site.url)
    assert (site.url_for("/reset.html"), "connection") in output.broken()
    assert (closed.url, "refused") in output.broken()


def test_503_once_is_retried_and_503_always_is_dead(hostile):
    more = {
        "/busy.html": Route(status=503, body="忙", then=Route(body=page("好了"))),
        "/down.html": Route(status=503, body="维护中"),
    }
    with http_site(routes(links("/busy.html", "/down.html"), **more)) as site:
        output = hostile(site.url)
    assert output.broken() == {
        (site.url_for("/down.html"), "http_5xx"),
        (site.url_for("/dead.html"), "http_4xx"),
    }


ENCODED = {
    "utf-16": (("\ufeff" + page("通知公告", links("/a.html"))).encode("utf-16-le"), "text/html"),
    "gb2312": (
        page("通知公告", links("/a.html")).replace("utf-8", "gb2312").encode("gb2312"),
        "text/html",
    ),
    "big5": (
        page("通知公告")
        .replace("utf-8", "big5")
        .replace("</body>", "<a href='/a.html'>詳情</a></body>")
        .encode("big5"),
        "text/html; charset=big5",
    ),
}


@pytest.mark.parametrize("encoding", ENCODED)
def test_pages_in_other_encodings_are_read(hostile, encoding):
    body, content_type = ENCODED[encoding]
    more = {"/list.html": Route(body=body, content_type=content_type), "/a.html": page("A")}
    with http_site(routes(links("/list.html"), **more)) as site:
        output = hostile(site.url)
    assert {p.url: p.title for p in output.data.pages()}[site.url_for("/list.html")] == "通知公告"
    assert site.count("GET", "/a.html") == 1


def test_soft_404_pages_are_dead(hostile):
    with http_site(routes(links("/old/list.html")), not_found="soft") as site:
        output = hostile(site.url)
    assert [f["url"] for f in output.findings("links.soft404")] == [site.url_for("/old/list.html")]


def test_a_self_signed_certificate_is_a_tls_failure(hostile):
    with tls_site({"/": page("自签名")}) as secure, http_site(routes(links(secure.url))) as site:
        output = hostile(site.url)
    assert (secure.url, "tls") in output.broken()


def test_head_refused_falls_back_to_get(hostile):
    more = {"/form.doc": Route(body=b"DOC", content_type="application/msword", head_status=405)}
    with http_site(routes(links("/form.doc"), **more)) as site:
        output = hostile(site.url)
    assert site.count("GET", "/form.doc") == 1
    assert output.broken() == {(site.url_for("/dead.html"), "http_4xx")}


def test_meta_refresh_loops_end(hostile):
    def refreshing(to: str, body: str = "") -> str:
        return page("跳转", body, head=f"<meta http-equiv='refresh' content='0; url={to}'>")

    with http_site(
        {
            "/": refreshing("/", links("/a.html") + DEAD),  # the homepage reloads itself
            "/a.html": refreshing("/b.html"),
            "/b.html": refreshing("/a.html"),
            "/dead.html": GONE,
        }
    ) as site:
        hostile(site.url)
    assert site.count("GET", "/") == 1
    assert site.count("GET", "/a.html") == site.count("GET", "/b.html") == 1


def test_a_page_of_5000_links_is_checked_in_full(hostile):
    hrefs = [f"/item/{number}.html" for number in range(5000)]
    with http_site(routes(links(*hrefs)), not_found=Route(body=page("条目"))) as site:
        output = hostile(site.url, "--depth", "0", "--concurrency", "32", bound=120)
    assert output.data.counts()["fetched"] >= 5000


def test_entity_expansion_in_a_page_stays_small(hostile):
    entities = "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' if n else '<!ENTITY lol0 "lol">'
        for n in range(10)
    )
    laughs = (
        f"<!DOCTYPE html [{entities}]><html><body><p>&lol9;</p>{links('/a.html')}</body></html>"
    )
    more = {"/laughs.html": laughs, "/a.html": page("A")}
    with http_site(routes(links("/laughs.html"), **more)) as site:
        hostile(site.url)
    assert site.count("GET", "/a.html") == 1  # the page was read, its entities never expanded


def test_the_size_limit_is_set_in_the_inventory(scan, tmp_path):
    """An office that must check large pages, or wants to read less, sets settings.limits."""
    more = {"/big.html": Route(body="<p>大页面</p>" * 1000, repeat=200)}  # about 3 MB
    with http_site(routes(links("/big.html"), **more)) as site:
        inventory = tmp_path / "sites.yaml"
        inventory.write_text(
            "settings:\n  limits: {max_body_mb: 1}\n"
            f"sites:\n  - {{id: big, name: 大页面站, url: '{site.url}', unit: 测试单位}}\n",
            encoding="utf-8",
        )
        output = scan("--config", str(inventory), "--checks", "links")
    assert output.code == 0
    assert [f["url"] for f in output.findings("links.too_large")] == [site.url_for("/big.html")]
    assert (site.url_for("/dead.html"), "http_4xx") in output.broken()
