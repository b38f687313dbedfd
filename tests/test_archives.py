"""Archive adapters: feeds, WeChat article pages, exporter JSON and HTML lists.

Small inline documents pin each format's rules; the real mp.weixin.qq.com pages of the shared
corpus prove the article reader on what WeChat actually serves.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from govscan.feeds import Archive, ArchiveError, Post
from govscan.feeds.exporter import parse_exporter_json
from govscan.feeds.html_list import parse_html_list
from govscan.feeds.syndication import parse_feed
from govscan.feeds.wechat import parse_wechat_article

FEED_URL = "https://rss.example.org/wechat/yichun.xml"
ARTICLE_URL = "https://mp.weixin.qq.com/s/AbCdEf123"
BIZ = "MzA5NjAxMjM0NQ=="
GH = "gh_0123456789ab"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- Feeds -----------------------------------------------------------------------------------

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:wechat="https://example.org/ns/wechat">
  <channel>
    <title>宜春发布</title>
    <link>https://mp.weixin.qq.com/</link>
    <wechat:user_name>{GH}</wechat:user_name>
    <item>
      <title>宜春市召开全市经济工作会议</title>
      <link>https://mp.weixin.qq.com/s?__biz={BIZ}&amp;mid=2247483650&amp;idx=1</link>
      <pubDate>Mon, 10 Nov 2025 12:00:10 +0800</pubDate>
      <dc:creator>宜春发布</dc:creator>
    </item>
    <item>
      <title> 关于开展政务新媒体
        检查的通知 </title>
      <link>/s/XyZ789</link>
      <pubDate>Tue, 11 Nov 2025 08:30:00 GMT</pubDate>
    </item>
  </channel>
</rss>
""".encode()


def test_rss_two_items_with_a_relative_link():
    assert parse_feed(RSS, FEED_URL) == Archive(
        posts=[
            Post(
                url=f"https://mp.weixin.qq.com/s?__biz={BIZ}&mid=2247483650&idx=1",
                title="宜春市召开全市经济工作会议",
                published_at=utc(2025, 11, 10, 4, 0, 10),
                nickname="宜春发布",
                biz=BIZ,
            ),
            Post(
                url="https://rss.example.org/s/XyZ789",
                title="关于开展政务新媒体 检查的通知",
                published_at=utc(2025, 11, 11, 8, 30),
            ),
        ],
        nickname="宜春发布",
        user_name=GH,
        biz=BIZ,
    )


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("<pubDate>Mon, 10 Nov 2025 12:00:10 CST</pubDate>", utc(2025, 11, 10, 4, 0, 10)),
        ("<pubDate>Mon, 10 Nov 2025 12:00:10 -0000</pubDate>", utc(2025, 11, 10, 12, 0, 10)),
        ("<pubDate>2025-11-10 12:00:10</pubDate>", utc(2025, 11, 10, 4, 0, 10)),
        ("<pubDate>2025年11月10日</pubDate>", utc(2025, 11, 9, 16)),
        ("<dc:date>2025-11-10T12:00:10+08:00</dc:date>", utc(2025, 11, 10, 4, 0, 10)),
        ("<pubDate>上周一</pubDate>", None),
        ("<pubDate>2025-13-45</pubDate>", None),
        ("", None),
    ],
)
def test_rss_dates(date: str, expected: datetime | None):
    """China Standard Time for "CST" and for dates without a zone; junk is None, not an error."""
    body = f"""<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
      <title>某某县发布</title>
      <item><title>通知</title><link>https://example.gov.cn/a.html</link>{date}</item>
    </channel></rss>""".encode()
    assert parse_feed(body, FEED_URL).posts[0].published_at == expected


