"""整改清单 workbooks per unit, the summary workbook and the CSV, from a scan's result."""

from __future__ import annotations

import csv
from datetime import date, datetime

from openpyxl import load_workbook
from servers import http_site

from govscan.reports.exports import write_all

HOSTILE = '=HYPERLINK("http://evil.example/","点我")'
OFFICE_LIST = "苍山州人民政府办公室-整改清单.xlsx"


def finding(rule: str, message: str, url: str, source: str | None = None, **detail) -> dict:
    return {
        "rule": rule,
        "severity": "deduction",
        "url": url,
        "source": source,
        "message": message,
        "detail": detail,
    }


RESULT = {
    "run": {"started_at": "2026-11-26T16:30:00Z"},  # Friday 27 November in Beijing
    "sites": [
        {
            "id": "csz",
            "name": "苍山州人民政府门户网站",
            "unit": "苍山州人民政府办公室",
            "verdict": "合格",
            "score": 97.5,
            "vetoes": [],
            "findings": [
                finding(
                    "links.broken",
                    HOSTILE,
                    "http://www.csz.gov.cn/gone",
                    "http://www.csz.gov.cn/",
                    anchor="-旧版入口",
                ),
                finding(
                    "a11y.image-alt",
                    "图片必须有替代文本",
                    "http://www.csz.gov.cn/",
                    title="图片必须有替代文本",
                    affected=[
                        {
                            "url": "http://www.csz.gov.cn/",
                            "nodes": 2,
                            "target": "img.banner",
                            "html": '<img src="banner.jpg">',
                            "summary": "缺少 alt 属性",
                        }
                    ],
                ),
                finding(
                    "identity.sitemap", "缺少网站地图", "http://www.csz.gov.cn/", waived="页头已有"
                ),
            ],
        },
        {
            "id": "fgw",
            "name": "苍山州发改委网站",
            "unit": "苍山州发展和改革委员会",
            "verdict": "不合格",
            "score": 90.0,
            "vetoes": ["home.stale"],
            "findings": [
                {
                    **finding("home.stale", "首页 30 天未更新", "http://fgw.csz.gov.cn/"),
                    "severity": "veto",
                },
            ],
        },
    ],
    "accounts": [
        {
            "id": "wenlv",
            "name": "苍山文旅",
            "unit": "苍山州人民政府办公室",
            "verdict": "未完成",
            "score": 100.0,  # what the scoring saw before the run failed
            "vetoes": [],
            "findings": [],
        },
        {
            "id": "jiaotong",
            "name": "苍山交通",
            "unit": "苍山州人民政府办公室",
            "verdict": "不合格",
            "score": 100.0,
            "vetoes": ["newmedia.zombie"],
            "findings": [
                {
                    **finding(
                        "newmedia.zombie",
                        "微信公众号「苍山交通」已 30 天未更新",
                        "http://feeds/zombie.xml",
                    ),
                    "severity": "veto",
                },
            ],
        },
    ],
}


def rows(path) -> list[tuple]:
    return list(load_workbook(path).active.iter_rows(values_only=True))


def column(sheet, name: str) -> str:
    """The letter of the header ``name`` (in the second row, under the title)."""
    [letter] = [cell.column_letter for cell in sheet[2] if cell.value == name]
    return letter


