"""The crawl against real loopback servers: scope, limits, URL forms, encodings, politeness."""

from __future__ import annotations

import functools
import operator

import pytest
from servers import Route, dns_server, http_site, page


@pytest.fixture
def scan(scan):
    """These tests are about the crawl and its links: the other checks are left out."""
    return lambda *args: scan(*args, "--checks", "links")


def test_stays_in_scope_and_checks_external_links_without_following(scan):
    with http_site(
        {"/": page("外站", "<a href='/deeper.html'>更深</a>"), "/deeper.html": page("外站二级")}
    ) as external:
        routes = {
            "/": page("首页", f"<a href='/a.html'>A</a><a href='{external.url}'>外站</a>"),
            "/a.html": page("A"),
        }
        with http_site(routes) as site:
            output = scan(site.url)
    assert output.code == 0
    assert {p.url for p in output.data.pages() if p.role != "notfound_probe"} == {
        site.url,
        site.url_for("/a.html"),
    }
    assert external.count("HEAD", "/") == 1
    assert external.count("GET", "/deeper.html") == 0
    assert output.broken() == set()


def test_depth_and_page_limits(scan):
    chain = {
        f"/p{i}.html": page(f"P{i}", f"<a href='/p{i + 1}.html'>next</a>") for i in range(1, 9)
    }
    with http_site({"/": page("首页", "<a href='/p1.html'>p1</a>"), **chain}) as site:
        by_depth = scan(site.url, "--depth", "2")
        by_pages = scan(site.url, "--max-pages", "4")
    crawled = {p.url for p in by_depth.data.pages() if p.role != "notfound_probe"}
    assert crawled == {site.url, site.url_for("/p1.html"), site.url_for("/p2.html")}
    # the link to the page past the limit is still checked, not crawled
    assert site.count("HEAD", "/p3.html") == 1
    assert len([p for p in by_pages.data.pages() if p.role != "notfound_probe"]) == 4


def test_url_forms_are_canonical_and_fetched_once(scan):
    links = (
        "<a href='a.html#top'>1</a><a href='./a.html'>2</a><a href='/a.html'>3</a>"
        "<a href='HTTP://{host}/a.html#x'>4</a>" + "<a href='/dup.html'>重复</a>" * 3000
    )
    with http_site({"/": "", "/a.html": page("A"), "/dup.html": page("D")}) as site:
        site.server.routes["/"] = Route(body=page("首页", links.format(host=site.address)))
        output = scan(site.url)
    assert site.count("GET", "/a.html") == 1
    assert site.count("GET", "/dup.html") == 1
    dup = output.data.links_to([site.url_for("/dup.html")])[site.url_for("/dup.html")]
    assert [(link.count, link.anchor) for link in dup] == [(3000, "重复")]
    assert output.site["stats"]["links"] == 3004


def test_base_href_and_every_element_kind(scan):
    body = (
        "<a href='x.html'>x</a><area href='/area.html'><img src='/i.png' alt='图'>"
        "<script src='/s.js'></script><link rel='stylesheet' href='/c.css'>"
        "<link rel='dns-prefetch' href='//cdn.example.gov.cn'>"
        "<iframe src='/frame.html'></iframe><frameset><frame src='/f2.html'></frameset>"
    )
    routes = {
        "/": page("首页", body, "<base href='/sub/'>"),
        "/sub/x.html": page("X"),
        "/area.html": page("Area"),
        "/frame.html": page("Frame"),
        "/f2.html": page("F2"),
        "/i.png": Route(body=b"png", content_type="image/png"),
        "/s.js": Route(body="1", content_type="application/javascript"),
        "/c.css": Route(body="", content_type="text/css"),
    }
    with http_site(routes) as site:
        output = scan(site.url)
    elements = {
        (link.target, link.element)
        for link in functools.reduce(
            operator.iadd, output.data.links_to(output.data.link_targets()).values(), []
        )
    }
    assert elements == {
        (site.url_for("/sub/x.html"), "a"),
        (site.url_for("/area.html"), "area"),
        (site.url_for("/i.png"), "img"),
        (site.url_for("/s.js"), "script"),
        (site.url_for("/c.css"), "link"),
        (site.url_for("/frame.html"), "iframe"),
        (site.url_for("/f2.html"), "frame"),
    }
    assert site.count("HEAD", "/i.png") == 1 and site.count("GET", "/i.png") == 0
    assert site.count("GET", "/frame.html") == 1  # frames are documents: crawled
    assert output.broken() == set()


