"""The security family from kept HTML, page texts and the scripts pages load."""

from __future__ import annotations

from dataclasses import replace

from views import home, link, page, url, view

from govscan.checks.family import EVIDENCE_ROLE
from govscan.checks.security import SecuritySettings, judge, pages_to_render
from govscan.store.view import HiddenLink, Link, Page, RenderedPage, TlsMeasurement

SETTINGS = SecuritySettings()
#: 身份证号 and a bank card made up for the tests, with valid check digits.
ID_1, ID_2 = "110101198001011232", "53290119921231002X"
CARD = "6222020200112345679"


def rules(run) -> dict[str, object]:
    return {finding.rule: finding for finding in judge(run, SETTINGS)}


def test_a_hidden_gambling_link_on_the_homepage_is_a_veto_and_a_hidden_menu_is_not():
    dark = (
        "<div style='position:absolute;left:-9999px'><a href='http://www.xpj-casino.com/'>"
        "澳门葡京百家乐</a></div>"
        "<script>document.write('<a href=\"http://bet.example.com/\">真人娱乐</a>')</script>"
    )
    menu = "<ul style='display:none'><li><a href='http://www.people.com.cn/'>人民网</a></li></ul>"
    found = rules(view([home(dark + menu)]))
    [hidden] = found.values()
    assert (hidden.rule, hidden.severity) == ("security.hidden_links", "veto")
    assert [item["href"] for item in hidden.detail["hidden_links"]] == [
        "http://www.xpj-casino.com/",
        "http://bet.example.com/",
    ]
    assert rules(view([home(menu)])) == {}


def hidden(href: str, text: str, how: str = "hidden", shot: str | None = None) -> HiddenLink:
    return HiddenLink(href, text, how, "div.yc > a", f"<a href='{href}'>{text}</a>", shot=shot)


def test_links_the_rendered_page_hides_count_with_their_screenshot_and_harmless_ones_do_not():
    source_dark = "<div style='display:none'><a href='http://a.example.com/'>百家乐</a></div>"
    rendered = RenderedPage(
        url("/"),
        "home",
        status=200,
        hidden_links=(
            hidden("http://a.example.com/", "百家乐", shot="k1"),  # also in the source
            hidden("http://b.example.com/", "澳门葡京娱乐城", "same_colour", shot="k2"),
            hidden("http://www.gov.cn/", "中国政府网"),  # a 友情链接 menu
            hidden(url("/x.html"), "北京赛车"),  # the site's own page: not a dark link
        ),
    )
    [found] = judge(view([home(source_dark)], rendered=(rendered,)), SETTINGS)
    assert found.rule == "security.hidden_links"
    links = {item["href"]: item for item in found.detail["hidden_links"]}
    assert set(links) == {"http://a.example.com/", "http://b.example.com/"}
    assert (
        links["http://b.example.com/"]["how_title"],
        links["http://b.example.com/"]["shot"],
    ) == (
        "文字与背景同色",
        "k2",
    )
    assert links["http://a.example.com/"]["shot"] == "k1"  # found twice, listed once


def test_the_browser_opens_the_homepage_and_pages_with_spam_titles_as_evidence():
    pages = [
        home("<p>首页</p>"),
        page("/a.html", title="澳门葡京娱乐城"),
        page("/b.html", title="通知"),
    ]
    chosen = pages_to_render(view(pages))
    assert [(p.url, p.role) for p in chosen] == [
        (url("/"), "home"),
        (url("/a.html"), EVIDENCE_ROLE),
    ]


def test_gambling_words_in_a_title_are_defacement_and_a_police_warning_is_not():
    defaced = page("/a.html", title="澳门葡京娱乐城-首存送彩金")
    notice = page("/b.html", title="警方提醒：警惕网络赌博")
    texts = {
        url("/a.html"): "澳门葡京娱乐城 百家乐 真人视讯",
        url(
            "/b.html"
        ): "警方严厉打击百家乐、六合彩、时时彩等网络赌博违法犯罪活动，提醒群众谨防诈骗。",
    }
    [found] = judge(view([defaced, notice], texts=texts), SETTINGS)
    assert (found.rule, found.url, found.detail["in_title"]) == (
        "security.defaced",
        url("/a.html"),
        True,
    )


