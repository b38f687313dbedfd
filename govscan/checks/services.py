"""services: 办事服务 — what a 办事指南 must state, its forms, and the online entrance.

国办秘函〔2019〕19号 (办事服务) deducts for a 办事指南 that leaves out the elements the public
needs, for forms that cannot be downloaded, and for an 在线办理 entrance that does not work;
units with no services for the public (the inventory's ``external_services: false``) are
not judged, as the indicators allow.

A guide is a page titled 办事指南 or 服务指南, or one whose text has at least
``MIN_ELEMENTS`` of the elements' labels (the guide's own vocabulary); each element is found
by the labels CMSs give it (办理材料, 申请材料, 所需材料, …).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from govscan.checks.family import Deduction, Family, Figure, NoSettings, Rule
from govscan.checks.finding import Finding
from govscan.checks.links import failure_kind
from govscan.outcomes import FAILURE_NAMES
from govscan.store.view import Fetch, Link, Page, RunView

INCOMPLETE = Rule(
    "services.guide_incomplete",
    "办事指南要素不全",
    "deduction",
    Deduction(points=0.5, cap=5),
    "services",
)
ATTACHMENT = Rule(
    "services.attachment_broken",
    "办事指南附件无法下载",
    "deduction",
    Deduction(points=1, cap=5),
    "services",
)
ONLINE = Rule(
    "services.online_unreachable",
    "在线办理入口无法访问",
    "deduction",
    Deduction(points=2, cap=4),
    "services",
)

#: The elements a guide must state, each with the labels guides give it.
ELEMENTS = {
    "设定依据": ("设定依据", "法律依据", "办理依据", "实施依据", "法定依据", "政策依据"),
    "申请条件": ("申请条件", "受理条件", "办理条件", "申报条件", "受理标准"),
    "办理材料": ("办理材料", "申请材料", "申报材料", "提交材料", "所需材料", "材料清单"),
    # 地点 alone: real templates print 服务地点, even 办理理地点
    "办理地点": (
        "办理地点",
        "受理地点",
        "办公地点",
        "办理窗口",
        "受理窗口",
        "办理地址",
        "窗口地址",
        "地点",
    ),
    "办理时间": ("办理时间", "受理时间", "办公时间", "工作时间"),
    "办理机构": (
        "办理机构",
        "实施机关",
        "实施主体",
        "受理机构",
        "受理部门",
        "办理部门",
        "实施机构",
        "决定机关",
        "受理机关",
        "审批机关",
        "实施部门",
    ),
    "收费标准": ("收费标准", "收费依据", "是否收费", "收费情况", "收费项目"),
    "联系电话": ("联系电话", "咨询电话", "咨询方式", "监督电话", "联系方式"),
    "办理流程": ("办理流程", "办理程序", "办事流程", "受理流程", "办理步骤", "流程图"),
}
#: What states an element without its label: office hours, no fee, a telephone number.
UNLABELLED = {
    "收费标准": re.compile(r"不收费|免费办理|免收|无收费"),
    "办理时间": re.compile(
        r"工作日|周[一二三四五]至周[一二三四五六日]|\d{1,2}[:：]\d{2}\s*[-—–~至]"
    ),
    "联系电话": re.compile(r"(?<!\d)(?:0\d{2,3}-?\d{7,8}|1[3-9]\d{9}|12345)(?!\d)"),
}
ANY_LABEL = re.compile(
    "|".join(sorted((label for labels in ELEMENTS.values() for label in labels), key=len)[::-1])
)
VALUE_REACH = 20
#: Labels a page must show before it is read as a guide by its vocabulary alone.
MIN_ELEMENTS = 4
GUIDE_TITLE = re.compile(r"办事指南|服务指南|办理指南")
#: What the forms and attachments of a guide are.
FORM_ENDINGS = (".doc", ".docx", ".xls", ".xlsx", ".pdf", ".wps", ".et", ".ofd", ".zip", ".rar")
#: The anchors of an online-service entrance.
ONLINE_ANCHOR = re.compile(r"在线办理|网上办理|网上办事大厅|立即办理|在线申报|在线申请|网上申报")


def judge(view: RunView, settings: NoSettings) -> list[Finding]:
    if not view.run.external_services:
        return []
    pages = {page.url: page for page in view.pages if page.role == "page"}
    guides = [(pages[url], text) for url, text in view.texts() if is_guide(pages.get(url), text)]
    findings = [incomplete(page, missing) for page, text in guides if (missing := lacks(text))]
    fetches = {fetch.url: fetch for fetch in view.fetches}
    guide_urls = {page.url for page, _ in guides}
    findings += broken_attachments(view, guide_urls, fetches)
    findings += unreachable_entrances(view, fetches)
    return findings


def is_guide(page: Page | None, text: str) -> bool:
    if page is None:
        return False
    if GUIDE_TITLE.search(page.headline):
        return True
    labelled = [
        name for name, labels in ELEMENTS.items() if any(with_value(a, text) for a in labels)
    ]
    return len(labelled) >= MIN_ELEMENTS


def lacks(text: str) -> list[str]:
    """The elements the text states neither by a label nor, for hours and telephones, by
    what they look like."""
    return [name for name, labels in ELEMENTS.items() if not states(name, labels, text)]


def states(name: str, labels: tuple[str, ...], text: str) -> bool:
    if any(with_value(label, text) for label in labels):
        return True
    return name in UNLABELLED and UNLABELLED[name].search(text) is not None


def with_value(label: str, text: str) -> bool:
    """Whether ``label`` stands somewhere with a value after it, not only among other labels
    (a homepage's 办事服务 tabs: 设定依据 申请条件 办理材料 …)."""
    start = text.find(label)
    while start >= 0:
        after = text[start + len(label) : start + len(label) + VALUE_REACH].lstrip(" :：")
        if after and not ANY_LABEL.match(after):
            return True
        start = text.find(label, start + 1)
    return False


def incomplete(page: Page, missing: list[str]) -> Finding:
    return INCOMPLETE.finding(
        page.url,
        f"办事指南“{page.headline}”缺少：{'、'.join(missing)}",
        detail={"title": page.headline, "missing": missing},
    )


def broken_attachments(view: RunView, guides: set[str], fetches: dict[str, Fetch]) -> list[Finding]:
    """The forms a guide links to that do not download, one finding per form."""
    forms = [target for target in view.link_targets if target.lower().endswith(FORM_ENDINGS)]
    linked = view.links_to(forms)
    findings = []
    for target in forms:
        on_guides = [link for link in linked.get(target, ()) if link.source in guides]
        fetch = fetches.get(target)
        if on_guides and fetch is not None and (kind := failure_kind(fetch)):
            findings.append(failed(ATTACHMENT, "附件", fetch, kind, on_guides))
    return findings


def unreachable_entrances(view: RunView, fetches: dict[str, Fetch]) -> list[Finding]:
    """Online-service entrances, by their anchors on any page, whose target failed."""
    failing = [url for url, fetch in fetches.items() if failure_kind(fetch)]
    findings = []
    for target, links in view.links_to(failing).items():
        entrances = [link for link in links if ONLINE_ANCHOR.search(link.anchor)]
        if entrances:
            fetch = fetches[target]
            findings.append(failed(ONLINE, "在线办理入口", fetch, failure_kind(fetch), entrances))
    return findings


def failed(rule: Rule, what: str, fetch: Fetch, kind: str, links: Sequence[Link]) -> Finding:
    reason = FAILURE_NAMES.get(kind, kind)
    if kind.startswith("http_"):
        reason = f"HTTP {fetch.status}"
    first = links[0]
    return rule.finding(
        fetch.url,
        f"{what}“{first.anchor or fetch.url}”无法访问：{reason}",
        source=first.source,
        detail={
            "kind": kind,
            "status": fetch.status,
            "anchor": first.anchor,
            "pages": sorted({link.source for link in links}),
        },
    )


FAMILY = Family(
    name="services",
    rules=(INCOMPLETE, ATTACHMENT, ONLINE),
    judge=judge,
    figures=(Figure("services", "办事服务"),),
)
