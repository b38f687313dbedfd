"""The dead-link check end to end: real servers for every failure kind, exact findings."""

from __future__ import annotations

import contextlib

import pytest
from servers import (
    Route,
    closed_port,
    dns_server,
    http_site,
    page,
    redirect_loop_site,
    silent_server,
    tls_site,
)


@pytest.fixture
def scan(scan):
    """These tests are about the crawl and its links: the other checks are left out."""
    return lambda *args: scan(*args, "--checks", "links")


def links(*pairs: tuple[str, str]) -> str:
    return "".join(f"<a href='{url}'>{anchor}</a>" for url, anchor in pairs)


def test_every_failure_kind_with_its_source_and_anchor(scan):
    with contextlib.ExitStack() as stack:
        refused = stack.enter_context(closed_port())
        silent = stack.enter_context(silent_server())
        secure = stack.enter_context(tls_site({"/": page("HTTPS")}))
        loop = stack.enter_context(redirect_loop_site())
        targets = {  # every server has a public-looking name: links to 127.0.0.1 are intranet
            "/gone.html": "http_4xx",
            "/error.html": "http_5xx",
            "http://old.csz.gov.cn/": "dns",
            f"http://closed.csz.gov.cn:{refused.port}/": "refused",
            f"http://slow.csz.gov.cn:{silent.port}/": "timeout",
            f"https://secure.csz.gov.cn:{secure.port}/": "tls",
            f"http://loop.csz.gov.cn:{loop.port}/loop/a": "redirect_loop",
        }
        article = page("文章", links(*[(url, f"链接{i}") for i, url in enumerate(targets)]))
        site = stack.enter_context(
            http_site(
                {
                    "/": page("首页", links(("/article.html", "文章"))),
                    "/article.html": article,
                    "/error.html": Route(status=500, body="出错了"),
                }
            )
        )
        names = ("www", "closed", "slow", "secure", "loop")
        dns = stack.enter_context(
            dns_server({f"{name}.csz.gov.cn": {"A": ["127.0.0.1"]} for name in names})
        )
        base = f"http://www.csz.gov.cn:{site.port}/"
        output = scan(base, "--nameserver", dns.address, "--timeout", "1")

    expected = {
        (url if url.startswith("http") else base + url.lstrip("/"), kind)
        for url, kind in targets.items()
    }
    assert output.code == 0
    assert output.broken() == expected
    anchors = {f["detail"]["anchor"] for f in output.findings("links.broken")}
    assert anchors == {f"链接{i}" for i in range(len(targets))}
    assert {f["source"] for f in output.findings()} == {base + "article.html"}
    assert not any(f["detail"]["on_homepage"] for f in output.findings())


def test_homepage_links_are_marked_and_sources_counted(scan):
    footer = links(("/missing.html", "网站地图"))
    with http_site(
        {
            "/": page("首页", footer + links(("/a.html", "A"), ("/b.html", "B"))),
            "/a.html": page("A", footer),
            "/b.html": page("B", footer),
        }
    ) as site:
        output = scan(site.url)
    [finding] = output.findings()
    assert finding["url"] == site.url_for("/missing.html")
    assert finding["source"] == site.url  # the homepage is shown first
    assert finding["detail"]["on_homepage"] is True
    assert finding["detail"]["source_count"] == 3
    assert finding["message"].startswith("首页上的链接不可用")


def test_soft_404_by_wording(scan):
    with http_site(
        {"/": page("首页", links(("/old/list.html", "旧栏目"), ("/news.html", "新闻")))},
        not_found="soft",
    ) as site:
        site.server.routes["/news.html"] = Route(body=page("新闻", "苍山州召开常务会议"))
        output = scan(site.url)
    assert [(f["rule"], f["url"]) for f in output.findings()] == [
        ("links.soft404", site.url_for("/old/list.html"))
    ]


def test_soft_404_like_the_sites_answer_to_a_random_path(scan):
    """No not-found wording at all: the page is caught by comparing with the probe's answer."""
    template = page("苍山州人民政府", "<div class='nav'>首页 政务公开 办事服务</div>欢迎访问")
    real = page("苍山州人民政府", "<div class='nav'>首页 政务公开 办事服务</div>" + "正文" * 300)
    with http_site(
        {
            "/": page("首页", links(("/gone.html", "旧页面"), ("/real.html", "真页面"))),
            "/real.html": real,
        },
        not_found=Route(body=template),
    ) as site:
        output = scan(site.url)
    assert [(f["rule"], f["url"]) for f in output.findings()] == [
        ("links.soft404", site.url_for("/gone.html"))
    ]


def test_intranet_links_are_reported_and_never_fetched(scan):
    intranet = ["http://10.12.0.8/oa/login.jsp", "http://192.168.1.20:8080/", "http://oa/"]
    with http_site({"/": page("首页", links(*[(u, "内部系统") for u in intranet]))}) as site:
        output = scan(
            f"http://www.csz.gov.cn:{site.port}/", "--resolve", "www.csz.gov.cn:127.0.0.1"
        )
    assert {f["url"] for f in output.findings("links.intranet")} == set(intranet)
    assert output.findings("links.broken") == []
    assert {f.url for f in output.data.fetches()}.isdisjoint(intranet)


def test_a_working_site_has_no_findings(scan):
    with http_site({"/asset.css": Route(body="", content_type="text/css", head_status=405)}) as cdn:
        routes = {
            "/": page(
                "首页",
                links(("/moved", "搬家"), ("mailto:web@csz.gov.cn", "写信"))
                + f"<link rel='stylesheet' href='{cdn.url_for('/asset.css')}'>",
            ),
            "/moved": Route(status=301, location="/new.html"),
            "/new.html": page("新页面"),
        }
        with http_site(routes) as site:
            output = scan(site.url)
    assert output.code == 0
    assert output.findings() == []
    assert output.site["verdict"] == "合格"


def test_every_host_of_the_site_is_probed_on_the_sites_port(scan, tmp_path):
    """zwgk serves a template for any path; only its own not-found probe can tell."""
    template = page("信息公开", "欢迎访问信息公开平台")
    names = ("www.csz.gov.cn", "zwgk.csz.gov.cn")
    with (
        http_site(not_found=Route(body=template)) as site,
        dns_server({name: {"A": ["127.0.0.1"]} for name in names}) as dns,
    ):
        gone = f"http://zwgk.csz.gov.cn:{site.port}/gone.html"
        site.server.routes["/"] = Route(body=page("首页", links((gone, "旧目录"))))
        inventory = tmp_path / "sites.yaml"
        inventory.write_text(
            f"settings: {{nameserver: '{dns.address}'}}\n"
            "sites:\n"
            f"  - {{id: csz, name: 苍山州, unit: 办公室, url: 'http://www.csz.gov.cn:{site.port}/',"
            " hosts: [zwgk.csz.gov.cn]}\n",
            encoding="utf-8",
        )
        output = scan("--config", str(inventory))
    assert [(f["rule"], f["url"]) for f in output.findings()] == [("links.soft404", gone)]
