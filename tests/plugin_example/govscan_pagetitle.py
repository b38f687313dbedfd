"""``pagetitle.missing``: pages whose ``<title>`` is empty (页面缺少标题).

A check family in a package of its own; its entry point in the ``govscan.checks`` group is
all that makes its findings part of every scan, score and report.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from govscan.checks.family import Deduction, Family, Figure, Rule
from govscan.checks.finding import Finding
from govscan.store.view import RunView

MISSING = Rule(
    "pagetitle.missing",
    "页面缺少标题",
    "deduction",
    points=Deduction(points=1, cap=3),
    group="untitled",
)


class PageTitleSettings(BaseModel):
    """Set in the inventory's ``settings.pagetitle`` where the scan passes them on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    listed: int = Field(default=20, ge=1)  # pages named in the finding, at most


def judge(view: RunView, settings: PageTitleSettings) -> list[Finding]:
    """One finding that lists the site's pages without a title."""
    untitled = sorted(
        page.url for page in view.pages if page.role in ("home", "page") and not page.title.strip()
    )
    if not untitled:
        return []
    return [
        MISSING.finding(
            untitled[0],
            f"{len(untitled)} 个页面缺少标题（<title>），搜索结果和浏览器标签中无法识别",
            detail={"page_count": len(untitled), "pages": untitled[: settings.listed]},
        )
    ]


FAMILY = Family(
    name="pagetitle",
    rules=(MISSING,),
    judge=judge,
    settings=PageTitleSettings,
    figures=(Figure("untitled", "无标题页面"),),
)
