"""New-media accounts end to end: archives served on loopback, read by the archive spider,
each account given its verdict, and a site that links an account the register lacks."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import lxml.html
import pytest
import yaml
from openpyxl import Workbook
from servers import http_site, page

from govscan.checks.newmedia import account_link
from govscan.cli import main

REGISTERED_BIZ = "MzA5NjU0MzIxMA=="
BATCH = 5  # accounts read by one crawl: the world's 13 are read in three


def rss(title: str, *days_ago: int) -> str:
    """An RSS 2.0 feed of posts published ``days_ago`` days before now."""
    items = "".join(
        f"<item><title>第{n}条信息</title><link>/posts/{n}.html</link>"
        f"<pubDate>{format_datetime(datetime.now(UTC) - timedelta(days=days))}</pubDate></item>"
        for n, days in enumerate(days_ago, start=1)
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>{title}</title><link>https://mp.weixin.qq.com/</link>{items}</channel></rss>"
    )


def unix(days_ago: int) -> int:
    return int((datetime.now(UTC) - timedelta(days=days_ago)).timestamp())


def exporter(*articles: tuple[str, int, int]) -> str:
    """wechat-article-exporter JSON: (title, days ago, is_deleted)."""
    appmsgex = [
        {
            "title": title,
            "link": f"https://mp.weixin.qq.com/s/{n}",
            "create_time": unix(days),
            "update_time": unix(days),
            "is_deleted": deleted,
        }
        for n, (title, days, deleted) in enumerate(articles)
    ]
    return json.dumps({"publish_list": [{"publish_info": json.dumps({"appmsgex": appmsgex})}]})


def article_page(nickname: str, user_name: str, days_ago: int) -> str:
    return (
        f"<html><head><title>{nickname}</title></head><body><script>"
        f'var nickname = htmlDecode("{nickname}");\nvar user_name = "{user_name}";\n'
        f"var msg_title = '全州防汛工作会议召开'.html(false);\nvar ct = \"{unix(days_ago)}\";"
        "</script><div id='js_content'>正文</div></body></html>"
    )


ARCHIVES = {
    "/active.xml": rss("苍山发布", 2, 20),
    "/stale.xml": rss("苍山教育", 10),
    "/zombie.xml": rss("苍山交通", 30, 45),
    "/shell.xml": rss("苍山文旅"),
    "/decorated.xml": rss("苍山民政 - 微信公众号", 1),
    "/renamed.xml": rss("苍山林草（旧）", 1),
    "/malformed.xml": "<?xml version='1.0'?><rss><channel><title>坏<title></channel>",
    "/other.json": json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "苍山卫健",
            "_wechat": {"user_name": "gh_99990000aaaa"},
            "items": [
                {
                    "id": "1",
                    "url": "/posts/9.html",
                    "title": "健康提示",
                    "date_published": (datetime.now(UTC) - timedelta(days=1)).isoformat(),
                }
            ],
        }
    ),
    "/export.json": exporter(("防汛通知", 3, 0), ("一篇被删的信息", 5, 1)),
    "/s/article": article_page("苍山应急", "gh_1234567890ab", 4),
}


def account(key: str, name: str, **fields) -> dict:
    return {
        "id": key,
        "platform": "wechat",
        "name": name,
        "unit": "苍山州政府办公室",
        **fields,
    }


def feed(url: str) -> list[dict]:
    return [{"type": "feed", "url": url}]


@pytest.fixture(scope="module")
def world(module_scan, tmp_path_factory):
    """One scan of a site and the register's accounts, every archive on loopback."""
    home = page(
        "苍山州人民政府",
        f"<a href='https://mp.weixin.qq.com/mp/profile_ext?action=home&__biz={REGISTERED_BIZ}'>"
        "苍山发布</a> <a href='https://mp.weixin.qq.com/mp/profile_ext?action=home&"
        "__biz=MzIyMjIyMjIyMg=='>苍山州文旅（未报备）</a>"
        " <a href='https://weibo.com/u/7001234567'>苍山发布微博</a>"
        " <a href='/xmt.html'>政务新媒体</a>",
    )
    matrix = page(
        "苍山州政务新媒体矩阵",
        "<img src='/qr1.png' alt='苍山发布微信公众号二维码'>"
        "<figure><img src='/qr2.png'><figcaption>苍山州消防 官方抖音号</figcaption></figure>",
    )
    pictures = {"/qr1.png": "png", "/qr2.png": "png"}
    with http_site({**ARCHIVES, "/": home, "/xmt.html": matrix, **pictures}) as site:
        base = site.url.rstrip("/")
        accounts = [
            account(
                "active", "苍山发布", account_id=REGISTERED_BIZ, archives=feed(f"{base}/active.xml")
            ),
            account("stale", "苍山教育", archives=feed(f"{base}/stale.xml")),
            account("zombie", "苍山交通", archives=feed(f"{base}/zombie.xml")),
            account("shell", "苍山文旅", archives=feed(f"{base}/shell.xml")),
            account("unreachable", "苍山水务", archives=feed("http://127.0.0.1:9/feed.xml")),
            account("malformed", "苍山农业", archives=feed(f"{base}/malformed.xml")),
            account(
                "other",
                "苍山卫健",
                account_id="gh_0000aaaa1111",
                archives=[{"type": "feed", "url": f"{base}/other.json"}],
            ),
            account(
                "deleted",
                "苍山应急发布",
                archives=[{"type": "exporter_json", "url": f"{base}/export.json"}],
            ),
            account(
                "article",
                "苍山应急",
                account_id="gh_1234567890ab",
                archives=[{"type": "wechat_articles", "urls": [f"{base}/s/article"]}],
            ),
            account("no-archive", "苍山司法"),
            account("decorated", "苍山民政", archives=feed(f"{base}/decorated.xml")),
            account("renamed", "苍山林草", archives=feed(f"{base}/renamed.xml")),
            {**account("weibo", "苍山发布微博", account_id="7001234567"), "platform": "weibo"},
        ]
        inventory = tmp_path_factory.mktemp("inventory") / "sites.yaml"
        sites = [
            {"id": "csz", "name": "苍山州人民政府", "url": site.url, "unit": "苍山州政府办公室"}
        ]
        document = {"settings": {"account_batch": BATCH}, "sites": sites, "accounts": accounts}
        inventory.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        skips = [arg for host in ("mp.weixin.qq.com", "weibo.com") for arg in ("--skip-host", host)]
        yield module_scan("--config", str(inventory), "--checks", "links,newmedia", *skips)


