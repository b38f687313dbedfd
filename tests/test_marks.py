"""Reading the footer identity marks (国办发〔2017〕47号) from real and hand-written pages."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from govscan.checks.marks import Marks, read_marks

WANZAI = {
    "site_code": "3609220011",
    "icp": "赣ICP备11002306号-1",
    # The portal links its ICP number through an IPv6 gateway mirror of beian.miit.gov.cn.
    "icp_link": "https://beian.miit.gov.cn.ipv6.iname.damddos.com/",
    "psb": "36092202000105",
    "sitemap": "http://www.wanzai.gov.cn/wzxrmzf/wzdt/wzdt.shtml",
    "contact": None,  # the footer has 关于我们, not 联系我们
    "sponsor": "万载县人民政府",  # 万载县人民政府办公室 is the 承办
}
YICHUN = {
    "site_code": "3609000002",
    "icp": "赣ICP备06000141号",
    "icp_link": "https://beian.miit.gov.cn/",
    "psb": "36090202000004",
    "sitemap": "https://www.yichun.gov.cn/ycsrmzf/wzdt/wzdt.shtml",
    "contact": "https://www.yichun.gov.cn/ycsrmzf/gywm/202112/bd30913b83564f0985b7a809deda4006.shtml",
    "sponsor": "宜春市人民政府",
}
REAL_PAGES = {
    "wanzai-2023-article.html": WANZAI,
    "wanzai-2016-article.html": WANZAI,
    "yichun-2023-article.html": YICHUN,
    "yichun-jiangxi-2023-article.html": YICHUN,
}


@pytest.mark.parametrize("name", sorted(REAL_PAGES))
def test_real_page(corpus: Path, name: str) -> None:
    expected = REAL_PAGES[name]
    marks = read_marks((corpus / "gov-pages" / name).read_text(encoding="utf-8"))
    assert marks.site_code_text == expected["site_code"]
    assert marks.site_code_meta == expected["site_code"]
    assert marks.jiucuo_sitecode == expected["site_code"]
    assert marks.icp == expected["icp"]
    assert marks.icp_link == expected["icp_link"]
    assert marks.psb == expected["psb"]
    assert marks.psb_link_code == expected["psb"]
    assert marks.conac is True
    assert marks.jiucuo_src is not None and marks.jiucuo_src.endswith("/jiucuo.js")
    assert marks.sitemap == expected["sitemap"]
    assert marks.contact == expected["contact"]
    assert marks.sponsor == expected["sponsor"]


def page(footer: str, head: str = "", body: str = "") -> str:
    """A small government article page with the given footer."""
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>关于开展2024年春季植树活动的通知 - 青山县人民政府</title>{head}</head>
<body>
<div class="article"><h1>关于开展2024年春季植树活动的通知</h1>
<p>各乡镇人民政府，县直各单位：现将有关事项通知如下。</p>{body}</div>
<div class="g-footer">{footer}</div>
</body></html>"""


JIUCUO = "https://zfwzgl.www.gov.cn/exposure/jiucuo.js"
SITE_CODE_META = '<meta name="SiteIDCode" content="1501990001">'
CONAC_SCRIPT = (
    '<script type="text/javascript">document.write(unescape("%3Cspan id=\'_ideConac\' %3E'
    "%3C/span%3E%3Cscript src='https://dcs.conac.cn/js/15/199/0000/40000001/"
    "CA151990000400000010001.js' type='text/javascript'%3E%3C/script%3E\"));</script>"
)
JIUCUO_SCRIPT = f"<script id=\"_jiucuo_\" sitecode='1501990001' src='{JIUCUO}'></script>"
FULL = page(
    head=f'<meta name="SiteName" content="青山县人民政府">{SITE_CODE_META}',
    footer=f"""
  <div class="links"><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a> |
    <a href="/wzsm/">网站声明</a></div>
  <p>主办单位：青山县人民政府办公室&nbsp;&nbsp;承办：青山县大数据中心</p>
  <p><a href="https://beian.miit.gov.cn/" target="_blank">蒙ICP备12345678号-2</a>&nbsp;&nbsp;
    网站标识码：1501990001&nbsp;&nbsp;
    <a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=15019902000123"
       target="_blank"><img src="/images/ga.png">蒙公网安备 15019902000123号</a></p>
  <div class="marks">
    {CONAC_SCRIPT}
    {JIUCUO_SCRIPT}
  </div>""",
)
FULL_MARKS = Marks(
    site_code_text="1501990001",
    site_code_meta="1501990001",
    icp="蒙ICP备12345678号-2",
    icp_link="https://beian.miit.gov.cn/",
    psb="15019902000123",
    psb_link_code="15019902000123",
    conac=True,
    jiucuo_src=JIUCUO,
    jiucuo_sitecode="1501990001",
    sitemap="/wzdt/",
    contact="/lxwm/",
    sponsor="青山县人民政府办公室",
)


