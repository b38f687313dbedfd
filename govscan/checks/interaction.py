"""interaction: 互动回应 — messages left unanswered, answers given late, no channel at all,
and 调查征集 closed without a published result.

国办秘函〔2019〕19号 vetoes a site whose 互动交流 leaves the public unanswered for more than
three months (互动回应差), and deducts for late answers and for 征集调查 that never report
back. govscan reads the message pages the crawl reached (the list pages and their 下一页
are ordinary links it follows) by the labels mailbox systems print: 来信时间, 回复时间,
答复内容, 未回复. A message page is one that shows when it was sent and either an answer or
that it has none; its dates are read right after their labels.

Answers are timed in working days (Monday to Friday; public holidays are not known, which
can only make an answer look later by a few days, so a delay is reported from the site's own
promise, 15 working days unless the site promises another, plus two days of grace).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import lxml.html
from pydantic import BaseModel, ConfigDict, Field

from govscan.checks.family import Deduction, Family, Figure, Rule
from govscan.checks.finding import Finding
from govscan.dates import nth_working_day, parse_date
from govscan.markup import parse_document, squeezed
from govscan.store.view import Page, RunView

UNANSWERED = Rule("interaction.unanswered", "留言长期未回复", "veto", group="interaction")
SLOW = Rule(
    "interaction.slow", "留言答复超期", "deduction", Deduction(points=1, cap=5), "interaction"
)
MISSING = Rule(
    "interaction.missing", "无可用的互动交流渠道", "deduction", Deduction(points=5, cap=5)
)
SURVEY = Rule(
    "interaction.survey_no_result",
    "调查征集未公布结果",
    "deduction",
    Deduction(points=1, cap=3),
    "interaction",
)

SENT = re.compile(r"(?:来信|留言|咨询|提问|写信|投诉|提交|发信|信件)(?:时间|日期)\s*[:：]?")
ANSWERED = re.compile(r"(?:回复|答复|办理|处理|反馈)(?:时间|日期)\s*[:：]?")
ANSWER = re.compile(r"(?:回复|答复|办理|处理)(?:内容|意见|结果)\s*[:：]?\s*(\S)")
NO_ANSWER = re.compile(r"未回复|待回复|未答复|暂未回复|尚未回复|正在办理|办理中|待处理")
STATUS = re.compile(rf"{NO_ANSWER.pattern}|已回复|已答复|已办结|已处理")
#: A mailbox's list page, whose rows may show that letters wait for an answer.
MAILBOX_TITLE = re.compile(r"信箱|留言|来信|咨询|信件|诉求|问政|12345")
ROW_DATE = (
    r"(?P<date>(?:19|20)\d{2}(?:[-/.]\d{1,2}[-/.]\d{1,2}|年\d{1,2}月\d{1,2}日))"
    r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
)
#: A list's row in either column order: 2026-05-01 办理中, or 办理中 2026-05-01.
ROW_ORDERS = (
    re.compile(ROW_DATE + r"\s*(?P<status>" + STATUS.pattern + ")"),
    re.compile(r"(?P<status>" + STATUS.pattern + r")\s*" + ROW_DATE),
)
ROW_TITLE_CHARS = 40
PROMISE = re.compile(r"(\d{1,2})\s*个工作日(?:内|之内)")
#: What a link into an interaction channel says.
CHANNEL = re.compile(
    r"信箱|在线咨询|在线留言|网上信访|我要写信|我要咨询|我要留言|政民互动|互动交流|咨询投诉|留言板|12345"
)
SURVEY_TITLE = re.compile(r"征求.{0,60}?意见|意见征集|问卷调查|调查征集|网上调查|征集")
RESULT_TITLE = re.compile(r"结果|反馈|采纳|情况的(?:说明|公告)")
CLOSES = re.compile(
    r"(?:截止|截至|结束)(?:时间|日期)?\s*[:：为]?\s*|(?:至|到|[~～—–])\s*(?=(?:19|20)\d{2})"
)
DATE_AFTER_LABEL = 40  # characters after a label where its date stands
#: A period counted from the page's publication: 公示期为7个工作日, 征求意见时间为三十天.
PERIOD = re.compile(
    r"(?:期|期限|时间)\s*(?:为|是)?\s*(\d{1,3}|[一二三四五六七八九十]{1,3})\s*个?\s*(工作日|自然日|日|天)"
)
CHINESE_DIGITS = {c: n for n, c in enumerate("零一二三四五六七八九")}
GRACE_DAYS = 2  # for the public holidays a weekday count cannot know
TITLE_KEY = re.compile(r"^(?:关于)?|(?:公开)?(?:征求意见|意见征集|问卷调查|征集).*$")


class InteractionSettings(BaseModel):
    """When a message counts as unanswered, and how soon an answer is due."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    unanswered_days: int = Field(default=90, ge=1)  # 三个月 without an answer: the veto
    answer_working_days: int = Field(default=15, ge=1)  # unless the site promises another
    #: days after a 征集 closes by which its result (反馈, 采纳情况) should be published
    survey_result_days: int = Field(default=30, ge=0)


