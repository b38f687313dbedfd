"""Reading one page: the facts kept for the checks, and the source kept only when asked."""

from __future__ import annotations

import re
import zlib

import pytest
from servers import page

from govscan.crawler.pages import read_page

URL = "http://www.csz.gov.cn/zcwj/1.html"
POLICY = page(
    "苍山州人民政府关于印发停车管理办法的通知",
    "<div class='top'>今天是2026年11月27日 星期五　当前时间：2026-11-27</div>"
    "<table><tr><th>发文字号</th><td>苍政发〔2026〕11号</td>"
    "<th>发布日期</th><td>2026-03-02</td></tr></table>"
    "<p>本办法属于行政规范性文件。</p><p>（此件删减后公开）</p>"
    "<a href='/files/11.PDF'>附件</a><a href='/files/11.ofd'>OFD 版</a><a href='/a.html'>相关</a>",
    head="<meta name='pubdate' content='2026-03-02 10:00:00'>"
    "<meta name='ColumnName' content='政策文件'>",
)


def test_a_policy_documents_facts():
    facts = read_page(URL, POLICY, "page", 2).facts
    assert facts["meta"] == {"PubDate": "2026-03-02 10:00:00", "ColumnName": "政策文件"}
    assert facts["date_text"].startswith("2026-03-02")  # not the header's 当前时间
    assert facts["doc_number"] == "苍政发〔2026〕11号"
    assert facts["attribute"] == "此件删减后公开"
    assert facts["normative"] is True
    assert facts["downloads"] == [
        "http://www.csz.gov.cn/files/11.PDF",
        "http://www.csz.gov.cn/files/11.ofd",
    ]


def test_a_plain_page_has_no_facts_but_its_layout():
    assert list(read_page(URL, page("要闻", "<p>今天天气晴。</p>"), "page", 2).facts) == ["layout"]


def test_the_source_is_kept_only_when_asked():
    assert read_page(URL, POLICY, "page", 2).html is None
    kept = read_page(URL, POLICY, "page", 1, keep=True).html
    assert zlib.decompress(kept).decode("utf-8") == POLICY


# --------------------------------------------------------------------------- real templates


def article(title: str, header: str, body: str = "<p>正文。</p>", head: str = "") -> str:
    """An article page as CMS templates lay it out: breadcrumb, title, byline, text, sidebar."""
    return page(
        f"{title}_青山县人民政府",
        "<div class='top'>今天是2026年11月27日 星期五</div>"
        "<div class='crumb'>当前位置：首页 > 政务公开 > 通知公告</div>"
        f"<div class='article'><h1>{title}</h1>{header}<div class='text'>{body}</div></div>"
        "<div class='side'><h3>相关文章</h3><ul><li><a href='/1.html'>其他通知</a>"
        "<span>2026-11-20</span></li></ul></div>",
        head=head,
    )


def facts_of(html: str) -> dict:
    return read_page(URL, html, "page", 2).facts


def test_links_after_a_stray_closing_html_tag_are_kept():
    html = page("要闻", "<a href='/a.html'>甲</a>") + "<div><a href='/b.html'>乙</a></div></html>"
    targets = [link.target for link in read_page(URL, html, "page", 2).links]
    assert targets == ["http://www.csz.gov.cn/a.html", "http://www.csz.gov.cn/b.html"]


def test_links_past_the_parsers_depth_limit_are_read_and_the_page_marked_malformed():
    """libxml2 gives up 256 elements deep and drops the rest; the links are read anyway."""
    nested = (
        "<div>" * 400 + "<a href='/deep.html'>深处<img src='/i.png' alt='图'></a>" + "</div>" * 400
    )
    footer = "<a href='/sitemap.html' title='网站地图'><img src='/map.png'></a>"
    html = page("要闻", nested + footer, head="<meta http-equiv='refresh' content='60; url=/'>")
    read = read_page(URL, html, "page", 2)
    assert [(link.target[21:], link.element, link.anchor) for link in read.links] == [
        ("/", "meta", ""),
        ("/deep.html", "a", "深处"),
        ("/i.png", "img", "图"),
        ("/sitemap.html", "a", "网站地图"),
        ("/map.png", "img", ""),
    ]
    assert "depth" in read.facts["malformed"]
    assert "malformed" not in read_page(URL, page("要闻", footer), "page", 2).facts


def test_an_invalid_base_href_is_ignored_as_browsers_do():
    html = page("要闻", "<a href='a.html'>甲</a><a href='http://[bad'>乙</a>", "<base href='//[x'>")
    assert [link.target for link in read_page(URL, html, "page", 2).links] == [
        "http://www.csz.gov.cn/zcwj/a.html",
        "invalid:http%3A%2F%2F%5Bbad",
    ]


