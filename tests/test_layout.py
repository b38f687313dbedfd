"""Page layouts: pages of one template share a signature."""

from __future__ import annotations

from pathlib import Path

import lxml.etree
from servers import page

from govscan.crawler.layout import layout_signature
from govscan.crawler.pages import HTML_PARSER, read_page


def signature(html: str) -> str:
    return layout_signature(lxml.etree.fromstring(html, HTML_PARSER))


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