def test_accounts_are_read_in_batches_a_run_each(world):
    """13 accounts in batches of 5: three crawls, each its run and its log, one result."""
    ids = [entry["id"] for entry in world.result["accounts"]]
    assert len(ids) == 13 and ids[:2] == ["active", "stale"] and ids[-1] == "weibo"
    assert len(world.result["run"]["account_run_ids"]) == 3
    assert len({entry["run_id"] for entry in world.result["accounts"]}) == 3
    logs = {path.name for path in (world.out / "logs").iterdir()}
    assert {"accounts.log", "accounts-1.log", "accounts-2.log"} <= logs


def by_id(output) -> dict[str, dict]:
    return {entry["id"]: entry for entry in output.result["accounts"]}


@pytest.mark.parametrize(
    ("account_id", "verdict", "rules"),
    [
        ("active", "合格", []),
        ("stale", "合格", ["newmedia.stale"]),
        ("zombie", "不合格", ["newmedia.zombie"]),
        ("shell", "不合格", ["newmedia.shell"]),
        ("unreachable", "未完成", ["newmedia.archive_unreachable"]),
        ("malformed", "未完成", ["newmedia.archive_unreachable"]),
        ("other", "合格", ["newmedia.mismatch"]),
        ("deleted", "合格", ["newmedia.deleted_posts"]),
        ("article", "合格", []),
        ("no-archive", "未完成", ["newmedia.archive_unreachable"]),
        ("weibo", "未完成", ["newmedia.archive_unreachable"]),
        ("decorated", "合格", []),  # the feed's title decorates the name
        ("renamed", "合格", ["newmedia.mismatch"]),  # the feed of the old account
    ],
)
def test_each_account_gets_its_verdict(world, account_id, verdict, rules):
    entry = by_id(world)[account_id]
    assert [f["rule"] for f in entry["findings"]] == rules
    assert entry["verdict"] == verdict


def test_a_zombie_says_how_long_it_has_been_silent(world):
    zombie = by_id(world)["zombie"]
    assert zombie["days_since"] == 30 and zombie["posts"] == 2
    [finding] = zombie["findings"]
    assert finding["severity"] == "veto" and "已 30 天未更新" in finding["message"]
    assert zombie["vetoes"] == ["newmedia.zombie"]


def test_an_unreadable_archive_is_never_called_a_zombie(world):
    assert world.code == 1  # accounts left 未完成: the scan could not finish its work
    accounts = by_id(world)
    [refused] = accounts["unreachable"]["findings"]
    assert "连接被拒绝" in refused["message"] and accounts["unreachable"]["days_since"] is None
    [malformed] = accounts["malformed"]["findings"]
    assert "第" in malformed["message"] and "行" in malformed["message"]