def test_the_visible_date_wins_over_a_disagreeing_pubdate_tag():
    html = article(
        "青山县2015年统计公报",
        "<div>来源： 访问量：199 发布日期：2017-05-15 10:49:00</div>",
        head="<meta name='PubDate' content='2022-04-24 10:00:43'>",
    )
    facts = facts_of(html)
    assert facts["date_text"] == "2017-05-15"
    assert facts["date_conflict"] == "2022-04-24 10:00:43"


@pytest.mark.parametrize(
    "byline",
    [
        "<div class='info'><span>2026-03-02 10:33</span><span>来源：县政府办</span></div>",
        "<p>青山县人民政府办公室</p><p>2026年3月2日</p>",
        "<div>发布时间 ： 2026-03-02</div>",
        "<div>【 时间：2026-03-02 】【 字号：大 中 小 】</div>",
    ],
    ids=["bare-with-time", "bare-chinese", "spaced-label", "bracketed-label"],
)
def test_the_date_printed_with_the_title(byline: str):
    assert facts_of(article("关于开展春季植树活动的通知", byline))["date_text"] in (
        "2026-03-02",
        "2026年3月2日",
    )


@pytest.mark.parametrize(
    "not_published",
    [
        "<div>生成日期：2026-03-02</div>",
        "<div>报名时间：2026-03-02</div>",
        "<div>成文日期：2026-03-02</div>",
        "",  # the sidebar's 2026-11-20 belongs to another article
    ],
)
def test_dates_that_are_not_the_publication_date(not_published: str):
    facts = facts_of(article("关于开展春季植树活动的通知", not_published))
    assert "date_text" not in facts


def test_a_date_in_the_text_is_not_the_publication_date():
    body = "<p>一、时间安排</p><p>报名时间：2026年3月1日至3月10日，活动于2026年3月12日举行。</p>"
    assert "date_text" not in facts_of(article("关于开展春季植树活动的通知", "", body))


def test_a_cited_document_number_is_not_the_documents_own():
    body = (
        "<p>根据《青山县人民政府关于加强植树造林的意见》（青政发〔2025〕3号）精神，现通知如下。</p>"
    )
    assert "doc_number" not in facts_of(article("关于开展春季植树活动的通知", "", body))


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("关于印发植树办法的通知（青政办发〔2026〕12号）", "<p>根据青政发〔2025〕3号精神。</p>"),
        ("关于印发植树办法的通知", "<p align='center'>青政办发〔2026〕12号</p><p>各乡镇：</p>"),
        ("关于印发植树办法的通知", "<p>（青政办发〔2026〕12 号）</p><p>据青政发〔2025〕3号。</p>"),
    ],
    ids=["in-title", "header-line", "header-line-in-brackets"],
)
def test_the_documents_own_number(title: str, body: str):
    assert facts_of(article(title, "", body))["doc_number"] == "青政办发〔2026〕12号"


METADATA_TABLES = {
    "cells": (
        "<table><tr><td>索 引 号：</td><td>11532900MB0000000X/2026-00012</td>"
        "<td>主题分类：</td><td>城乡建设、环境保护</td></tr>"
        "<tr><td>发布机构：</td><td>青山县林业和草原局</td><td>成文日期：</td><td>2026年02月26日</td></tr>"
        "<tr><td>文　　号：</td><td>青林发〔2026〕4号</td>"
        "<td>发布日期：</td><td>2026年03月02日</td></tr>"
        "<tr><td>公开方式：</td><td>主动公开</td><td>有 效 性：</td><td>有效</td></tr></table>"
    ),
    "lines": (
        "<ul class='xxgk'><li><b>信息索引：</b>11532900MB0000000X/2026-00012</li>"
        "<li><b>发文机关：</b>青山县林业和草原局</li><li><b>成文日期：</b>2026-02-26</li>"
        "<li><b>发文字号：</b>青林发〔2026〕4号</li><li><b>发布日期：</b>2026-03-02</li>"
        "<li><b>公开属性：</b>主动公开</li><li><b>有效性：</b>有效</li>"
        "<li><b>主题分类：</b>城乡建设、环境保护</li></ul>"
    ),
    "one-line": (
        "<p>索引号：11532900MB0000000X/2026-00012 发布机构：青山县林业和草原局 "
        "成文日期：2026-02-26 文号：青林发〔2026〕4号 发布日期：2026-03-02 公开方式：主动公开 "
        "有效性：有效 主题分类：城乡建设、环境保护</p>"
    ),
}


@pytest.mark.parametrize("table", METADATA_TABLES.values(), ids=METADATA_TABLES)
def test_the_disclosure_metadata_table(table: str):
    facts = facts_of(article("关于印发植树办法的通知", table, "<p>据青政发〔2025〕3号。</p>"))
    assert {key: " ".join(value.split()) for key, value in facts["disclosure"].items()} == {
        "index_no": "11532900MB0000000X/2026-00012",
        "publisher": "青山县林业和草原局",
        "written_date": facts["disclosure"]["written_date"],
        "disclosure_date": facts["disclosure"]["disclosure_date"],
        "doc_number": "青林发〔2026〕4号",
        "attribute": "主动公开",
        "validity": "有效",
        "topic": "城乡建设、环境保护",
    }
    assert facts["disclosure"]["written_date"].replace("年", "-").startswith("2026-02")
    assert facts["date_text"].replace("年", "-").startswith("2026-03")
    assert facts["doc_number"] == "青林发〔2026〕4号"
    assert facts["attribute"] == "主动公开"


