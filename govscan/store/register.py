"""The register (台账) of government new-media accounts as offices keep it: an .xlsx workbook.

Only the first worksheet is read. Row 1 is the header; each later row is one account, and
empty rows are skipped. Columns are found by their header text, whatever their order; spaces,
full-width letters, letter case, ``*`` and a note in brackets are ignored, so ``账号 ID``,
``ＩＤ`` and ``是否报备（是/否）`` are all recognised. Columns with other headers (序号, 备注…)
are ignored.

=====================  ============================================  =========================
field                  header (first match wins when several exist)  values
=====================  ============================================  =========================
id (optional)          编号, ID                                      letters, digits, _ . -;
                                                                     empty: ``{platform}-{row}``
platform               平台, 账号类型, 类型                           微信/微信公众号/公众号,
                                                                     微博, 抖音, 今日头条/头条/
                                                                     头条号, 快手, 视频号, B站,
                                                                     其他… or the English names
name                   账号名称, 名称, 公众号名称
account_id (optional)  账号ID, 原始ID, 微信原始ID, 微信号, UID
unit                   主办单位, 开办主体, 运营单位, 单位
registered (optional)  是否报备, 报备, 已报备                         是/√/Y/1… or 否/×/N/0…;
                                                                     empty: 是
=====================  ============================================  =========================

Archive sources (归档/订阅来源), any number of columns, each filled cell one source:

- ``归档地址``, ``订阅地址``, ``RSS``, ``订阅源``: a feed, ``{type: feed, url}``;
- ``导出文件``, ``导出JSON``: an exporter's JSON, ``{type: exporter_json, url}``;
- ``文章链接``: WeChat article pages, ``{type: wechat_articles, urls}``, several URLs in one cell
  separated by line breaks, spaces, commas or 、;
- ``列表页``: a list page, ``{type: html_list, url, item, date}``, with the row's
  ``列表项选择器`` (CSS selector of one item) and ``日期格式`` (regular expression of its date).

A typed number stays as typed (``7712345678``, not ``7712345678.0``). A cell inside a merged
range below the header takes the range's value, as offices merge 主办单位 over its accounts.

Every problem of the file is reported in one :class:`InventoryError`, one line each, naming the
file, the sheet, the cell and what to do, in Chinese, as the people who keep the register read:
a missing required column, the same header twice, an unknown platform or 报备 value, an empty
账号名称 or 主办单位, a bad address, an id used twice. A missing file, an .xls or a file that is
not a workbook at all is an error too, with how to save the register as .xlsx, and so is a
workbook too big to read (a zip bomb), found from what its zip and sheets declare before it is
unpacked.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from govscan.lazy import lazy_import
from govscan.store.inventory import ERROR_TEXT, AccountEntry, ArchiveSource, InventoryError

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

openpyxl = lazy_import("openpyxl")  # an inventory's register is more often in its YAML

#: Header synonyms of each field, the preferred one first (it names the column in messages).
FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("编号", "ID"),
    "platform": ("平台", "账号类型", "类型"),
    "name": ("账号名称", "名称", "公众号名称"),
    "account_id": ("账号ID", "原始ID", "微信原始ID", "微信号", "UID"),
    "unit": ("主办单位", "开办主体", "运营单位", "单位"),
    "registered": ("是否报备", "报备", "已报备"),
}
REQUIRED = ("platform", "name", "unit")

#: Header synonyms of the archive columns, by ``ArchiveSource.type``.
ARCHIVES: dict[str, tuple[str, ...]] = {
    "feed": ("归档地址", "订阅地址", "RSS", "订阅源"),
    "exporter_json": ("导出文件", "导出JSON"),
    "wechat_articles": ("文章链接",),
    "html_list": ("列表页",),
}
LIST_ITEM = "列表项选择器"
LIST_DATE = "日期格式"

PLATFORMS: dict[str, tuple[str, ...]] = {
    "wechat": ("微信", "微信公众号", "公众号", "微信订阅号", "微信服务号", "wechat"),
    "weibo": ("微博", "新浪微博", "weibo"),
    "douyin": ("抖音", "抖音号", "douyin"),
    "toutiao": ("今日头条", "头条", "头条号", "toutiao"),
    "other": (
        "其他", "其它", "快手", "视频号", "微信视频号", "B站", "哔哩哔哩", "bilibili", "小红书",
        "百家号", "企鹅号", "网易号", "人民号", "澎湃号", "知乎", "西瓜视频", "客户端", "APP",
        "小程序", "微信小程序", "other",
    ),
}  # fmt: skip
YES = ("是", "已报备", "已备案", "√", "✓", "✔", "Y", "yes", "true", "1")
NO = ("否", "未报备", "未备案", "×", "✗", "✘", "N", "no", "false", "0")

URL_SEPARATORS = re.compile(r"[\s,，、;；]+")

#: The most bytes a register may take, on disk and unpacked: room for tens of thousands of
#: accounts, while openpyxl needs some six times the sheets' size in memory.
MAX_REGISTER_BYTES = 20 * 2**20
#: The most cells openpyxl may make of a register: those of its merged ranges, and those read
#: under the header (one stray cell in row 1,000,000 would make millions of empty ones).
MAX_REGISTER_CELLS = 500_000
#: Excel's own row limit: a sheet that declares more was not saved by Excel or WPS.
EXCEL_MAX_ROWS = 1_048_576
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"([^\"]+)\"")
MERGE_CELL = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([^\"]+)\"")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx
ZIP_MAGIC = b"PK\x03\x04"


def _normalize(text: str) -> str:
    """The form headers and values are compared in, so that a clerk's spacing does not matter."""
    text = unicodedata.normalize("NFKC", text)  # full-width letters, brackets and spaces
    return re.sub(r"\(.*?\)|[\s*:]", "", text).casefold()


