"""What an article page says about itself: its 信息公开 metadata, publication date and 文号.

Real pages from every CMS vendor write these in their own ways; the hard part is not reading
a date or a 文号 but telling the page's own from the others it shows: the 生成日期 of the
metadata table, a 报名时间 in the text, the dates of a sidebar's list, a 文号 the document
cites. Written here rather than with a generic extractor because those distinctions are the
field's own.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, fields
from itertools import accumulate

import lxml.etree

from govscan.markup import TITLE_SUFFIX, squeezed

_TEXT_NODES = lxml.etree.XPath("descendant-or-self::text()", smart_strings=False)
#: The 信息公开 metadata table's fields and the labels CMSs give them (spaces removed).
TABLE_LABELS = {
    "index_no": ("索引号", "信息索引号", "信息索引", "索引"),
    "publisher": ("发布机构", "发文机关", "发文单位", "发布单位", "发布主体", "公开责任部门"),
    "written_date": ("成文日期", "成文时间", "发文日期", "印发日期", "生成日期"),
    "disclosure_date": ("发布日期", "公开日期", "公布日期", "发布时间"),
    "doc_number": ("发文字号", "发文文号", "文件编号", "文号"),  # not 字号: the font size
    "attribute": ("公开方式", "公开属性", "公开形式", "公开类型"),
    "validity": ("有效性", "时效性", "效力状态", "是否有效"),
    "topic": ("主题分类", "信息分类", "分类"),
}
_LABEL_FIELD = {label: name for name, labels in TABLE_LABELS.items() for label in labels}
_LABEL_STARTS = frozenset(label[0] for label in _LABEL_FIELD)
#: A label that opens a chunk, or follows a value inside it (索引号：X 发布机构：Y); spaces may
#: stand inside it (索 引 号); a colon or the chunk's end after it.
_CHUNK_LABEL = re.compile(
    r"(?:^|(?<=\s))(?P<label>"
    + "|".join(r"\s*".join(label) for label in sorted(_LABEL_FIELD, key=len, reverse=True))
    + r")\s*(?:[:：]\s*|$)"
)
#: Fewest fields that make a block of labels a metadata table, not a stray 发布时间 line.
MIN_TABLE_FIELDS = 3
MAX_VALUE_CHARS = 120
NOTHING = frozenset({"", "-", "--", "—", "/"})  # an empty cell; 无 is written as it stands

#: A 文号 such as 苍政发〔2024〕12号: the issuer's short name, the bracketed year, the number.
DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}\s*[〔［\[(（【]\s*(?:19|20)\d{2}\s*[〕］\])）】]\s*第?\s*\d{1,5}\s*号"
)
#: Labels that only name the publication date; weak ones need a word boundary before them.
STRONG_DATE_LABEL = r"发布(?:日期|时间)|发表(?:日期|时间)|公开日期|发稿时间|发布于"
WEAK_DATE_LABEL = r"(?:更新|信息|录入|上传|添加|刊发|文章)?(?:日期|时间)"
_LABEL_GAP = r"\s*[:：]?\s*[\[【（(]?\s*"
PUBLICATION_LABEL = re.compile(
    rf"(?:{STRONG_DATE_LABEL}|(?<![\u4e00-\u9fff]){WEAK_DATE_LABEL}){_LABEL_GAP}"
)
STRONG_LABEL = re.compile(rf"(?:{STRONG_DATE_LABEL}){_LABEL_GAP}")
#: A full date with its year, as article headers print it (a time may follow).
FULL_DATE = re.compile(
    r"(?<!\d)(?:19|20)\d{2}(?:[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)|\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
)
#: Chunks around the title where its byline (source, date, views) stands.
HEADER_CHUNKS = 8
#: A bare date belongs to the title only in the few short lines right after it.
BYLINE_CHUNKS = 4
BYLINE_CHARS = 40
#: Lines after a dated line where a list's next dated row would stand.
LIST_REACH = 8
#: Where the lines after the title turn to other articles, or to the text itself.
PROSE = re.compile(r"相关|关联|推荐|热点|排行|上一篇|下一篇|[，。；！？]")
#: Words of a site's notice (footer lines where no container says so).
SITE_NOTICE = re.compile(
    r"版权所有|copyright|©|主办单位|ICP\s*备|公网安备|网站标识码", re.IGNORECASE
)
NOTICE_REACH = 60
#: Any label of a date; the publication's own were looked for first.
OTHER_DATE_LABEL = re.compile(r"(?:日期|时间)\s*[:：]")
MIN_TITLE = 4
TITLE_PREFIX = 12


@dataclass(frozen=True, slots=True)
class MetadataTable:
    """The 信息公开 table above a document: raw values as the page writes them."""

    index_no: str | None = None
    publisher: str | None = None
    written_date: str | None = None
    disclosure_date: str | None = None
    doc_number: str | None = None
    attribute: str | None = None
    validity: str | None = None
    topic: str | None = None

    def as_dict(self) -> dict[str, str]:
        return {f.name: v for f in fields(self) if (v := getattr(self, f.name)) is not None}


def text_chunks(element: lxml.etree._Element) -> list[str]:
    """The text nodes of ``element`` in reading order, each collapsed, without empty ones.

    Call it after ``markup.drop_furniture``: the dates and labels of the page's header and
    footer are not the article's."""
    return [collapsed for text in _TEXT_NODES(element) if (collapsed := " ".join(text.split()))]


