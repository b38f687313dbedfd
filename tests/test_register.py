"""The .xlsx register of new-media accounts: headers found by name, every mistake names its cell."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from govscan.store.inventory import AccountEntry, ArchiveSource, InventoryError
from govscan.store.register import load_register

HEADER = "序号 编号 平台 账号名称 原始ID 主办单位 是否报备 归档地址 文章链接".split()
UNIT = "苍山州人民政府办公室"
ARTICLE = "https://mp.weixin.qq.com/s/"


def workbook(tmp_path: Path, rows: list[list], sheet: str = "政务新媒体") -> Path:
    """Save ``rows`` (the header first) as the first worksheet of register.xlsx."""
    book = Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(row)
    book.create_sheet("说明").append(["这张表不应被读取"])
    path = tmp_path / "register.xlsx"
    book.save(path)
    return path


def error_of(path: Path) -> str:
    with pytest.raises(InventoryError) as caught:
        load_register(path)
    return str(caught.value)


def account(*cells) -> list:
    """A row of HEADER: 序号 and 编号 empty unless given."""
    return [None, None, *cells]


def test_a_typical_register(tmp_path):
    path = workbook(
        tmp_path,
        [
            HEADER,
            [1, "csz-fabu", "微信公众号", "苍山发布", "gh_0123456789ab", UNIT, "是",
             "https://rss.csz.gov.cn/fabu.xml", None],
            [2, None, "微博", "苍山州发布", 7712345678, "苍山州委宣传部", "否", None, None],
            [None, None, None, "  ", None],
            [3, None, "公众号", "苍山应急", None, "苍山州应急管理局", None, None,
             f"{ARTICLE}a1\n{ARTICLE}b2、{ARTICLE}c3, {ARTICLE}d4"],
            [4, None, "今日头条", "苍山州公安", None, "苍山州公安局", "√", None, None],
            [5, None, "快手", "苍山文旅", 1e17, "苍山州文化和旅游局", "×", None, None],
            [6, None, "douyin", "苍山消防", None, "苍山州消防救援支队", "N", None, None],
        ],
    )  # fmt: skip
    assert load_register(path) == [
        AccountEntry(
            id="csz-fabu",
            platform="wechat",
            name="苍山发布",
            account_id="gh_0123456789ab",
            unit=UNIT,
            registered=True,
            archives=[ArchiveSource(type="feed", url="https://rss.csz.gov.cn/fabu.xml")],
        ),
        AccountEntry(
            id="weibo-3",
            platform="weibo",
            name="苍山州发布",
            account_id="7712345678",
            unit="苍山州委宣传部",
            registered=False,
        ),
        AccountEntry(
            id="wechat-5",
            platform="wechat",
            name="苍山应急",
            unit="苍山州应急管理局",
            archives=[
                ArchiveSource(
                    type="wechat_articles",
                    urls=[f"{ARTICLE}a1", f"{ARTICLE}b2", f"{ARTICLE}c3", f"{ARTICLE}d4"],
                )
            ],
        ),
        AccountEntry(id="toutiao-6", platform="toutiao", name="苍山州公安", unit="苍山州公安局"),
        AccountEntry(
            id="other-7",
            platform="other",
            name="苍山文旅",
            account_id="100000000000000000",  # Excel writes long numbers as 1E+17
            unit="苍山州文化和旅游局",
            registered=False,
        ),
        AccountEntry(
            id="douyin-8",
            platform="douyin",
            name="苍山消防",
            unit="苍山州消防救援支队",
            registered=False,
        ),
    ]


def test_header_synonyms_and_merged_units(tmp_path):
    path = workbook(
        tmp_path,
        [
            ["ＩＤ", " 账号类型 ", "公众号名称", "账号 ID", "运营单位", "已报备（是/否）", "RSS",
             "导出JSON", "列表页", "列表项选择器", "日期格式", "备注"],
            ["fabu", "头条号", "苍山发布", "gh_1", UNIT, "yes", None, "https://x.csz.gov.cn/a.json",
             "https://www.csz.gov.cn/xmt/", "ul.list li", r"\d{4}-\d{2}-\d{2}", "随便写"],
            [None, "微信", "苍山政务", None, UNIT, None, "https://rss.csz.gov.cn/zw.xml"],
        ],
    )  # fmt: skip
    book_path = path.with_name("merged.xlsx")
    book = Workbook()
    for row in [["平台", "名称", "单位"], ["微博", "甲", UNIT], ["微博", "乙", None]]:
        book.active.append(row)
    book.active.merge_cells("C2:C3")
    book.save(book_path)

    assert load_register(path) == [
        AccountEntry(
            id="fabu",
            platform="toutiao",
            name="苍山发布",
            account_id="gh_1",
            unit=UNIT,
            archives=[
                ArchiveSource(type="exporter_json", url="https://x.csz.gov.cn/a.json"),
                ArchiveSource(
                    type="html_list",
                    url="https://www.csz.gov.cn/xmt/",
                    item="ul.list li",
                    date=r"\d{4}-\d{2}-\d{2}",
                ),
            ],
        ),
        AccountEntry(
            id="wechat-3",
            platform="wechat",
            name="苍山政务",
            unit=UNIT,
            archives=[ArchiveSource(type="feed", url="https://rss.csz.gov.cn/zw.xml")],
        ),
    ]
    assert [(a.name, a.unit) for a in load_register(book_path)] == [("甲", UNIT), ("乙", UNIT)]


def test_a_missing_column_lists_its_names(tmp_path):
    path = workbook(tmp_path, [["平台", "主办单位", "账号"], ["微信", UNIT, "苍山发布"]])
    assert error_of(path) == (
        f"{path} 工作表「政务新媒体」第 1 行："
        "缺少“账号名称”列（可用的列名：账号名称、名称、公众号名称）"
    )


def test_an_unknown_platform_names_its_cell(tmp_path):
    path = workbook(
        tmp_path,
        [HEADER, account("微信", "苍山发布", None, UNIT), account("公众号2", "甲", None, UNIT)],
    )
    assert error_of(path) == (
        f"{path} 工作表「政务新媒体」第 3 行 C 列（平台）：无法识别的平台“公众号2”，"
        "应为 微信、微博、抖音、今日头条 或 其他"
    )


def test_a_bad_url_names_its_cell(tmp_path):
    path = workbook(tmp_path, [HEADER, account("微博", "甲", None, UNIT, "是", "rss.csz.gov.cn/a")])
    assert error_of(path) == (
        f"{path} 工作表「政务新媒体」第 2 行 H 列（归档地址）："
        "应为以 http:// 或 https:// 开头的网址：rss.csz.gov.cn/a，请改正"
    )


def test_every_problem_of_the_file_is_reported_at_once(tmp_path):
    path = workbook(
        tmp_path,
        [
            HEADER,
            [1, "fabu", "微信", "苍山发布", None, UNIT],
            [2, "苍山", "视频号", "甲", None, UNIT, "待定"],
            [3, None, "B站", None, None, None],
            [4, "fabu", "微博", "乙", None, UNIT],
            [5, None, "抖音", "丙", None, UNIT, None, None, f"{ARTICLE}x ftp://x.cn/y"],
            [6, None, "公众号2", "丁", None, UNIT, None, "x.xml"],
            [7, "wechat-9", "微信", "戊", None, UNIT],
            [8, None, "微信", "己", None, UNIT],
        ],
    )
    where = f"{path} 工作表「政务新媒体」"
    lines = error_of(path).splitlines()
    assert all(line.startswith(where) for line in lines)
    assert [line.removeprefix(where) for line in lines] == [
        "第 3 行 G 列（是否报备）：无法识别的报备情况“待定”，应为 是 或 否（留空视为已报备）",
        "第 3 行 B 列（编号）：编号“苍山”只能由英文字母、数字和 _ . - 组成（最多 64 个字符），"
        "请改写，或留空由程序生成",
        "第 4 行 D 列（账号名称）：不能为空，请填写",
        "第 4 行 F 列（主办单位）：不能为空，请填写",
        "第 5 行 B 列（编号）：编号“fabu”与第 2 行重复，请改用不重复的编号",
        "第 6 行 I 列（文章链接）：应为以 http:// 或 https:// 开头的网址：ftp://x.cn/y，请改正",
        "第 7 行 C 列（平台）：无法识别的平台“公众号2”，应为 微信、微博、抖音、今日头条 或 其他",
        "第 7 行 H 列（归档地址）：应为以 http:// 或 https:// 开头的网址：x.xml，请改正",
        "第 9 行：自动生成的编号“wechat-9”与第 8 行重复，请在“编号”列为其中一行填写不重复的编号",
    ]


def test_header_problems_come_together(tmp_path):
    path = workbook(tmp_path, [["名称", "账号名称", "账号名称", "序号"]], sheet="Sheet1")
    assert error_of(path).splitlines() == [
        f"{path} 工作表「Sheet1」第 1 行：缺少“平台”列（可用的列名：平台、账号类型、类型）",
        f"{path} 工作表「Sheet1」第 1 行：B、C 列都是“账号名称”，请只保留一列",
        f"{path} 工作表「Sheet1」第 1 行：缺少“主办单位”列"
        "（可用的列名：主办单位、开办主体、运营单位、单位）",
    ]


def test_a_list_page_needs_its_selector_and_date(tmp_path):
    path = workbook(
        tmp_path, [["平台", "名称", "单位", "列表页"], ["微博", "甲", UNIT, "https://a.cn/"]]
    )
    assert error_of(path) == (
        f"{path} 工作表「政务新媒体」第 2 行 D 列（列表页）：填写了列表页，"
        "还需在“列表项选择器”列填写列表项的 CSS 选择器、在“日期格式”列填写日期的正则表达式"
    )


def test_a_header_only_register_has_no_accounts(tmp_path):
    assert load_register(workbook(tmp_path, [HEADER])) == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "register.csv",
            "平台,账号名称,主办单位\n微信,苍山发布,苍山州\n".encode(),
            "不是 .xlsx 工作簿，请在 Excel 或 WPS 中打开并“另存为” .xlsx 格式后再导入",
        ),
        (
            "register.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
            "这是旧版 Excel（.xls）或加了密码的工作簿，无法读取；"
            "请在 Excel 或 WPS 中去掉密码并“另存为” .xlsx 格式后再导入",
        ),
        (
            "register.xls",
            b"",
            "这是旧版 Excel（.xls）或加了密码的工作簿，无法读取；"
            "请在 Excel 或 WPS 中去掉密码并“另存为” .xlsx 格式后再导入",
        ),
        (
            "register.xlsx",
            b"PK\x03\x04 not really a zip",
            "不是 .xlsx 工作簿，请在 Excel 或 WPS 中打开并“另存为” .xlsx 格式后再导入",
        ),
    ],
)
def test_a_file_that_is_not_xlsx(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    assert error_of(path) == f"{path}：{message}"


def test_a_zip_that_is_not_a_workbook(tmp_path):
    import zipfile

    path = tmp_path / "register.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert error_of(path) == (
        f"{path}：不是 .xlsx 工作簿，请在 Excel 或 WPS 中打开并“另存为” .xlsx 格式后再导入"
    )


def test_a_missing_file(tmp_path):
    path = tmp_path / "台账.xlsx"
    assert error_of(path) == f"{path}：找不到台账文件，请检查路径和文件名"
