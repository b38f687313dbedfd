"""Page layouts: pages of one template share a signature, and the browser tests every page
the homepage's main navigation links to and a page of every layout, within its page budget."""

from __future__ import annotations

from pathlib import Path

import lxml.etree
import lxml.html
import pytest
import yaml
from portal import accessible_page
from servers import http_site, page

from govscan.checks.a11y import main_navigation, pages_to_render
from govscan.crawler.layout import layout_signature
from govscan.crawler.pages import read_page
from govscan.markup import parse_plain


def signature(html: str) -> str:
    return layout_signature(parse_plain(html)[0])


def list_page(title: str, items: int, current: int) -> str:
    """A column's list page; ``current`` is the navigation item the template highlights."""
    nav = "".join(
        f"<li class='{'on' if n == current else ''}'><a href='/c{n}/'>栏目{n}</a></li>"
        for n in range(5)
    )
    rows = "".join(
        f"<li><a href='/a{n}.html'>{title}第{n}条</a><span>2026-11-0{n % 9 + 1}</span></li>"
        for n in range(items)
    )
    return page(
        title,
        f"<div class='nav'><ul>{nav}</ul></div><div class='main'><div class='crumb'>{title}</div>"
        f"<div class='list-{items}'><ul class='list'>{rows}</ul></div></div>",
    )


def article(title: str, content: str) -> str:
    return page(
        title,
        "<div class='nav'><ul><li><a href='/'>首页</a></li></ul></div><div class='main'>"
        f"<div class='article'><h1>{title}</h1><div class='content'>{content}</div></div></div>",
    )


def test_pages_of_one_template_share_a_layout_whatever_their_text_and_lists():
    assert signature(list_page("要闻动态", 20, current=1)) == signature(
        list_page("通知公告", 3, current=2)
    )
    paragraphs = "<p>第一段。</p><p>第二段。</p>"
    assert signature(article("甲", paragraphs)) == signature(
        article("乙", paragraphs * 5 + "<table><tr><td>表格</td></tr></table><div>附件</div>")
    )


def test_another_template_has_another_layout():
    service = page(
        "办事服务",
        "<div class='nav'><ul><li><a href='/'>首页</a></li></ul></div>"
        "<div class='service-grid'><div class='item'><a href='/s1'>户籍办理</a></div></div>",
    )
    layouts = {
        signature(list_page("要闻动态", 5, current=1)),
        signature(article("甲", "<p>第一段。</p><p>第二段。</p>")),
        signature(service),
    }
    assert len(layouts) == 3


def test_every_read_page_keeps_its_layout():
    html = list_page("要闻动态", 5, current=1)
    assert read_page("http://www.csz.gov.cn/xwdt/", html, "page", 2).facts == {
        "layout": signature(html)
    }


def test_real_articles_of_one_template_match_and_another_template_does_not(corpus: Path):
    def layout(name: str) -> str:
        html = (corpus / "gov-pages" / name).read_text(encoding="utf-8")
        return read_page("http://www.example.gov.cn/", html, "page", 2).facts["layout"]

    # two articles of 宜春市人民政府; 万载县's 2016 article is in its 信息公开 template
    assert layout("yichun-2023-article.html") == layout("yichun-jiangxi-2023-article.html")
    assert layout("wanzai-2016-article.html") != layout("wanzai-2023-article.html")


def test_the_main_navigation_is_the_bar_of_links_with_most_links():
    bar = "".join(f"<li><a href='/c{n}/'>栏目{n}</a></li>" for n in range(4))
    html = page(
        "苍山州人民政府",
        "<div class='has-nav'><div class='topnav'><a href='/wza/'>无障碍</a></div>"
        f"<div id='menu'><ul>{bar}</ul></div><div class='news'>{'<p>全州要闻。</p>' * 20}</div>"
        "<div class='foot-nav'><a href='/wzdt.html'>网站地图</a><a href='/lxwm.html'>联系</a></div>"
        "</div>",
    )
    doc = lxml.html.document_fromstring(html)
    assert main_navigation(doc, "http://www.csz.gov.cn/") == [
        f"http://www.csz.gov.cn/c{n}/" for n in range(4)
    ]


NAV = (
    "<nav class='menu'><a href='/'>首页</a> <a href='/xwdt/'>要闻动态</a> "
    "<a href='/hdjl/'>互动交流</a> <a href='/bsfw/'>办事服务</a></nav>"
)
ARTICLES = [f"/xwdt/a{n}.html" for n in range(1, 7)]


