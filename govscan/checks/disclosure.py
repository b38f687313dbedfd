"""Disclosure attributes (公开属性) of policy documents, and downloads of 规范性文件.

Every policy document must say which of the four 公开属性 it has; one marked 此件依申请公开
or 此件不公开 must not be on the public site at all; a 规范性文件 must offer a version to
download (PDF, OFD, WPS or Word).
"""

from __future__ import annotations

import re

from govscan.checks.family import Deduction, Family, Figure, NoSettings, Rule
from govscan.checks.finding import Finding
from govscan.store.view import Page, RunView

RESTRICTED = ("此件依申请公开", "此件不公开")
#: Titles of the document kinds that carry a 文号 and a 公开属性.
DOCUMENT_TITLE = re.compile(
    r"通知|意见|办法|规定|决定|方案|细则|批复|通告|公告|命令|条例|规划|纲要"
)
POLICY_COLUMN = re.compile(r"政策|文件|规范性|法规|规章|公文")
#: Pages about a document rather than the document: 解读, 图解, 问答.
ABOUT_A_DOCUMENT = re.compile(r"解读|图解|一图读懂|问答")

ATTRIBUTE_MISSING = Rule(
    "disclosure.attribute_missing", "未标注公开属性", "deduction", group="disclosure"
)
RESTRICTED_PUBLISHED = Rule(
    "disclosure.restricted_published", "不应公开的文件被公开", "deduction", group="disclosure"
)
NO_DOWNLOAD = Rule(
    "disclosure.no_download", "规范性文件无下载版本", "deduction", group="disclosure"
)


def judge(view: RunView, settings: NoSettings) -> list[Finding]:
    """``disclosure.*`` for every crawled page that is a policy document."""
    findings = []
    for page in view.pages:
        if page.role != "page" or not is_policy_document(page):
            continue
        attribute = page.facts.attribute
        if attribute is None:
            findings.append(attribute_missing(page))
        elif attribute in RESTRICTED:
            findings.append(restricted_published(page, attribute))
        if is_normative(page) and not page.facts.downloads:
            findings.append(no_download(page))
    return findings


def is_policy_document(page: Page) -> bool:
    """A page with a 公开属性, or with a 文号 and a document's title or column (not a 解读)."""
    facts = page.facts
    if facts.attribute is not None:
        return True
    meta = facts.meta
    column = f"{meta.get('ColumnName', '')} {meta.get('ColumnType', '')}"
    if ABOUT_A_DOCUMENT.search(f"{page.headline} {column}"):
        return False
    return facts.doc_number is not None and bool(
        DOCUMENT_TITLE.search(page.headline) or POLICY_COLUMN.search(column)
    )


def is_normative(page: Page) -> bool:
    column = page.facts.meta.get("ColumnName", "")
    return page.facts.normative or "规范性文件" in column


def evidence(page: Page) -> dict:
    return {"title": page.headline, "doc_number": page.facts.doc_number}


def attribute_missing(page: Page) -> Finding:
    return ATTRIBUTE_MISSING.finding(
        page.url,
        f"政策文件未标注公开属性（此件公开发布/删减后公开/依申请公开/不公开）：{page.headline}",
        detail=evidence(page),
    )


def restricted_published(page: Page, attribute: str) -> Finding:
    return RESTRICTED_PUBLISHED.finding(
        page.url,
        f"标注“{attribute}”的文件在网站上公开发布，请立即核查并撤下：{page.headline}",
        detail={**evidence(page), "attribute": attribute},
    )


def no_download(page: Page) -> Finding:
    return NO_DOWNLOAD.finding(
        page.url,
        f"规范性文件未提供下载版本（PDF、OFD、WPS 或 Word）：{page.headline}",
        detail=evidence(page),
    )


FAMILY = Family(
    name="disclosure",
    rules=(ATTRIBUTE_MISSING, RESTRICTED_PUBLISHED, NO_DOWNLOAD),
    judge=judge,
    figures=(Figure("disclosure", "公开属性"),),
    points=Deduction(points=1, cap=6),
)
