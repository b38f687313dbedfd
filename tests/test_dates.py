"""Publication dates on list pages and articles, from snippets and from real portal pages;
publication times of archives, as instants."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from govscan.dates import DatedItem, dated_items, parse_date, parse_instant, unix_instant

TODAY = date(2026, 11, 27)
NEW_YEAR = date(2026, 1, 10)
BASE = "http://www.example.gov.cn/xwdt/index.html"

HEADER = """
<div class="header">
  <div class="top"><span>今天是2026年11月27日 星期五</span><a href="/">网站首页</a></div>
  <div class="weather"><span>2026年11月27日 星期五</span> <a href="/tq.html">天气预报</a></div>
</div>
"""
FOOTER = """
<div class="footer">
  <p><a href="/about.html">关于我们</a> 更新日期：2026-11-27</p>
  <p>版权所有 ©2026 某某县人民政府 主办单位：某某县人民政府办公室</p>
  <p>网站标识码：3609220011 赣ICP备11002306号-1 赣公网安备 36092202000105号</p>
</div>
"""


def page(body: str, head: str = "") -> str:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>某某县人民政府</title>
{head}</head><body>{HEADER}{body}{FOOTER}</body></html>"""


@pytest.mark.parametrize(
    "text",
    [
        "2022-05-05",
        "2022-5-5",
        "2022/05/05",
        "2022.05.05",
        "2022年5月5日",
        "2022年05月05日",
        "2022 年 5 月 5 日",
        "2022年5月5号",
        "[2022-05-05]",
        "（2022-05-05）",
        "2022-05-05 10:33:59",
        "发布时间：2022-05-05 10:33:59 来源：县政府办公室",
        "关于做好防汛工作的通知2022/5/5",
    ],
)
def test_full_dates_in_every_written_form(text):
    assert parse_date(text, TODAY) == date(2022, 5, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05-05", date(2025, 5, 5)),
        ("5-5", date(2025, 5, 5)),
        ("05/05", date(2025, 5, 5)),
        ("05.05", date(2025, 5, 5)),
        ("5月5日", date(2025, 5, 5)),
        ("5月5号", date(2025, 5, 5)),
        ("[12-30]", date(2025, 12, 30)),
        ("12月30日", date(2025, 12, 30)),
        ("01-09", date(2026, 1, 9)),
        ("01-10", date(2026, 1, 10)),
        ("01-11", date(2025, 1, 11)),
        ("02-29", date(2024, 2, 29)),
    ],
)
def test_yearless_date_is_the_latest_such_day_up_to_today(text, expected):
    assert parse_date(text, NEW_YEAR) == expected


@pytest.mark.parametrize(
    "text",
    ["2022-13-45", "2022-02-30", "02-30", "13-01", "1989-12-31", "2028-01-01", "2026-01-12"],
)
def test_impossible_old_and_future_dates_are_rejected(text):
    assert parse_date(text, NEW_YEAR) is None


def test_tomorrow_is_still_accepted():
    assert parse_date("2026-01-11", NEW_YEAR) == date(2026, 1, 11)


@pytest.mark.parametrize(
    "text",
    [
        "联系电话：0871-1234567",
        "赣府发〔2022〕12号",
        "10:33",
        "10:33:59",
        "123-4567",
        "2022-05",
        "5-12345",
        "V2.3.1",
        "同比增长3.5%",
        "1-5月份全县经济运行情况",
        "第3-5条",
        "索引号：014742224A/2023-0043406",
        "1980年5月5日",
        "98年5月5日",
        "12022-05-05",
        "2022-05-051",
        "版本号：V3.2022.5.1",
    ],
)
def test_look_alikes_are_not_dates(text):
    assert parse_date(text, TODAY) is None


def test_first_real_date_wins():
    assert parse_date("电话：0871-1234567 2022-05-05 更新于2023-01-01", TODAY) == date(2022, 5, 5)