@dataclass(frozen=True, slots=True)
class Article:
    """What an article page says about itself, as it writes it."""

    table: MetadataTable
    date_text: str | None  # the publication date a visitor reads
    doc_number: str | None  # its own 文号, without spaces


def read_article(chunks: list[str], title: str) -> Article:
    """The facts of the page whose text is ``chunks`` and whose own title is ``title``; the
    labels and the title's place are found once and shared by the readers below."""
    labels = list(labelled_chunks(chunks))
    table = metadata_table(chunks, labels)
    heading = title_chunk(chunks, title)
    return Article(
        table,
        publication_date_text(chunks, heading, table),
        own_doc_number(chunks, title, heading, table, labels),
    )


Label = tuple[int, str, str]  # (index of its chunk, field, value)


def metadata_table(chunks: list[str], labels: list[Label]) -> MetadataTable:
    """The first value of each field of the page's metadata table, when it has one."""
    found: dict[str, str] = {}
    for index, name, value in labels:
        if name in found:
            continue
        if not value:  # the value is in the next cell
            value = next_value(chunks, index + 1)
        if value and value not in NOTHING:
            found[name] = value[:MAX_VALUE_CHARS]
    return MetadataTable(**found) if len(found) >= MIN_TABLE_FIELDS else MetadataTable()


def labelled_chunks(chunks: list[str]) -> Iterator[Label]:
    """``(index, field, value)`` for each label of the chunks that start with one."""
    for index, chunk in enumerate(chunks):
        if chunk[0] in _LABEL_STARTS:  # the cheap test first: most chunks are not labels
            for name, value in labelled_values(chunk):
                yield index, name, value


def labelled_values(chunk: str) -> list[tuple[str, str]]:
    """``(field, value)`` for each label of a chunk that starts with one."""
    if not _CHUNK_LABEL.match(chunk):
        return []
    labels = list(_CHUNK_LABEL.finditer(chunk))
    ends = [label.start() for label in labels[1:]] + [len(chunk)]
    return [
        (_LABEL_FIELD[re.sub(r"\s", "", label["label"])], chunk[label.end() : end].strip())
        for label, end in zip(labels, ends, strict=True)
    ]


def next_value(chunks: list[str], start: int) -> str | None:
    """The chunk after a label, unless it is itself a label (the cell was empty)."""
    if start >= len(chunks) or _CHUNK_LABEL.match(chunks[start]):
        return None
    return chunks[start].lstrip(":：").strip()


