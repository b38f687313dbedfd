"""How much of a site's scan reused its last completed run, in the words the report and the
terminal show."""

from __future__ import annotations

from govscan.outcomes import COMPLETED


def reuse_line(site: dict) -> str | None:
    """One sentence for a completed site scan that reused or could have reused an earlier run;
    None for a first scan, which reuses nothing."""
    measured = site["metrics"].get("incremental")
    if site["status"] != COMPLETED or not measured:
        return None
    if measured["full"]:
        return f"完整扫描：下载页面 {measured['pages_downloaded']} 个，未复用以往结果"
    if measured["baseline"] is None:
        return None
    return (
        f"增量扫描：下载页面 {measured['pages_downloaded']} 个，"
        f"复用未变页面 {measured['pages_revalidated']} 个（条件请求 304），"
        f"沿用 {measured['links_reused']} 个外部链接和资源"
        f" {measured['link_ttl_days']:g} 天内的正常检查结果"
    )