@pytest.mark.parametrize(
    "text",
    [
        "今天是2026年11月27日 星期五",
        "2026年11月27日 星期五",
        "2026-11-27 周五",
        "当前日期：2026-11-27",
        "现在是 2026年11月27日",
        "今日 11月27日",
    ],
)
def test_today_widget_is_not_a_publication_date(text):
    assert parse_date(text, TODAY) is None


def test_date_after_today_widget_is_found():
    assert parse_date("今天是2026年11月27日 星期五 2022-05-05", TODAY) == date(2022, 5, 5)


def test_list_items_newest_first_with_absolute_urls():
    html = page("""
    <ul class="list">
      <li><a href="/xwdt/1.html">县政府召开常务会议</a><span>2022-05-05</span></li>
      <li><a href="2.html" title="x">关于开展安全生产
          大检查的通知</a><span>[2023/1/9]</span></li>
      <li><a href="../tzgg/3.html#top">某某镇开展防汛演练</a><em>2022年6月1日</em></li>
      <li><a href="http://other.gov.cn/4.html">省政府发布最新政策</a><i>（2021.12.31）</i></li>
    </ul>""")
    assert dated_items(html, BASE, TODAY) == [
        DatedItem(
            "http://www.example.gov.cn/xwdt/2.html",
            "关于开展安全生产 大检查的通知",
            date(2023, 1, 9),
        ),
        DatedItem("http://www.example.gov.cn/tzgg/3.html", "某某镇开展防汛演练", date(2022, 6, 1)),
        DatedItem("http://www.example.gov.cn/xwdt/1.html", "县政府召开常务会议", date(2022, 5, 5)),
        DatedItem("http://other.gov.cn/4.html", "省政府发布最新政策", date(2021, 12, 31)),
    ]


def test_table_rows():
    html = page("""
    <table class="zfxxgk">
      <tr><th>标题</th><th>发布日期</th></tr>
      <tr><td><a href="/xxgk/101.html">2023年财政预算公开</a></td><td>2023-02-01</td></tr>
      <tr><td><span><a href="/xxgk/102.html">政府工作报告</a></span></td><td>2023-01-15</td></tr>
    </table>""")
    assert [(i.url, i.date) for i in dated_items(html, BASE, TODAY)] == [
        ("http://www.example.gov.cn/xxgk/101.html", date(2023, 2, 1)),
        ("http://www.example.gov.cn/xxgk/102.html", date(2023, 1, 15)),
    ]


def test_dd_dt_p_div_rows_and_dates_inside_the_title():
    html = page("""
    <dl class="news"><dd><a href="/a.html">乡村振兴工作推进会召开</a><em>2024-03-04</em></dd></dl>
    <dl class="notice"><dt><a href="/b.html">关于调整办公时间的公告</a></dt><dd>2024-03-03</dd></dl>
    <div class="item">
      <div class="tit"><a href="/c.html">秋季森林防火</a></div><i>2024.03.02</i>
    </div>
    <p><a href="/d.html">人大代表视察民生工程 2024-03-01</a></p>
    <ul><li><a href="/e.html">政务服务</a><span>来源：政府办</span><span>02-28</span></li></ul>""")
    assert [(i.url.rsplit("/", 1)[1], i.date) for i in dated_items(html, BASE, TODAY)] == [
        ("e.html", date(2026, 2, 28)),
        ("a.html", date(2024, 3, 4)),
        ("b.html", date(2024, 3, 3)),
        ("c.html", date(2024, 3, 2)),
        ("d.html", date(2024, 3, 1)),
    ]


def test_row_date_beats_a_date_in_the_title():
    html = page(
        '<ul><li><a href="/t.html">关于5月5日停水的通知</a><span>2022-05-03</span></li></ul>'
    )
    assert [i.date for i in dated_items(html, BASE, TODAY)] == [date(2022, 5, 3)]