def publication_date_text(
    chunks: list[str], heading: int | None, table: MetadataTable
) -> str | None:
    """The text of the date a visitor reads as the page's publication date, or None.

    The metadata table's 发布日期 first; then a date labelled as the publication's near the
    title (a weak label such as 时间 only there); then one printed bare in the short lines
    right after the title, as many templates do; last, a strong label anywhere.
    """
    if table.disclosure_date and (date := FULL_DATE.search(table.disclosure_date)):
        return date.group(0)
    if heading is not None:
        around = " ".join(chunks[max(0, heading - HEADER_CHUNKS) : heading + HEADER_CHUNKS])
        if date := labelled_date(around, PUBLICATION_LABEL):
            return date
        if date := bare_date_after(chunks, heading):
            return date
    return labelled_date(" ".join(chunks), STRONG_LABEL)


def labelled_date(text: str, label_pattern: re.Pattern[str]) -> str | None:
    """The first full date written right after one of the labels."""
    for label in label_pattern.finditer(text):
        if SITE_NOTICE.search(text, max(0, label.start() - NOTICE_REACH), label.start()):
            continue  # 版权所有… 更新时间: the site's, not the article's
        if (date := FULL_DATE.match(text, label.end())) is not None:
            return date.group(0)
    return None


def title_chunk(chunks: list[str], title: str) -> int | None:
    """The index of the chunk where the article's own title ends, if the page shows it.

    Titles are broken over lines (<br>) and spaced differently than in <title>, so the
    comparison ignores white space, and falls back to the title's first words.
    """
    title = squeezed(TITLE_SUFFIX.split(title, 1)[0])
    if len(title) < MIN_TITLE:
        return None
    # the chunks are collapsed: a space is their only white space
    text = "".join(chunks).replace(" ", "")
    ends = list(accumulate(len(chunk) - chunk.count(" ") for chunk in chunks))
    for key in (title, title[:TITLE_PREFIX]):
        if (found := text.find(key)) >= 0:
            return bisect_left(ends, found + len(key))
    return None


def bare_date_after(chunks: list[str], heading: int) -> str | None:
    """A date in one of the short lines that follow the title (source, views, date), unless
    more short dated lines follow it: then the title heads a list, not an article."""
    for index in range(heading + 1, min(len(chunks), heading + 1 + BYLINE_CHUNKS)):
        chunk = chunks[index]
        if len(chunk) > BYLINE_CHARS or PROSE.search(chunk):
            return None
        if OTHER_DATE_LABEL.search(chunk):  # 生成日期, 报名时间: a date, not the publication's
            continue
        if (date := FULL_DATE.search(chunk)) is not None:
            return (
                None if heads_a_list(chunks[index + 1 : index + 1 + LIST_REACH]) else date.group(0)
            )
    return None


def heads_a_list(following: list[str]) -> bool:
    """Whether more short dated lines follow, before any text or other articles begin."""
    for chunk in following:
        if PROSE.search(chunk):
            return False
        if len(chunk) <= BYLINE_CHARS and FULL_DATE.search(chunk):
            return True
    return False


def own_doc_number(
    chunks: list[str], title: str, heading: int | None, table: MetadataTable, labels: list[Label]
) -> str | None:
    """The document's own 文号: from its metadata table (or a lone 文号 label), its title, or
    a line of its own next to the title (the header of the document).

    A 文号 inside a sentence is one the document cites, and one in a list of links elsewhere
    on the page is another document's: never its own.
    """
    for candidate in (table.doc_number or labelled_number(chunks, labels), title):
        if candidate and (match := DOC_NUMBER.search(candidate)):
            return normal_number(match.group(0))
    if heading is None:
        return None
    for chunk in chunks[max(0, heading - HEADER_CHUNKS) : heading + HEADER_CHUNKS]:
        if len(chunk) <= 30 and (match := DOC_NUMBER.fullmatch(chunk.strip("（）() "))):
            return normal_number(match.group(0))
    return None


def labelled_number(chunks: list[str], labels: list[Label]) -> str | None:
    """The value of a 文号 label (发文字号：…) where the page has no full metadata table."""
    for index, name, value in labels:
        if name == "doc_number":
            return value or next_value(chunks, index + 1)
    return None


def normal_number(number: str) -> str:
    """A 文号 without the spaces that table cells and line breaks put into it."""
    return squeezed(number)
