"""The interpretation family from pages' titles, dates, 文号, links and texts."""

from __future__ import annotations

from views import link, page, url, view

from govscan.checks.interpretation import InterpretationSettings, judge
from govscan.store.inventory import ColumnEntry

SETTINGS = InterpretationSettings()
#: The scan's day is 2026-11-27 (views.STARTED_AT).
POLICY_TITLE = "苍山州人民政府办公室关于印发苍山州政府网站集约化管理办法的通知 | 苍山州人民政府"


def policy(path: str = "/zcwj/1.html", day: str = "2026-11-15", **facts):
    facts = {"doc_number": "苍政办发〔2026〕31号", **facts}
    return page(path, title=POLICY_TITLE, date_text=day, **facts)


def reading(path: str, title: str, day: str):
    return page(path, title=title, date_text=day)


def test_a_recent_policy_without_an_interpretation_is_missing():
    [missing] = judge(view([policy()]), SETTINGS)
    assert (missing.rule, missing.severity, missing.url) == (
        "interpretation.missing",
        "deduction",
        url("/zcwj/1.html"),
    )
    assert missing.detail == {
        "title": "苍山州人民政府办公室关于印发苍山州政府网站集约化管理办法的通知",
        "doc_number": "苍政办发〔2026〕31号",
        "published": "2026-11-15",
    }


def test_an_interpretation_linked_from_its_policy_pairs_by_link():
    linked = reading("/zcjd/7.html", "专家解读：让政府网站更集约", "2026-11-15")
    run = view([policy(), linked], links=[link("/zcwj/1.html", "/zcjd/7.html", "相关解读")])
    assert judge(run, SETTINGS) == []


def test_an_interpretation_naming_the_policy_in_book_title_marks_pairs_by_title():
    named = reading("/zcjd/8.html", "一图读懂《苍山州政府网站集约化管理办法》", "2026-11-16")
    assert judge(view([policy(), named]), SETTINGS) == []


def test_an_interpretation_citing_the_policys_number_pairs_by_it():
    cited = reading("/zcjd/9.html", "政策问答：政府网站怎么管", "2026-11-15")
    texts = {url("/zcjd/9.html"): "根据《通知》（苍政办发〔2026〕 31号）的规定，……"}
    assert judge(view([policy(), cited], texts=texts), SETTINGS) == []


def test_an_interpretation_days_after_its_policy_is_late_with_the_pairing():
    later = reading("/zcjd/8.html", "《苍山州政府网站集约化管理办法》政策解读", "2026-11-22")
    [late] = judge(view([policy(), later]), SETTINGS)
    assert (late.rule, late.detail["days"], late.detail["paired_by"]) == (
        "interpretation.late",
        7,
        "title",
    )
    assert late.message == (
        "政策文件《苍山州人民政府办公室关于印发苍山州政府网站集约化管理办法的通知》发布 7 天后"
        "才发布解读“《苍山州政府网站集约化管理办法》政策解读”（应在 3 天内）"
    )


def test_only_recent_policy_documents_are_judged():
    old = policy(day="2026-08-01")  # 118 days before the scan
    meeting = page(
        "/tzgg/2.html",
        title="关于召开全州政务公开工作会议的通知",
        date_text="2026-11-20",
        doc_number="苍政办函〔2026〕5号",
    )
    without_number = page("/zcwj/3.html", title=POLICY_TITLE, date_text="2026-11-20")
    assert judge(view([old, meeting, without_number]), SETTINGS) == []


def test_a_normative_page_or_one_in_a_declared_policy_column_is_a_policy():
    plain_title = "苍山州人民政府关于公布第二批州级非物质文化遗产代表性项目名录的决定"
    normative = page(
        "/xxgk/4.html",
        title=plain_title,
        date_text="2026-11-20",
        doc_number="苍政发〔2026〕4号",
        normative=True,
    )
    declared = page(
        "/gfxwj/5.html", title=plain_title, date_text="2026-11-20", doc_number="苍政发〔2026〕5号"
    )
    columns = (ColumnEntry(name="规范性文件", url=url("/gfxwj/"), category="policy"),)
    found = judge(view([normative, declared], columns=columns), SETTINGS)
    assert {f.url for f in found} == {url("/xxgk/4.html"), url("/gfxwj/5.html")}


def test_an_earlier_interpretation_that_links_to_the_policy_from_a_sidebar_is_not_its_pair():
    other = reading("/zcjd/6.html", "一图读懂《苍山州优化营商环境若干措施》", "2026-10-27")
    sidebar = link("/zcjd/6.html", "/zcwj/1.html", "苍山州政府网站集约化管理办法")
    [missing] = judge(view([policy(), other], links=[sidebar]), SETTINGS)
    assert missing.rule == "interpretation.missing"
