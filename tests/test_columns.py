"""Columns: fresh, stale, empty and missing columns, the homepage's freshness, and the vetoes."""

from __future__ import annotations

import pytest
import yaml
from portal import dated_list, day, gov_page, scan_args, today
from servers import dns_server, http_site

from govscan.checks.columns import (
    ENTRANCES,
    Column,
    ColumnSettings,
    column_findings,
    navigation_anchors,
)

NAV = {
    "要闻动态": "/xwdt/",
    "通知公告": "/tzgg/",
    "政策文件": "/zcwj/",
    "政府信息公开": "/xxgk/",
    "政策解读": "/zcjd/",
    "办事服务": "/bsfw/",
}


def nav(entries: dict[str, str]) -> str:
    return (
        "<ul class='nav'>"
        + "".join(f"<li><a href='{u}'>{n}</a></li>" for n, u in entries.items())
        + "</ul>"
    )


def column(name: str, *items: tuple[str, str, str]) -> str:
    return gov_page(name, nav(NAV) + f"<h2>{name}</h2>" + dated_list(list(items)))


def article(title: str, published: str) -> str:
    return gov_page(title, f"<h1>{title}</h1><p>发布时间：{published}</p><p>正文内容。</p>")


def portal(home_news_age: int = 1) -> dict[str, str]:
    """A portal with one column of each state; dates in every format sites use."""
    fresh, stale_notice = day(home_news_age), day(200)
    return {
        "/": gov_page(
            "苍山州人民政府",
            nav(NAV) + dated_list([("州政府召开常务会议", "/xwdt/1.html", f"[{fresh:%Y-%m-%d}]")]),
        ),
        "/xwdt/": column(
            "要闻动态",
            ("州政府召开常务会议", "1.html", f"{fresh:%Y-%m-%d}"),
            ("全州项目推进会召开", "2.html", f"{day(30):%m-%d}"),
        ),
        "/xwdt/1.html": article("州政府召开常务会议", f"{fresh:%Y-%m-%d}"),
        "/xwdt/2.html": article("全州项目推进会召开", f"{day(30):%Y-%m-%d}"),
        "/tzgg/": column(
            "通知公告",
            (
                "关于春节放假的通知",
                "1.html",
                f"{stale_notice.year}年{stale_notice.month}月{stale_notice.day}日",
            ),
        ),
        "/tzgg/1.html": article("关于春节放假的通知", f"{stale_notice:%Y-%m-%d}"),
        "/zcwj/": column(
            "政策文件",
            ("关于印发办法的通知", "1.html", f"{day(100):%Y/%m/%d}"),
            ("关于加强管理的意见", "1.html", f"{day(120):%Y.%m.%d}"),
        ),
        "/zcwj/1.html": article("关于印发办法的通知", f"{day(100):%Y-%m-%d}"),
        "/zcjd/": gov_page("政策解读", nav(NAV) + "<h2>政策解读</h2><p>暂无信息</p>"),
        "/bsfw/": gov_page("办事服务", nav(NAV) + "<p>办事指南</p>"),
        "/xxgk/": gov_page(
            "政府信息公开",
            nav(NAV)
            + "<a href='/xxgk/zn.html'>政府信息公开指南</a>"
            + "<a href='/xxgk/zd.html'>政府信息公开制度</a>"
            + "<a href='/xxgk/nb.html'>政府信息公开年报</a>",
        ),
        **{f"/xxgk/{name}.html": gov_page(name, "<p>内容</p>") for name in ("zn", "zd", "nb")},
    }


def by_rule(output, rule: str) -> dict[str, dict]:
    return {f["detail"].get("column", f["url"]): f for f in output.findings(rule)}


