"""The findings of a scan in the formats CI systems and scripts read, built from
``findings.json``: json, csv, junit, sarif and markdown; and the ``--fail-on`` threshold.

- csv: one row per finding, UTF-8 with a header; crawled text that a spreadsheet would run
  as a formula is kept as text, as in the exports.
- junit: one ``testsuite`` per site or account; a ``verdict`` testcase that fails when the
  site or account is 不合格 and errs when it is 未完成, then one testcase per finding. A
  finding of severity warning or worse is a failure, an info finding passes, and a waived
  finding is skipped.
- sarif: SARIF 2.1.0; veto is ``error``, deduction and warning are ``warning``, info is
  ``note``; a waived finding carries a suppression with its reason.
- markdown: per site or account its verdict, score and a table of its findings.

A waived finding is a known false positive: it never reaches the ``--fail-on`` threshold.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

from govscan.outcomes import INCOMPLETE, NOT_PASSED
from govscan.reports.exports import SEVERITY_NAMES, as_text, subjects
from govscan.reports.figures import counted
from govscan.reports.html import rule_title

#: Severities from the mildest to the gravest.
SEVERITIES = ("info", "warning", "deduction", "veto")
SARIF_LEVELS = {"veto": "error", "deduction": "warning", "warning": "warning", "info": "note"}
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
JUNIT_FAILS_FROM = "warning"
JUNIT_COUNTS = (("failure", "failures"), ("error", "errors"), ("skipped", "skipped"))
CSV_HEADER = ("kind", "id", "name", "rule", "severity", "message", "url", "source")
KINDS = {"网站": "site", "政务新媒体": "account"}


def rank(severity: str) -> int:
    return SEVERITIES.index(severity)


def reaches(result: dict, threshold: str) -> bool:
    """Whether any finding not waived is of severity ``threshold`` or graver."""
    return any(
        rank(finding["severity"]) >= rank(threshold)
        for _, subject in subjects(result)
        for finding in counted(subject["findings"])
    )


def findings_of(result: dict) -> Iterator[tuple[str, dict, dict]]:
    """(kind, subject, finding) of every finding, sites first."""
    for kind, subject in subjects(result):
        for finding in subject["findings"]:
            yield KINDS[kind], subject, finding


def to_json(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2) + "\n"


def to_csv(result: dict) -> str:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for kind, subject, finding in findings_of(result):
        row = (kind, subject["id"], subject["name"], finding["rule"], finding["severity"])
        place = (finding["message"], finding["url"], finding["source"] or "")
        writer.writerow([as_text(value) for value in (*row, *place)])
    return text.getvalue()


def to_junit(result: dict) -> str:
    root = ET.Element("testsuites", name="govscan")
    for kind, subject in subjects(result):
        suite = ET.SubElement(root, "testsuite", name=f"{subject['name']}（{kind}）")
        verdict = ET.SubElement(suite, "testcase", name="verdict", classname=str(subject["id"]))
        if subject["verdict"] == NOT_PASSED:
            vetoes = "、".join(subject.get("vetoes", []))
            ET.SubElement(verdict, "failure", message=f"不合格 {vetoes}".strip())
        elif subject["verdict"] == INCOMPLETE:
            ET.SubElement(verdict, "error", message=f"未完成：{subject.get('error') or ''}")
        for finding in subject["findings"]:
            add_testcase(suite, subject, finding)
        cases = suite.findall("testcase")
        suite.set("tests", str(len(cases)))
        for tag, attribute in JUNIT_COUNTS:
            suite.set(attribute, str(sum(1 for case in cases if case.find(tag) is not None)))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def add_testcase(suite: ET.Element, subject: dict, finding: dict) -> None:
    case = ET.SubElement(
        suite,
        "testcase",
        name=f"{finding['rule']} {finding['url']}",
        classname=f"{subject['id']}.{finding['rule']}",
    )
    text = f"{finding['message']}\n{finding['url']}\n← {finding['source'] or '—'}"
    if waived := finding["detail"].get("waived"):
        ET.SubElement(case, "skipped", message=f"已豁免：{waived}")
    elif rank(finding["severity"]) >= rank(JUNIT_FAILS_FROM):
        failure = ET.SubElement(
            case, "failure", message=finding["message"], type=finding["severity"]
        )
        failure.text = text
    else:
        ET.SubElement(case, "system-out").text = text


def to_sarif(result: dict) -> str:
    rules: dict[str, dict] = {}
    results = []
    for kind, subject, finding in findings_of(result):
        rule = finding["rule"]
        if rule not in rules:
            rules[rule] = {"id": rule, "shortDescription": {"text": rule_title(finding)}}
        entry = {
            "ruleId": rule,
            "ruleIndex": list(rules).index(rule),
            "level": SARIF_LEVELS[finding["severity"]],
            "message": {"text": finding["message"]},
            "properties": {
                "severity": finding["severity"],
                "kind": kind,
                "subject": subject["id"],
                "source": finding["source"],
            },
        }
        if finding["url"]:
            location = {"artifactLocation": {"uri": finding["url"]}}
            entry["locations"] = [{"physicalLocation": location}]
        if waived := finding["detail"].get("waived"):
            entry["suppressions"] = [{"kind": "external", "justification": waived}]
        results.append(entry)
    tool = result.get("tool", {})
    driver = {
        "name": "govscan",
        "version": tool.get("version", ""),
        "rules": list(rules.values()),
    }
    sarif = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }
    return json.dumps(sarif, ensure_ascii=False, indent=2) + "\n"


def to_markdown(result: dict) -> str:
    lines = ["# govscan 检查结果", ""]
    for kind, subject in subjects(result):
        score = "—" if subject.get("score") is None else subject["score"]
        lines += [f"## {cell(subject['name'])}（{kind}）", ""]
        if subject.get("url"):
            lines += [f"网址：{subject['url']}", ""]
        lines += [f"- 结论：{subject['verdict']}", f"- 得分：{score}"]
        lines += [f"- 单项否决：{'、'.join(subject.get('vetoes', [])) or '—'}", ""]
        if not subject["findings"]:
            lines += ["未发现问题。", ""]
            continue
        lines += ["| 严重程度 | 规则 | 问题说明 | 问题地址 | 所在页面 |", "|---|---|---|---|---|"]
        for finding in subject["findings"]:
            severity = SEVERITY_NAMES[finding["severity"]]
            if finding["detail"].get("waived"):
                severity += "（已豁免）"
            values = (severity, finding["rule"], finding["message"], finding["url"])
            row = [cell(value) for value in (*values, finding["source"] or "—")]
            lines.append("| " + " | ".join(row) + " |")
        lines.append("")
    return "\n".join(lines)


def cell(value: object) -> str:
    """Text safe in a markdown table cell: no pipe ends the cell, no newline the row."""
    return " ".join(str(value).split()).replace("|", "\\|")


FORMATS: dict[str, Callable[[dict], str]] = {
    "json": to_json,
    "csv": to_csv,
    "junit": to_junit,
    "sarif": to_sarif,
    "markdown": to_markdown,
}


def render(result: dict, name: str) -> str:
    return FORMATS[name](result)


def emit(result: dict, name: str, output: Path | None) -> Path | None:
    """The findings in format ``name`` to ``output``, or to stdout when there is none, as
    UTF-8 whatever the locale."""
    text = render(result, name)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        return output
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
    else:
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    return None
