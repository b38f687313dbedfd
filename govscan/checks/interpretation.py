"""interpretation: 政策解读 published with the policy it explains (解读 三同步).

国办发〔2016〕80号 and the inspection indicators ask that a policy document and its 解读 be
drafted, approved and published together: a recent policy without its 解读, or a 解读 that
came days later, costs points. govscan pairs them from what the crawl read, and shows how:

* by link: the policy links to the 解读 (相关解读), or the 解读 to its policy;
* by title: the 解读 names the policy in 《》 (一图读懂《…办法》, 《…措施》政策解读);
* by 文号: the 解读's text cites the policy's own 文号.

A policy document is a page with its own 文号 that says it is a 规范性文件, stands in a
column the inventory declares as policy, or issues rules by its title (关于印发…办法的通知,
…实施意见, …若干措施); a 解读 is a page whose title says so (解读, 图解, 一图读懂, 答记者问).
Only policies published in the last ``window_days`` are judged: older ones predate the rule's
reach on most sites, and their 解读 may have left the site.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from govscan.checks.family import Deduction, Family, Figure, Rule
from govscan.checks.finding import Finding
from govscan.markup import squeezed
from govscan.store.view import Link, Page, RunView

MISSING = Rule(
    "interpretation.missing",
    "政策文件未同步发布解读",
    "deduction",
    Deduction(points=1, cap=5),
    "interpretation",
)
LATE = Rule(
    "interpretation.late",
    "政策解读发布滞后",
    "deduction",
    Deduction(points=0.5, cap=3),
    "interpretation",
)

#: A title that issues rules, not one that calls a meeting or announces a result.
POLICY_TITLE = re.compile(
    r"印发.{0,60}(?:办法|规定|细则|规则|意见|措施|方案|规划|纲要|标准|制度)"
    r"|(?:实施意见|指导意见|若干措施|若干意见|若干规定|管理办法|实施办法|实施细则)"
)
INTERPRETATION_TITLE = re.compile(r"解读|图解|一图读懂|一图看懂|答记者问|政策问答")
#: Names in 《》; the 关于印发…的通知 around them is the issuing document's, not the policy's.
BOOK_TITLE = re.compile(r"《([^》]{4,80})》")
ISSUING = re.compile(r"^(?:.*?关于)?(?:印发|发布|转发)?|(?:的通知|的决定|的公告)$")
#: Shorter names (办法, 实施意见) name no policy in particular.
MIN_NAME = 6


class InterpretationSettings(BaseModel):
    """How recent a policy must be to be judged, and how late a 解读 may come."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    window_days: int = Field(default=90, ge=1)  # policies published within these days
    late_days: int = Field(default=3, ge=0)  # a 解读 more days after its policy is late


@dataclass(frozen=True)
class Document:
    """A page with the day it was published and the names it goes by."""

    page: Page
    day: date | None

    @property
    def title(self) -> str:
        """The page's own title, without the site's name after it."""
        return self.page.headline

    @property
    def names(self) -> set[str]:
        """What the document is called: its title and any 《》 in it, each also without the
        关于印发…的通知 of the document that issued it."""
        title = squeezed(self.title)
        names = {title, *BOOK_TITLE.findall(title)}
        names |= {ISSUING.sub("", name) for name in names}
        return {name for name in names if len(name) >= MIN_NAME}


@dataclass(frozen=True)
class Pairing:
    interpretation: Document
    by: str  # link | title | doc_number


def judge(view: RunView, settings: InterpretationSettings) -> list[Finding]:
    today = view.run.day
    documents = [Document(page, page.published(today)) for page in view.pages]
    readings = [d for d in documents if INTERPRETATION_TITLE.search(d.page.headline)]
    policy_paths = [column.url for column in view.run.columns if column.category == "policy"]
    policies = [
        d
        for d in documents
        if d not in readings
        and is_policy(d.page, policy_paths)
        and d.day is not None
        and (today - d.day).days <= settings.window_days
    ]
    if not policies:
        return []
    texts = reading_texts(view, readings)
    findings = []
    for policy in policies:
        pairing = pair(view, policy, readings, texts)
        if pairing is None:
            findings.append(missing(policy, settings))
        elif is_late(policy, pairing.interpretation, settings):
            findings.append(late(policy, pairing, settings))
    return findings


