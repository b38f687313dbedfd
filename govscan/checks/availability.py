"""``availability.unreachable``: the homepage does not answer — 站点无法访问, a veto.

The indicators' rule: the scheduler's probes (15 s each) failed at 5 % or more over the 7
days before the scan. Without probes in that window, a scan whose crawl got no answer from
the homepage decides by its own attempts (see ``govscan.pipeline``): every one failed is the
veto, a later one that answered makes the failures a warning. ``detail.evidence`` says which.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime, timedelta

from govscan.checks.family import Family, Needs, Rule
from govscan.checks.finding import Finding
from govscan.checks.links import NETWORK_KINDS
from govscan.outcomes import FAILURE_NAMES
from govscan.store.inventory import AvailabilitySettings
from govscan.store.view import Attempt, ProbeCounts, RunView

WINDOW = timedelta(days=7)
VETO_SHARE = 0.05

UNREACHABLE = Rule("availability.unreachable", "站点无法访问", "veto")


def judge(view: RunView, settings: AvailabilitySettings) -> list[Finding]:
    """The scan's own attempts when they decide (no probes of the week), else the probes."""
    if view.availability.attempts:
        return judge_attempts(view.site.url, view.availability.attempts)
    return judge_probes(view.site.url, view.availability.probes)


def judge_probes(url: str, counts: ProbeCounts) -> list[Finding]:
    if not counts.failed:
        return []
    share = counts.failed / counts.probes
    veto = share >= VETO_SHARE
    return [
        UNREACHABLE.finding(
            url,
            f"近 7 天 {counts.probes} 次访问检测中有 {counts.failed} 次无法访问"
            f"（{share:.1%}{'，达到 5% 即为站点无法访问' if veto else ''}）",
            detail={
                "evidence": "probes",
                **asdict(counts),
                "share": round(share, 4),
                "window_days": WINDOW.days,
            },
            severity="veto" if veto else "warning",
        )
    ]


def judge_attempts(url: str, attempts: Sequence[Attempt]) -> list[Finding]:
    failed = [attempt for attempt in attempts if no_answer(attempt)]
    if not failed:
        return []
    down = len(failed) == len(attempts)
    reasons = "、".join(dict.fromkeys(outcome(attempt) for attempt in failed))
    seconds = round((moment(attempts[-1]) - moment(attempts[0])).total_seconds())
    message = (
        f"首页无法访问：本次扫描 {len(attempts)} 次访问均失败（{reasons}），前后历时 {seconds} 秒"
        if down
        else f"首页访问不稳定：本次扫描前 {len(failed)} 次访问失败（{reasons}），"
        f"第 {len(attempts)} 次恢复"
    )
    return [
        UNREACHABLE.finding(
            url,
            message,
            detail={
                "evidence": "scan_attempts",
                "attempts": [asdict(attempt) for attempt in attempts],
                "failed": len(failed),
            },
            severity="veto" if down else "warning",
        )
    ]


def no_answer(attempt: Attempt) -> str | None:
    """Why the homepage did not answer, in links.broken's kinds: a network failure or a server
    error (5xx); None when it answered — any other status is the site's own answer."""
    if attempt.error_kind in NETWORK_KINDS:
        return attempt.error_kind
    if attempt.error_kind is None and (attempt.status or 0) >= 500:
        return "http_5xx"
    return None


def outcome(attempt: Attempt) -> str:
    """What came back, for people: 连接被拒绝, HTTP 503, …"""
    if attempt.error_kind in NETWORK_KINDS:
        return FAILURE_NAMES[attempt.error_kind]
    return f"HTTP {attempt.status}" if attempt.status else attempt.error or "无应答"


def moment(attempt: Attempt) -> datetime:
    return datetime.fromisoformat(attempt.at.removesuffix("Z"))


FAMILY = Family(
    name="availability",
    rules=(UNREACHABLE,),
    judge=judge,
    settings=AvailabilitySettings,  # the scan's own attempts at the homepage
    needs=Needs(probe_window=WINDOW),
)
