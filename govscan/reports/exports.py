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
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from unicodedata import east_asian_width
from zoneinfo import ZoneInfo

from govscan.dates import DEFAULT_TIMEZONE
from govscan.lazy import lazy_import
from govscan.outcomes import INCOMPLETE
from govscan.reports.figures import counted, problems, rank_key
from govscan.reports.html import rule_title
from govscan.reports.notice import notice
from govscan.reports.problems import PROGRESS, finding_code
from govscan.store.claims import ACCOUNT, SITE
from govscan.store.inventory import BulletinSettings

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

# openpyxl loads when a workbook is written, not whenever a report module is imported
openpyxl = lazy_import("openpyxl")

SEVERITY_NAMES = {"veto": "单项否决", "deduction": "扣分", "warning": "提醒", "info": "提示"}
LIST_HEADER = (
    "序号",
    "网站/账号",
    "问题类型",
    "问题说明",
    "问题地址",
    "所在页面",
    "链接文字",
    "证据",
    "严重程度",
    "整改期限",
    "整改情况",
    "责任人",
    "整改措施",
    "编号",
)
#: The column that identifies each row's problem when the list comes back: hidden, so that
#: nobody edits it, and inside the filter, so that sorting the rows carries it along.
CODE_COLUMN = "编号"
LIST_SHEET = "整改清单"
SUMMARY_HEADER = ("排名", "主办单位", "名称", "类别", "结论", "得分", "单项否决", "问题数")
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
DATE_FORMAT = "yyyy-mm-dd"
HEADER_COLOUR = "DDEBF7"
TITLE_ROWS = 1  # above the header
MIN_WIDTH, MAX_WIDTH = 6, 50  # in characters; longer text wraps
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\s]+')
KIND_KEYS = {"网站": SITE, "政务新媒体": ACCOUNT}  # a kind of subject, as the 编号 names it


def subjects(result: dict) -> Iterator[tuple[str, dict]]:
    """Every site and account of the result, with its kind in Chinese."""
    for site in result["sites"]:
        yield "网站", site
    for account in result["accounts"]:
        yield "政务新媒体", account


def write_all(result: dict, out: Path, due: date | None = None) -> list[Path]:
    """The CSV, the summary workbook and one workbook per unit under ``out``; the units'
    lists give ``due`` (the bulletin's 整改期限), else the default deadline."""
    day = inspection_day(result)
    written = [
        write_csv(result, out / "findings.csv"),
        write_summary(result, day, out / "汇总.xlsx"),
    ]
    due = due or notice(BulletinSettings(), day, None).deadline
    return written + write_unit_lists(result, day, due, out / "xlsx")


def inspection_day(result: dict) -> date:
    """The day the scan started, in Beijing time: the date the lists and deadlines count from."""
    started = result.get("run", {}).get("started_at")
    if not started:
        return datetime.now(ZoneInfo(DEFAULT_TIMEZONE)).date()
    moment = datetime.fromisoformat(started.replace("Z", "+00:00"))
    return moment.astimezone(ZoneInfo(DEFAULT_TIMEZONE)).date()


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


def write_summary(result: dict, day: date, path: Path) -> Path:
    """Every site and account ranked like the bulletin; one 未完成 has no score to show."""
    shown = [
        {
            **subject,
            "kind": kind,
            "score": None if subject["verdict"] == INCOMPLETE else subject.get("score"),
        }
        for kind, subject in subjects(result)
    ]
    rows = [
        (
            rank,
            subject["unit"],
            subject["name"],
            subject["kind"],
            subject["verdict"],
            subject["score"],
            "、".join(subject.get("vetoes", [])),
            problems(subject["findings"]),
        )
        for rank, subject in enumerate(sorted(shown, key=rank_key), start=1)
    ]
    book = openpyxl.Workbook()
    write_table(
        book.active,
        "汇总",
        f"政府网站与政务新媒体检查结果汇总（检查日期：{day}）",
        SUMMARY_HEADER,
        rows,
    )
    return save(book, path)


def write_unit_lists(result: dict, day: date, due: date, folder: Path) -> list[Path]:
    """One 整改清单 per unit: its sites' and accounts' problems, waived ones left out, to be
    fixed by ``due``."""
    by_unit: dict[str, list[tuple[str, dict, dict]]] = defaultdict(list)
    for kind, subject in subjects(result):
        for finding in counted(subject["findings"]):
            by_unit[subject["unit"]].append((kind, subject, finding))
    return [write_unit_list(unit, rows, day, due, folder) for unit, rows in sorted(by_unit.items())]