def _lookup(table: dict[Any, tuple[str, ...]]) -> dict[str, Any]:
    return {_normalize(word): key for key, words in table.items() for word in words}


PLATFORM_OF: dict[str, str] = _lookup(PLATFORMS)
REGISTERED_OF: dict[str, bool] = _lookup({True: YES, False: NO})


@dataclass(frozen=True)
class Column:
    """A header cell; messages name it by letter and by the header the office wrote."""

    index: int  # 1-based
    header: str

    def at(self, row: int) -> str:
        return (
            f"第 {row} 行 {openpyxl.utils.cell.get_column_letter(self.index)} 列（{self.header}）"
        )

    def value(self, values: tuple[Any, ...]) -> str | None:
        return cell_text(values[self.index - 1]) if self.index <= len(values) else None


@dataclass
class Layout:
    """Where each field is in the sheet."""

    fields: dict[str, Column]
    archives: list[tuple[str, Column]]  # (ArchiveSource.type, column), left to right
    list_item: Column | None
    list_date: Column | None


@dataclass
class Row:
    """One account row being read: what it says so far and what is wrong with it."""

    number: int
    data: dict[str, Any] = field(default_factory=dict)
    unknown: set[str] = field(default_factory=set)  # fields already reported as unreadable
    problems: list[str] = field(default_factory=list)  # without the file and sheet


def load_register(path: str | Path) -> list[AccountEntry]:
    """Read the accounts of an .xlsx register; every problem of the file is reported at once."""
    path = Path(path)
    sheet = _first_sheet(path)
    where = f"{path} 工作表「{sheet.title}」"
    header = _header(sheet)
    layout, problems = _layout(header)
    if problems:
        raise InventoryError("\n".join(where + problem for problem in problems))
    cells = (sheet.max_row - 1) * len(header)
    if cells > MAX_REGISTER_CELLS:
        raise InventoryError(
            f"{where}：表格用到了第 {sheet.max_row} 行，要读取的单元格过多（{cells:,} 个，"
            f"上限 {MAX_REGISTER_CELLS:,} 个）；请删除账号下方多余的行，或把台账按单位拆成几个文件"
        )
    entries: list[AccountEntry] = []
    first_row: dict[str, int] = {}  # account id → the row that has it
    for number, values in _rows(sheet, len(header)):
        row = _read_row(number, values, layout)
        entry = _validate(row, layout)
        if entry is not None and entry.id in first_row:
            row.problems.append(_duplicate(row, values, layout, first_row[entry.id]))
        elif entry is not None:
            first_row[entry.id] = number
            entries.append(entry)
        problems += row.problems
    if problems:
        raise InventoryError("\n".join(where + problem for problem in problems))
    return entries