@pytest.mark.parametrize(
    ("timezone", "zoneless", "explicit"),
    [
        ("Asia/Shanghai", utc(2025, 11, 10, 4, 0, 10), utc(2025, 11, 11, 8, 30)),
        ("Asia/Urumqi", utc(2025, 11, 10, 6, 0, 10), utc(2025, 11, 11, 8, 30)),
        ("UTC", utc(2025, 11, 10, 12, 0, 10), utc(2025, 11, 11, 8, 30)),
    ],
)
def test_feed_times_without_a_zone_are_the_inventorys(timezone, zoneless, explicit):
    body = RSS.replace(b"Mon, 10 Nov 2025 12:00:10 +0800", b"2025-11-10 12:00:10")
    posts = parse_feed(body, FEED_URL, timezone).posts
    assert [post.published_at for post in posts] == [zoneless, explicit]


ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://rss.example.org/wechat/">
  <title>万载发布</title>
  <author><name>万载发布</name><uri>https://mp.weixin.qq.com/profile/{GH}</uri></author>
  <updated>2025-11-11T09:00:00Z</updated>
  <entry>
    <title>万载县召开安全生产工作会议</title>
    <link rel="enclosure" href="https://example.org/cover.jpg"/>
    <link rel="alternate" href="https://mp.weixin.qq.com/s/Wz111"/>
    <id>tag:example.org,2025:1</id>
    <published>2025-11-10T04:00:10Z</published>
    <updated>2025-11-10T06:00:00Z</updated>
    <author><name>万载发布</name></author>
  </entry>
  <entry>
    <title type="html">秋季&lt;b&gt;防火&lt;/b&gt;提示</title>
    <link href="posts/2"/>
    <id>tag:example.org,2025:2</id>
    <updated>2025-11-11T09:00:00</updated>
  </entry>
</feed>
""".encode()


def test_atom():
    assert parse_feed(ATOM, FEED_URL) == Archive(
        posts=[
            Post(
                url="https://mp.weixin.qq.com/s/Wz111",
                title="万载县召开安全生产工作会议",
                published_at=utc(2025, 11, 10, 4, 0, 10),
                nickname="万载发布",
            ),
            Post(
                url="https://rss.example.org/wechat/posts/2",
                title="秋季<b>防火</b>提示",
                published_at=utc(2025, 11, 11, 1),  # no zone: Beijing time
            ),
        ],
        nickname="万载发布",
        user_name=GH,
    )


JSON_FEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "宜春市人民政府",
        "home_page_url": "https://www.yichun.gov.cn/",
        "_wechat": {"user_name": GH, "biz": BIZ},
        "items": [
            {
                "id": "1",
                "url": f"https://mp.weixin.qq.com/s?__biz={BIZ}&mid=1&idx=1",
                "title": "政务公开工作要点",
                "date_published": "2025-11-10T12:00:10+08:00",
                "authors": [{"name": "宜春市人民政府"}],
            },
            {
                "id": "2",
                "url": "/s/2",
                "title": "防汛提示",
                "date_modified": "2025-11-09T08:00:00Z",
                "author": {"name": "宜春发布", "url": f"https://example.org/u/{GH}"},
            },
            {
                "id": "https://example.org/posts/3",
                "content_text": "无标题",
                "date_published": "昨天",
            },
        ],
    },
    ensure_ascii=False,
).encode()


def test_json_feed():
    assert parse_feed(JSON_FEED, FEED_URL) == Archive(
        posts=[
            Post(
                url=f"https://mp.weixin.qq.com/s?__biz={BIZ}&mid=1&idx=1",
                title="政务公开工作要点",
                published_at=utc(2025, 11, 10, 4, 0, 10),
                nickname="宜春市人民政府",
                biz=BIZ,
            ),
            Post(
                url="https://rss.example.org/s/2",
                title="防汛提示",
                published_at=utc(2025, 11, 9, 8),
                nickname="宜春发布",
                user_name=GH,
            ),
            Post(url="https://example.org/posts/3", title="", published_at=None),
        ],
        nickname="宜春市人民政府",
        user_name=GH,
        biz=BIZ,
    )


def test_empty_rss_is_a_valid_empty_archive():
    body = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>某某县发布</title></channel></rss>'
    )
    assert parse_feed(body.encode(), FEED_URL) == Archive(posts=[], nickname="某某县发布")


def test_malformed_xml_names_line_and_column():
    body = b'<?xml version="1.0"?>\n<rss version="2.0"><channel>\n  <item><title>x</tit></item>'
    with pytest.raises(ArchiveError) as error:
        parse_feed(body, FEED_URL)
    message = str(error.value)
    assert "第" in message and "行" in message
    assert "第 3 行第 23 列" in message
    assert message.startswith("订阅源不是有效的 XML")


def test_external_entities_are_never_read():
    body = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
<rss version="2.0"><channel><title>&secret;</title>
<item><title>t</title><link>https://example.org/a</link></item></channel></rss>"""
    assert parse_feed(body, FEED_URL).nickname == "&secret;"


