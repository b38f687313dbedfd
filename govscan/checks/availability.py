"""``availability.unreachable``: the homepage failed the scheduler's probes (15 s each) in the
7 days before the scan; at 5 % of them or more it is the 站点无法访问 veto."""

from __future__ import annotations

from datetime import timedelta

from govscan.checks.finding import Finding
from govscan.store.availability import probe_counts
from govscan.store.models import Site
from govscan.store.runs import RunData

WINDOW = timedelta(days=7)
VETO_SHARE = 0.05


def check(site: Site, data: RunData) -> list[Finding]:
    counts = probe_counts(data.engine, data.site_id, data.started_at - WINDOW, data.started_at)
    if not counts["failed"]:
        return []
    share = counts["failed"] / counts["probes"]
    veto = share >= VETO_SHARE
    return [
        Finding(
            "availability.unreachable",
            "veto" if veto else "warning",
            site.url,
            None,
            f"近 7 天 {counts['probes']} 次访问检测中有 {counts['failed']} 次无法访问"
            f"（{share:.1%}{'，达到 5% 即为站点无法访问' if veto else ''}）",
            {**counts, "share": round(share, 4), "window_days": WINDOW.days},
        )
    ]
