"""The links family from a few records: dead targets, soft 404s and intranet links."""

from __future__ import annotations

from views import fetch, home, link, page, url, view

from govscan.checks.family import NoSettings
from govscan.checks.links import judge


def findings(run):
    return {(f.rule, f.url): f for f in judge(run, NoSettings())}


def test_a_dead_link_names_its_kind_and_the_homepage_first():
    run = view(
        [home("<html></html>"), page("/a.html")],
        links=[link("/a.html", "/gone.html", "旧页面"), link("/", "/gone.html", "旧页面")],
        fetches=[fetch("/"), fetch("/a.html"), fetch("/gone.html", 404)],
    )
    [dead] = findings(run).values()
    assert (dead.rule, dead.severity, dead.url) == ("links.broken", "deduction", url("/gone.html"))
    assert dead.source == url("/") and dead.detail["on_homepage"]
    assert (dead.detail["kind"], dead.detail["source_count"]) == ("http_4xx", 2)
    assert dead.message == "首页上的链接不可用：HTTP 404，页面不存在或无法访问"


def test_network_failures_and_server_errors_have_their_kinds():
    run = view(
        [home("<html></html>")],
        links=[link("/", "http://old.csz.gov.cn/"), link("/", "/500.html")],
        fetches=[
            fetch("http://old.csz.gov.cn/", None, "dns"),
            fetch("/500.html", 503),
            fetch("/robots-probe", 404),  # fetched by the crawl itself, linked from nowhere
        ],
    )
    kinds = {f.url: f.detail["kind"] for f in judge(run, NoSettings())}
    assert kinds == {"http://old.csz.gov.cn/": "dns", url("/500.html"): "http_5xx"}


def test_a_homepage_that_fails_is_reported_without_a_source():
    [dead] = judge(view(fetches=[fetch("/", None, "refused")]), NoSettings())
    assert (dead.url, dead.source, dead.message) == (url("/"), None, "首页无法访问：连接被拒绝")


def test_soft_404_by_its_words_or_by_looking_like_the_sites_answer_to_a_random_path():
    not_found = {"title": "提示", "excerpt": "对不起，您访问的页面不存在", "text_length": 40}
    site_404 = {"title": "苍山州", "excerpt": "出错了，请返回首页" * 5, "text_length": 90}
    run = view(
        [
            home("<html></html>"),
            page("/says.html", **not_found),
            page("/looks.html", **site_404),
            page("/x-random-404", role="notfound_probe", **site_404),
            page(
                "/article.html", title="苍山州", excerpt="全州政务公开工作会议召开", text_length=900
            ),
        ],
        links=[link("/", "/says.html"), link("/", "/looks.html"), link("/", "/article.html")],
        fetches=[fetch("/says.html"), fetch("/looks.html"), fetch("/x-random-404")],
    )
    assert {f.url for f in judge(run, NoSettings()) if f.rule == "links.soft404"} == {
        url("/says.html"),
        url("/looks.html"),
    }


def test_a_link_into_an_intranet_is_a_warning_never_a_dead_link():
    run = view([home("<html></html>")], links=[link("/", "http://10.12.0.8/oa/", "内部办公")])
    [intranet] = judge(run, NoSettings())
    assert (intranet.rule, intranet.severity) == ("links.intranet", "warning")
    assert intranet.detail["host"] == "10.12.0.8" and intranet.detail["anchor"] == "内部办公"
