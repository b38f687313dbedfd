"""The identity family from kept pages: the homepage's marks in full, and the sampled pages'
footers."""

from __future__ import annotations

from portal import gov_page
from views import home, page, url, view

from govscan.checks.family import NoSettings
from govscan.checks.identity import judge


def article(number: int, *without: str):
    return page(f"/xwdt/{number}.html", gov_page(f"文章 {number}", "<p>正文</p>", *without))


def test_a_homepage_and_pages_with_every_mark_pass():
    run = view([home(gov_page("首页", "<p>欢迎</p>")), article(1), article(2)])
    assert judge(run, NoSettings()) == []


def test_a_mark_missing_on_the_homepage_names_the_problem_and_what_was_found():
    run = view([home(gov_page("首页", "", "identity.icp"))])
    [icp] = judge(run, NoSettings())
    assert (icp.rule, icp.severity, icp.url) == ("identity.icp", "deduction", url("/"))
    assert icp.detail == {"problem": "missing", "page": "homepage", "found": icp.detail["found"]}
    assert icp.message == "首页ICP 备案编号不合规：页面底部未标注 ICP 备案编号"


def test_the_sample_lists_the_pages_that_lack_a_mark():
    pages = [
        article(number, "identity.psb") if number % 2 else article(number) for number in range(6)
    ]
    run = view([home(gov_page("首页", "")), *pages], sample_pages=6)
    [psb] = judge(run, NoSettings())
    assert (psb.rule, psb.detail["page"], psb.detail["sampled"]) == ("identity.psb", "sample", 6)
    assert psb.detail["pages"] == sorted(url(f"/xwdt/{n}.html") for n in (1, 3, 5))


def test_the_sample_is_as_large_as_the_setting_and_skips_not_found_pages():
    pages = [article(number, "identity.psb") for number in range(5)]
    gone = page("/gone.html", gov_page("页面不存在", ""), title="页面不存在")
    run = view([home(gov_page("首页", "")), *pages, gone], sample_pages=3)
    [psb] = judge(run, NoSettings())
    assert psb.detail["sampled"] == 3 and url("/gone.html") not in psb.detail["pages"]