EMPTY = Marks(None, None, None, None, None, None, False, None, None, None, None, None)


def test_full_page_reads_every_mark() -> None:
    assert read_marks(FULL) == FULL_MARKS


#: (what to take out of FULL, what to put instead, the fields left empty by it)
LACKING = {
    "site_code_text": ("网站标识码：1501990001", "", {"site_code_text"}),
    "site_code_meta": (SITE_CODE_META, "", {"site_code_meta"}),
    "icp": ("蒙ICP备12345678号-2", "", {"icp"}),
    "icp_link": ('href="https://beian.miit.gov.cn/"', 'href="/wzsm/"', {"icp_link"}),
    "psb": ("蒙公网安备 15019902000123号", "", {"psb"}),
    "psb_link_code": ("?recordcode=15019902000123", "", {"psb_link_code"}),
    "conac": (CONAC_SCRIPT, "", {"conac"}),
    "jiucuo_src": (JIUCUO_SCRIPT, "", {"jiucuo_src", "jiucuo_sitecode"}),
    "jiucuo_sitecode": (" sitecode='1501990001'", "", {"jiucuo_sitecode"}),
    "sitemap": (">网站地图<", ">网站导航<", {"sitemap"}),
    "contact": ('<a href="/lxwm/">联系我们</a> |', "", {"contact"}),
    "sponsor": ("主办单位：青山县人民政府办公室", "", {"sponsor"}),
}


@pytest.mark.parametrize("mark", sorted(LACKING))
def test_page_lacking_a_mark(mark: str) -> None:
    old, new, gone = LACKING[mark]
    assert FULL.count(old) == 1
    marks = read_marks(FULL.replace(old, new))
    for field in dataclasses.fields(Marks):
        value = getattr(marks, field.name)
        if field.name in gone:
            assert value in (None, False), field.name
        else:
            assert value == getattr(FULL_MARKS, field.name), field.name


def test_wrong_sitecode_in_jiucuo_script_is_read_as_written() -> None:
    html = FULL.replace("sitecode='1501990001'", "sitecode='1501000001'")
    marks = read_marks(html)
    assert marks.jiucuo_sitecode == "1501000001"
    assert marks.site_code_text == marks.site_code_meta == "1501990001"


def test_site_code_only_in_text() -> None:
    marks = read_marks(page("<p>网站标识码：1501990001</p>"))
    assert (marks.site_code_text, marks.site_code_meta) == ("1501990001", None)


def test_site_code_only_in_meta() -> None:
    marks = read_marks(page("<p>主办：青山县人民政府</p>", head=SITE_CODE_META))
    assert (marks.site_code_text, marks.site_code_meta) == (None, "1501990001")


def test_ministry_code() -> None:
    marks = read_marks(
        page(
            "<p>主办：中华人民共和国某某部 网站标识码：bm12345678 京ICP备05070218号</p>"
            "<script id=\"_jiucuo_\" sitecode='bm12345678' "
            "src='https://zfwzgl.www.gov.cn/exposure/jiucuo.js'></script>",
            head='<meta name="SiteIDCode" content="bm12345678">',
        )
    )
    assert marks.site_code_text == marks.site_code_meta == marks.jiucuo_sitecode == "bm12345678"
    assert marks.sponsor == "中华人民共和国某某部"


def test_icp_without_link() -> None:
    marks = read_marks(page("<p>ICP备案号：赣ICP备06000141号 网站标识码：3609990003</p>"))
    assert marks.icp == "赣ICP备06000141号"
    assert marks.icp_link is None


def test_icp_link_must_go_to_the_miit_filing_system() -> None:
    marks = read_marks(page('<a href="https://www.miit.gov.cn/">京ICP备05070218号-1</a>'))
    assert marks.icp == "京ICP备05070218号-1"
    assert marks.icp_link is None


