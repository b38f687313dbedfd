"""Reading back a 整改清单 a unit returned: each row's 编号 names the problem, whatever order
the unit sorted the rows in; its 整改情况, 责任人 and 整改措施 become the unit's claims, which
the next bulletin checks against the re-scan. A file is imported whole or not at all."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from govscan.reports.exports import CODE_COLUMN, LIST_SHEET, TITLE_ROWS
from govscan.reports.problems import PROGRESS, parse_code, problem_key
from govscan.store.claims import Claim, Problem, found_problems, save_claims
from govscan.store.register import (
    MAX_REGISTER_BYTES,
    MAX_REGISTER_CELLS,
    cell_text,
    open_xlsx,
    xlsx_bytes,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


HEADER_ROW = TITLE_ROWS + 1
ANSWERS = ("整改情况", "责任人", "整改措施")
NEEDED = (CODE_COLUMN, *ANSWERS)


class ReturnedListError(Exception):
    """A returned list that cannot be imported; ``str()`` names the file, the sheet and the
    row, and says what to do, in Chinese, on one line."""


@dataclass(frozen=True)
class ReturnedRow:
    """One filled-in row, with its place in the file for the messages."""

    number: int
    code: str
    claim: Claim


def import_list(engine: Engine, path: Path) -> list[Claim]:
    """Read the returned list at ``path`` and store its claims, or none of them."""
    rows = read_list(path)
    known = known_problems(engine, {(row.claim.kind, row.claim.subject_id) for row in rows})
    for row in rows:
        if row.claim.key not in known:
            raise ReturnedListError(
                f"{where(path, row.number)}：编号「{row.code}」不是数据库中检查出的问题。"
                "请导入本系统生成的整改清单，并确认 GOVSCAN_DB 指向生成它的数据库"
            )
    claims = [row.claim for row in rows]
    save_claims(engine, claims)
    return claims


def known_problems(engine: Engine, subjects: set[tuple[str, str]]) -> set[Problem]:
    """Every stored problem of these sites and accounts, keyed as the lists' 编号 are."""
    return {
        (kind, subject_id, *problem_key({"rule": rule, "url": url}))
        for kind, subject_id, rule, url in found_problems(engine, subjects)
    }


def read_list(path: Path) -> list[ReturnedRow]:
    """The filled-in rows of the list; empty rows are skipped."""
    sheet = list_sheet(path)
    columns = header_columns(path, sheet)
    rows: list[ReturnedRow] = []
    seen: dict[str, int] = {}
    for number, values in enumerate(
        sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True), start=HEADER_ROW + 1
    ):
        if not any(cell_text(value) for value in values):
            continue
        cells = {name: cell_text(values[index]) for name, index in columns.items()}
        row = returned_row(path, number, cells)
        if row.code in seen:
            raise ReturnedListError(
                f"{where(path, number)}：与第 {seen[row.code]} 行是同一问题（编号相同），"
                "请删去重复的一行后重新导入"
            )
        seen[row.code] = number
        rows.append(row)
    return rows


def list_sheet(path: Path) -> Worksheet:
    """The 整改清单 sheet of the workbook at ``path``, opened from its bytes within the bounds
    a user's register is opened within: a returned file is whatever the unit sent."""
    data = xlsx_bytes(path, ReturnedListError, "文件不存在，请检查文件名和路径", too_large)
    not_xlsx = (
        "不是 Excel 工作簿（.xlsx），无法读取。请导入 govscan 生成的整改清单；"
        "若在 Excel 或 WPS 中另存成了 .xls、.et 或 .csv，或加了密码，"
        "请去掉密码、另存为 .xlsx 后导入"
    )
    book = open_xlsx(path, data, ReturnedListError, not_xlsx, too_large)
    if LIST_SHEET not in book.sheetnames:
        raise ReturnedListError(
            f"{path}：没有「{LIST_SHEET}」工作表，不是 govscan 生成的整改清单。"
            "请导入报告目录 xlsx 文件夹下的整改清单（填写后的文件）"
        )
    sheet = book[LIST_SHEET]
    if (cells := (sheet.max_row - HEADER_ROW) * sheet.max_column) > MAX_REGISTER_CELLS:
        raise ReturnedListError(
            f"{where(path, sheet.max_row)}：表格用到了这一行，要读取的单元格过多（{cells:,} 个，"
            f"上限 {MAX_REGISTER_CELLS:,} 个）；请删除问题下方多余的行后重新导入"
        )
    return sheet


def too_large(size: str) -> str:
    return (
        f"文件过大（{size}，上限 {MAX_REGISTER_BYTES // 2**20} MB），"
        "不像是 govscan 生成的整改清单；请检查是否选错了文件"
    )


def header_columns(path: Path, sheet: Worksheet) -> dict[str, int]:
    """Where 编号 and the unit's answers are, by their header: found by name, so that a
    column moved by the unit does no harm."""
    header = [cell_text(cell.value) for cell in sheet[HEADER_ROW]]
    missing = [name for name in NEEDED if name not in header]
    if missing:
        lost = "、".join(f"「{name}」" for name in missing)
        raise ReturnedListError(
            f"{where(path, HEADER_ROW)}：表头缺少{lost}，不是 govscan 生成的整改清单。"
            "请使用 govscan 生成的整改清单填写，不要删除或改名表头的列（「编号」列是隐藏的）"
        )
    return {name: header.index(name) for name in NEEDED}


def returned_row(path: Path, number: int, cells: dict[str, str | None]) -> ReturnedRow:
    """The claim of one row, refused with its row number when it cannot be one."""
    code = cells[CODE_COLUMN]
    parsed = parse_code(code or "")
    if parsed is None:
        raise ReturnedListError(
            f"{where(path, number)}：隐藏的「编号」列为空或被改动（{code or '空'}），"
            "无法确定是哪个问题。请从原整改清单复制这一行的编号，改正后重新导入"
        )
    progress = cells["整改情况"]
    if progress not in PROGRESS:
        raise ReturnedListError(
            f"{where(path, number)}：整改情况「{progress or '空'}」不是可选值，"
            f"请从下拉列表选择{'、'.join(PROGRESS)}之一后重新导入"
        )
    kind, subject_id, rule, url = parsed
    claim = Claim(
        kind, subject_id, rule, url, progress, cells["责任人"], cells["整改措施"], path.name
    )
    return ReturnedRow(number, code, claim)


def where(path: Path, row: int) -> str:
    return f"{path}：工作表「{LIST_SHEET}」第 {row} 行"
