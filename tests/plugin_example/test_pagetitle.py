"""The example family from a few pages, as its own package would test it."""

from __future__ import annotations

from govscan_pagetitle import PageTitleSettings, judge

from govscan.store.view import Page, RunView, SiteInfo

SITE = SiteInfo("csz", "苍山州人民政府", "http://www.csz.gov.cn/", "苍山州人民政府办公室")


def page(path: str, title: str, role: str = "page") -> Page:
    return Page(f"http://www.csz.gov.cn{path}", role, 1, title, "", 100)


def test_pages_without_a_title_are_listed():
    pages = (page("/", "首页", "home"), page("/b.html", " "), page("/a.html", ""))
    [found] = judge(RunView.of(SITE, pages=pages), PageTitleSettings(listed=1))
    assert (found.rule, found.severity, found.url) == (
        "pagetitle.missing",
        "deduction",
        "http://www.csz.gov.cn/a.html",
    )
    assert found.detail == {"page_count": 2, "pages": ["http://www.csz.gov.cn/a.html"]}


def test_titled_pages_and_the_not_found_probe_pass():
    pages = (page("/", "首页", "home"), page("/x-404", "", "notfound_probe"))
    assert judge(RunView.of(SITE, pages=pages), PageTitleSettings()) == []