def test_fresh_stale_empty_and_missing_columns(scan):
    with http_site(portal()) as site:
        output = scan(*scan_args(site.url))
    assert output.code == 0
    stale = by_rule(output, "columns.stale")
    assert set(stale) == {"通知公告"}
    assert stale["通知公告"]["url"] == site.url_for("/tzgg/")
    assert stale["通知公告"]["detail"]["newest"] == day(200).isoformat()
    assert stale["通知公告"]["detail"]["window_days"] == 183
    assert set(by_rule(output, "columns.empty")) == {"政策解读"}
    assert set(by_rule(output, "columns.missing")) == {"互动交流", "政府信息公开→法定主动公开内容"}
    assert output.findings("home.stale") == []
    assert output.site["verdict"] == "合格"  # one stale column is a deduction, not a veto


def test_a_homepage_without_news_for_two_weeks_is_a_veto(scan):
    with http_site(portal(home_news_age=15)) as site:
        output = scan(*scan_args(site.url))
    [finding] = output.findings("home.stale")
    assert finding["severity"] == "veto" and finding["detail"]["age_days"] == 15
    assert output.site["verdict"] == "不合格" and "home.stale" in output.site["vetoes"]


def test_the_column_veto_needs_five_stale_news_columns(scan):
    def site_with(stale_columns: int) -> dict[str, str]:
        names = {f"通知公告{n}": f"/tz{n}/" for n in range(stale_columns)}
        routes = portal()
        routes["/"] = gov_page(
            "苍山州人民政府",
            nav({**NAV, **names})
            + dated_list([("州政府召开常务会议", "/xwdt/1.html", f"{day(1):%Y-%m-%d}")]),
        )
        for name, url in names.items():
            routes[url] = column(name, ("旧通知", "1.html", f"{day(300):%Y-%m-%d}"))
        return routes

    with http_site(site_with(3)) as site:  # 3 more + 通知公告 = 4 stale notice columns
        below = scan(*scan_args(site.url))
    with http_site(site_with(4)) as site:  # 5 stale notice columns
        at = scan(*scan_args(site.url))
    assert len(below.findings("columns.stale")) == 4
    assert "columns.stale" not in below.site["vetoes"]
    vetoes = [f for f in at.findings("columns.stale") if f["severity"] == "veto"]
    assert len(vetoes) == 1 and vetoes[0]["detail"]["count"] == 5
    assert at.site["verdict"] == "不合格"


def test_columns_declared_in_the_inventory(scan, tmp_path):
    routes = portal()
    routes["/zxft/"] = column(
        "在线访谈", ("访谈一", "1.html", f"{day(100):%Y-%m-%d}")
    )  # not linked
    columns = [
        {"name": "在线访谈", "url": "/zxft/", "category": "other", "max_age_days": 90},
        {"name": "政府信息公开→政府信息公开指南", "category": "other"},
        {"name": "苍山州利企惠民政策服务", "category": "policy"},
        {"name": "可选专栏", "required": False},
    ]
    with http_site(routes) as site:
        inventory = tmp_path / "sites.yaml"
        entry = {
            "id": "csz",
            "name": "苍山州人民政府",
            "url": site.url,
            "unit": "苍山州人民政府办公室",
        }
        inventory.write_text(
            yaml.safe_dump({"sites": [{**entry, "columns": columns}]}, allow_unicode=True),
            encoding="utf-8",
        )
        output = scan("--config", str(inventory), *scan_args(site.url)[1:])
    stale = by_rule(output, "columns.stale")
    assert stale["在线访谈"]["detail"]["window_days"] == 90
    assert stale["在线访谈"]["url"] == site.url_for("/zxft/")
    declared_missing = [f for f in output.findings("columns.missing") if f["detail"]["declared"]]
    assert [f["detail"]["column"] for f in declared_missing] == ["苍山州利企惠民政策服务"]


def home_with(navigation: str, body: str) -> dict[str, str]:
    """The portal with another homepage: its navigation bar and its body."""
    news = dated_list([("州政府召开常务会议", "/xwdt/1.html", f"{day(1):%Y-%m-%d}")])
    return {**portal(), "/": gov_page("苍山州人民政府", navigation + news + body)}


