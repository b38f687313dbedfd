"""Exports for the offices: one 整改清单 workbook per unit, a summary workbook, and a CSV of
every finding — built from ``findings.json``, like the report.

Crawled text is untrusted: a title that starts with ``=`` must stay text, never become a
spreadsheet formula, in the workbooks and in the CSV alike.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from govscan.reports.figures import counted, problems
from govscan.reports.html import rule_title

SEVERITY_NAMES = {"veto": "单项否决", "deduction": "扣分", "warning": "提醒", "info": "提示"}
LIST_HEADER = (
    "序号",
    "网站/账号",
    "问题类型",
    "问题说明",
    "问题地址",
    "所在页面",
    "严重程度",
    "整改期限",
    "整改情况",
)
SUMMARY_HEADER = ("主办单位", "名称", "类别", "结论", "得分", "单项否决", "问题数")
CSV_HEADER = (
    "主办单位",
    "网站/账号",
    "规则",
    "问题类型",
    "严重程度",
    "问题说明",
    "问题地址",
    "所在页面",
    "豁免理由",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\s]+')


def subjects(result: dict) -> Iterator[tuple[str, dict]]:
    """Every site and account of the result, with its kind in Chinese."""
    for site in result["sites"]:
        yield "网站", site
    for account in result["accounts"]:
        yield "政务新媒体", account


def write_all(result: dict, out: Path) -> list[Path]:
    """The CSV, the summary workbook and one workbook per unit under ``out``."""
    written = [write_csv(result, out / "findings.csv"), write_summary(result, out / "汇总.xlsx")]
    return written + write_unit_lists(result, out / "xlsx")


def write_csv(result: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as file:  # BOM: Excel reads UTF-8
        writer = csv.writer(file)
        writer.writerow(CSV_HEADER)
        for _, subject in subjects(result):
            for finding in subject["findings"]:
                row = (
                    subject["unit"],
                    subject["name"],
                    finding["rule"],
                    rule_title(finding),
                    SEVERITY_NAMES[finding["severity"]],
                    finding["message"],
                    finding["url"],
                    finding["source"] or "",
                    finding["detail"].get("waived", ""),
                )
                writer.writerow([as_text(value) for value in row])
    return path


def write_summary(result: dict, path: Path) -> Path:
    book = Workbook()
    sheet = start_sheet(book.active, "汇总", SUMMARY_HEADER)
    for kind, subject in subjects(result):
        add_row(
            sheet,
            (
                subject["unit"],
                subject["name"],
                kind,
                subject["verdict"],
                subject.get("score"),
                "、".join(subject.get("vetoes", [])),
                problems(subject["findings"]),
            ),
        )
    return save(book, path)


def write_unit_lists(result: dict, folder: Path) -> list[Path]:
    """One 整改清单 per unit: its sites' and accounts' problems, waived ones left out."""
    by_unit: dict[str, list[tuple[dict, dict]]] = defaultdict(list)
    for _, subject in subjects(result):
        for finding in counted(subject["findings"]):
            by_unit[subject["unit"]].append((subject, finding))
    return [write_unit_list(unit, rows, folder) for unit, rows in sorted(by_unit.items())]


def write_unit_list(unit: str, rows: list[tuple[dict, dict]], folder: Path) -> Path:
    book = Workbook()
    sheet = start_sheet(book.active, "整改清单", LIST_HEADER)
    for number, (subject, finding) in enumerate(rows, start=1):
        add_row(
            sheet,
            (
                number,
                subject["name"],
                rule_title(finding),
                finding["message"],
                finding["url"],
                finding["source"] or "",
                SEVERITY_NAMES[finding["severity"]],
                "",
                "",
            ),
        )
    return save(book, folder / f"{unit_filename(unit)}-整改清单.xlsx")


def start_sheet(sheet: Worksheet, title: str, header: tuple[str, ...]) -> Worksheet:
    sheet.title = title
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHI", (8, 24, 20, 60, 48, 48, 10, 12, 20), strict=False):
        sheet.column_dimensions[column].width = width
    return sheet


def add_row(sheet: Worksheet, values: tuple) -> None:
    """Append ``values``; text cells stay text, whatever they start with."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def as_text(value: object) -> object:
    """CSV text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def unit_filename(unit: str) -> str:
    return UNSAFE_FILENAME.sub("_", unit).strip("_.") or "未登记单位"


def save(book: Workbook, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