def write_unit_list(
    unit: str, found: list[tuple[str, dict, dict]], day: date, due: date, folder: Path
) -> Path:
    """The list the office sends out and gets back filled in: 整改情况 from a dropdown,
    责任人 and 整改措施 left for the unit, each row's 编号 for ``govscan import-rectification``."""
    rows = [
        (
            number,
            subject["name"],
            rule_title(finding),
            finding["message"],
            finding["url"],
            finding["source"] or "",
            finding["detail"].get("anchor") or "",
            evidence(finding["detail"]),
            SEVERITY_NAMES[finding["severity"]],
            due,
            PROGRESS[0],
            "",
            "",
            finding_code(KIND_KEYS[kind], subject["id"], finding),
        )
        for number, (kind, subject, finding) in enumerate(found, start=1)
    ]
    book = openpyxl.Workbook()
    title = f"{unit} 政府网站与政务新媒体检查整改清单（检查日期：{day}）"
    sheet = write_table(book.active, LIST_SHEET, title, LIST_HEADER, rows)
    progress = openpyxl.worksheet.datavalidation.DataValidation(
        type="list",
        formula1=f'"{",".join(PROGRESS)}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="整改情况",
        error=f"请从下拉列表选择：{'、'.join(PROGRESS)}",
    )
    progress.add(column_range(sheet, LIST_HEADER.index("整改情况")))
    sheet.add_data_validation(progress)
    code_column = openpyxl.utils.cell.get_column_letter(LIST_HEADER.index(CODE_COLUMN) + 1)
    sheet.column_dimensions[code_column].hidden = True
    return save(book, folder / f"{unit_filename(unit)}-整改清单.xlsx")


def evidence(detail: dict) -> str:
    """The element that fails, as the browser found it: an accessibility rule's first
    example, or the element a check names (a floating layer)."""
    example = (detail.get("affected") or [detail])[0]
    shown = [example.get(key) for key in ("target", "html", "summary")]
    return "\n".join(str(part) for part in shown if part)


def column_range(sheet: Worksheet, index: int) -> str:
    """The data cells of the column at ``index`` (0-based)."""
    letter = openpyxl.utils.cell.get_column_letter(index + 1)
    first = TITLE_ROWS + 2
    return f"{letter}{first}:{letter}{max(first, sheet.max_row)}"


def write_table(
    sheet: Worksheet, name: str, title: str, header: tuple[str, ...], rows: list[tuple]
) -> Worksheet:
    """A sheet an office can file and print: a title, a bold shaded header that stays on
    screen and on every printed page, a filter, widths that fit, A4 landscape one page wide."""
    sheet.title = name
    sheet.append((title,))
    sheet["A1"].data_type = "s"  # a unit named "=…" stays a name
    sheet.merge_cells(start_row=1, end_row=1, start_column=1, end_column=len(header))
    sheet["A1"].font = openpyxl.styles.Font(bold=True, size=14)
    sheet["A1"].alignment = openpyxl.styles.Alignment(horizontal="center", vertical="center")
    sheet.append(header)
    for cell in sheet[TITLE_ROWS + 1]:
        cell.font = openpyxl.styles.Font(bold=True)
        cell.fill = openpyxl.styles.PatternFill("solid", start_color=HEADER_COLOUR)
        cell.alignment = openpyxl.styles.Alignment(
            horizontal="center", vertical="center", wrap_text=True
        )
    for row in rows:
        add_row(sheet, row)
    fit_widths(sheet, header, rows)
    header_row = TITLE_ROWS + 1
    last = openpyxl.utils.cell.get_column_letter(len(header))
    sheet.auto_filter.ref = f"A{header_row}:{last}{max(header_row, sheet.max_row)}"
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"1:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return sheet


def fit_widths(sheet: Worksheet, header: tuple[str, ...], rows: list[tuple]) -> None:
    """Each column as wide as its longest line, CJK characters counting double; capped, the
    rest wraps."""
    for index, values in enumerate(zip(header, *rows, strict=False), start=1):
        widest = max(display_width(value) for value in values)
        width = min(MAX_WIDTH, max(MIN_WIDTH, widest + 2))
        sheet.column_dimensions[openpyxl.utils.cell.get_column_letter(index)].width = width


def display_width(value: object) -> int:
    if isinstance(value, date):
        return len(DATE_FORMAT)
    lines = str("" if value is None else value).splitlines() or [""]
    return max(sum(2 if east_asian_width(c) in "WF" else 1 for c in line) for line in lines)


def add_row(sheet: Worksheet, values: tuple) -> None:
    """Append ``values``; text cells stay text, whatever they start with."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            cell.alignment = openpyxl.styles.Alignment(wrap_text=True, vertical="top")
        elif isinstance(cell.value, date):
            cell.number_format = DATE_FORMAT


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