def test_malformed_json_feed_names_line_and_column():
    body = b'{"version": "https://jsonfeed.org/version/1.1",\n "items": [}'
    with pytest.raises(ArchiveError, match=r"不是有效的 JSON（第 2 行第 12 列"):
        parse_feed(body, FEED_URL)


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"<!DOCTYPE html>\n<html><head><meta charset=utf-8><title>x</title>", "HTML 网页"),
        (b"<!-- cms -->\n<HTML><body><p>\xe6\x97\xa0</p></body></HTML>", "HTML 网页"),
        (b'<?xml version="1.0"?><urlset><url/></urlset>', "根元素是 <urlset>"),
        (b'{"publish_list": []}', "不是 JSON Feed"),
        (b"404 Not Found", "开头是“404 Not Found”"),
        (b"  \n", "内容为空"),
    ],
)
def test_what_is_not_a_feed(body: bytes, says: str):
    with pytest.raises(ArchiveError, match=says):
        parse_feed(body, FEED_URL)


def test_a_feed_item_without_a_link_is_reported_with_its_line():
    body = b'<rss version="2.0"><channel><title>x</title>\n<item><title>t</title></item>'
    body += b"</channel></rss>"
    with pytest.raises(ArchiveError, match="第 2 行的 <item> 没有链接"):
        parse_feed(body, FEED_URL)


# --- WeChat article pages --------------------------------------------------------------------

#: file → (nickname, user_name, publish time in unix seconds, state), as the corpus README
#: states them; the — entries of the README are what the pages themselves carry (see below).
CORPUS_PAGES = {
    "article-01.html": ("轩辕的编程宇宙", "gh_fe02be2b2ff0", 1762747210, "ok"),
    "article-02.html": ("印记中文", "gh_c4896fefddbf", 1762834143, "ok"),
    "article-03-2019.html": ("阮一峰的网络日志", "gh_2f5c59ad6e1e", 1574683643, "ok"),
    # README: account "—"; the share pages still name it in nick_name / user_name: JsDecode(…)
    "text-share-01.html": ("轩辕的编程宇宙", "gh_fe02be2b2ff0", 1759817591, "ok"),
    "picture-share-01.html": ("36氪", "gh_240fbf8b33e4", 1762338600, "ok"),
    "deleted-by-author.html": (None, None, None, "deleted"),
    # README: account "—"; the notice page's window.cgiData names the account it blocked
    "blocked-violation.html": ("神光的编程秘籍", "gh_7aed10cde089", None, "blocked"),
    "unavailable.html": (None, None, None, "unavailable"),
    "about-account.html": (None, None, None, "ok"),
}
CORPUS_TITLES = {
    "article-01.html": "AI编程害死我了，给我的抓包软件埋了一个大雷！",
    "article-02.html": "前端播客周刊 #026 - Chrome Speculation Rules 加速网站性能",
    "article-03-2019.html": "和死神赛跑：趁父亲还在世，我想用人工智能留住他",
    "text-share-01.html": "AI编程带给程序员的危与机",
    "picture-share-01.html": "新能源车均价创6年新低，价格战「寒气」侵蚀供应链",
}
CORPUS_BIZ = {
    "article-01.html": "MzIyNjMxOTY0NA==",
    "article-02.html": "MzIzOTkwMjM0OQ==",
    "article-03-2019.html": "MzI4NjAxNjY4Nw==",
    "text-share-01.html": "MzIyNjMxOTY0NA==",
    "picture-share-01.html": "MzI2NDk5NzA0Mw==",
}