def test_one_rectification_list_per_unit_without_waived_findings(tmp_path):
    write_all(RESULT, tmp_path)
    office = rows(tmp_path / "xlsx" / OFFICE_LIST)
    assert (
        office[0][0]
        == "苍山州人民政府办公室 政府网站与政务新媒体检查整改清单（检查日期：2026-11-27）"
    )
    assert office[1] == (
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
    assert [row[:3] for row in office[2:]] == [
        (1, "苍山州人民政府门户网站", "链接不可用"),
        (2, "苍山州人民政府门户网站", "无障碍：图片必须有替代文本"),
        (3, "苍山交通", "账号不更新（僵尸账号）"),
    ]
    assert office[4][8] == "单项否决"
    assert [row[10:13] for row in office[2:]] == [("未整改", None, None)] * 3
    assert sorted(p.name for p in (tmp_path / "xlsx").iterdir()) == [
        OFFICE_LIST,
        "苍山州发展和改革委员会-整改清单.xlsx",
    ]


def test_the_list_shows_the_link_text_and_the_failing_element(tmp_path):
    write_all(RESULT, tmp_path)
    office = rows(tmp_path / "xlsx" / OFFICE_LIST)
    assert office[2][6:8] == ("-旧版入口", None)
    assert office[3][6:8] == (None, 'img.banner\n<img src="banner.jpg">\n缺少 alt 属性')


def test_the_deadline_is_a_date_fifteen_working_days_after_the_inspection(tmp_path):
    write_all(RESULT, tmp_path)
    sheet = load_workbook(tmp_path / "xlsx" / OFFICE_LIST).active
    letter = column(sheet, "整改期限")
    for row in range(3, sheet.max_row + 1):
        cell = sheet[f"{letter}{row}"]
        # Friday 27 November: three weeks of Monday-to-Friday days end on Friday 18 December
        assert cell.value == datetime(2026, 12, 18)
        assert cell.is_date and cell.number_format == "yyyy-mm-dd"


def test_the_lists_carry_the_bulletins_deadline_when_it_sets_one(tmp_path):
    write_all(RESULT, tmp_path, date(2027, 1, 8))
    sheet = load_workbook(tmp_path / "xlsx" / OFFICE_LIST).active
    letter = column(sheet, "整改期限")
    assert {sheet[f"{letter}{row}"].value for row in range(3, sheet.max_row + 1)} == {
        datetime(2027, 1, 8)
    }


def test_the_progress_column_is_a_dropdown(tmp_path):
    write_all(RESULT, tmp_path)
    sheet = load_workbook(tmp_path / "xlsx" / OFFICE_LIST).active
    [validation] = sheet.data_validations.dataValidation
    assert validation.type == "list"
    assert validation.formula1 == '"未整改,整改中,已整改,无法整改"'
    assert validation.showErrorMessage  # anything else is refused
    letter = column(sheet, "整改情况")
    assert str(validation.sqref) == f"{letter}3:{letter}5"


def test_every_sheet_is_styled_to_be_filed_and_printed(tmp_path):
    write_all(RESULT, tmp_path)
    for path, last in ((tmp_path / "xlsx" / OFFICE_LIST, "N5"), (tmp_path / "汇总.xlsx", "H6")):
        sheet = load_workbook(path).active
        assert sheet["A1"].font.bold and "A1" in sheet.merged_cells
        assert all(cell.font.bold for cell in sheet[2])
        assert {cell.fill.fgColor.rgb for cell in sheet[2]} == {"00DDEBF7"}
        assert sheet.freeze_panes == "A3"
        assert sheet.auto_filter.ref == f"A2:{last}"
        assert sheet.print_title_rows == "$1:$2"
        setup = sheet.page_setup
        assert (setup.orientation, setup.paperSize) == ("landscape", 9)  # A4
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        widths = {
            cell.column_letter: sheet.column_dimensions[cell.column_letter].width
            for cell in sheet[2]
        }
        assert max(widths.values()) <= 50
    office = load_workbook(tmp_path / "xlsx" / OFFICE_LIST).active
    # 序号 stays narrow; 问题地址 fits its URL; a CJK header counts double
    assert office.column_dimensions["A"].width < 10
    assert office.column_dimensions["E"].width >= len("http://www.csz.gov.cn/gone")
    assert office.column_dimensions["I"].width >= 2 * len("单项否决")


def test_each_row_carries_its_problem_in_a_hidden_column(tmp_path):
    write_all(RESULT, tmp_path)
    sheet = load_workbook(tmp_path / "xlsx" / OFFICE_LIST).active
    letter = column(sheet, "编号")
    assert sheet.column_dimensions[letter].hidden
    assert [sheet[f"{letter}{row}"].value for row in (3, 4, 5)] == [
        "site|csz|links.broken|http://www.csz.gov.cn/gone",
        "site|csz|a11y.image-alt|http://www.csz.gov.cn/",
        "account|jiaotong|newmedia.zombie|http://feeds/zombie.xml",
    ]


def test_crawled_text_never_becomes_a_formula(tmp_path):
    write_all(RESULT, tmp_path)
    sheet = load_workbook(tmp_path / "xlsx" / OFFICE_LIST).active
    assert (sheet["D3"].value, sheet["D3"].data_type) == (HOSTILE, "s")
    assert (sheet["G3"].value, sheet["G3"].data_type) == ("-旧版入口", "s")
    with (tmp_path / "findings.csv").open(encoding="utf-8-sig", newline="") as file:
        lines = list(csv.reader(file))
    assert lines[1][5] == "'" + HOSTILE


def test_summary_ranks_every_site_and_account(tmp_path):
    write_all(RESULT, tmp_path)
    summary = rows(tmp_path / "汇总.xlsx")
    assert summary[0][0] == "政府网站与政务新媒体检查结果汇总（检查日期：2026-11-27）"
    assert summary[1] == ("排名", "主办单位", "名称", "类别", "结论", "得分", "单项否决", "问题数")
    # those that pass first, then by score; 问题数 counts what the unit must fix (the waived
    # sitemap finding is in the CSV only); one 未完成 has no score, not 0
    assert summary[2:] == [
        (1, "苍山州人民政府办公室", "苍山州人民政府门户网站", "网站", "合格", 97.5, None, 2),
        (2, "苍山州人民政府办公室", "苍山交通", "政务新媒体", "不合格", 100, "newmedia.zombie", 1),
        (3, "苍山州发展和改革委员会", "苍山州发改委网站", "网站", "不合格", 90, "home.stale", 1),
        (4, "苍山州人民政府办公室", "苍山文旅", "政务新媒体", "未完成", None, None, 0),
    ]


def test_the_csv_covers_every_finding(tmp_path):
    write_all(RESULT, tmp_path)
    with (tmp_path / "findings.csv").open(encoding="utf-8-sig", newline="") as file:
        lines = list(csv.reader(file))
    assert [line[2] for line in lines[1:]] == [
        "links.broken",
        "a11y.image-alt",
        "identity.sitemap",
        "home.stale",
        "newmedia.zombie",
    ]
    assert lines[3][8] == "页头已有"


def test_a_scan_writes_the_exports(scan):
    with http_site({"/": "<html><title>首页</title><a href='/gone'>旧页</a></html>"}) as site:
        output = scan(site.url, "--checks", "links")
    [workbook] = (output.out / "xlsx").iterdir()
    assert workbook.name == "（未登记）-整改清单.xlsx"
    assert rows(workbook)[2][4] == site.url_for("/gone")
    assert (output.out / "findings.csv").exists() and (output.out / "汇总.xlsx").exists()