def entrance_findings(output) -> dict[str, tuple[str, dict]]:
    """{column: (rule, detail)} of the required-entrance findings."""
    return {
        f["detail"]["column"]: (f["rule"], f["detail"])
        for f in output.site["findings"]
        if f["rule"] in ("columns.missing", "columns.outside_navigation")
        and not f["detail"].get("declared")
    }


@pytest.mark.parametrize("headline", ["关于利企惠民政策服务的通知", "市政务服务中心召开会议"])
def test_a_headline_that_uses_the_words_is_no_entrance(scan, headline):
    """A news headline with 服务 in it is no 办事服务 entrance, however short."""
    without_service = {name: url for name, url in NAV.items() if name != "办事服务"}
    news = dated_list([(headline, "/xwdt/2.html", f"{day(2):%Y-%m-%d}")])
    with http_site(home_with(nav(without_service), news)) as site:
        output = scan(*scan_args(site.url))
    rule, detail = entrance_findings(output)["办事服务"]
    assert rule == "columns.missing" and detail["rejected"] == headline
    [missing] = [
        f for f in output.findings("columns.missing") if f["detail"]["column"] == "办事服务"
    ]
    assert f"“{headline}”" in missing["message"]


def test_a_real_portals_navigation_names_its_entrances(scan):
    """政务公开 | 政务服务 | 政民互动 | 解读回应, as portals write them, in a bar of their own; an
    entrance only the body links to is accepted and noted, and costs nothing."""
    navigation = (
        "<div class='mainNav'><ul>"
        "<li><a href='/'>网站首页</a></li><li><a href='/xwdt/'>新闻中心</a></li>"
        "<li><a href='/xxgk/'>政务公开</a></li><li><a href='/bsfw/'>政务服务</a></li>"
        "<li><a href='/zcjd/'>解读回应</a></li></ul></div>"
    )
    box = "<div class='box'><h2>互动</h2><a href='/hdjl/'>县长信箱</a></div>"
    routes = {**home_with(navigation, box), "/hdjl/": gov_page("县长信箱", "<p>来信选登</p>")}
    with http_site(routes) as site:
        output = scan(*scan_args(site.url))
    assert entrance_findings(output) == {
        "政府信息公开→法定主动公开内容": (
            "columns.missing",
            {
                "column": "政府信息公开→法定主动公开内容",
                "declared": False,
                "rejected": None,
                "points": 3.0,  # what it cost
            },
        ),
        "互动交流": ("columns.outside_navigation", {"column": "互动交流", "label": "县长信箱"}),
    }
    [note] = output.findings("columns.outside_navigation")
    assert note["severity"] == "info" and note["url"] == site.url_for("/hdjl/")
    assert "columns.outside_navigation" not in output.site["deductions"]


@pytest.mark.parametrize(
    ("page", "missing", "rejected"),
    [
        # a real bar (div.mainNav): 政务公开 | 政务服务 | 政民互动, and no 解读 anywhere
        ("wanzai-2016-article.html", {"政策解读"}, {}),
        # no bar; 解读 only in a related article's headline
        (
            "wanzai-2023-article.html",
            {"政策解读", "互动交流", "办事服务"},
            {"政策解读": "图文解读：《万载县2022年国民经济和社会发展统计公报》"},
        ),
    ],
)
def test_required_entrances_on_real_pages(scan, corpus, page, missing, rejected):
    """Real portal pages served as the homepage; every other host is unknown to the DNS."""
    html = (corpus / "gov-pages" / page).read_text(encoding="utf-8")
    with http_site({"/": html}) as site, dns_server({}) as dns:
        output = scan(site.url, "--nameserver", dns.address, "--checks", "columns")
    found = {
        column: detail["rejected"]
        for column, (_, detail) in entrance_findings(output).items()
        if "→" not in column
    }
    assert set(found) == missing
    assert {column: text for column, text in found.items() if text} == rejected
    assert output.findings("columns.outside_navigation") == []