@pytest.mark.parametrize("name", sorted(CORPUS_PAGES))
def test_real_wechat_pages(corpus, name: str):
    nickname, user_name, created, state = CORPUS_PAGES[name]
    post = parse_wechat_article((corpus / "wechat" / name).read_bytes(), ARTICLE_URL)
    assert post.published_at == (datetime.fromtimestamp(created, UTC) if created else None)
    assert (post.nickname, post.user_name, post.state) == (nickname, user_name, state)
    assert post.title == CORPUS_TITLES.get(name, "")
    assert post.biz == CORPUS_BIZ.get(name)
    assert post.url == ARTICLE_URL


def test_corpus_list_is_complete(corpus):
    """A page added to the corpus must get its expected values here."""
    assert {path.name for path in (corpus / "wechat").glob("*.html")} == set(CORPUS_PAGES)


#: The shapes of a share page, with WeChat's ad card (its own account) before the real one.
SHARE_PAGE = r"""<html><head>
<meta property="og:title" content="og 标题" />
<script>
var biz = null;
var defaultMidAdData = { biz_info: { user_name: 'gh_1e80bb81a1d2', nick_name: '微信广告' } };
window.cgiData = { user_name: 'gh_0123456789ab', nick_name:'宜春\x26amp;发布' };
window.ct = '1762747210' || '';
msg_title = '宜春：\x26quot;政务\x26quot;新媒体 &amp; 检查\'通知\'' || '';
</script></head><body></body></html>"""


def test_share_page_patterns_skip_the_ad_card():
    url = f"https://mp.weixin.qq.com/s?__biz={BIZ}&mid=1&idx=1"
    assert parse_wechat_article(SHARE_PAGE.encode(), url) == Post(
        url=url,
        title="宜春：\"政务\"新媒体 & 检查'通知'",
        published_at=utc(2025, 11, 10, 4, 0, 10),
        nickname="宜春&发布",
        user_name=GH,
        biz=BIZ,
    )


def test_article_page_falls_back_to_og_title_and_create_time():
    page = """<meta property="og:title" content="国务院&amp;通知">
    <script>var ct = ""; var msg_title = ''.html(false);
    var d = { create_time: JsDecode('2025-11-10 12:00'), create_time: "1762747210" * 1 };
    var nickname = htmlDecode(""); var nickname = "宜春发布";</script>"""
    post = parse_wechat_article(page.encode(), ARTICLE_URL)
    assert (post.title, post.published_at, post.nickname) == (
        "国务院&通知",
        utc(2025, 11, 10, 4, 0, 10),
        "宜春发布",
    )


@pytest.mark.parametrize(
    ("notice", "state"),
    [
        ("该内容已被发布者删除", "deleted"),
        ("此内容因违规无法查看", "blocked"),
        ("该内容暂时无法查看", "unavailable"),
        ("此内容无法查看", "unavailable"),
        ("已被发布者删除 违规无法查看", "blocked"),
    ],
)
def test_notice_pages(notice: str, state: str):
    post = parse_wechat_article(f"<p>{notice}</p>".encode(), ARTICLE_URL)
    assert post == Post(url=ARTICLE_URL, title="", published_at=None, state=state)


# --- wechat-article-exporter JSON ------------------------------------------------------------