def _first_sheet(path: Path) -> Worksheet:
    """Open the workbook from its bytes, so that what it is decides, not its file name."""
    data = xlsx_bytes(path, InventoryError, "找不到台账文件，请检查路径和文件名", _too_large)
    if data.startswith(OLE_MAGIC) or path.suffix.lower() == ".xls":
        raise InventoryError(
            f"{path}：这是旧版 Excel（.xls）或加了密码的工作簿，无法读取；"
            "请在 Excel 或 WPS 中去掉密码并“另存为” .xlsx 格式后再导入"
        )
    not_xlsx = "不是 .xlsx 工作簿，请在 Excel 或 WPS 中打开并“另存为” .xlsx 格式后再导入"
    workbook = open_xlsx(path, data, InventoryError, not_xlsx, _too_large)
    if not workbook.worksheets:
        raise InventoryError(f"{path}：工作簿中没有工作表")
    return workbook.worksheets[0]


def xlsx_bytes(
    path: Path, error: type[Exception], missing: str, too_large: Callable[[str], str]
) -> bytes:
    """The bytes of a workbook a user gives, refused with ``error`` before a large file is
    read: ``missing`` when there is none, ``too_large`` saying its size."""
    try:
        if (size := path.stat().st_size) > MAX_REGISTER_BYTES:
            raise error(f"{path}：" + too_large(f"文件有 {size / 2**20:.0f} MB"))
        return path.read_bytes()
    except FileNotFoundError:
        raise error(f"{path}：{missing}") from None
    except OSError as problem:
        raise error(f"{path}：无法读取（{problem.strerror}）") from None


def open_xlsx(
    path: Path, data: bytes, error: type[Exception], not_xlsx: str, too_large: Callable[[str], str]
) -> Workbook:
    """The workbook in ``data``, opened only when what its zip declares is within bounds
    (``too_big_to_open``); anything that is not a readable .xlsx is ``error(not_xlsx)``."""
    if not data.startswith(ZIP_MAGIC):
        raise error(f"{path}：{not_xlsx}")
    try:
        problem = too_big_to_open(data, too_large)
        workbook = None if problem else openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as damaged:  # a damaged workbook can break zipfile and openpyxl in any way
        raise error(f"{path}：{not_xlsx}") from damaged
    if problem:
        raise error(f"{path}：{problem}")
    return workbook


def _too_large(size: str) -> str:
    return (
        f"台账过大（{size}，上限 {MAX_REGISTER_BYTES // 2**20} MB），不像是账号台账；"
        "请检查是否选错了文件，或把台账按单位拆成几个文件"
    )


