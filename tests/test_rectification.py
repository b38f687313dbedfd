"""A returned 整改清单: the unit fills it in (and sorts it) in a spreadsheet, the office imports
it, and the next bulletin's 回头看 sets each claim beside what the re-scan found. A bad file
is refused whole, in Chinese, with exit status 2, and what was imported before stays."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
import yaml
from openpyxl import Workbook, load_workbook
from servers import free_port, http_site

from govscan.cli import main
from govscan.store.claims import SITE, claims_of
from govscan.store.db import connect

OFFICE = "苍山州人民政府办公室"


def portal(dead: list[str]) -> dict:
    links = "".join(f"<a href='{path}'>旧栏目{path}</a> " for path in dead)
    return {"/": f"<html><head><title>苍山州</title></head><body>{links}</body></html>"}


class Inspections:
    """Nightly scans of one unit's portal on a fixed port, each with its own dead links."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.config = folder / "sites.yaml"
        self.out = folder / "out"

    def scan(self, dead: list[str]) -> str:
        with http_site(portal(dead), port=self.port) as site:
            entry = {"id": "csz", "name": "苍山州人民政府门户网站", "url": site.url, "unit": OFFICE}
            self.config.write_text(yaml.safe_dump({"sites": [entry]}, allow_unicode=True), "utf-8")
            args = ["scan", "--config", str(self.config), "--checks", "links", "--out"]
            assert main([*args, str(self.out), "--quiet"]) == 0
            return site.url

    @property
    def workbook(self) -> Path:
        return self.out / "xlsx" / f"{OFFICE}-整改清单.xlsx"


@pytest.fixture
def inspections(tmp_path, db_url) -> Inspections:
    return Inspections(tmp_path)


def fill(source: Path, target: Path, answers: dict[str, tuple], reverse: bool = True) -> None:
    """Fill in the list as a unit would: 整改情况, 责任人 and 整改措施 of the rows whose
    问题地址 ends with a key of ``answers``, the data rows sorted the other way round."""
    book = load_workbook(source)
    sheet = book["整改清单"]
    header = [cell.value for cell in sheet[2]]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    if reverse:
        rows.reverse()
    for row in rows:
        for ending, answer in answers.items():
            if row[header.index("问题地址")].endswith(ending):
                for name, value in zip(("整改情况", "责任人", "整改措施"), answer, strict=True):
                    row[header.index(name)] = value
    for number, row in enumerate(rows, start=3):
        for index, value in enumerate(row, start=1):
            sheet.cell(number, index, value)
    book.save(target)


def returned(folder: Path, answers: dict[str, tuple], name: str = "交回.xlsx") -> Path:
    target = folder / name
    fill(folder / "out" / "xlsx" / f"{OFFICE}-整改清单.xlsx", target, answers)
    return target


def stored(db_url: str) -> dict[str, tuple]:
    """The stored claims by the URL path they are about: (整改情况, 责任人, 整改措施)."""
    claims = claims_of(connect(db_url), SITE, "csz")
    return {
        url.rsplit("/")[-1]: (c.progress, c.owner, c.measures) for (_, url), c in claims.items()
    }


def claim_rows(bulletin: Path) -> dict[str, list[str]]:
    """The 整改反馈核查 table of the bulletin, by the dead link's path: its cells' text."""
    page = lxml.html.parse(str(bulletin)).getroot()
    found = {}
    for row in page.cssselect("table.claims tr.claim"):
        cells = [cell.text_content().strip() for cell in row.cssselect("td")]
        found[cells[1].rsplit("/", 1)[1]] = [*cells[2:], row.get("class")]
    return found