def exporter_article(aid: str, title: str, created: int, **fields: object) -> dict[str, object]:
    link = f"http://mp.weixin.qq.com/s?__biz={BIZ}&mid={aid}&idx=1&sn=abc#rd"
    return {"aid": aid, "title": title, "link": link, "create_time": created, **fields}


def test_exporter_json_with_publish_info_as_a_string():
    info = {
        "appmsgex": [
            exporter_article("2247483650", "宜春市第一季度经济运行情况", 1762747210, is_deleted=0),
            exporter_article("2247483651", "已删除的文章", 1762834143, is_deleted=1),
        ]
    }
    body = json.dumps(
        {
            "account": {"nickname": "宜春发布", "fakeid": BIZ},
            "publish_list": [
                {"publish_type": 101, "publish_info": json.dumps(info, ensure_ascii=False)},
                {"publish_type": 101, "publish_info": ""},
            ],
        },
        ensure_ascii=False,
    ).encode()
    url = f"http://mp.weixin.qq.com/s?__biz={BIZ}&mid=%s&idx=1&sn=abc#rd"
    assert parse_exporter_json(body, "file:///exports/yichun.json") == Archive(
        posts=[
            Post(
                url=url % "2247483650",
                title="宜春市第一季度经济运行情况",
                published_at=datetime.fromtimestamp(1762747210, UTC),
                biz=BIZ,
            ),
            Post(
                url=url % "2247483651",
                title="已删除的文章",
                published_at=datetime.fromtimestamp(1762834143, UTC),
                state="deleted",
                biz=BIZ,
            ),
        ],
        nickname="宜春发布",
        biz=BIZ,
    )


def publish_list(articles: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{"publish_type": 101, "publish_info": json.dumps({"appmsgex": articles})}]


@pytest.mark.parametrize(
    "shape",
    [
        lambda articles: {"publish_list": [{"publish_info": {"appmsgex": articles}}]},
        lambda articles: {"publish_page": json.dumps({"publish_list": publish_list(articles)})},
        lambda articles: {"app_msg_list": articles},
        lambda articles: articles,
    ],
    ids=["publish-info-object", "publish-page-string", "app-msg-list", "bare-list"],
)
def test_exporter_json_shapes(shape):
    articles = [exporter_article("7", "通知", 1762747210, update_time=1762800000, is_deleted=True)]
    archive = parse_exporter_json(json.dumps(shape(articles)).encode(), "file:///x.json")
    assert [(post.title, post.state, post.published_at) for post in archive.posts] == [
        ("通知", "deleted", datetime.fromtimestamp(1762747210, UTC))
    ]


@pytest.mark.parametrize(
    ("document", "says"),
    [
        ('{"publish_list": [\n{"publish_info": }]}', "第 2 行第 18 列"),
        (
            '{"publish_list": [{"publish_info": "{\\"appmsgex\\": [}"}]}',
            "publish_list[0].publish_info",
        ),
        (
            '{"publish_list": [{"publish_info": {"appmsgex": [{"title": "x"}]}}]}',
            "appmsgex[0].link",
        ),
        ('{"publish_list": {"a": 1}}', "publish_list 不是列表"),
        ('{"base_resp": {"ret": 200003}}', "没有 publish_list"),
    ],
)
def test_unreadable_exporter_json_names_where(document: str, says: str):
    with pytest.raises(ArchiveError) as error:
        parse_exporter_json(document.encode(), "file:///x.json")
    assert says in str(error.value)


# --- HTML lists ------------------------------------------------------------------------------

LIST_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>政务新媒体</title></head><body>
<ul class="list">
  <li><a href="/art/2025/11/10/art_1.html">宜春市召开政务新媒体工作会议</a>
      <span>2025年11月10日</span></li>
  <li><a href="art_2.html" title="关于开展2025年度政府网站和政务新媒体检查的通知"
      >关于开展2025年度政府网站…</a> <span>发布时间：2025年9月3日 14:30</span></li>
  <li><a href="javascript:void(0)">分享</a> <a href="https://mp.weixin.qq.com/s/Zz9">镕</a>
      <span>日期不详</span></li>
  <li class="more">更多</li>
