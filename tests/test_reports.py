"""The report treats crawled text as untrusted and follows the findings.json contract."""

from __future__ import annotations

from servers import http_site

from govscan.checks.finding import SEVERITIES
from govscan.checks.registry import family_names
from govscan.reports.html import local_time

SCRIPT = "<script>alert('xss')</script>"


def test_crawled_markup_is_shown_as_text(scan):
    anchor = SCRIPT.replace("<", "&lt;").replace(">", "&gt;")
    with http_site(
        {"/": f"<html><title>t</title><a href='/gone?a=\"x'>{anchor}</a></html>"}
    ) as site:
        output = scan(site.url, "--checks", "links")
    [finding] = output.findings()
    assert finding["detail"]["anchor"] == SCRIPT
    report = (output.out / "report.html").read_text(encoding="utf-8")
    assert SCRIPT not in report
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in report
    assert "<script" not in report


def test_findings_json_contract(scan):
    with http_site({"/": "<html><title>首页</title><a href='/gone'>坏</a></html>"}) as site:
        output = scan(site.url)
    result = output.result
    assert result["tool"]["name"] == "govscan"
    assert set(result["run"]) >= {"id", "started_at", "finished_at", "checks"}
    assert result["run"]["checks"] == family_names()
    site_result = output.site
    assert set(site_result) >= {
        "id",
        "name",
        "url",
        "unit",
        "verdict",
        "score",
        "vetoes",
        "stats",
        "metrics",
        "findings",
    }
    # a bare page shows no dated news: 首页不更新 is a single veto
    assert site_result["verdict"] == "不合格" and site_result["vetoes"] == ["home.stale"]
    for finding in site_result["findings"]:
        assert set(finding) == {"rule", "severity", "url", "source", "message", "detail"}
        assert finding["severity"] in SEVERITIES
    [broken] = output.findings("links.broken")
    assert broken["message"] == "首页上的链接不可用：HTTP 404，页面不存在或无法访问"
    assert result["accounts"] == []


def test_report_times_are_beijing_time():
    assert local_time("2026-11-27T17:30:00Z") == "2026年11月28日 01:30"
    assert local_time(None) == "未结束"


def test_findings_json_says_which_version_of_its_contract_it_follows(scan):
    with http_site({"/": "<html><title>首页</title></html>"}) as site:
        output = scan(site.url, "--checks", "links")
    assert output.result["schema_version"] == 2