@pytest.mark.parametrize(
    "text",
    [
        "网站标识码：3609220011",
        "网站标识码： 3609220011",
        "网站标识码3609220011",
        "网站标识码:&nbsp;3609220011",
        "政府网站标识码：3609220011",
        "网站标识码&nbsp;:&nbsp;3609220011",
    ],
)
def test_spellings_of_site_code(text: str) -> None:
    assert read_marks(page(f"<p>{text}</p>")).site_code_text == "3609220011"


def test_malformed_site_code_is_read_as_written() -> None:
    assert read_marks(page("<p>网站标识码：360922001</p>")).site_code_text == "360922001"


@pytest.mark.parametrize(
    ("text", "icp"),
    [
        ("京ICP备05070218号", "京ICP备05070218号"),
        ("京ICP备05070218号-1", "京ICP备05070218号-1"),
        ("ICP备案号：赣ICP备06000141号", "赣ICP备06000141号"),
        ("备案号：粤ICP备 12345678号 - 3", "粤ICP备12345678号-3"),
    ],
)
def test_spellings_of_icp(text: str, icp: str) -> None:
    assert read_marks(page(f"<p>{text}</p>")).icp == icp


@pytest.mark.parametrize(
    "text",
    [
        "京公网安备 11010202000001号",
        "京公网安备11010202000001号",
        "京公网安备：11010202000001号",
        "公安机关备案号：11010202000001",
    ],
)
def test_spellings_of_psb(text: str) -> None:
    assert read_marks(page(f"<p>{text}</p>")).psb == "11010202000001"


def test_psb_link_code_from_the_url_path() -> None:
    marks = read_marks(page('<a href="http://www.beian.gov.cn/record/11010202000001">备案</a>'))
    assert marks.psb_link_code == "11010202000001"


@pytest.mark.parametrize(
    ("footer", "src"),
    [
        (f'<script src="{JIUCUO}?sitecode=3609990003"></script>', f"{JIUCUO}?sitecode=3609990003"),
        (f'<script id="_jiucuo_" SITECODE="3609990003" src=" {JIUCUO} "></script>', JIUCUO),
        (
            '<div><script>var sitecode = "3609990003";</script>'
            f'<script src="{JIUCUO}"></script></div>',
            JIUCUO,
        ),
        (
            "<script>document.write(\"<script id='_jiucuo_' sitecode='3609990003' "
            f"src='{JIUCUO}'><\\/script>\");</script>",
            JIUCUO,
        ),
        (
            "<script id=\"_jiucuo_\" sitecode='3609990003' "
            "src='./page_files/jiucuo.js.下载'></script>",
            "./page_files/jiucuo.js.下载",
        ),
        (
            "<script>document.write(unescape(\"%3Cspan id='_jiucuo_' sitecode='3609990003' "
            "%3E%3C/span%3E%3Cscript src='"
            + JIUCUO
            + "' type='text/javascript'%3E%3C/script%3E\"));"
            "</script>",
            JIUCUO,
        ),
    ],
    ids=[
        "query",
        "attribute",
        "inline-variable",
        "document-write",
        "saved-by-browser",
        "span-beside",
    ],
)
def test_jiucuo_sitecode_sources(footer: str, src: str) -> None:
    marks = read_marks(page(footer))
    assert marks.jiucuo_src == src
    assert marks.jiucuo_sitecode == "3609990003"


def test_jiucuo_sitecode_not_taken_from_other_widgets() -> None:
    footer = (
        '<div><script>var siteCode = "3609990003";</script>'
        '<p><script>var statSiteCode = "10008993";</script>'
        f'<script id="_jiucuo_" src="{JIUCUO}"></script></p></div>'
    )
    marks = read_marks(page(footer))
    assert marks.jiucuo_src == JIUCUO
    assert marks.jiucuo_sitecode is None


@pytest.mark.parametrize(
    "footer",
    [
        '<script src="https://dcs.conac.cn/js/15/199/0000/40000001/CA151990000400000010001.js">'
        "</script>",
        '<a href="https://bszs.conac.cn/sitename?method=show&amp;id=ABC"><img src="/red.png"></a>',
        '<img src="//dcs.conac.cn/image/red.png">',
    ],
    ids=["script", "link", "image"],
)
def test_conac_sources(footer: str) -> None:
    assert read_marks(page(footer)).conac is True


def test_no_conac_for_other_hosts() -> None:
    footer = '<a href="https://www.gov.cn/"><img src="/images/conac.png" alt="conac.cn"></a>'
    assert read_marks(page(footer)).conac is False


