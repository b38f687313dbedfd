"""URL canonical forms, site scope, intranet addresses, and the resolver's and 429's parsing."""

from __future__ import annotations

import pytest

from govscan.crawler.middlewares import retry_after_seconds
from govscan.resolver import parse_nameserver, parse_overrides
from govscan.urls import canonical_url, invalid_href, is_intranet_host, origin_of, site_scope

BASE = "http://www.csz.gov.cn/xwdt/index.html"


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("a.html#top", "http://www.csz.gov.cn/xwdt/a.html"),
        ("../zcwj/", "http://www.csz.gov.cn/zcwj/"),
        (" HTTP://WWW.CSZ.GOV.CN:80 ", "http://www.csz.gov.cn/"),
        (
            "/搜索?q=政务 公开",
            "http://www.csz.gov.cn/%E6%90%9C%E7%B4%A2?q=%E6%94%BF%E5%8A%A1%20%E5%85%AC%E5%BC%80",
        ),
        ("mailto:web@csz.gov.cn", "mailto:web@csz.gov.cn"),
        ("javascript:void(0)", "javascript:void(0)"),
    ],
)
def test_canonical_url(href, expected):
    assert canonical_url(href, BASE) == expected


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("\\zh\\x.html", "http://www.csz.gov.cn/zh/x.html"),
        ("zh\\x.html?q=a\\b#\\c", "http://www.csz.gov.cn/xwdt/zh/x.html?q=a%5Cb"),
        ("http:\\\\WWW.csz.gov.cn\\zh\\", "http://www.csz.gov.cn/zh/"),
        ("http:///www.gov.cn/zhengce/", "http://www.gov.cn/zhengce/"),
        ("\t/zcwj/\n2026/1.html ", "http://www.csz.gov.cn/zcwj/2026/1.html"),
        ("\u3000/a.html", "http://www.csz.gov.cn/xwdt/%E3%80%80/a.html"),  # not stripped
        ("javascript:show('a\\b')", "javascript:show('a\\b')"),
    ],
)
def test_hrefs_are_read_as_browsers_read_them(href, expected):
    """The WHATWG URL rules: ``\\`` is ``/`` in an http(s) path, only ASCII spaces and controls
    are stripped, tabs and newlines dropped, extra slashes before a host ignored."""
    assert canonical_url(href, BASE) == expected


@pytest.mark.parametrize(
    "href",
    [
        "http://[bad",
        "//[bad/x.html",
        "http://[::zz]/",
        "http://www.csz.gov.cn:99999/",
        "http://www.csz.gov.cn:abc/",
        "http://www csz.gov.cn/",
        "http://",
        "https://:443/",
    ],
)
def test_an_href_no_browser_can_follow_is_recorded_as_invalid(href):
    recorded = canonical_url(href, BASE)
    assert recorded.startswith("invalid:") and invalid_href(recorded) == href
    assert invalid_href(canonical_url("/a.html", BASE)) is None


def test_site_scope_takes_extra_hosts_on_the_sites_port():
    scope = site_scope("http://www.csz.gov.cn:8080/", ["zwgk.csz.gov.cn", "data.csz.gov.cn:9000"])
    assert origin_of("http://zwgk.csz.gov.cn:8080/a") in scope
    assert origin_of("https://zwgk.csz.gov.cn/a") in scope
    assert origin_of("http://data.csz.gov.cn:9000/") in scope
    assert origin_of("http://www.csz.gov.cn/") not in scope  # port 80 is another server
    assert origin_of("http://www.gov.cn:8080/") not in scope


@pytest.mark.parametrize(
    ("host", "intranet"),
    [
        ("10.1.2.3", True),
        ("192.168.0.1", True),
        ("127.0.0.1", True),
        ("::1", True),
        ("::ffff:10.0.0.1", True),
        ("oa", True),
        ("oa.csz.local", True),
        ("localhost", True),
        ("www.csz.gov.cn", False),
        ("202.96.128.86", False),
        ("2001:da8::1", False),
    ],
)
def test_intranet_hosts(host, intranet):
    assert is_intranet_host(host) is intranet


def test_resolver_options():
    assert parse_overrides(["WWW.csz.gov.cn:127.0.0.1", "www.csz.gov.cn:[::1]"]) == {
        "www.csz.gov.cn": ["127.0.0.1", "::1"]
    }
    with pytest.raises(ValueError, match="主机名:IP地址"):
        parse_overrides(["www.csz.gov.cn:nowhere"])
    assert parse_nameserver("127.0.0.1:5353") == ("127.0.0.1", 5353)
    assert parse_nameserver("[::1]:53") == ("::1", 53)
    assert parse_nameserver("223.5.5.5") == ("223.5.5.5", 53)


def test_retry_after_header_forms():
    assert retry_after_seconds(b"7", default=1) == 7
    assert retry_after_seconds(None, default=1) == 1
    assert retry_after_seconds(b"Wed, 21 Oct 2015 07:28:00 GMT", default=1) == 0
    assert retry_after_seconds(b"soon", default=2) == 2