@dataclass(frozen=True)
class Message:
    page: Page
    sent: date
    answered: date | None
    has_answer: bool
    promised: int | None  # working days the page promises


@dataclass(frozen=True)
class Pending:
    """A letter still unanswered: its message page, or a row of its mailbox's list."""

    url: str
    title: str
    sent: date


def judge(view: RunView, settings: InteractionSettings) -> list[Finding]:
    today = view.run.day
    pages = {page.url: page for page in view.pages if page.role == "page"}
    messages, rows, surveys = [], [], []
    for url, text in view.texts():
        page = pages.get(url)
        if page is None:
            continue
        if (message := read_message(page, text, today)) is not None:
            messages.append(message)
        elif MAILBOX_TITLE.search(page.title):
            rows += pending_rows(page, text, today)
        elif (closed := closed_survey(page, text, today, settings.survey_result_days)) is not None:
            surveys.append((page, closed))
    pending = [
        Pending(m.page.url, m.page.headline, m.sent) for m in messages if not m.has_answer
    ] + rows
    findings = unanswered(pending, today, settings) + slow(messages, settings)
    findings += survey_findings(surveys, list(pages.values()))
    if not messages and not has_channel(view):
        findings.append(
            MISSING.finding(
                view.site.url,
                "未找到可用的互动交流渠道（领导信箱、在线咨询、在线留言等）",
                detail={"pages_read": len(pages)},
            )
        )
    return findings


def read_message(page: Page, text: str, today: date) -> Message | None:
    """The message a page shows: when it was sent, and its answer or its lack of one."""
    if len(SENT.findall(text)) != 1 or len(STATUS.findall(text)) > 1:
        return None  # none, or a list of messages: each row has its own time and status
    sent = date_after(SENT, text, today)
    if sent is None:
        return None
    answered = date_after(ANSWERED, text, today)
    has_answer = answered is not None or ANSWER.search(text) is not None
    if not has_answer and not NO_ANSWER.search(text):
        return None  # a page that dates a letter but is no message (a 信访 guide)
    promise = PROMISE.search(text)
    return Message(page, sent, answered, has_answer, int(promise.group(1)) if promise else None)


def date_after(label: re.Pattern[str], text: str, today: date) -> date | None:
    match = label.search(text)
    if match is None:
        return None
    return parse_date(text[match.end() : match.end() + DATE_AFTER_LABEL], today)


def pending_rows(page: Page, text: str, today: date) -> list[Pending]:
    """The rows of a mailbox's list that show a date and, beside it, that the letter is still
    unanswered. The column order is the one most of the list's rows show (status after the
    date, or before it), so that a row's status is never paired with the next row's date."""
    order = max(ROW_ORDERS, key=lambda found: len(found.findall(text)))
    found = []
    for row in order.finditer(text):
        sent = parse_date(row.group("date"), today)
        if sent is None or not NO_ANSWER.fullmatch(row.group("status")):
            continue
        start = min(row.start("date"), row.start("status"))
        before = STATUS.split(text[max(0, start - ROW_TITLE_CHARS) : start])[-1]
        found.append(Pending(page.url, SENT.sub("", before).strip(" 0123456789.、|"), sent))
    return found


def unanswered(pending: list[Pending], today: date, settings: InteractionSettings) -> list[Finding]:
    old = [item for item in pending if (today - item.sent).days > settings.unanswered_days]
    if not old:
        return []
    listed = [
        {
            "url": item.url,
            "title": item.title,
            "sent": item.sent.isoformat(),
            "days": (today - item.sent).days,
        }
        for item in sorted(old, key=lambda item: item.sent)
    ]
    return [
        UNANSWERED.finding(
            listed[0]["url"],
            f"{len(old)} 条留言超过 {settings.unanswered_days} 天未回复，"
            f"最早的于 {listed[0]['sent']} 提交，已 {listed[0]['days']} 天",
            detail={"messages": listed, "threshold_days": settings.unanswered_days},
        )
    ]


