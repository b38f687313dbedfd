"""The disclosure family from page facts: 公开属性, restricted documents, downloads."""

from __future__ import annotations

from views import page, url, view

from govscan.checks.disclosure import judge
from govscan.checks.family import NoSettings

NOTICE = {"title": "关于做好2026年政务公开工作的通知", "doc_number": "苍政办发〔2026〕3号"}


def found(*pages) -> set[tuple[str, str]]:
    return {(f.rule, f.url) for f in judge(view(pages), NoSettings())}


def test_a_document_without_its_attribute_and_one_that_should_not_be_public():
    assert found(
        page("/a.html", **NOTICE),
        page("/b.html", **NOTICE, attribute="此件不公开"),
        page("/c.html", **NOTICE, attribute="此件公开发布"),
    ) == {
        ("disclosure.attribute_missing", url("/a.html")),
        ("disclosure.restricted_published", url("/b.html")),
    }


def test_a_normative_document_needs_a_download():
    normative = {**NOTICE, "attribute": "此件公开发布", "normative": True}
    assert found(
        page("/a.html", **normative),
        page("/b.html", **normative, downloads=["http://www.csz.gov.cn/b.pdf"]),
    ) == {("disclosure.no_download", url("/a.html"))}


def test_pages_about_a_document_and_pages_without_a_number_are_no_documents():
    assert (
        found(
            page(
                "/jd.html",
                title="《关于做好政务公开工作的通知》政策解读",
                doc_number="苍政办发〔2026〕3号",
            ),
            page("/news.html", title="全州政务公开工作推进会召开"),
            page("/", role="home", **NOTICE),
        )
        == set()
    )


def test_the_finding_carries_the_title_and_number():
    [missing] = judge(view([page("/a.html", **NOTICE)]), NoSettings())
    assert missing.detail == {"title": NOTICE["title"], "doc_number": NOTICE["doc_number"]}
