"""The newmedia family's site check from links and kept pages: accounts a site links to or
shows that the register lacks."""

from __future__ import annotations

from views import home, link, page, url, view

from govscan.checks.newmedia import judge_site
from govscan.store.inventory import NewMediaSettings
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