</ul></body></html>"""
LIST_URL = "https://www.yichun.gov.cn/ycszf/zwxmt/index.html"
LIST_POSTS = [
    Post(
        url="https://www.yichun.gov.cn/art/2025/11/10/art_1.html",
        title="宜春市召开政务新媒体工作会议",
        published_at=utc(2025, 11, 9, 16),
    ),
    Post(
        url="https://www.yichun.gov.cn/ycszf/zwxmt/art_2.html",
        title="关于开展2025年度政府网站和政务新媒体检查的通知",
        published_at=utc(2025, 9, 3, 6, 30),
    ),
    Post(url="https://mp.weixin.qq.com/s/Zz9", title="镕", published_at=None),
]


def test_html_list_in_gbk_with_chinese_dates():
    """Declared gb2312, holding 镕 (only GBK/GB18030 have it): read as GB18030."""
    body = LIST_PAGE.encode("gbk")
    archive = parse_html_list(
        body, LIST_URL, "ul.list li", r"(\d{4}年\d{1,2}月\d{1,2}日(?: \d+:\d+)?)"
    )
    assert archive == Archive(posts=LIST_POSTS)


def test_html_list_encoding_given_and_no_group():
    """No meta charset: the encoding given (GB2312 read as its superset), else GB18030."""
    body = LIST_PAGE.replace("charset=gb2312", "").encode("gb18030")
    pattern = r"\d{4}年\d{1,2}月\d{1,2}日(?: \d+:\d+)?"
    assert parse_html_list(body, LIST_URL, "li", pattern, encoding="GB2312").posts == LIST_POSTS
    assert parse_html_list(body, LIST_URL, "li", pattern).posts == LIST_POSTS  # GB18030 fallback


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2025-11-10", utc(2025, 11, 9, 16)),
        ("2025/11/10 08:05:09", utc(2025, 11, 10, 0, 5, 9)),
        ("2025.1.5", utc(2025, 1, 4, 16)),
    ],
)
def test_html_list_date_forms(written: str, expected: datetime):
    body = f'<div class="row"><a href="/a.html">公告</a> [{written}]</div>'.encode()
    pattern = r"\[([^\]]+)\]"
    archive = parse_html_list(body, LIST_URL, "div.row", pattern)
    assert archive.posts == [Post("https://www.yichun.gov.cn/a.html", "公告", expected)]


def test_html_list_dates_are_read_in_the_inventorys_time_zone():
    body = '<div class="row"><a href="/a.html">公告</a> [2025-11-10 08:00]</div>'.encode()
    archive = parse_html_list(body, LIST_URL, "div.row", r"\[([^\]]+)\]", timezone="UTC")
    assert [post.published_at for post in archive.posts] == [utc(2025, 11, 10, 8)]


def test_html_list_selector_matching_nothing_is_an_empty_archive():
    body = LIST_PAGE.encode("gbk")
    assert parse_html_list(body, LIST_URL, "table.news tr", r"\d{4}") == Archive(posts=[])
    assert parse_html_list(b"", LIST_URL, "li", r"\d{4}") == Archive(posts=[])


@pytest.mark.parametrize(
    ("item", "date", "says"),
    [
        ("ul..list li", r"\d{4}", "CSS 选择器“ul..list li”无效"),
        ("li", r"(\d{4}", "日期正则表达式“(\\d{4}”无效"),
    ],
)
def test_html_list_invalid_selector_or_regex(item: str, date: str, says: str):
    with pytest.raises(ArchiveError) as error:
        parse_html_list(LIST_PAGE.encode("gbk"), LIST_URL, item, date)
    assert says in str(error.value)