def test_id_numbers_and_bank_accounts_are_reported_masked():
    text = (
        f"2026年低保发放名单：张三 {ID_1} 开户银行账号：{CARD}；李四 {ID_2}；"
        "王五 110101198001011233（校验位不符，不是身份证号）"
    )
    [found] = judge(view([page("/gs.html")], texts={url("/gs.html"): text}), SETTINGS)
    assert (found.rule, found.severity) == ("security.sensitive_data", "deduction")
    assert (found.detail["id_numbers"], found.detail["bank_accounts"]) == (2, 1)
    shown = repr(found.as_dict())
    assert ID_1 not in shown and ID_2 not in shown and CARD not in shown
    assert "110*************32" in found.detail["examples"]


def test_a_list_of_mobile_numbers_is_a_warning_and_a_contact_line_is_nothing():
    people = "；".join(f"村民{n} 1380000{n:04d}" for n in range(6))
    found = judge(view([page("/l.html")], texts={url("/l.html"): people}), SETTINGS)
    assert [(f.rule, f.severity, f.detail["mobiles"]) for f in found] == [
        ("security.sensitive_data", "warning", 6)
    ]
    contact = "联系人：张科长 13800001234"
    assert judge(view([page("/c.html")], texts={url("/c.html"): contact}), SETTINGS) == []


def test_scripts_from_unknown_hosts_and_packed_inline_code_are_listed_for_review():
    packed = "<script>eval(function(p,a,c,k,e,d){return p}('0 1',2,2,'a|b'.split('|')))</script>"
    links = [
        link("/", "http://hm.baidu.com/hm.js", element="script"),
        link("/", "http://js.unknown-cdn.example/x.js", element="script"),
        link("/", "http://www.csz.gov.cn/js/common.js", element="script"),
        link("/", "http://s.trusted.example/a.js", element="script"),
    ]
    run = view([home(packed)], links=links)
    [found] = judge(run, SecuritySettings(allowed_script_hosts=["trusted.example"]))
    assert (found.rule, found.severity) == ("security.suspicious_script", "warning")
    assert [item["src"] for item in found.detail["scripts"]] == [
        "http://js.unknown-cdn.example/x.js"
    ]
    assert found.detail["obfuscated_pages"] == [url("/")]


def test_a_self_signed_or_expiring_certificate_and_a_site_without_https():
    expiring = TlsMeasurement("www.csz.gov.cn", 443, True, version="TLSv1.2", days_left=12)
    expiring = replace(expiring, not_after="2026-12-09T00:00:00Z")
    [soon] = judge(view([], tls=expiring), SETTINGS)
    assert (soon.rule, soon.severity, soon.detail["problem"]) == (
        "security.tls",
        "warning",
        "expiring",
    )
    self_signed = replace(
        expiring, days_left=300, problem="self_signed", detail="self-signed certificate"
    )
    [bad] = judge(view([], tls=self_signed), SETTINGS)
    assert (bad.severity, bad.detail["problem"]) == ("deduction", "self_signed")
    old = replace(expiring, days_left=300, version="TLSv1")
    assert [f.detail["problem"] for f in judge(view([], tls=old), SETTINGS)] == ["old_protocol"]
    plain = TlsMeasurement(
        "www.csz.gov.cn", 443, False, error="443 端口拒绝连接，网站未提供 HTTPS 访问"
    )
    [none] = judge(view([], tls=plain), SETTINGS)
    assert (none.severity, none.detail["problem"]) == ("warning", "no_https")


def test_http_images_on_https_pages_are_mixed_content():
    https = "https://www.csz.gov.cn/xwdt/1.html"
    links = [Link("http://img.csz.gov.cn/a.jpg", "img", "", 1, https)]
    [mixed] = judge(view([Page(https, "page", 1, "", "", 0)], links=links), SETTINGS)
    assert (mixed.rule, mixed.url, mixed.detail["problem"]) == (
        "security.tls",
        https,
        "mixed_content",
    )


def test_a_dark_link_planted_after_a_stray_closing_html_tag_is_found():
    """Injected footers often follow the template's own </html>; browsers show them."""
    html = "<p>首页</p></body></html><div style='display:none'><a href='http://x.example/'>百家乐</a></div>"
    assert [f.rule for f in judge(view([home(html)]), SETTINGS)] == ["security.hidden_links"]
