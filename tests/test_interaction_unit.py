"""The interaction family from message pages' texts, as mailbox systems print them."""

from __future__ import annotations

from datetime import date

from views import home, page, url, view

from govscan.checks.interaction import InteractionSettings, judge, working_days

SETTINGS = InteractionSettings()
#: The scan's day is 2026-11-27 (views.STARTED_AT).
CHANNEL_HOME = home("<a href='/hdjl/xjxd/'>书记信箱</a>")


def letter(sent: str, answer: str = "", status: str = "") -> str:
    """A letter's page as 信件 systems print it (江西、湖南 templates)."""
    text = f"信件标题：关于公交线路的建议 来信人：张** 来信时间：{sent} 信件内容：建议延伸线路。"
    if status:
        text += f" 办理状态：{status}"
    return text + answer


def judged(texts: dict[str, str], pages=None) -> list:
    pages = pages or [page(path, title=f"信件 {path}") for path in texts]
    run = view([CHANNEL_HOME, *pages], texts={url(p): text for p, text in texts.items()})
    return judge(run, SETTINGS)


def test_a_letter_unanswered_for_more_than_three_months_is_the_veto():
    texts = {
        "/hdjl/1.html": letter("2026-07-01 09:30", status="办理中"),
        "/hdjl/2.html": letter("2026-11-01", status="办理中"),  # a month: still in time
    }
    [veto] = judged(texts)
    assert (veto.rule, veto.severity, veto.url) == (
        "interaction.unanswered",
        "veto",
        url("/hdjl/1.html"),
    )
    assert veto.detail["messages"] == [
        {
            "url": url("/hdjl/1.html"),
            "title": "信件 /hdjl/1.html",
            "sent": "2026-07-01",
            "days": 149,
        }
    ]


def test_an_answer_later_than_the_sites_promise_is_slow():
    answered = " 答复单位：州交通运输局 答复时间：2026-10-30 答复内容：已纳入计划。"
    promise = " 本信箱承诺在5个工作日内答复。"
    texts = {"/hdjl/3.html": letter("2026-10-01", answered + promise)}
    [late] = judged(texts)
    assert (late.rule, late.detail["working_days"], late.detail["allowed"]) == (
        "interaction.slow",
        21,
        5,
    )
    in_time = " 答复时间：2026-10-16 答复内容：已纳入计划。"  # 11 working days of the default 15
    assert judged({"/hdjl/4.html": letter("2026-10-01", in_time)}) == []


def test_a_mailboxs_list_is_read_row_by_row_not_as_one_letter():
    rows = " ".join(
        f"关于第{n}路公交的建议 来信时间 2026-0{n}-01 {'办理中' if n % 2 else '已回复'}"
        for n in range(1, 6)
    )
    [veto] = judged({"/hdjl/list.html": rows})
    assert veto.rule == "interaction.unanswered"
    assert [(m["title"], m["sent"]) for m in veto.detail["messages"]] == [
        ("关于第1路公交的建议", "2026-01-01"),
        ("关于第3路公交的建议", "2026-03-01"),
        ("关于第5路公交的建议", "2026-05-01"),
    ]


def test_rows_of_other_lists_are_not_letters():
    services = page("/bsfw/bjgs.html", title="办件公示")  # 办理中 applications, not letters
    texts = {url("/bsfw/bjgs.html"): "张** 营业执照变更 2026-03-01 办理中"}
    assert judge(view([CHANNEL_HOME, services], texts=texts), SETTINGS) == []


def test_a_list_with_the_status_before_the_date_pairs_each_status_with_its_own_row():
    status_first = page("/hdjl/list2.html", title="领导信箱")
    texts = {
        url("/hdjl/list2.html"): "关于路灯的建议 办理中 2026-03-01 城管局\n"
        "关于噪音的投诉 已回复 2026-02-01 环保局\n关于积水的咨询 未回复 2026-11-20 住建局"
    }
    [found] = judge(view([CHANNEL_HOME, status_first], texts=texts), SETTINGS)
    assert found.rule == "interaction.unanswered"
    assert [item["title"] for item in found.detail["messages"]] == ["关于路灯的建议"]


def test_a_site_without_any_channel_is_missing_one():
    run = view([home("<a href='/xwdt/'>新闻</a>")], texts={})
    [missing] = judge(run, SETTINGS)
    assert (missing.rule, missing.url) == ("interaction.missing", url("/"))
    banner = home("<a href='/szxx/'><img src='/images/szxx.png' alt='州长信箱'></a>")
    assert judge(view([banner], texts={}), SETTINGS) == []


def test_a_closed_consultation_without_a_result_and_one_with_it():
    survey = page(
        "/hdjl/zj/1.html", title="关于《苍山州城市公共停车设施管理办法》公开征求意见的公告"
    )
    other = page("/hdjl/zj/2.html", title="关于《苍山州养犬管理规定》公开征求意见的公告")
    result = page("/hdjl/zj/3.html", title="《苍山州养犬管理规定》征求意见采纳情况的说明")
    texts = {
        url("/hdjl/zj/1.html"): "征求意见时间：2026年9月1日至2026年9月30日。",
        url("/hdjl/zj/2.html"): "意见反馈截止时间：2026年10月15日。",
        url("/hdjl/zj/3.html"): "共收到意见12条，采纳5条。",
    }
    [found] = judge(view([CHANNEL_HOME, survey, other, result], texts=texts), SETTINGS)
    assert (found.rule, found.url, found.detail["closed"]) == (
        "interaction.survey_no_result",
        url("/hdjl/zj/1.html"),
        "2026-09-30",
    )


def test_working_days_leave_out_weekends():
    assert working_days(date(2026, 11, 27), date(2026, 12, 4)) == 5  # Friday to Friday
