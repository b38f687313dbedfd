"""The newmedia family from a few records: accounts a site links to or shows that the
register lacks, and each registered account from what its archives showed."""

from __future__ import annotations

from datetime import UTC, timedelta

from views import STARTED_AT, home, link, page, url, view

from govscan.checks.newmedia import check_account, judge_site
from govscan.store.inventory import AccountEntry, Dictionaries, DictionaryEntry, NewMediaSettings
from govscan.store.records import ArchiveRecord
from govscan.store.view import KnownAccount

REGISTER = (
    KnownAccount("weibo", "苍山发布", "2803301701"),
    KnownAccount("wechat", "苍山交通", "gh_0123456789ab"),
)


def unregistered(run) -> dict:
    return {f.url: f for f in judge_site(run, NewMediaSettings())}


def test_a_linked_account_the_register_lacks_is_unregistered():
    run = view(
        [home("<html></html>")],
        links=[
            link("/", "https://weibo.com/u/2803301701", "苍山发布"),  # registered by its id
            link("/", "https://weibo.com/u/1111111111", "苍山交通官方微博"),  # another platform
            link("/", "https://www.douyin.com/user/MS4wLjAB", "苍山文旅"),
        ],
        known_accounts=REGISTER,
    )
    found = unregistered(run)
    assert set(found) == {"https://weibo.com/u/1111111111", "https://www.douyin.com/user/MS4wLjAB"}
    douyin = found["https://www.douyin.com/user/MS4wLjAB"]
    assert (douyin.rule, douyin.source, douyin.detail["platform"]) == (
        "newmedia.unregistered",
        url("/"),
        "douyin",
    )


def test_a_look_alike_of_a_registered_account_names_it():
    run = view(
        links=[link("/", "https://weibo.com/u/2222222222", "苍山发布（旧）")],
        known_accounts=REGISTER,
    )
    [old] = unregistered(run).values()
    assert old.detail["similar"] == {"name": "苍山发布", "account_id": "2803301701"}


def test_an_account_shown_by_its_qr_code_on_the_new_media_page():
    matrix = page(
        "/xmtjz/",
        "<html><img src='/qr1.png' alt='苍山交通微信公众号'>"
        "<img src='/qr2.png' alt='苍山应急微信公众号'></html>",
        title="政务新媒体矩阵",
    )
    found = unregistered(view([home("<html></html>"), matrix], known_accounts=REGISTER))
    [shown] = found.values()
    assert (shown.url, shown.source, shown.detail["identifier"]) == (
        url("/xmtjz/"),
        url("/xmtjz/"),
        "苍山应急",
    )


FEED = "https://rss.csz.gov.cn/cangshanfabu.xml"
ACCOUNT = AccountEntry(
    id="fabu",
    platform="wechat",
    name="苍山发布",
    account_id="gh_0123456789ab",
    unit="苍山州人民政府办公室",
    archives=[{"type": "feed", "url": FEED}],
).model_dump()


def post(days_ago: int, state: str = "ok") -> dict:
    published = STARTED_AT - timedelta(days=days_ago)
    return {
        "url": f"https://mp.weixin.qq.com/s/{days_ago}{state}",
        "title": "通告",
        "state": state,
        "published_at": published.replace(tzinfo=UTC).isoformat(),
    }


def judged(*reads: ArchiveRecord) -> tuple[dict, object]:
    found, summary = check_account(
        ACCOUNT, list(reads), STARTED_AT, NewMediaSettings(), "Asia/Shanghai"
    )
    return {f.rule: f.severity for f in found}, summary


def test_an_account_is_fresh_stale_or_a_zombie_by_its_newest_post():
    assert judged(ArchiveRecord("fabu", FEED, 200, posts=[post(3)]))[0] == {}
    assert judged(ArchiveRecord("fabu", FEED, 200, posts=[post(10)]))[0] == {
        "newmedia.stale": "warning"
    }
    rules, summary = judged(ArchiveRecord("fabu", FEED, 200, posts=[post(30), post(1, "deleted")]))
    assert rules == {"newmedia.zombie": "veto", "newmedia.deleted_posts": "warning"}
    assert (summary.days_since, summary.posts, summary.judged) == (30, 2, True)
    assert judged(ArchiveRecord("fabu", FEED, 200))[0] == {"newmedia.shell": "veto"}


def test_an_archive_that_cannot_be_read_is_never_a_zombie():
    rules, summary = judged(ArchiveRecord("fabu", FEED, 404, error="HTTP 404"))
    assert rules == {"newmedia.archive_unreachable": "warning"} and not summary.judged


def test_an_archive_of_another_account_is_a_mismatch():
    other = ArchiveRecord("fabu", FEED, 200, user_name="gh_ffffffffffff", posts=[post(1)])
    assert judged(other)[0] == {"newmedia.mismatch": "deduction"}


def titled(days_ago: int, title: str) -> dict:
    return {**post(days_ago), "url": f"https://mp.weixin.qq.com/s/t{days_ago}", "title": title}


def test_wrong_forms_in_post_titles_are_found_with_the_dictionaries():
    posts = [
        titled(2, "深入学习习近平新时代中国特色社会主意思想"),
        titled(3, "全州安全生产工作布署会召开"),
        titled(4, "苍山州产业基金转让全部份额的公告"),  # 部份 across a word boundary
    ]
    rules, _ = judged(ArchiveRecord("fabu", FEED, 200, posts=posts))
    assert rules == {"newmedia.serious_error": "veto", "newmedia.typo": "deduction"}


def test_a_renamed_body_is_history_in_a_post_older_than_the_rename():
    old = {**titled(3, "市环境保护局开展执法检查"), "published_at": "2017-06-01T02:00:00+00:00"}
    fresh = titled(1, "今日要闻")
    assert judged(ArchiveRecord("fabu", FEED, 200, posts=[fresh, old]))[0] == {}


def test_the_inventorys_dictionary_entries_are_read_in_post_titles_too():
    added = Dictionaries(typo=[DictionaryEntry(wrong="仓山州", right="苍山州")])
    read = ArchiveRecord("fabu", FEED, 200, posts=[titled(1, "仓山州召开防汛会议")])
    found, _ = check_account(
        ACCOUNT, [read], STARTED_AT, NewMediaSettings(), "Asia/Shanghai", added
    )
    assert [(f.rule, f.detail["posts"][0]["wrong"]) for f in found] == [("newmedia.typo", "仓山州")]