def test_yearless_list_across_new_year():
    html = page("""
    <ul class="list">
      <li><a href="/x/1.html">元旦假期安全提示</a><span>12-30</span></li>
      <li><a href="/x/2.html">新年第一次常务会议</a><span>01-09</span></li>
      <li><a href="/x/3.html">去年一月的旧闻</a><span>01-11</span></li>
    </ul>""")
    assert [(i.title, i.date) for i in dated_items(html, BASE, NEW_YEAR)] == [
        ("新年第一次常务会议", date(2026, 1, 9)),
        ("元旦假期安全提示", date(2025, 12, 30)),
        ("去年一月的旧闻", date(2025, 1, 11)),
    ]


def test_header_footer_scripts_and_comments_give_no_items():
    html = page("""
    <header><a href="/h.html">通知公告</a><span>2026-11-20</span></header>
    <ul class="list"><li><a href="/xwdt/1.html">某某标题</a><span>2022-05-05</span></li></ul>
    <!-- <li><a href="/old.html">旧栏目</a><span>2026-11-26</span></li> -->
    <ul><li><a href="/2.html">无日期</a><!-- <span>2026-11-26</span> --></li></ul>
    <script>document.write('<li><a href="/js.html">脚本</a><span>2026-11-25</span></li>');</script>
    <noscript><p><a href="/ns.html">请开启脚本</a> 2026-11-24</p></noscript>
    <div id="Bottom"><p><a href="/map.html">网站地图</a> 2026-11-23</p></div>
    <div class="wrap"><p><a href="/gov.html">某某县人民政府</a> 版权所有 2026-11-22</p></div>
    <p><a href="https://beian.miit.gov.cn/">赣ICP备11002306号-1</a> 2026-11-21</p>
    <p><a href="/">©2026 某某县人民政府 2026-11-18</a> <a href="/map.html">网站地图</a></p>
    <footer><a href="/f.html">联系我们</a> 2026-11-19</footer>""")
    assert dated_items(html, BASE, TODAY) == [
        DatedItem("http://www.example.gov.cn/xwdt/1.html", "某某标题", date(2022, 5, 5))
    ]


def test_body_class_does_not_hide_the_page():
    html = page('<ul><li><a href="/1.html">标题</a><span>2022-05-05</span></li></ul>')
    html = html.replace("<body>", '<body class="has-footer page-bottom">')
    assert [i.date for i in dated_items(html, BASE, TODAY)] == [date(2022, 5, 5)]


def test_only_a_date_beside_the_link_counts():
    article = "全县上下坚持稳中求进工作总基调，" * 20
    html = page(f"""
    <div class="box">
      <span>更新：2022-05-05</span><ul><li><a href="/1.html">无日期标题</a></li></ul>
    </div>
    <ul><li><a href="/2.html">标题</a><a href="/more.html">更多</a><span>2022-05-04</span></li></ul>
    <div class="content">
      <p>2022年5月3日，{article}</p><p>相关链接：<a href="/3.html">解读</a></p>
    </div>
    <ul><li><a href="javascript:void(0)">打印本页</a><span>2022-05-02</span></li></ul>""")
    assert dated_items(html, BASE, TODAY) == []


def test_identical_items_are_listed_once():
    html = page("""
    <div class="yw"><ul>
      <li><a href="/xwdt/1.html">某某标题</a><span>2022-05-05</span></li>
    </ul></div>
    <div class="zx"><ul>
      <li><a href="/xwdt/1.html#c">某某标题</a><span>05-05</span></li>
    </ul></div>
    <div class="gg"><ul>
      <li><a href="/xwdt/1.html">某某标题</a><span>2022-05-06</span></li>
    </ul></div>
    """)
    assert [i.date for i in dated_items(html, BASE, date(2022, 6, 1))] == [
        date(2022, 5, 6),
        date(2022, 5, 5),
    ]