def test_the_bulletin_sets_each_claim_beside_the_rescan(inspections, tmp_path, db_url, capsys):
    inspections.scan(["/a", "/b", "/c"])
    sheet = load_workbook(inspections.workbook)["整改清单"]
    assert sheet.column_dimensions["N"].hidden and sheet["N2"].value == "编号"
    answers = {
        "/a": ("已整改", "张三", "删除失效链接"),
        "/b": ("已整改", "李四", "已修改链接地址"),
    }
    path = returned(tmp_path, answers)
    assert main(["import-rectification", str(path)]) == 0
    assert "3 项整改反馈（未整改 1、已整改 2）" in capsys.readouterr().err
    inspections.scan(["/b", "/c"])  # /a was fixed, /b was not
    rows = claim_rows(inspections.out / "bulletin.html")
    false = "claim false-claim"
    assert rows == {
        "b": ["单位称已整改", "李四", "已修改链接地址", "复查仍存在", "反馈不实", false],
        "a": ["单位称已整改", "张三", "删除失效链接", "复查已整改", "属实", "claim"],
        "c": ["单位称未整改", "—", "—", "复查仍存在", "—", "claim"],
    }
    assert next(iter(rows)) == "b"  # a false claim is listed first


def test_a_problem_nobody_answered_is_shown_as_such(inspections, tmp_path, db_url):
    inspections.scan(["/a", "/b"])
    inspections.scan(["/b"])
    rows = claim_rows(inspections.out / "bulletin.html")
    assert rows == {
        "a": ["未反馈", "—", "—", "复查已整改", "—", "claim"],
        "b": ["未反馈", "—", "—", "复查仍存在", "—", "claim"],
    }


def test_without_previous_problems_there_is_nothing_to_check(inspections, db_url):
    inspections.scan([])
    inspections.scan(["/a"])
    page = lxml.html.parse(str(inspections.out / "bulletin.html")).getroot()
    assert any("回头看" in h2.text_content() for h2 in page.cssselect("h2"))  # 回头看 is there
    assert not page.cssselect("#claims") and not page.cssselect("table.claims")


def test_importing_again_keeps_one_claim_a_problem_the_latest(inspections, tmp_path, db_url):
    inspections.scan(["/a", "/b"])
    first = returned(tmp_path, {"/a": ("整改中", "张三", "联系栏目编辑")})
    assert main(["import-rectification", str(first)]) == 0
    assert main(["import-rectification", str(first)]) == 0
    assert stored(db_url) == {"a": ("整改中", "张三", "联系栏目编辑"), "b": ("未整改", None, None)}
    later = returned(tmp_path, {"/a": ("已整改", "王五", "已删除")}, "再次交回.xlsx")
    assert main(["import-rectification", str(later)]) == 0
    assert stored(db_url) == {"a": ("已整改", "王五", "已删除"), "b": ("未整改", None, None)}


@pytest.fixture
def imported(inspections, tmp_path, db_url) -> dict[str, tuple]:
    """A scan and one good import: what every bad import must leave as it was."""
    inspections.scan(["/a", "/b"])
    path = returned(tmp_path, {"/a": ("整改中", "张三", "联系栏目编辑")})
    assert main(["import-rectification", str(path)]) == 0
    return stored(db_url)


def refused(path: Path, capsys) -> str:
    capsys.readouterr()
    assert main(["import-rectification", str(path)]) == 2
    printed = capsys.readouterr().err
    assert "Traceback" not in printed and len(printed.strip().splitlines()) == 1
    return printed


def test_a_file_that_is_not_a_workbook_is_refused(imported, tmp_path, db_url, capsys):
    path = tmp_path / "交回.xlsx"
    path.write_text("这不是表格", encoding="utf-8")
    printed = refused(path, capsys)
    assert f"{path}：不是 Excel 工作簿（.xlsx）" in printed
    assert stored(db_url) == imported


def test_a_list_too_big_to_open_is_refused_before_it_is_loaded(imported, tmp_path, db_url, capsys):
    huge = tmp_path / "交回.xlsx"
    huge.write_bytes(b"PK\x03\x04" + bytes(21 * 2**20))
    assert f"{huge}：文件过大（文件有 21 MB，上限 20 MB）" in refused(huge, capsys)
    stray = returned(tmp_path, {"/a": ("已整改", "张三", "已删除")}, "末行有字.xlsx")
    book = load_workbook(stray)
    book["整改清单"].cell(1_048_576, 1, "x")  # millions of empty cells to read above it
    book.save(stray)
    printed = refused(stray, capsys)
    assert "第 1048576 行：表格用到了这一行，要读取的单元格过多" in printed
    assert stored(db_url) == imported