def test_unfetchable_schemes_are_recorded_not_fetched(scan):
    body = (
        "<a href='mailto:web@csz.gov.cn'>写信</a><a href='tel:0871-1234567'>电话</a>"
        "<a href='javascript:void(0)'>展开</a>"
    )
    with http_site({"/": page("首页", body)}) as site:
        output = scan(site.url)
    assert set(output.data.link_targets()) == {
        "mailto:web@csz.gov.cn",
        "tel:0871-1234567",
        "javascript:void(0)",
    }
    assert output.data.counts()["fetched"] == 2  # the homepage and the not-found probe
    assert output.findings() == []


def test_gbk_pages_are_decoded(scan):
    old = (
        "<html><head><meta http-equiv='Content-Type' content='text/html; charset=gb2312'>"
        "<title>关于印发《苍山州政府信息公开办法》的通知</title></head>"
        "<body><a href='/附件.html'>附件下载</a></body></html>"
    ).encode("gbk")
    with http_site(
        {
            "/": page("首页", "<a href='/old.html'>旧文件</a>"),
            "/old.html": Route(body=old, content_type="text/html"),
            "/%E9%99%84%E4%BB%B6.html": page("附件"),
        }
    ) as site:
        output = scan(site.url)
    titles = {p.url: p.title for p in output.data.pages()}
    assert titles[site.url_for("/old.html")] == "关于印发《苍山州政府信息公开办法》的通知"
    anchors = output.data.links_to([site.url_for("/%E9%99%84%E4%BB%B6.html")])
    assert [link.anchor for link in anchors[site.url_for("/%E9%99%84%E4%BB%B6.html")]] == [
        "附件下载"
    ]
    assert output.broken() == set()


def test_head_refused_falls_back_to_get(scan):
    with (
        http_site(
            {"/doc.pdf": Route(body=b"%PDF", content_type="application/pdf", head_status=405)}
        ) as files,
        http_site({"/": page("首页", f"<a href='{files.url_for('/doc.pdf')}'>文件</a>")}) as site,
    ):
        output = scan(site.url)
    assert files.count("HEAD", "/doc.pdf") == 1 and files.count("GET", "/doc.pdf") == 1
    assert output.broken() == set()


def test_429_retry_after_is_honoured(scan):
    busy = Route(
        status=429, headers={"Retry-After": "1"}, body="慢一点", then=Route(body=page("好了"))
    )
    with http_site({"/": page("首页", "<a href='/busy.html'>忙</a>"), "/busy.html": busy}) as site:
        output = scan(site.url)
    assert site.count("GET", "/busy.html") == 2
    assert output.broken() == set()


def test_user_agent_robots_and_resolve_override(scan):
    robots = Route(body="User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    routes = {
        "/": page("首页", "<a href='/private/x.html'>内部</a><a href='/open.html'>公开</a>"),
        "/robots.txt": robots,
        "/private/x.html": page("X"),
        "/open.html": page("O"),
    }
    with http_site(routes) as site:
        url = f"http://www.csz.gov.cn:{site.port}/"
        output = scan(
            url,
            "--resolve",
            "www.csz.gov.cn:127.0.0.1",
            "--obey-robots",
            "--user-agent",
            "govscan-test/1.0 (+web@csz.gov.cn)",
        )
    assert site.count("GET", "/open.html") == 1
    assert site.count("GET", "/private/x.html") == 0
    assert output.code == 0 and output.broken() == set()


def test_nameserver_is_used_for_every_lookup(scan):
    with (
        http_site({"/": page("首页")}) as site,
        dns_server({"www.csz.gov.cn": {"A": ["127.0.0.1"]}}) as dns,
    ):
        output = scan(f"http://www.csz.gov.cn:{site.port}/", "--nameserver", dns.address)
    assert output.code == 0
    assert output.data.counts()["pages"] == 1
    assert dns.queries[("www.csz.gov.cn", "A")] >= 1


def test_per_host_concurrency_limit(scan):
    slow = {f"/s{i}.html": Route(body=page(f"S{i}"), delay=0.3) for i in range(12)}
    links = "".join(f"<a href='/s{i}.html'>s{i}</a>" for i in range(12))
    with http_site({"/": page("首页", links), **slow}) as site:
        scan(site.url, "--concurrency", "3")
    assert site.server.max_active == 3