def test_footer_preferred_over_text_above_and_below_it() -> None:
    body = "<p>活动主办：青山县林业和草原局，网站标识码：1501990099。</p>"
    html = page("<p>主办：青山县人民政府 网站标识码：1501990001</p>", body=body).replace(
        "</body>",
        '<div class="layer">专题主办：青山县文化和旅游局 网站标识码：1501990098</div></body>',
    )
    marks = read_marks(html)
    assert (marks.sponsor, marks.site_code_text) == ("青山县人民政府", "1501990001")


def test_lowest_occurrence_without_a_footer_container() -> None:
    html = (
        "<html><body><p>主办：青山县林业和草原局</p><div id='main'>正文</div>"
        "<p>主办：青山县人民政府</p></body></html>"
    )
    assert read_marks(html).sponsor == "青山县人民政府"


def test_marks_in_html_comments_are_ignored() -> None:
    footer = (
        "<!-- 网站标识码：1501990001 蒙ICP备12345678号 -->"
        f"<!-- <script id=\"_jiucuo_\" sitecode='1501990001' src='{JIUCUO}'></script> -->"
        "<!--[if lt IE 9]><a href='https://bszs.conac.cn/x'>x</a><![endif]-->"
    )
    assert read_marks(page(footer)) == EMPTY


def test_marks_in_javascript_comments_are_ignored() -> None:
    footer = (
        "<script>\n// document.write(\"<script id='_jiucuo_' sitecode='1501990001' "
        f"src='{JIUCUO}'><\\/script>\");\n"
        "/* document.write(\"<a href='https://bszs.conac.cn/x'>x</a>\"); */\n</script>"
    )
    assert read_marks(page(footer)) == EMPTY


def test_image_link_named_by_its_title() -> None:
    footer = '<a href="/wzdt/" title="网站地图"><img src="/images/map.png"></a>'
    assert read_marks(page(footer)).sitemap == "/wzdt/"


def test_footer_links_preferred_over_links_above_and_below_it() -> None:
    header = '<div class="top"><a href="/top/">联系我们</a></div>'
    widget = '<div class="float-bar"><a href="/float/">联系我们</a></div>'
    html = FULL.replace("<body>", f"<body>{header}").replace("</body>", f"{widget}</body>")
    assert read_marks(html).contact == "/lxwm/"


@pytest.mark.parametrize(
    ("text", "sponsor"),
    [
        ("主办：青山县人民政府承办：青山县人民政府办公室", "青山县人民政府"),
        ("主办单位:青山县人民政府办公室 | 技术支持：某某科技有限公司", "青山县人民政府办公室"),
        ("主办单位：中共青山县委、青山县人民政府　承办：县委办", "中共青山县委、青山县人民政府"),
        ("主办：青山县人民政府政府网站标识码：1501990001", "青山县人民政府"),
        ("主办：青山县人民政府蒙ICP备12345678号", "青山县人民政府"),
        ("主办：&nbsp;承办：青山县人民政府办公室", None),
    ],
)
def test_sponsor_ends_at_the_next_label(text: str, sponsor: str | None) -> None:
    assert read_marks(page(f"<p>{text}</p>")).sponsor == sponsor


@pytest.mark.parametrize("html", ["", "  \n", "<!-- 网站标识码：1501990001 -->"])
def test_empty_page(html: str) -> None:
    assert read_marks(html) == EMPTY


def test_xhtml_page_with_encoding_declaration() -> None:
    html = '<?xml version="1.0" encoding="utf-8"?>\n' + page("<p>网站标识码：1501990001</p>")
    assert read_marks(html).site_code_text == "1501990001"


# --------------------------------------------------------------------------- forms of real footers


def test_a_footer_after_a_stray_closing_html_tag_is_read() -> None:
    html = page(footer="").replace(
        "</body></html>",
        "</body></html>\n<div class='foot'><p>网站标识码：1501990001 蒙ICP备12345678号</p>"
        f"{JIUCUO_SCRIPT}</div>",
    )
    marks = read_marks(html)
    assert (marks.site_code_text, marks.icp, marks.jiucuo_sitecode) == (
        "1501990001",
        "蒙ICP备12345678号",
        "1501990001",
    )