def test_a_byline_is_not_a_metadata_table():
    facts = facts_of(
        article("通知", "<div>发布时间：2026-03-02 来源：县政府办 字号：大 中 小</div>")
    )
    assert "disclosure" not in facts


def published(html: str) -> str | None:
    """The date the columns check takes for the page: the visible one, else its PubDate tag."""
    facts = facts_of(html)
    return facts.get("date_text") or facts.get("meta", {}).get("PubDate")


def test_the_pubdate_tag_when_the_page_shows_no_date():
    html = article("统计公报", "<div>生成日期：2023-05-11</div>", head=PUBDATE)
    assert published(html) == "2023-08-16 10:33:59"


PUBDATE = '<meta name="PubDate" content="2023-08-16 10:33:59">'


@pytest.mark.parametrize(
    ("label", "date"),
    [
        ("发布时间：2023-08-16 10:33:59", "2023-08-16"),
        ("发布日期: <b>2023年8月16日</b>", "2023年8月16日"),
        ("日期：[2023-08-16]", "2023-08-16"),
        ("时间：（2023/8/16）", "2023/8/16"),
    ],
)
def test_labels_of_the_publication_date(label: str, date: str):
    byline = f"<div class='attr'><span>来源：县政府办</span> <span>{label}</span></div>"
    assert published(article("关于某某工作的通知", byline, "<p>正文2022-01-01</p>")) == date


def test_a_label_must_introduce_the_date():
    html = article("通知", "", "<p>办公时间：周一至周五 电话：0871-1234567 2022-05-05</p>")
    assert published(html) is None


def test_no_publication_date_from_the_header_the_footer_or_a_site_notice():
    html = page(
        "无日期的文章",
        "<div class='top'>当前日期：2026-11-27</div><h1>无日期的文章</h1><p>正文内容</p>"
        "<div class='foot-info'>发布时间：2026-11-26</div>"
        "<div class='info'><p>版权所有 ©2026 某某县人民政府 更新时间：2026-11-25</p></div>"
        "<div class='info'><p>主办单位：某某县人民政府办公室 发布时间：2026-11-24</p></div>",
    )
    assert published(html) is None


REAL_PAGES = {
    # file: (the date a visitor sees, else the PubDate tag; the visible one alone)
    "wanzai-2023-article.html": ("2023-08-16", None),  # only 生成日期 is shown
    "wanzai-2016-article.html": ("2017-05-15", "2017-05-15"),  # 发布日期; the tag says 2022
    "yichun-2023-article.html": ("2023-05-16", None),  # only 发文日期 is shown
    "yichun-jiangxi-2023-article.html": ("2023-05-16", None),
}


@pytest.mark.parametrize("name", REAL_PAGES)
def test_real_pages_publication_date(corpus, name):
    html = (corpus / "gov-pages" / name).read_text(encoding="utf-8")
    assert published(html)[:10] == REAL_PAGES[name][0]
    without_tag, removed = re.subn(r'<meta name="PubDate"[^>]*>', "", html)
    assert removed == 1
    assert published(without_tag) == REAL_PAGES[name][1]


def test_a_title_broken_over_lines_still_anchors_its_date():
    html = page(
        "全国人民代表大会常务委员会关于批准发行特别国债的决议__2007年第23号国务院公报_中国政府网",
        "<div class='pages_content'><p>全国人民代表大会常务委员会<br>关于批准发行特别国债的"
        "<br>决议</p><p>（2007年6月29日第十届全国人民代表大会常务委员会第二十八次会议通过）</p>"
        "<p>第十届全国人民代表大会常务委员会第二十八次会议，听取了说明。</p></div>",
    )
    assert published(html) == "2007年6月29日"


def test_a_list_page_is_not_dated_by_its_first_row():
    rows = "".join(
        f"<li><a href='/{d}.html'>第{d}条要闻</a><span>2026-11-0{d}</span></li>" for d in (3, 2, 1)
    )
    assert published(page("要闻动态", f"<h2>要闻动态</h2><ul>{rows}</ul>")) is None


def test_a_document_number_in_a_list_of_links_is_another_documents():
    rows = "<ul><li><a href='/1.html'>建市行撤字[2016]101号</a><span>[2018-03-21]</span></li></ul>"
    html = page("中华人民共和国住房和城乡建设部", f"<div class='logo'>住房和城乡建设部</div>{rows}")
    assert "doc_number" not in facts_of(html)