def test_empty_and_xml_declared_pages():
    assert dated_items("", BASE, TODAY) == []
    xhtml = '<?xml version="1.0" encoding="utf-8"?>' + page(
        '<ul><li><a href="/1.html">标题</a><span>2022-05-05</span></li></ul>'
    )
    assert [i.date for i in dated_items(xhtml, BASE, TODAY)] == [date(2022, 5, 5)]


WANZAI = "http://www.wanzai.gov.cn/wzxrmzf/"


def read_page(corpus, name: str) -> str:
    return (corpus / "gov-pages" / name).read_text(encoding="utf-8")


def test_real_article_lists_only_its_related_item(corpus):
    """关联稿件 is the one dated row; the body's dates and the footer give no item."""
    items = dated_items(read_page(corpus, "wanzai-2023-article.html"), WANZAI, TODAY)
    assert items == [
        DatedItem(
            "http://www.wanzai.gov.cn/wzxrmzf/tjjjdhy/202307/bb8049063e11403994c3d01d8813a11a.shtml",
            "图文解读：《万载县2022年国民经济和社会发展统计公报》",
            date(2023, 7, 12),
        )
    ]


@pytest.mark.parametrize(
    "name",
    ["wanzai-2016-article.html", "yichun-2023-article.html", "yichun-jiangxi-2023-article.html"],
)
def test_real_articles_without_a_list_have_no_items(corpus, name):
    """Not the header's 2023年10月11日 星期三, nor a 相关解读 link dated by the article's text."""
    assert dated_items(read_page(corpus, name), WANZAI, TODAY) == []


# --- Archive times ---------------------------------------------------------------------------


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "timezone", "expected"),
    [
        ("2025-11-10 12:00:10", "Asia/Shanghai", utc(2025, 11, 10, 4, 0, 10)),
        ("2025-11-10 12:00:10", "Asia/Urumqi", utc(2025, 11, 10, 6, 0, 10)),
        ("2025-11-10 12:00:10", "UTC", utc(2025, 11, 10, 12, 0, 10)),
        ("Mon, 10 Nov 2025 12:00:10", "Asia/Urumqi", utc(2025, 11, 10, 6, 0, 10)),
        ("2025年11月10日 12:00", "UTC", utc(2025, 11, 10, 12)),
        ("2025/11/10", "America/New_York", utc(2025, 11, 10, 5)),
    ],
)
def test_a_time_without_a_zone_is_read_in_the_inventorys_time_zone(text, timezone, expected):
    assert parse_instant(text, timezone) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-11-10T12:00:10+08:00", utc(2025, 11, 10, 4, 0, 10)),
        ("2025-11-10T12:00:10Z", utc(2025, 11, 10, 12, 0, 10)),
        ("Mon, 10 Nov 2025 12:00:10 +0800", utc(2025, 11, 10, 4, 0, 10)),
        ("Mon, 10 Nov 2025 12:00:10 GMT", utc(2025, 11, 10, 12, 0, 10)),
        ("Mon, 10 Nov 2025 12:00:10 -0000", utc(2025, 11, 10, 12, 0, 10)),
        ("Mon, 10 Nov 2025 12:00:10 CST", utc(2025, 11, 10, 4, 0, 10)),  # China Standard Time
    ],
)
@pytest.mark.parametrize("timezone", ["Asia/Shanghai", "Asia/Urumqi", "UTC"])
def test_an_explicit_zone_is_kept(text, expected, timezone):
    assert parse_instant(text, timezone) == expected


@pytest.mark.parametrize("text", ["上周一", "2025-13-45", "2025-11-10 25:61", "", None])
def test_an_unreadable_time_is_unknown(text):
    assert parse_instant(text, "Asia/Shanghai") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1762747210, utc(2025, 11, 10, 4, 0, 10)),
        (" 1762747210 ", utc(2025, 11, 10, 4, 0, 10)),
        (0, None),
        (True, None),
        ("昨天", None),
        (10**20, None),
    ],
)
def test_unix_seconds(value, expected):
    assert unix_instant(value) == expected