def test_one_retry_for_transient_failures(scan):
    flaky = Route(status=503, body="忙", then=Route(body=page("好了")))
    broken = Route(status=503, body="一直忙")
    with http_site(
        {
            "/": page("首页", "<a href='/flaky.html'>偶尔</a><a href='/down.html'>坏</a>"),
            "/flaky.html": flaky,
            "/down.html": broken,
        }
    ) as site:
        output = scan(site.url)
    assert site.count("GET", "/flaky.html") == 2
    assert site.count("GET", "/down.html") == 2
    assert output.broken() == {(site.url_for("/down.html"), "http_5xx")}


def test_a_homepage_redirect_to_another_origin_brings_it_into_scope(scan):
    routes = {"/": page("首页", "<a href='/a.html'>A</a>"), "/a.html": page("A")}
    with http_site(routes) as www, http_site({"/": Route(status=301, location=www.url)}) as bare:
        output = scan(bare.url)
    assert {p.url for p in output.data.pages() if p.role != "notfound_probe"} == {
        www.url,
        www.url_for("/a.html"),
    }
    assert output.findings() == []


def test_a_meta_refresh_front_page_leads_to_the_real_homepage(scan):
    front = page("跳转", head="<meta http-equiv='Refresh' content=\"0; URL='/portal/index.html'\">")
    with http_site(
        {"/": front, "/portal/index.html": page("首页", "<a href='gone.html'>旧</a>")}
    ) as site:
        output = scan(site.url)
    assert site.count("GET", "/portal/index.html") == 1
    assert output.broken() == {(site.url_for("/portal/gone.html"), "http_4xx")}
    homes = {p.url: p.depth for p in output.data.pages() if p.role == "home"}
    assert homes == {site.url: 0, site.url_for("/portal/index.html"): 0}


def test_depth_is_the_distance_from_the_homepage(scan):
    """A page the homepage links to is at depth 1, even when a deeper page is read first."""
    many = "".join(f"<a href='/a{n}.html'>{n}</a>" for n in range(300))
    routes = {
        "/": page("首页", many + "<a href='/last.html'>最后</a>"),
        "/a0.html": page("a0", "<a href='/last.html'>最后</a>"),
        "/last.html": page("最后"),
    }
    with http_site(routes, not_found=Route(body=page("空"))) as site:
        output = scan(site.url, "--max-pages", "400")
    depths = {p.url: p.depth for p in output.data.pages()}
    assert depths[site.url_for("/last.html")] == 1


def test_links_after_a_stray_closing_html_tag_are_followed(scan):
    """CMS templates close the document and go on; the footer's links are still crawled."""
    home = page("首页", "<a href='/a.html'>A</a>") + (
        "<div class='footer'><a href='/b.html'>网站地图</a><a href='/gone.html'>联系我们</a></div>"
        "</body></html>"
    )
    routes = {"/": home, "/a.html": page("A"), "/b.html": page("B")}
    with http_site(routes) as site:
        output = scan(site.url)
    assert site.count("GET", "/b.html") == 1
    assert output.broken() == {(site.url_for("/gone.html"), "http_4xx")}


def test_a_columns_next_pages_stand_at_its_depth_and_their_items_are_read(scan):
    """A column of eight pages (index.html, index_1.html …, 下一页) under --depth 2: every
    page of the list is crawled at depth 1, and every item it lists at depth 2."""

    def list_page(n: int) -> str:
        items = f"<a href='/xwdt/{n}.html'>第{n}条</a>"
        following = f"<a href='/xwdt/index_{n + 1}.html'>下一页</a>" if n < 7 else ""
        return page(f"列表第{n}页", items + following)

    routes = {"/": page("首页", "<a href='/xwdt/'>新闻</a>"), "/xwdt/": list_page(0)}
    routes |= {f"/xwdt/index_{n}.html": list_page(n) for n in range(1, 8)}
    routes |= {f"/xwdt/{n}.html": page(f"第{n}条") for n in range(8)}
    with http_site(routes) as site:
        output = scan(site.url, "--depth", "2")
    depths = {p.url: p.depth for p in output.data.pages()}
    assert depths[site.url_for("/xwdt/index_7.html")] == 1
    assert depths[site.url_for("/xwdt/7.html")] == 2
    assert len([url for url in depths if "/xwdt/" in url]) == 16