def layout_world() -> dict:
    """A portal of six templates: the homepage (which features article 3 with a picture),
    news list, 互动交流 list (a table of letters), 办事服务 (a grid of services), a 办事指南
    page that only 办事服务 links to, and articles."""
    news = "".join(
        f"<li><a href='{path}'>春耕生产现场会第{n}场</a> <span>2026-11-0{n}</span></li>"
        for n, path in enumerate(ARTICLES, start=1)
    )
    routes = {
        "/": accessible_page(
            "苍山州人民政府",
            NAV + "<div class='focus'><a href='/xwdt/a3.html'><img src='/a3.gif' alt='春耕现场' "
            f"width='40' height='30'></a><ul class='news'>{news}</ul></div>",
        ),
        "/xwdt/": accessible_page("要闻动态", NAV + f"<div class='list'><ul>{news}</ul></div>"),
        "/hdjl/": accessible_page(
            "互动交流",
            NAV + "<table class='letters'><tr><th>来信标题</th><th>办理状态</th></tr>"
            "<tr><td>关于小区停车难的建议</td><td>已答复</td></tr></table>",
        ),
        "/bsfw/": accessible_page(
            "办事服务",
            NAV + "<div class='services'><div class='item'><a href='/bsfw/guide.html'>"
            "户籍迁入办事指南</a></div><div class='item'>社保卡申领</div></div>",
        ),
        "/bsfw/guide.html": accessible_page(
            "户籍迁入办事指南",
            NAV + "<div class='guide'><dl><dt>办理条件</dt><dd>本州户籍</dd></dl>"
            "<dl><dt>办理材料</dt><dd>居民身份证</dd></dl></div>",
        ),
    }
    for n, path in enumerate(ARTICLES, start=1):
        routes[path] = accessible_page(
            f"春耕生产现场会第{n}场",
            NAV + f"<div class='article'><p>发布日期：2026-11-0{n}</p>"
            "<p>苍山州召开全州政务公开工作推进会。</p></div>",
        )
    return routes


def inventory(folder: Path, url: str, sample_pages: int) -> str:
    path = folder / f"sites-{sample_pages}.yaml"
    entry = {"id": "csz", "name": "苍山州人民政府", "url": url, "unit": "苍山州人民政府办公室"}
    content = {"settings": {"sample_pages": sample_pages}, "sites": [entry]}
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    return str(path)


def test_the_navigation_and_a_page_of_each_layout_come_before_articles(scan, tmp_path):
    with http_site(layout_world()) as site:
        output = scan("--config", inventory(tmp_path, site.url, 3), "--checks", "links")
    chosen = pages_to_render(output.view)
    # the budget: the homepage, its one column (要闻动态) and three articles
    assert [(c.url, c.role) for c in chosen[:4]] == [
        (site.url_for("/"), "home"),
        (site.url_for("/xwdt/"), "nav"),
        (site.url_for("/hdjl/"), "nav"),
        (site.url_for("/bsfw/"), "nav"),
    ]
    [article_layout] = chosen[4:]  # the commonest layout before the 办事指南's; no room left
    assert article_layout.role == "layout" and article_layout.url in map(site.url_for, ARTICLES)
    assert len({c.layout for c in chosen}) == 5 and None not in {c.layout for c in chosen}
    assert pages_to_render(output.view) == chosen  # the same pages on every run


@pytest.fixture(scope="module")
def layout_scan(module_scan, tmp_path_factory):
    with http_site(layout_world()) as site:
        config = inventory(tmp_path_factory.mktemp("inventory"), site.url, 5)
        yield module_scan("--config", config, "--checks", "a11y"), site


def test_pages_of_other_columns_and_templates_are_tested(layout_scan):
    output, site = layout_scan
    rendered = {page["url"]: page for page in output.data.rendered()}
    # the budget: the homepage, its one column (要闻动态) and five more
    assert {url: page["role"] for url, page in rendered.items()} == {
        site.url_for("/"): "home",
        site.url_for("/xwdt/"): "nav",
        site.url_for("/hdjl/"): "nav",
        site.url_for("/bsfw/"): "nav",
        site.url_for("/xwdt/a4.html"): "layout",  # the first article in hash order
        site.url_for("/bsfw/guide.html"): "layout",
        site.url_for("/xwdt/a3.html"): "article",  # the last, but featured with a picture
    }
    assert all("axe" in page for page in rendered.values())
    layouts = {page.url: page.facts["layout"] for page in output.data.pages()}
    assert all(page["layout"] == layouts[url] for url, page in rendered.items())
    metrics = output.site["metrics"]["a11y"]
    assert (metrics["layouts_found"], metrics["layouts_tested"]) == (6, 6)
    report = (output.out / "report.html").read_text(encoding="utf-8")
    assert "<th>页面版式</th><td>发现 6 种，检测了其中 6 种</td>" in report