def is_policy(page: Page, policy_paths: Iterable[str | None]) -> bool:
    """A page with its own 文号 that is a policy by what it says, where it is, or its title."""
    if page.role != "page" or not page.facts.doc_number:
        return False
    in_column = any(path and page.url.startswith(path) for path in policy_paths)
    return page.facts.normative or in_column or bool(POLICY_TITLE.search(page.headline))


def reading_texts(view: RunView, readings: list[Document]) -> dict[str, str]:
    """The text of each 解读 page, for the 文号 it cites."""
    wanted = {reading.page.url for reading in readings}
    return {url: squeezed(text) for url, text in view.texts() if url in wanted}


def pair(
    view: RunView, policy: Document, readings: list[Document], texts: dict[str, str]
) -> Pairing | None:
    """The 解读 of ``policy``: the one it links to (相关解读), else one that names it in 《》 or
    cites its 文号, else one that links to it and did not come before it. Sidebars link to
    other policies and 解读 too, so among several, one that names the policy wins."""
    linked = view.links_to([policy.page.url, *(reading.page.url for reading in readings)])
    into_policy = {link.source for link in linked.get(policy.page.url, ())}
    number = squeezed(policy.page.facts.doc_number or "")
    named = [reading for reading in readings if names(reading, policy)]
    candidates = (
        ("link", [r for r in readings if policy.page.url in sources(linked, r)]),
        ("title", named),
        ("doc_number", [r for r in readings if number and number in texts.get(r.page.url, "")]),
        ("link", [r for r in readings if r.page.url in into_policy and not before(r, policy)]),
    )
    for by, found in candidates:
        if found:
            return Pairing(next((r for r in found if r in named), found[0]), by)
    return None


def sources(linked: Mapping[str, tuple[Link, ...]], reading: Document) -> set[str]:
    return {link.source for link in linked.get(reading.page.url, ())}


def names(reading: Document, policy: Document) -> bool:
    """Whether the 解读's title names the policy (in 《》 or as its title says it)."""
    said = squeezed(reading.title)
    return bool(policy.names & reading.names) or any(name in said for name in policy.names)


def before(reading: Document, policy: Document) -> bool:
    return None not in (reading.day, policy.day) and reading.day < policy.day


def is_late(policy: Document, reading: Document, settings: InterpretationSettings) -> bool:
    if policy.day is None or reading.day is None:
        return False
    return (reading.day - policy.day).days > settings.late_days


def missing(policy: Document, settings: InterpretationSettings) -> Finding:
    page = policy.page
    return MISSING.finding(
        page.url,
        f"政策文件《{policy.title}》（{page.facts.doc_number}，{policy.day}）未见同步发布的解读"
        f"（近 {settings.window_days} 天内发布的政策文件应与解读同步发布）",
        detail={
            "title": policy.title,
            "doc_number": page.facts.doc_number,
            "published": policy.day.isoformat() if policy.day else None,
        },
    )


def late(policy: Document, pairing: Pairing, settings: InterpretationSettings) -> Finding:
    reading = pairing.interpretation
    days = (reading.day - policy.day).days
    return LATE.finding(
        policy.page.url,
        f"政策文件《{policy.title}》发布 {days} 天后才发布解读“{reading.title}”"
        f"（应在 {settings.late_days} 天内）",
        detail={
            "title": policy.title,
            "doc_number": policy.page.facts.doc_number,
            "published": policy.day.isoformat(),
            "interpretation": reading.page.url,
            "interpretation_title": reading.title,
            "interpretation_published": reading.day.isoformat(),
            "days": days,
            "paired_by": pairing.by,
        },
    )


FAMILY = Family(
    name="interpretation",
    rules=(MISSING, LATE),
    judge=judge,
    settings=InterpretationSettings,
    figures=(Figure("interpretation", "政策解读"),),
)