def slow(messages: list[Message], settings: InteractionSettings) -> list[Finding]:
    findings = []
    for message in messages:
        if message.answered is None or message.answered < message.sent:
            continue
        allowed = message.promised or settings.answer_working_days
        taken = working_days(message.sent, message.answered)
        if taken > allowed + GRACE_DAYS:
            findings.append(
                SLOW.finding(
                    message.page.url,
                    f"留言“{message.page.headline}”于 {message.sent} 提交，"
                    f"{message.answered} 才答复，"
                    f"用时 {taken} 个工作日（应在 {allowed} 个工作日内）",
                    detail={
                        "sent": message.sent.isoformat(),
                        "answered": message.answered.isoformat(),
                        "working_days": taken,
                        "allowed": allowed,
                        "promised_by_site": message.promised is not None,
                    },
                )
            )
    return findings


def working_days(start: date, end: date) -> int:
    """Monday-to-Friday days after ``start`` up to and including ``end``."""
    days = (end - start).days
    return sum(1 for n in range(1, days + 1) if (start + timedelta(n)).weekday() < 5)


def closed_survey(page: Page, text: str, today: date, result_days: int) -> date | None:
    """The day a 调查征集 page closed, when it is one and closed more than ``result_days``
    ago (its result is due by then)."""
    if not SURVEY_TITLE.search(page.headline) or RESULT_TITLE.search(page.headline):
        return None
    closed = closing_day(text, today, page.published(today))
    return closed if closed is not None and (today - closed).days > result_days else None


def closing_day(text: str, today: date, published: date | None = None) -> date | None:
    """The day a 调查征集 closed: the date after 截止时间, the end of 自…至…, or the last day
    of a period counted from the page's publication (公示期为7个工作日)."""
    for match in CLOSES.finditer(text):
        if (
            day := parse_date(text[match.end() : match.end() + DATE_AFTER_LABEL], today)
        ) is not None:
            return day
    if published is None or (period := PERIOD.search(text)) is None:
        return None
    days = count(period.group(1))
    if period.group(2) == "工作日":
        return nth_working_day(published, days)
    return published + timedelta(days - 1)


def count(number: str) -> int:
    """``7`` or 七, 十五, 三十: the Chinese numbers a period is written in."""
    if number.isdigit():
        return int(number)
    tens, _, ones = number.rpartition("十")
    if "十" not in number:
        return CHINESE_DIGITS[number[-1]]
    return CHINESE_DIGITS.get(tens, 1) * 10 + CHINESE_DIGITS.get(ones, 0)


def survey_findings(surveys: list[tuple[Page, date]], pages: list[Page]) -> list[Finding]:
    results = [page for page in pages if RESULT_TITLE.search(page.headline)]
    findings = []
    for survey, closed in surveys:
        key = survey_key(survey.headline)
        if len(key) >= 4 and any(key in squeezed(result.headline) for result in results):
            continue
        findings.append(
            SURVEY.finding(
                survey.url,
                f"“{survey.headline}”已于 {closed} 截止，未见公布征集结果或意见采纳情况",
                detail={"closed": closed.isoformat(), "title": survey.headline},
            )
        )
    return findings


def survey_key(title: str) -> str:
    """The subject of a 征集: 关于《苍山州…办法》公开征求意见的公告 → 《苍山州…办法》."""
    title = squeezed(re.split(r"[_|｜]", title)[0])
    if named := re.search(r"《[^》]+》", title):
        return named.group(0)
    return TITLE_KEY.sub("", title)


def has_channel(view: RunView) -> bool:
    """Whether the homepage or a page it links to (their kept HTML) links to a channel."""
    for html in view.sources.values():
        root = parse_document(html)
        if root is not None and any(CHANNEL.search(said(anchor)) for anchor in root.iter("a")):
            return True
    return False


def said(anchor: lxml.html.HtmlElement) -> str:
    """What a link says: its text, its title, and the alt of its images (a 信箱 banner)."""
    images = [image.get("alt") or "" for image in anchor.iter("img")]
    return " ".join([anchor.text_content() or "", anchor.get("title") or "", *images])


FAMILY = Family(
    name="interaction",
    rules=(UNANSWERED, SLOW, MISSING, SURVEY),
    judge=judge,
    settings=InteractionSettings,
    figures=(Figure("interaction", "互动回应"),),
)