def too_big_to_open(data: bytes, too_large: Callable[[str], str] = _too_large) -> str | None:
    """What makes the workbook too big to open, judged before openpyxl unpacks it: the sizes
    its zip declares (zipfile never unpacks more than that), the rows each sheet declares, and
    the cells of its merged ranges (openpyxl makes an object of each). ``too_large`` says a
    size is too large, in the words for the kind of file. Any workbook a user hands over is
    opened after it, the returned 整改清单 too."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        if (unpacked := sum(member.file_size for member in members)) > MAX_REGISTER_BYTES:
            return too_large(f"解压后有 {unpacked / 2**20:.0f} MB")
        parts = [archive.read(m) for m in members if m.filename.endswith(".xml")]
    for xml in parts:  # wherever the workbook keeps its sheets
        dimension = DIMENSION.search(xml)
        if dimension and (rows := _bounds(dimension[1])[3]) > EXCEL_MAX_ROWS:
            return (
                f"工作表声明有 {rows:,} 行，超过 Excel 的 {EXCEL_MAX_ROWS:,} 行上限，"
                "文件已损坏或被改动过；请在 Excel 或 WPS 中打开并“另存为” .xlsx 格式后再导入"
            )
        merged = sum(_area(_bounds(ref)) for ref in MERGE_CELL.findall(xml))
        if merged > MAX_REGISTER_CELLS:
            return (
                f"合并单元格的范围过大（共 {merged:,} 个单元格，上限 {MAX_REGISTER_CELLS:,} 个），"
                "请取消多余的合并后再导入"
            )
    return None


def _bounds(ref: bytes) -> tuple[int, int, int, int]:
    """(first column, first row, last column, last row) of a range such as A1:E20."""
    bounds = openpyxl.utils.cell.range_boundaries(ref.decode("ascii").replace("$", ""))
    if None in bounds:  # a whole row or column: not what Excel writes in these places
        raise ValueError(f"not a range of cells: {ref!r}")
    return bounds


def _area(bounds: tuple[int, int, int, int]) -> int:
    first_column, first_row, last_column, last_row = bounds
    return (last_column - first_column + 1) * (last_row - first_row + 1)


def _header(sheet: Worksheet) -> tuple[Any, ...]:
    """Row 1 up to its last filled cell: the header is row 1, always."""
    values = next(sheet.iter_rows(max_row=1, values_only=True), ())
    filled = [index for index, value in enumerate(values, 1) if cell_text(value) is not None]
    return values[: max(filled, default=0)]


def _rows(sheet: Worksheet, width: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, cell values) of the non-empty rows under the header, as far to the right
    as the header goes, merged cells filled with their value."""
    merged = _merged_values(sheet)
    rows = sheet.iter_rows(min_row=2, max_col=width, values_only=True)
    for number, values in enumerate(rows, start=2):
        if all(cell_text(value) is None for value in values):
            continue
        filled = (merged.get((number, index), value) for index, value in enumerate(values, 1))
        yield number, tuple(filled)


def _merged_values(sheet: Worksheet) -> dict[tuple[int, int], Any]:
    """{(row, column): value} of the hidden cells of merged ranges below the header."""
    values = {}
    for cells in sheet.merged_cells.ranges:
        if cells.min_row < 2:
            continue
        value = sheet.cell(cells.min_row, cells.min_col).value
        for row, column in cells.cells:
            values[row, column] = value
    return values