def test_a_feed_of_another_account_is_a_mismatch(world):
    [mismatch] = by_id(world)["other"]["findings"]
    assert mismatch["detail"]["expected"] == "gh_0000aaaa1111"
    assert mismatch["detail"]["found"] == "gh_99990000aaaa"


def test_a_feed_of_an_old_account_of_a_similar_name_is_a_mismatch(world):
    [mismatch] = by_id(world)["renamed"]["findings"]
    assert (mismatch["detail"]["expected"], mismatch["detail"]["found"]) == (
        "苍山林草",
        "苍山林草（旧）",
    )


def test_deleted_posts_are_listed(world):
    [deleted] = by_id(world)["deleted"]["findings"]
    assert [p["title"] for p in deleted["detail"]["posts"]] == ["一篇被删的信息"]


def test_a_site_linking_or_showing_an_unregistered_account_is_reported(world):
    [site] = world.result["sites"]
    found = [f for f in site["findings"] if f["rule"] == "newmedia.unregistered"]
    assert [(f["detail"]["platform"], f["detail"]["identifier"], f["source"]) for f in found] == [
        ("wechat", "MzIyMjIyMjIyMg==", site["url"]),
        ("douyin", "苍山州消防", site["url"] + "xmt.html"),
    ]
    assert found[0]["detail"]["anchor"] == "苍山州文旅（未报备）"
    assert [f["detail"]["similar"] for f in found] == [None, None]  # 苍山文旅 is not 苍山州文旅


def test_old_and_look_alike_accounts_are_unregistered_near_misses(scan, tmp_path):
    """The register has 苍山交警 on Weibo; the site links it by its id and by its decorated
    name, and links three other accounts whose names only resemble it."""
    links = {
        "https://weibo.com/u/7002000000": "交警在线",  # the registered id
        "https://weibo.com/csjj": "苍山交警官方微博",  # the registered name, decorated
        "https://weibo.com/u/7002000001": "苍山交警旧版",
        "https://weibo.com/u/7002000002": "苍山交警（旧）",
        "https://weibo.com/u/7002000003": "苍山交警2",
    }
    home = page("苍山州公安局", "".join(f"<a href='{u}'>{text}</a>" for u, text in links.items()))
    with http_site({"/": home}) as site:
        inventory = tmp_path / "sites.yaml"
        police = {"id": "csjj", "name": "苍山州公安局", "url": site.url, "unit": "苍山州公安局"}
        registered = {
            **account("jj", "苍山交警", account_id="7002000000", unit="苍山州公安局"),
            "platform": "weibo",
        }
        inventory.write_text(
            yaml.safe_dump({"sites": [police], "accounts": [registered]}, allow_unicode=True),
            encoding="utf-8",
        )
        output = scan(
            "--config", str(inventory), "--checks", "newmedia", "--skip-host", "weibo.com"
        )
    found = output.findings("newmedia.unregistered")
    assert [f["detail"]["identifier"] for f in found] == ["7002000001", "7002000002", "7002000003"]
    for finding in found:
        assert finding["detail"]["similar"] == {"name": "苍山交警", "account_id": "7002000000"}
        assert "与已报备账号“苍山交警”名称相近" in finding["message"]


def test_the_report_lists_accounts_by_unit(world):
    report = (world.out / "report.html").read_text(encoding="utf-8")
    assert "政务新媒体" in report and "苍山州政府办公室" in report and "僵尸账号" in report
    root = lxml.html.fromstring(report)
    problems = {
        row.cssselect("td")[0].text_content(): row.cssselect("td")[5].text_content()
        for row in root.cssselect("h2#accounts ~ div.table-wrap tbody tr")
    }
    [zombie] = [text for name, text in problems.items() if name.startswith("苍山交通")]
    assert "（单项否决）" in zombie and "整改建议：恢复账号正常更新，或按程序关停注销。" in zombie
    [stale] = [text for name, text in problems.items() if name.startswith("苍山教育")]
    assert "（不扣分）" in stale  # a warning
    [renamed] = [text for name, text in problems.items() if name.startswith("苍山卫健")]
    assert re.search(r"（扣 \d+(\.\d+)? 分）", renamed)  # a deduction


