"""The columns family from a few kept pages: the homepage's freshness, required entrances,
declared columns and their windows."""

from __future__ import annotations

from datetime import date, timedelta

from portal import dated_list, gov_page
from views import fetch, home, page, url, view

from govscan.checks.columns import ColumnSettings, judge
from govscan.store.inventory import ColumnEntry, Freshness
from govscan.store.view import SiteInfo

SCAN_DAY = date(2026, 11, 27)
NAVIGATION = (
    "<nav><a href='/'>首页</a><a href='/zwgk/'>政务公开</a><a href='/zcjd/'>政策解读</a>"
    "<a href='/hdjl/'>互动交流</a><a href='/bsfw/'>办事服务</a></nav>"
)
DISCLOSURE_PARTS = (
    "<a href='/zwgk/zn/'>政府信息公开指南</a><a href='/zwgk/zd/'>政府信息公开制度</a>"
    "<a href='/zwgk/fdzdgknr/'>法定主动公开内容</a><a href='/zwgk/nb/'>政府信息公开年报</a>"
)

DEFAULTS = ColumnSettings()


def news(days_ago: int) -> str:
    when = SCAN_DAY - timedelta(days=days_ago)
    return dated_list([("全州政务公开工作推进会召开", "/xwdt/1.html", when.isoformat())])


def portal(body: str, navigation: str = NAVIGATION):
    return home(gov_page("苍山州人民政府", navigation + DISCLOSURE_PARTS + body))


def rules(run, settings: ColumnSettings = DEFAULTS) -> list[tuple[str, str]]:
    return [(f.rule, f.severity) for f in judge(run, settings)]


def test_a_fresh_homepage_with_every_entrance_has_no_finding():
    assert rules(view([portal(news(3))])) == []


def test_a_homepage_without_news_in_its_window_is_the_veto():
    [stale] = judge(view([portal(news(20))]), ColumnSettings())
    assert (stale.rule, stale.severity) == ("home.stale", "veto")
    assert (stale.detail["age_days"], stale.detail["window_days"]) == (20, 14)
    longer = ColumnSettings(freshness=Freshness(home=30))
    assert rules(view([portal(news(20))]), longer) == []


def test_a_missing_entrance_and_one_only_in_the_body_are_named():
    navigation = NAVIGATION.replace("<a href='/bsfw/'>办事服务</a>", "")
    body = news(1) + "<p><a href='/hdjl/'>互动交流</a></p>"
    found = judge(
        view([portal(body, navigation.replace("互动交流", "媒体关注"))]), ColumnSettings()
    )
    assert {(f.rule, f.detail["column"]) for f in found} == {
        ("columns.missing", "办事服务"),
        ("columns.outside_navigation", "互动交流"),
    }


def test_a_site_whose_profile_requires_nothing_misses_nothing():
    other = SiteInfo("dept", "苍山州统计局", url("/"), "苍山州统计局", profile="other")
    assert rules(view([portal(news(1), navigation="")], site=other)) == []


def test_declared_columns_are_judged_by_their_own_window():
    columns = (
        ColumnEntry(name="在线访谈", url="/zxft/", max_age_days=90),
        ColumnEntry(name="重大建设项目", url="/zdxm/"),
    )
    interviews = page("/zxft/", gov_page("在线访谈", news(120)))
    run = view(
        [portal(news(1)), interviews],
        fetches=[fetch("/"), fetch("/zxft/"), fetch("/zdxm/", 404)],
        columns=columns,
    )
    found = {f.rule: f for f in judge(run, ColumnSettings())}
    assert found["columns.stale"].detail | {"newest": None} == {
        "column": "在线访谈",
        "category": "other",
        "declared": True,
        "newest": None,
        "age_days": 120,
        "window_days": 90,
    }
    assert found["columns.missing"].url == url("/zdxm/")
    assert found["columns.missing"].message == "缺少清单要求的栏目：重大建设项目（页面无法访问）"


def test_a_homepage_the_crawl_could_not_keep_is_not_judged():
    assert rules(view([page("/", role="home", depth=0)])) == []