@pytest.mark.parametrize(
    ("entrance", "labels", "headlines"),
    [
        (
            "办事服务",
            ["办事服务", "政务服务", "网上办事大厅", "便民服务", "我要办事", "政务服务网 》"],
            ["关于利企惠民政策服务的通知", "市政务服务中心召开会议", "服务群众零距离"],
        ),
        (
            "互动交流",
            ["互动交流", "政民互动", "互动回应", "公众参与", "市长信箱", "在线咨询", "留言板"],
            ["县长信箱回复选登", "关于开展互动交流活动的通知"],
        ),
        ("政策解读", ["政策解读", "解读回应", "图解政策"], ["《管理办法》政策解读"]),
        (
            "政府信息公开",
            ["政府信息公开", "政务公开", "信息公开"],
            ["原政府信息公开目录（2021年版）"],
        ),
    ],
)
def test_entrances_are_named_by_whole_labels(entrance, labels, headlines):
    [required] = [e for e in ENTRANCES if e.name == entrance]
    assert [text for text in labels if not required.is_named_by(text)] == []
    assert [text for text in headlines if required.is_named_by(text)] == []
    assert all(required.is_mentioned_in(text) for text in headlines)


BAR = "<a href='/'>首页</a><a href='/zwgk/'>政务公开</a><a href='/zwfw/'>政务服务</a>"
HEADLINES = "<ul><li><a href='/1.html'>关于利企惠民政策服务的通知</a></li></ul>"
FOOTER_ROW = "<div class='footer_nav'><a href='/wzdt/'>网站地图</a></div>"


@pytest.mark.parametrize(
    "html",
    [
        f"<nav>{BAR}</nav>{HEADLINES}{FOOTER_ROW}",
        f"<div class='mainNav'>{BAR}</div>{HEADLINES}{FOOTER_ROW}",
        f"<div id='top-menu'>{BAR}</div>{HEADLINES}",
        f"<div class='dh'>{BAR}</div>{HEADLINES}",
        f"<div class='daohang'>{BAR}</div>{HEADLINES}",
        # no bar that says so: the first list of short links
        HEADLINES + "<ul>" + BAR.replace("<a", "<li><a").replace("</a>", "</a></li>") + "</ul>",
    ],
)
def test_the_navigation_bar_is_found(html):
    assert [text for text, _ in navigation_anchors(f"<body>{html}</body>", "http://x/")] == [
        "首页",
        "政务公开",
        "政务服务",
    ]


def columns_of(category: str, count: int, newest_days_ago: int | None) -> list[Column]:
    newest = day(newest_days_ago) if newest_days_ago is not None else None
    return [
        Column(f"{category}{n}", f"http://x/{n}/", category, False, newest=newest, read=True)
        for n in range(count)
    ]


OPTIONS = ColumnSettings()


@pytest.mark.parametrize(
    ("columns", "deductions", "vetoes"),
    [
        (columns_of("dynamic", 4, 15), 4, []),  # four stale news columns: deductions only
        (columns_of("dynamic", 3, 15) + columns_of("policy", 2, 200), 5, ["columns.stale"]),
        (columns_of("other", 9, 200), 9, []),
        (columns_of("other", 10, 200), 10, ["columns.stale"]),  # 应更新但长期未更新 ≥ 10
        (columns_of("notice", 4, None), 4, []),  # four empty columns
        (columns_of("notice", 5, None), 5, ["columns.empty"]),
        (columns_of("dynamic", 5, 14), 0, []),  # 14 days old is still within the window
        (columns_of("notice", 5, 183), 0, []),
    ],
)
def test_veto_thresholds(columns, deductions, vetoes):
    findings = column_findings(columns, today(), OPTIONS, "http://x/")
    assert [f.rule for f in findings if f.severity == "veto"] == vetoes
    assert len([f for f in findings if f.severity == "deduction"]) == deductions