def test_accounts_command_checks_only_the_accounts(tmp_path, db_url):
    with http_site({"/active.xml": ARCHIVES["/active.xml"]}) as site:
        inventory = tmp_path / "accounts.yaml"
        entry = account("active", "苍山发布", archives=feed(site.url_for("/active.xml")))
        inventory.write_text(yaml.safe_dump({"accounts": [entry]}, allow_unicode=True), "utf-8")
        out = tmp_path / "out"
        assert main(["accounts", "--config", str(inventory), "--out", str(out)]) == 0
    result = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert result["sites"] == [] and [a["verdict"] for a in result["accounts"]] == ["合格"]


def test_accounts_command_fails_when_an_archive_cannot_be_read(tmp_path, db_url):
    with http_site({"/active.xml": ARCHIVES["/active.xml"]}) as site:
        inventory = tmp_path / "accounts.yaml"
        accounts = [
            account("active", "苍山发布", archives=feed(site.url_for("/active.xml"))),
            account("unreachable", "苍山水务", archives=feed("http://127.0.0.1:9/feed.xml")),
        ]
        inventory.write_text(yaml.safe_dump({"accounts": accounts}, allow_unicode=True), "utf-8")
        out = tmp_path / "out"
        assert main(["accounts", "--config", str(inventory), "--out", str(out)]) == 1
    result = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert [a["verdict"] for a in result["accounts"]] == ["合格", "未完成"]


@pytest.mark.parametrize(
    ("url", "found"),
    [
        (f"https://mp.weixin.qq.com/s?__biz={REGISTERED_BIZ}&mid=1", ("wechat", REGISTERED_BIZ)),
        ("https://mp.weixin.qq.com/s/AbCdEf", None),  # a short link names no account
        ("https://weibo.com/u/7001234567", ("weibo", "7001234567")),
        ("https://weibo.com/cszfb", ("weibo", "cszfb")),
        ("https://weibo.com/login", None),
        ("https://www.douyin.com/user/MS4wLjABAAAA", ("douyin", "MS4wLjABAAAA")),
        ("https://www.toutiao.com/c/user/token/MS4wLjAB/", ("toutiao", "MS4wLjAB")),
        ("https://beian.miit.gov.cn/", None),
    ],
)
def test_links_to_accounts_are_recognised(url, found):
    assert account_link(url) == found


def test_accounts_command_reads_an_excel_register(tmp_path, db_url):
    with http_site({"/zombie.xml": ARCHIVES["/zombie.xml"]}) as site:
        book = Workbook()
        book.active.append(["平台", "账号名称", "主办单位", "是否报备", "订阅地址"])
        book.active.append(
            ["微信公众号", "苍山交通", "苍山州交通运输局", "是", site.url_for("zombie.xml")]
        )
        register = tmp_path / "台账.xlsx"
        book.save(register)
        out = tmp_path / "out"
        assert main(["accounts", "--config", str(register), "--out", str(out)]) == 0
    [zombie] = json.loads((out / "findings.json").read_text(encoding="utf-8"))["accounts"]
    assert (zombie["id"], zombie["unit"], zombie["verdict"]) == (
        "wechat-2",
        "苍山州交通运输局",
        "不合格",
    )


def one_post(title: str, written: str) -> str:
    """An RSS 2.0 feed of one post whose publication time is written as ``written``."""
    item = f"<item><title>防汛通知</title><link>/posts/1.html</link><pubDate>{written}</pubDate>"
    return rss(title).replace("</channel>", f"{item}</item></channel>")


def test_archive_times_without_a_zone_are_read_in_the_inventorys_time_zone(tmp_path, db_url):
    """Urumqi keeps UTC+6: 08:00 written there without a zone is 02:00 UTC; 08:00+08:00 stays
    00:00 UTC whatever the inventory's time zone."""
    day = (datetime.now(UTC) - timedelta(days=2)).date()
    feeds = {
        "/zoneless.xml": one_post("苍山发布", f"{day} 08:00:00"),
        "/zoned.xml": one_post("苍山教育", f"{day}T08:00:00+08:00"),
    }
    with http_site(feeds) as site:
        accounts = [
            account("zoneless", "苍山发布", archives=feed(site.url_for("/zoneless.xml"))),
            account("zoned", "苍山教育", archives=feed(site.url_for("/zoned.xml"))),
        ]
        inventory = tmp_path / "accounts.yaml"
        document = {"settings": {"timezone": "Asia/Urumqi"}, "accounts": accounts}
        inventory.write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")
        out = tmp_path / "out"
        assert main(["accounts", "--config", str(inventory), "--out", str(out)]) == 0
    result = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert [entry["last_post_at"] for entry in result["accounts"]] == [
        f"{day}T02:00:00+00:00",
        f"{day}T00:00:00+00:00",
    ]