def cell_text(value: Any) -> str | None:
    """A cell as trimmed text, None when empty; Excel keeps typed numbers as floats."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = "" if value is None else str(value).strip()
    return text or None


def _layout(header: tuple[Any, ...]) -> tuple[Layout, list[str]]:
    """Find the columns by header text; problems are those of row 1."""
    found: dict[str, list[Column]] = {}
    for index, value in enumerate(header, start=1):
        text = cell_text(value)
        if text is not None:
            found.setdefault(_normalize(text), []).append(Column(index, text))
    fields: dict[str, Column] = {}
    problems = []
    for name, synonyms in FIELDS.items():
        columns = next((found[key] for key in map(_normalize, synonyms) if key in found), [])
        if columns:
            fields[name] = columns[0]
        elif name in REQUIRED:
            listed = "、".join(synonyms)
            problems.append(f"第 1 行：缺少“{synonyms[0]}”列（可用的列名：{listed}）")
        if len(columns) > 1:
            letters = "、".join(openpyxl.utils.cell.get_column_letter(c.index) for c in columns)
            problems.append(f"第 1 行：{letters} 列都是“{columns[0].header}”，请只保留一列")
    archives = [
        (kind, column)
        for kind, synonyms in ARCHIVES.items()
        for synonym in synonyms
        for column in found.get(_normalize(synonym), [])
    ]
    archives.sort(key=lambda archive: archive[1].index)
    item, date = (found.get(_normalize(name), [None])[0] for name in (LIST_ITEM, LIST_DATE))
    return Layout(fields, archives, item, date), problems


def _read_row(number: int, values: tuple[Any, ...], layout: Layout) -> Row:
    """Turn the cells of a row into AccountEntry fields, noting cells that cannot be read."""
    row = Row(number)
    cells = {name: column.value(values) for name, column in layout.fields.items()}
    for name in ("name", "unit", "account_id"):
        if cells.get(name) is not None:
            row.data[name] = cells[name]
    _read_platform(row, cells.get("platform"), layout.fields["platform"])
    if cells.get("registered") is not None:
        _read_registered(row, cells["registered"], layout.fields["registered"])
    if cells.get("id") is not None:
        row.data["id"] = cells["id"]
    elif "platform" in row.data:
        row.data["id"] = f"{row.data['platform']}-{number}"
    else:
        row.unknown.add("id")  # cannot be made up without the platform, reported there
    for kind, column in layout.archives:
        _read_archive(row, kind, column, values, layout)
    return row


def _read_platform(row: Row, text: str | None, column: Column) -> None:
    if text is None:
        return  # reported as missing when validated
    platform = PLATFORM_OF.get(_normalize(text))
    if platform is None:
        row.unknown.add("platform")
        row.problems.append(
            f"{column.at(row.number)}：无法识别的平台“{text}”，"
            "应为 微信、微博、抖音、今日头条 或 其他"
        )
    else:
        row.data["platform"] = platform


def _read_registered(row: Row, text: str, column: Column) -> None:
    registered = REGISTERED_OF.get(_normalize(text))
    if registered is None:
        row.problems.append(
            f"{column.at(row.number)}：无法识别的报备情况“{text}”，应为 是 或 否（留空视为已报备）"
        )
    else:
        row.data["registered"] = registered


def _read_archive(
    row: Row, kind: str, column: Column, values: tuple[Any, ...], layout: Layout
) -> None:
    """Add the source a filled archive cell names, checked on its own so errors name the cell."""
    text = column.value(values)
    if text is None:
        return
    source: dict[str, Any] = {"type": kind, "url": text}
    if kind == "wechat_articles":
        source = {"type": kind, "urls": [url for url in URL_SEPARATORS.split(text) if url]}
    elif kind == "html_list":
        item = layout.list_item.value(values) if layout.list_item else None
        date = layout.list_date.value(values) if layout.list_date else None
        if item is None or date is None:
            row.problems.append(
                f"{column.at(row.number)}：填写了列表页，还需在“{LIST_ITEM}”列填写列表项的 CSS "
                f"选择器、在“{LIST_DATE}”列填写日期的正则表达式"
            )
            return
        source.update(item=item, date=date)
    try:
        row.data.setdefault("archives", []).append(ArchiveSource.model_validate(source))
    except ValidationError as error:
        place = column.at(row.number)
        row.problems += [f"{place}：{_explain(problem)}" for problem in error.errors()]


def _validate(row: Row, layout: Layout) -> AccountEntry | None:
    """The row's AccountEntry, or None with the model's complaints added to the row's problems."""
    try:
        entry = AccountEntry.model_validate(row.data)
    except ValidationError as error:
        for problem in error.errors():
            loc = problem["loc"]
            if loc[0] in row.unknown:
                continue
            column = layout.fields.get(str(loc[0]))
            place = column.at(row.number) if column else f"第 {row.number} 行"
            row.problems.append(f"{place}：{_explain(problem)}")
        return None
    return entry if not row.problems else None


def _explain(problem: Any) -> str:
    """Pydantic's complaint about one field as what the clerk should do about the cell."""
    kind = problem["type"]
    if kind == "missing":
        return "不能为空，请填写"
    if kind == "string_pattern_mismatch" and problem["loc"] == ("id",):
        return (
            f"编号“{problem['input']}”只能由英文字母、数字和 _ . - 组成（最多 64 个字符），"
            "请改写，或留空由程序生成"
        )
    if kind == "value_error":
        return f"{problem['ctx']['error']}，请改正"
    return f"{ERROR_TEXT.get(kind, problem['msg'])}，请改正"


def _duplicate(row: Row, values: tuple[Any, ...], layout: Layout, first: int) -> str:
    entry_id = row.data["id"]
    column = layout.fields.get("id")
    if column is not None and column.value(values) is not None:
        return f"{column.at(row.number)}：编号“{entry_id}”与第 {first} 行重复，请改用不重复的编号"
    return (
        f"第 {row.number} 行：自动生成的编号“{entry_id}”与第 {first} 行重复，"
        "请在“编号”列为其中一行填写不重复的编号"
    )
