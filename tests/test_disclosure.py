"""Disclosure attributes of policy documents, and downloads of 规范性文件."""

from __future__ import annotations

from portal import gov_page, scan_args
from servers import http_site


def document(title: str, number: str, attribute: str = "", body: str = "", pdf: str = "") -> str:
    """A policy document page as a CMS writes it: 文号 table, text, 公开属性, attachment."""
    table = (
        f"<table><tr><th>发文字号</th><td>{number}</td>"
        "<th>发布日期</th><td>2026-03-02</td></tr></table>"
    )
    attach = (
        f"<div class='attach'>附件下载：<a href='{pdf}'>{title}（PDF版）</a></div>" if pdf else ""
    )
    return gov_page(
        title, f"<h1>{title}</h1>{table}<p>{body}各县市人民政府：……</p><p>{attribute}</p>{attach}"
    )


ROUTES = {
    "/zcwj/1.html": document(
        "苍山州人民政府关于印发行政规范性文件管理办法的通知",
        "苍政发〔2026〕3号",
        "（此件公开发布）",
        "本办法为行政规范性文件。",
        pdf="/files/3.pdf",
    ),
    "/zcwj/2.html": document("苍山州人民政府办公室关于做好春耕工作的通知", "苍政办发〔2026〕8号"),
    "/zcwj/3.html": document(
        "苍山州人民政府关于某项工作的意见", "苍政发〔2026〕9号", "（此件不公开）"
    ),
    "/zcwj/4.html": document(
        "苍山州人民政府关于某项事项的批复", "苍政复〔2026〕2号", "此件依申请公开"
    ),
    "/zcwj/5.html": document(
        "苍山州人民政府关于印发停车管理办法的通知",
        "苍政发〔2026〕11号",
        "（此件删减后公开）",
        "本文件属于行政规范性文件。",
    ),
    "/zcjd/1.html": gov_page(
        "《苍山州行政规范性文件管理办法》政策解读",
        "<p>苍政发〔2026〕3号文件的起草背景……</p>",
    ),
    "/xwdt/1.html": gov_page("州政府召开常务会议", "<p>会议学习了苍政发〔2026〕3号文件精神。</p>"),
    "/files/3.pdf": "%PDF-1.4",
}


def test_each_disclosure_case(scan):
    links = "".join(f"<a href='{path}'>{path}</a>" for path in ROUTES)
    with http_site({"/": gov_page("苍山州人民政府", links), **ROUTES}) as site:
        output = scan(*scan_args(site.url))
    found = {
        (f["rule"], f["url"].removeprefix(site.url.rstrip("/")))
        for f in output.findings()
        if f["rule"].startswith("disclosure")
    }
    assert found == {
        ("disclosure.attribute_missing", "/zcwj/2.html"),
        ("disclosure.restricted_published", "/zcwj/3.html"),
        ("disclosure.restricted_published", "/zcwj/4.html"),
        ("disclosure.no_download", "/zcwj/5.html"),
    }
    [restricted] = [
        f for f in output.findings("disclosure.restricted_published") if "3.html" in f["url"]
    ]
    assert restricted["detail"]["attribute"] == "此件不公开"
    assert restricted["detail"]["doc_number"] == "苍政发〔2026〕9号"
