"""The content family from pages' texts: 严重表述错误 and 错别字, and never a correct text."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from views import page, url, view

from govscan.checks.content import ContentSettings, judge
from govscan.crawler.pages import read_page
from govscan.store.inventory import Dictionaries, DictionaryEntry, InventoryError, load_dictionary

CORPUS = Path(__file__).parent / "corpus" / "pages"
#: A 2019 article whose footer still links to 国家海洋局, abolished in 2018.
ARTICLE_2019 = CORPUS / "a-shanxi-trs-article.html"
SETTINGS = ContentSettings()


def found(texts: dict[str, str], settings: ContentSettings = SETTINGS, **facts) -> list:
    """The findings for pages of these texts, each with these facts (``date_text``)."""
    pages = [page(path, title=f"文章 {path}", **facts) for path in texts]
    return judge(view(pages, texts={url(path): text for path, text in texts.items()}), settings)


def test_a_leaders_title_written_wrong_is_a_veto_with_its_context():
    text = "会议强调，要深入学习贯彻习近平新时代中国特色社会主意思想，坚定信心。"
    [veto] = found({"/xwdt/1.html": text}, date_text="2026-11-20")
    assert (veto.rule, veto.severity, veto.url) == (
        "content.serious_error",
        "veto",
        url("/xwdt/1.html"),
    )
    assert veto.detail["right"] == "习近平新时代中国特色社会主义思想"
    assert "深入学习贯彻习近平新时代中国特色社会主意思想" in veto.detail["context"]
    assert veto.message.startswith(
        "“习近平新时代中国特色社会主意思想”应为“习近平新时代中国特色社会主义思想”"
    )


def test_a_body_renamed_in_2018_is_an_error_only_where_it_is_written_as_current():
    current = "市环境保护局召开大气污染防治工作会议。"
    [veto] = found({"/a.html": current}, date_text="2024-05-06")
    assert (veto.severity, veto.detail["right"], veto.detail["since"]) == (
        "veto",
        "生态环境局",
        "2019-03-31",
    )
    assert found({"/a.html": current}, date_text="2017-05-06") == []  # published before
    assert found({"/a.html": "原苍山州环境保护局局长张三同志简历。"}, date_text="2024-05-06") == []
    dated = "2016年，市环境保护局完成了燃煤锅炉改造。"
    assert found({"/a.html": dated}, date_text="2024-05-06") == []


def test_a_renamed_body_on_an_undated_page_is_a_warning_for_a_person():
    [warning] = found({"/a.html": "主办单位：苍山州国土资源局"})
    assert (warning.rule, warning.severity) == ("content.serious_error", "warning")
    assert "页面未标明发布日期" in warning.message


def test_an_ordinary_typo_is_a_deduction_counted_per_page():
    text = "各部门要认真布署，狠抓落实。会议对下一步工作进行了布署。"
    [typo] = found({"/a.html": text}, date_text="2026-11-20")
    assert (typo.rule, typo.severity, typo.detail["count"]) == ("content.typo", "deduction", 2)
    assert typo.message.startswith("“布署”应为“部署”（共 2 处）")


def test_a_correct_word_that_holds_a_wrong_form_is_not_an_error():
    """全部份额 holds 部份 across a word boundary, as real notices of 国资 transfers write."""
    text = "苍山州国有资本投资公司拟公开转让其持有的苍山州产业引导基金全部份额，现予公告。"
    assert found({"/a.html": text}, date_text="2026-11-20") == []
    assert [f.rule for f in found({"/a.html": "其中一部份资金"}, date_text="2026-11-20")] == [
        "content.typo"
    ]


def test_the_shipped_dictionaries_find_no_typo_on_real_government_pages():
    """51 real pages (140,000 characters): every typo entry is silent on correct text, and
    the serious ones only name the abolished bodies of pages saved before the reforms."""
    pages, texts = [], {}
    for number, path in enumerate(sorted(CORPUS.glob("*.html"))):
        read = read_page(url(f"/p{number}.html"), decoded(path.read_bytes()), "page", 2)
        pages.append(page(f"/p{number}.html", date_text=read.facts.get("date_text")))
        texts[read.url] = zlib.decompress(read.text).decode("utf-8")
    findings = judge(view(pages, texts=texts), SETTINGS)
    assert len(texts) == 51 and sum(map(len, texts.values())) > 140_000
    assert [f for f in findings if f.rule == "content.typo"] == []
    assert {f.detail["kind"] for f in findings} == {"body"}
    # undated homepages saved in 2018 are left to a person; dated pages before a rename pass
    vetoed = {f.url for f in findings if f.severity == "veto"}
    assert vetoed == {url(f"/p{sorted(CORPUS.glob('*.html')).index(ARTICLE_2019)}.html")}


def decoded(raw: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


def test_the_inventorys_entries_extend_the_shipped_ones():
    added = Dictionaries(typo=[DictionaryEntry(wrong="苍山洲", right="苍山州")])
    [typo] = found({"/a.html": "苍山洲人民政府"}, ContentSettings(dictionaries=added))
    assert (typo.detail["wrong"], typo.detail["right"]) == ("苍山洲", "苍山州")


def test_a_page_whose_text_was_cut_says_so():
    pages = [page("/big.html", text_cut=900_000)]
    [cut] = judge(view(pages, texts={}), SETTINGS)
    assert (cut.rule, cut.severity) == ("content.text_cut", "info")
    assert cut.detail["pages"] == [{"url": url("/big.html"), "chars": 900_000}]


def test_a_dictionary_file_with_a_mistake_names_its_file_and_line(tmp_path):
    path = tmp_path / "local.yaml"
    path.write_text("- {wrong: 苍山洲, right: 苍山州}\n- {wrong: 苍, right: 仓}\n", "utf-8")
    with pytest.raises(InventoryError, match=rf"{path}:2: 1\.wrong: "):
        load_dictionary(path)
