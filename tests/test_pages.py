"""Reading one page: the facts kept for the checks, and the source kept only when asked."""

from __future__ import annotations

import zlib

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
