"""The indicator families on markup copied from real government CMS templates
(``tests/corpus/templates/``, sources in its ``SOURCES.md``): each template is filled with a
letter, a guide or a 征集 as the CMS would fill it, and read as a scan reads the page.

A template's variables are filled by name (Struts ``<s:property value=…>`` and ``<s:date
name=…>``, FreeMarker ``${…}``); a branch that carries a fact (已回复 or
未回复) is chosen by its exact text; a loop is repeated once per row; the remaining template
syntax is removed, as the CMS removes it.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import pytest

from govscan.checks.interaction import closing_day, pending_rows, read_message
from govscan.checks.services import is_guide, lacks
from govscan.crawler.pages import read_page
from govscan.store.snapshot import page_of
from govscan.store.view import Page

TEMPLATES = Path(__file__).parent / "corpus" / "templates"
TODAY = date(2026, 12, 1)
VARIABLES = (
    re.compile(r'<s:property\s+value="([^"]+)"[^>]*/>'),
    re.compile(r'<s:date\s+[^>]*?name="([^"]+)"[^>]*/>'),
    re.compile(r"\$\{([\w.]+)[^}]*\}"),
)
#: What the CMS never sends: comments of the template language, other branches, tags.
TEMPLATE_SYNTAX = (
    re.compile(r"<#--.*?-->|<%--.*?--%>", re.S),
    re.compile(r"<s:else>.*?</s:else>|<s:elseif[^>]*>.*?</s:elseif>", re.S),
    re.compile(
        r"</?(?:s|c|jsp|fmt):[^>]*>|</?#[^>]*>|<%.*?%>",
        re.S,
    ),
)


@dataclass
class Filling:
    """How one template is filled: its variables by name, the branches chosen (exact text →
    what the CMS prints), and the rows of its loop (``loop`` is the loop's opening and
    closing tags; each row fills the body's variables)."""

    values: dict[str, str] = field(default_factory=dict)
    choose: dict[str, str] = field(default_factory=dict)
    loop: tuple[str, str] | None = None
    rows: list[dict[str, str]] = field(default_factory=list)


def fill(template: str, filling: Filling) -> str:
    for text, printed in filling.choose.items():
        assert text in template, f"no {text!r} in the template"
        template = template.replace(text, printed)
    if filling.loop is not None:
        opening, closing = filling.loop
        head, rest = template.split(opening, 1)
        body, tail = rest.split(closing, 1)
        template = head + "".join(substitute(body, row) for row in filling.rows) + tail
    template = substitute(template, filling.values)
    for syntax in TEMPLATE_SYNTAX:
        template = syntax.sub("", template)
    return template


def substitute(text: str, values: dict[str, str]) -> str:
    for variable in VARIABLES:
        text = variable.sub(lambda match: values.get(match.group(1), ""), text)
    return text


def filled_page(name: str, filling: Filling, title: str) -> tuple[Page, str]:
    """The filled template as a scan reads it: the page and its visible text."""
    html = fill((TEMPLATES / name).read_text(encoding="utf-8"), filling)
    if "<html" not in html.lower():  # a fragment the CMS wraps in its page
        html = f"<html><head><title>{title}</title></head><body>{html}</body></html>"
    record = read_page(f"https://www.example.gov.cn/{name}.html", html, "page", 2)
    page = replace(page_of(record, None), title=title)  # the title the case names it by
    return page, zlib.decompress(record.text).decode()


# ------------------------------------------------------------------ a letter's own page

EWCMS_STATE = (
    '<s:if test="interaction.state.ordinal() == 1">已回复</s:if>\n'
    "            <s:else>办理中</s:else>"
)
EWCMS_REPLY = (
    '<s:if test="interaction.state.ordinal()==1"><div class="text_detail">'
    '<s:property value="interaction.replay" escape="false"/></div></s:if>'
)
LETTER = {"interaction.title": "关于城南小区路灯不亮的咨询", "interaction.organ.name": "市城管局"}

#: template → (filling, sent, answered, has an answer)
LETTERS = {
    "ewcms, waiting": (
        "mailbox-detail-ewcms-ruichang.jsp",
        Filling(
            {**LETTER, "interaction.date": "2026-03-02"},
            {EWCMS_STATE: "办理中", EWCMS_REPLY: ""},
        ),
        date(2026, 3, 2),
        None,
        False,
    ),
    "ewcms, answered": (
        "mailbox-detail-ewcms-ruichang.jsp",
        Filling(
            {**LETTER, "interaction.date": "2026-03-02", "interaction.replayDate": "2026-04-20"},
            {EWCMS_STATE: "已回复", EWCMS_REPLY: "<div>您好，路灯已于4月18日修复。</div>"},
        ),
        date(2026, 3, 2),
        date(2026, 4, 20),
        True,
    ),
}


@pytest.mark.parametrize("case", LETTERS)
def test_a_letter_page_is_read_with_its_dates_and_answer(case):
    name, filling, sent, answered, has_answer = LETTERS[case]
    page, text = filled_page(name, filling, "领导信箱")
    message = read_message(page, text, TODAY)
    assert message is not None, text[:300]
    assert (message.sent, message.answered, message.has_answer) == (sent, answered, has_answer)


# ------------------------------------------------------------------ a mailbox's list

#: template → (filling, the titles of the rows still waiting, with their dates)
LISTS = {
    "ewcms: number, content, unit, status, date": (
        "mailbox-list-ewcms-ruichang.jsp",
        Filling(
            loop=('<s:iterator value="interactions">', "</s:iterator>"),
            rows=[
                {"formatId": "2026030201", "title": "路灯不亮", "organ.name": "城管局",
                 "state.title": "办理中", "date": "2026-03-02"},
                {"formatId": "2026030101", "title": "噪音扰民", "organ.name": "环保局",
                 "state.title": "已回复", "date": "2026-03-01"},
            ],
        ),
        [("路灯不亮", date(2026, 3, 2))],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", LISTS)
def test_the_waiting_rows_of_a_mailbox_list_are_read_whatever_the_column_order(case):
    name, filling, waiting = LISTS[case]
    page, text = filled_page(name, filling, "领导信箱")
    rows = pending_rows(page, text, TODAY)
    assert [(row.sent) for row in rows] == [sent for _, sent in waiting], text[:400]
    for row, (title, _) in zip(rows, waiting, strict=True):
        assert title in row.title


# ------------------------------------------------------------------ a 办事指南

EWCMS_MATTER = {
    "working.name": "城镇独生子女父母奖励金申领",
    "matter.name": "城镇独生子女父母奖励金申领",
    "matter.acceptedWay": "窗口受理",
    "matter.handleSite": "市民服务中心二楼12号窗口",
    "matter.handleBasis": "《江西省人口与计划生育条例》第四十条",
    "matter.acceptedCondition": "持有《独生子女父母光荣证》的城镇居民",
    "matter.petitionMaterial": "1. 申请表；2. 户口簿；3. 光荣证",
    "matter.handleCourse": "申请→受理→审核→发放",
    "matter.timeLimit": "20个工作日",
    "matter.deadline": "10个工作日",
    "matter.fees": "不收费",
    "matter.consultingTel": "0792-4222222",
}
LONGGANG_ITEM = {
    "approveItem.approveitemname": "建筑工程施工许可",
    "approveItem.approveitembasis": "《中华人民共和国建筑法》第七条",
    "approveItem.declarecondition": "已经办理该建筑工程用地批准手续",
    "approveItem.materialStr": "施工许可申请表、用地批准文件",
    "approveItem.timelimitdesc": "法定15个工作日",
    "approveItem.chargeinfo": "不收费",
    "approveItem.decideorg": "龙岗区住房和建设局",
    "approveItem.acceptjiguan": "龙岗区住房和建设局",
    "approveItem.itemProvince.windowworkflow": "申请、受理、审查、决定",
    "address": "龙岗区龙城街道行政服务大厅",
    "officehours": "周一至周五 9:00-12:00，14:00-18:00",
    "phone": "0755-28949000",
}
#: template → (its variables filled, what a reader finds missing on it)
GUIDES = {
    # this CMS has no field for the 办理机构: a reader finds none on its guides
    "ewcms matter": ("guide-ewcms-ruichang-matter.jsp", EWCMS_MATTER, ["办理机构"]),
    "longgang approval item": ("guide-longgang-appitemwebsiteguideinfo.jsp", LONGGANG_ITEM, []),
}


@pytest.mark.parametrize("case", GUIDES)
def test_a_guide_is_known_and_each_element_left_empty_is_missing(case):
    name, values, missing = GUIDES[case]
    page, text = filled_page(name, Filling(values), "网上办事")  # not titled a guide
    assert is_guide(page, text)
    assert lacks(text) == missing
    without_fee = {key: value for key, value in values.items() if value != "不收费"}
    page, text = filled_page(name, Filling(without_fee), "网上办事")
    assert lacks(text) == [*missing, "收费标准"]


# ------------------------------------------------------------------ a 征集


def test_a_survey_closes_on_the_last_day_of_its_collection_period():
    values = {"topic.TITLE": "关于《重庆市公路养护条例（征求意见稿）》的意见征集",
              "topic.VALID_DATE_S": "2026-03-01", "topic.VALID_DATE_E": "2026-03-31"}  # fmt: skip
    page, text = filled_page("survey-detail-cqjw-topicdetails.jsp", Filling(values), "意见征集")
    assert closing_day(text, TODAY, page.published(TODAY)) == date(2026, 3, 31)
