"""``govscan demo`` reports exactly the sample portal's seeded defects, and nothing else; its
bulletin carries the sample office's settings, and its bulletin and report pass axe-core."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import yaml
from browsing import DESKTOP, PHONE, axe_and_width

from govscan.cli import main
from govscan.demo import EXPECTED


def key(rule: str, url: str, source: str | None, detail: dict) -> tuple:
    """What identifies a finding: rule, kind or problem, URL, source and anchor text."""
    return rule, detail.get("kind") or detail.get("problem"), url, source, detail.get("anchor")


def test_demo_reports_exactly_the_seeded_defects(db_url, tmp_path):
    assert main(["demo", "--out", str(tmp_path / "demo")]) == 0
    result = json.loads((tmp_path / "demo" / "findings.json").read_text(encoding="utf-8"))
    [site] = result["sites"]
    port = str(urlsplit(site["url"]).port)
    expected = yaml.safe_load(EXPECTED.read_text(encoding="utf-8").replace("__PORT__", port))
    assert {key(f["rule"], f["url"], f["source"], f["detail"]) for f in site["findings"]} == {
        key(e["rule"], e["url"], e["source"], e) for e in expected["findings"]
    }
    assert len(site["findings"]) == len(expected["findings"])
    assert site["stats"]["pages"] >= 40
    report = (tmp_path / "demo" / "report.html").read_text(encoding="utf-8")
    assert "苍山州人民政府门户网站" in report and "内部办公系统" in report
    bulletin = (tmp_path / "demo" / "bulletin.html").read_text(encoding="utf-8")
    assert "苍政办函〔2026〕1号" in bulletin and "整改要求" in bulletin  # the demo's settings
    # every kind of evidence the sample portal has: the pages pass axe and fit a phone
    for name in ("bulletin.html", "report.html"):
        for viewport in (DESKTOP, PHONE):
            violations, width = axe_and_width(tmp_path / "demo" / name, viewport)
            assert (name, violations) == (name, [])
            assert width <= viewport["width"], (name, viewport)