@pytest.mark.parametrize(
    "entry",
    [
        '<a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=1501990001">'
        "<img src='/images/jiucuo.png'></a>",
        '<a href="http://121.43.68.40/exposure/jiucuo.html?site_code=1501990001" target="_blank">'
        "政府网站找错</a>",
        '<a href="javascript:void(0);" onclick="Link(\'1501990001\')">'
        "<img src='/images/jiucuo.png' alt='找错'></a>",
        "<a href=\"javascript:window.open('https://zfwzgl.www.gov.cn/exposure/jiucuo.html"
        "?site_code=1501990001&amp;url='+encodeURIComponent(location.href))\">我为政府网站找错</a>",
        "<span onclick=\"window.open('https://zfwzgl.www.gov.cn/exposure/jiucuo.html"
        "?site_code=1501990001')\"><img src='/images/jiucuo.png'></span>",
    ],
    ids=["platform-link", "old-ip-link", "link-call", "javascript-href", "window-open"],
)
def test_every_form_of_the_jiucuo_entry_gives_its_site_code(entry: str) -> None:
    marks = read_marks(page(f"<div>{entry}</div>"))
    assert marks.jiucuo_src is not None
    assert marks.jiucuo_sitecode == "1501990001"


@pytest.mark.parametrize(
    ("text", "icp"),
    [
        ("京ICP备：05070218号", "京ICP备05070218号"),
        ("浙ICP备05006046", "浙ICP备05006046"),
        ("京ＩＣＰ备０５０７０２１８号－１", "京ICP备05070218号-1"),
        ("ICP备案号：京ICP备 05070218 号", "京ICP备05070218号"),
        ("京ICP备案号：05070218号", "京ICP备05070218号"),
        ("京ICP14006156", "京ICP14006156"),  # read as written, then judged malformed
    ],
)
def test_forms_of_icp_numbers(text: str, icp: str) -> None:
    assert read_marks(page(f"<p>{text}</p>")).icp == icp


@pytest.mark.parametrize(
    "text",
    [
        "公网安备号：15019902000123",
        "蒙公网安备　１５０１９９０２０００１２３号",
        "公安机关备案号 15019902000123",
        "蒙公网安备 1501 9902 0001 23号",
    ],
)
def test_forms_of_psb_numbers(text: str) -> None:
    assert read_marks(page(f"<p>{text}</p>")).psb == "15019902000123"


def test_an_old_psb_number_with_a_dash() -> None:
    assert read_marks(page("<p>公安备案号：35012899001-19002</p>")).psb == "35012899001-19002"


@pytest.mark.parametrize(
    ("footer", "sponsor"),
    [
        ("<p>青山县人民政府办公室主办 青山县大数据中心承办</p>", "青山县人民政府办公室"),
        ("<p>版权所有：青山县人民政府 青山县人民政府办公室主办</p>", "青山县人民政府办公室"),
        ("<p>主办：青山县人民政府办公室 承办：青山县大数据中心</p>", "青山县人民政府办公室"),
        ("<p>本网站由青山县教育局主办，青山县教育信息中心制作维护</p>", "青山县教育局"),
        ("<p>网站标识码：1501990001 蒙ICP备12345678号</p>", None),
    ],
)
def test_forms_of_the_sponsor(footer: str, sponsor: str | None) -> None:
    assert read_marks(page(footer)).sponsor == sponsor


def test_an_organiser_in_the_article_is_not_the_sponsor() -> None:
    body = "<p>本次活动由青山县林业和草原局主办，主办单位：青山县林业和草原局。</p>"
    html = page("<p>网站标识码：1501990001</p>", body=body)
    assert read_marks(html).sponsor is None


@pytest.mark.parametrize(
    ("footer", "contact"),
    [
        ("<p>联系我们：0477-1234567 地址：青山县政府路1号</p>", "联系我们：0"),
        ("<p>政务信息专线：0477-96128</p>", "专线：0"),
        ("<ul><li class='contact'><a title='联系我们'>联系我们</a></li></ul>", "联系我们"),
    ],
    ids=["text", "hotline", "link-without-href"],
)
def test_a_contact_given_otherwise_than_by_a_link(footer: str, contact: str) -> None:
    assert read_marks(page(footer)).contact == contact


def test_marks_behind_an_ipv6_gateway_that_rewrites_host_names() -> None:
    footer = (
        '<a href="https://bszs-conac-cnxe1039670c3868xx.ipv6best.cn/sitename?id=1">'
        "<img src='/red.png'></a>"
        '<a href="http://www-beian-gov-cnx45c89670c3868xx.ipv6best.cn/portal/registerSystemInfo'
        '?recordcode=15019902000123">蒙公网安备 15019902000123号</a>'
    )
    marks = read_marks(page(footer))
    assert marks.conac is True
    assert marks.psb_link_code == "15019902000123"