def test_a_workbook_that_is_no_rectification_list_is_refused(imported, tmp_path, db_url, capsys):
    other = tmp_path / "别的表.xlsx"
    Workbook().save(other)
    assert "没有「整改清单」工作表，不是 govscan 生成的整改清单" in refused(other, capsys)
    book = load_workbook(tmp_path / "out" / "xlsx" / f"{OFFICE}-整改清单.xlsx")
    book["整改清单"].delete_cols(14)  # the hidden 编号
    book.save(other)
    printed = refused(other, capsys)
    assert f"{other}：工作表「整改清单」第 2 行：表头缺少「编号」" in printed
    assert stored(db_url) == imported


def test_an_unknown_progress_refuses_the_whole_file(imported, tmp_path, db_url, capsys):
    # the first row would be a good claim: nothing of the file is stored all the same
    path = returned(tmp_path, {"/a": ("已整改", "张三", "已删除"), "/b": ("已完成", "李四", "")})
    printed = refused(path, capsys)
    assert "：工作表「整改清单」第 3 行：整改情况「已完成」不是可选值" in printed
    assert "请从下拉列表选择未整改、整改中、已整改、无法整改之一" in printed
    assert stored(db_url) == imported


def test_a_row_whose_code_was_cleared_is_refused(imported, tmp_path, db_url, capsys):
    path = returned(tmp_path, {"/a": ("已整改", "张三", "已删除")})
    book = load_workbook(path)
    book["整改清单"]["N4"] = None
    book.save(path)
    printed = refused(path, capsys)
    assert "：工作表「整改清单」第 4 行：隐藏的「编号」列为空或被改动（空）" in printed
    assert stored(db_url) == imported


def test_a_problem_answered_twice_is_refused(imported, tmp_path, db_url, capsys):
    path = returned(tmp_path, {"/a": ("已整改", "张三", "已删除")})
    book = load_workbook(path)
    sheet = book["整改清单"]
    for column in range(1, 15):
        sheet.cell(5, column, sheet.cell(3, column).value)
    book.save(path)
    printed = refused(path, capsys)
    assert "：工作表「整改清单」第 5 行：与第 3 行是同一问题（编号相同）" in printed
    assert stored(db_url) == imported


def test_a_row_of_no_known_problem_is_refused(imported, tmp_path, db_url, capsys):
    path = returned(tmp_path, {"/a": ("已整改", "张三", "已删除")})
    book = load_workbook(path)
    book["整改清单"]["N4"] = "site|csz|links.broken|http://127.0.0.1/elsewhere"
    book.save(path)
    printed = refused(path, capsys)
    code = "site|csz|links.broken|http://127.0.0.1/elsewhere"
    assert f"：工作表「整改清单」第 4 行：编号「{code}」不是数据库中检查出的问题" in printed
    assert stored(db_url) == imported


def test_the_command_explains_itself_in_chinese(capsys):
    assert main(["import-rectification", "--help"]) == 0
    shown = capsys.readouterr().out
    assert "用法：govscan import-rectification [-h] 文件" in shown
    assert "交回的整改清单（.xlsx）" in shown and "不实" in shown
    assert main(["--help"]) == 0
    assert "import-rectification" in capsys.readouterr().out


def test_a_list_is_not_imported_into_a_database_that_does_not_exist(tmp_path, db_url, capsys):
    path = tmp_path / "交回.xlsx"
    Workbook().save(path)
    assert main(["import-rectification", str(path)]) == 2
    assert "找不到数据库文件" in capsys.readouterr().err
    assert not (tmp_path / "govscan.db").exists()
