"""``report.html``: the readable, self-contained Chinese report of one scan."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, select_autoescape

from govscan.checks.a11y import IMPACT_NAMES
from govscan.checks.registry import registry
from govscan.outcomes import COMPLETED, FAILURE_NAMES, INCOMPLETE, NOT_PASSED, PASSED
from govscan.reports.advice import advice
from govscan.reports.figures import summary_figures
from govscan.reports.reuse import reuse_line

PLATFORM_NAMES = {
    "wechat": "微信公众号",
    "weibo": "微博",
    "douyin": "抖音",
    "toutiao": "今日头条",
    "other": "其他",
}
VERDICT_CLASS = {PASSED: "pass", NOT_PASSED: "fail", INCOMPLETE: "incomplete"}

environment = Environment(
    loader=PackageLoader("govscan.reports", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
#: Supervisors read Beijing time; findings.json keeps UTC.
DISPLAY_ZONE = ZoneInfo("Asia/Shanghai")


def local_time(iso: str | None) -> str:
    """``2026-11-27T05:18:53Z`` → ``2026年11月27日 13:18``."""
    if not iso:
        return "未结束"
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(DISPLAY_ZONE)
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"


def rule_title(finding: dict) -> str:
    """The rule's Chinese name; an axe rule is named by axe-core's own Chinese title."""
    return registry().title(finding["rule"], finding["detail"])


def rule_name(rule_id: str) -> str:
    """The Chinese name of a rule by its id alone (a veto's)."""
    return registry().title(rule_id)


def points(value: float) -> str:
    """``2.0`` → ``2``, ``0.5`` → ``0.5``: points as people write them."""
    return f"{value:g}"


def finding_cost(finding: dict, vetoes: list[str]) -> str:
    """What the finding cost its site or account, as scored (``detail.points``): so that a
    score can be traced to its findings."""
    detail = finding["detail"]
    if detail.get("waived"):
        return "不扣分（已豁免）"
    if "points" in detail:
        return f"扣 {points(detail['points'])} 分" if detail["points"] else "不再扣分（该类已扣满）"
    return "单项否决" if finding["rule"] in vetoes else "不扣分"


environment.filters["local_time"] = local_time
environment.filters["points"] = points
environment.globals.update(
    advice=advice,
    finding_cost=finding_cost,
    rule_title=rule_title,
    rule_name=rule_name,
    summary_figures=summary_figures,
    reuse_line=reuse_line,
    kind_titles=FAILURE_NAMES,
    verdict_class=VERDICT_CLASS,
    COMPLETED=COMPLETED,
    platform_names=PLATFORM_NAMES,
    impact_names=IMPACT_NAMES,
)


def render(result: dict) -> str:
    return environment.get_template("report.html").render(result=result)


def write(result: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(result), encoding="utf-8")
    return path
