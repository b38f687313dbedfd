"""The findings in the formats CI systems and scripts read, and ``--fail-on``'s exit status."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from servers import http_site, inventory_of, page

from govscan.cli import main
from govscan.reports.formats import reaches, render

HOSTILE = '=HYPERLINK("http://evil.example/","点我")'


def finding(rule: str, severity: str, message: str, url: str, source=None, **detail) -> dict:
    return {
        "rule": rule,
        "severity": severity,
        "message": message,
        "url": url,
        "source": source,
        "detail": detail,
    }


def result(*site_findings: dict, accounts: list[dict] = ()) -> dict:
    return {
        "schema_version": 2,
        "tool": {"name": "govscan", "version": "9.8.7"},
        "sites": [
            {
                "id": "csz",
                "name": "苍山州人民政府门户网站",
                "url": "http://www.csz.gov.cn/",
                "unit": "苍山州人民政府办公室",
                "verdict": "不合格",
                "score": 88.5,
                "vetoes": ["security.no_https"],
                "error": None,
                "findings": list(site_findings),
            }
        ],
        "accounts": list(accounts),
    }


ACCOUNT = {
    "id": "csz-wechat",
    "platform": "wechat",
    "name": "苍山发布",
    "unit": "苍山州委宣传部",
    "verdict": "未完成",
    "score": None,
    "vetoes": [],
    "error": "归档无法读取",
    "findings": [finding("newmedia.silent", "info", "两周未更新", "")],
}
RESULT = result(
    finding("security.no_https", "veto", "网站未启用 HTTPS", "http://www.csz.gov.cn/"),
    finding(
        "links.broken",
        "deduction",
        HOSTILE,
        "http://www.csz.gov.cn/gone.html",
        "http://www.csz.gov.cn/",
    ),
    finding("links.intranet", "warning", "链接到内网 | 10.0.0.1", "http://10.0.0.1/"),
    finding("identity.sitemap", "deduction", "缺少网站地图", "http://www.csz.gov.cn/", waived="有"),
    finding("ipv6.no_aaaa", "info", "-没有 AAAA 记录", "http://www.csz.gov.cn/"),
    accounts=[ACCOUNT],
)


@pytest.mark.parametrize(
    ("severities", "threshold", "expected"),
    [
        ([], "info", False),
        (["info"], "info", True),
        (["info"], "warning", False),
        (["warning"], "warning", True),
        (["deduction"], "warning", True),
        (["deduction"], "veto", False),
        (["warning", "veto"], "veto", True),
        (["veto"], "info", True),
    ],
)
def test_a_finding_reaches_its_severity_and_the_milder_ones(severities, threshold, expected):
    findings = [finding("r", severity, "m", "http://a/") for severity in severities]
    assert reaches(result(*findings), threshold) is expected


def test_a_waived_finding_never_reaches_the_threshold():
    waived = finding("security.no_https", "veto", "未启用 HTTPS", "http://a/", waived="内网系统")
    assert not reaches(result(waived), "info")


def test_accounts_reach_the_threshold_too():
    assert reaches(result(accounts=[ACCOUNT]), "info")
    assert not reaches(result(accounts=[ACCOUNT]), "warning")


def test_json_is_the_findings_json():
    assert json.loads(render(RESULT, "json")) == RESULT


def test_csv_has_a_row_per_finding_and_no_formula():
    rows = list(csv.reader(io.StringIO(render(RESULT, "csv"))))
    assert rows[0] == ["kind", "id", "name", "rule", "severity", "message", "url", "source"]
    assert len(rows) == 1 + 6
    broken = rows[2]
    assert broken[:5] == ["site", "csz", "苍山州人民政府门户网站", "links.broken", "deduction"]
    assert broken[5] == "'" + HOSTILE  # stays text in a spreadsheet
    assert rows[5][5] == "'-没有 AAAA 记录"
    assert rows[6][:4] == ["account", "csz-wechat", "苍山发布", "newmedia.silent"]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_junit_fails_from_warning_and_skips_the_waived():
    root = ET.fromstring(render(RESULT, "junit"))
    site, account = root.findall("testsuite")
    cases = {case.get("classname"): case for case in site.findall("testcase")}
    assert cases["csz"].find("failure") is not None  # verdict 不合格
    assert cases["csz.security.no_https"].find("failure").get("type") == "veto"
    assert cases["csz.links.broken"].find("failure") is not None
    assert cases["csz.links.intranet"].find("failure") is not None
    assert cases["csz.identity.sitemap"].find("skipped") is not None
    assert cases["csz.ipv6.no_aaaa"].find("failure") is None
    assert (site.get("tests"), site.get("failures"), site.get("skipped")) == ("6", "4", "1")
    assert len(root.findall(".//failure")) == 4
    assert account.find("testcase/error") is not None  # 未完成
    assert (account.get("tests"), account.get("failures"), account.get("errors")) == ("2", "0", "1")


def test_junit_of_a_site_without_findings_passes():
    clean = result()
    clean["sites"][0].update(verdict="合格", vetoes=[])
    root = ET.fromstring(render(clean, "junit"))
    assert root.find("testsuite").get("tests") == "1"
    assert root.find(".//failure") is None and root.find(".//error") is None


def test_sarif_results_rules_and_levels():
    sarif = json.loads(render(RESULT, "sarif"))
    assert sarif["version"] == "2.1.0"
    [run] = sarif["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("govscan", "9.8.7")
    rules = [rule["id"] for rule in driver["rules"]]
    assert len(rules) == len(set(rules)) == 6
    titles = {rule["id"]: rule["shortDescription"]["text"] for rule in driver["rules"]}
    assert titles["links.broken"] == "链接不可用"
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {
        "security.no_https": "error",
        "links.broken": "warning",
        "links.intranet": "warning",
        "identity.sitemap": "warning",
        "ipv6.no_aaaa": "note",
        "newmedia.silent": "note",
    }
    broken = run["results"][1]
    assert broken["message"]["text"] == HOSTILE
    location = broken["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uri"] == "http://www.csz.gov.cn/gone.html"
    assert rules[broken["ruleIndex"]] == "links.broken"
    assert run["results"][3]["suppressions"] == [{"kind": "external", "justification": "有"}]
    assert "locations" not in run["results"][5]  # the account's finding has no URL


def test_markdown_has_a_table_per_subject():
    text = render(RESULT, "markdown")
    assert "## 苍山州人民政府门户网站（网站）" in text
    assert "- 结论：不合格" in text and "- 得分：88.5" in text
    assert "## 苍山发布（政务新媒体）" in text
    assert "| 提醒 | links.intranet | 链接到内网 \\| 10.0.0.1 | http://10.0.0.1/ | — |" in text
    assert "| 扣分（已豁免） | identity.sitemap |" in text
    table = [line for line in text.splitlines() if line.startswith("| ")]
    assert len(table) == 2 + 6  # two headers, a row per finding


def test_sarif_on_stdout_and_fail_on_from_a_real_scan(db_url, tmp_path, capsys):
    links = "<a href='/gone.html'>旧页面</a><a href='/a.html'>文章</a>"
    with http_site({"/": page("首页", links), "/a.html": page("文章", "正文")}) as site:
        inventory, resolve = inventory_of({"csz": site})
        config = tmp_path / "sites.yaml"
        config.write_text(inventory, encoding="utf-8")
        scan = ["scan", "--config", str(config), *resolve, "--checks", "links"]
        scan += ["--out", str(tmp_path / "out")]
        code = main([*scan, "--format", "sarif", "--fail-on", "veto"])
        captured = capsys.readouterr()
        assert code == 0  # a dead link is a deduction, not a veto
        sarif = json.loads(captured.out)  # stdout holds the document and nothing else
        assert sarif["version"] == "2.1.0"
        [dead] = sarif["runs"][0]["results"]
        assert dead["ruleId"] == "links.broken"
        assert dead["level"] == "warning"
        uri = dead["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri == f"http://csz.gov.test:{site.port}/gone.html"

        report = tmp_path / "junit.xml"
        quiet = ["--fail-on", "deduction", "--quiet", "--format", "junit", "--output", str(report)]
        code = main([*scan, *quiet])
        captured = capsys.readouterr()
    assert code == 3
    assert captured.out == ""
    assert "扫描结果" not in captured.err  # no summary table when quiet
    assert str(report) in captured.err
    assert ET.parse(report).getroot().find(".//failure").get("type") == "deduction"

    report = ["report", "--config", str(config), "--out", str(tmp_path / "again")]
    assert main([*report, "--format", "markdown", "--fail-on", "warning"]) == 3
    markdown = capsys.readouterr().out
    assert markdown.startswith("# govscan 检查结果")
    assert "- 结论：合格" in markdown
    assert (
        f"| links.broken | 首页上的链接不可用：HTTP 404，页面不存在或无法访问 | {uri} |" in markdown
    )


def test_output_needs_a_format(db_url, capsys):
    assert main(["scan", "http://www.csz.gov.cn/", "--output", "x.json"]) == 2
    assert "--output 需与 --format 同用" in capsys.readouterr().err
