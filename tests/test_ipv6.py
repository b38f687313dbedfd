"""IPv6 support measured for real: a local DNS server, and each site's IPv4 and IPv6 fronts
as separate servers on 127.0.0.1 and [::1]."""

from __future__ import annotations

import pytest
from servers import Route, dns_server, dual_stack_site, http_site, page

NS = {"NS": ["ns1.gov.test."]}
ZONE = {
    "gov.test": NS,
    "ns1.gov.test": {"A": ["127.0.0.1"], "AAAA": ["::1"]},
    "v4.gov.test": {"A": ["127.0.0.1"]},
    "cdn.gov.test": {"A": ["127.0.0.1"]},  # IPv4 only
    "www.gov.test": {"A": ["127.0.0.1"], "AAAA": ["::1"]},
    "alias.gov.test": {"CNAME": ["v4.gov.test."]},
}
HOME = page(
    "苍山州人民政府",
    "<p>欢迎访问苍山州人民政府门户网站，这里发布全州政务信息。</p>"
    "<a href='/a.html'>要闻</a><a href='/b.html'>通知</a>",
)
PAGES = {
    "/": HOME,
    "/a.html": page("要闻", "<a href='/c.html'>详情</a>"),
    "/b.html": page("通知"),
    "/c.html": page("详情"),
}


@pytest.fixture
def ipv6_scan(scan):
    """``govscan scan`` of NAME on a dual-stack pair, through the test's DNS server."""

    def run(name, records, ipv4_routes, ipv6_routes, ipv6_home_to=None, *options: str):
        with (
            dual_stack_site(ipv4_routes, ipv6_routes) as (ipv4, ipv6),
            dns_server({**ZONE, **records}) as dns,
        ):
            if ipv6_home_to:  # the IPv6 front sends visitors to another host
                location = f"http://{ipv6_home_to}:{ipv4.port}/"
                ipv6.server.routes["/"] = Route(status=302, location=location)
            url = f"http://{name}:{ipv4.port}/"
            output = scan(url, "--nameserver", dns.address, "--checks", "links,ipv6", *options)
        return output, url

    return run


def ipv6_rules(output) -> set[str]:
    return {f["rule"] for f in output.findings() if f["rule"].startswith("ipv6.")}


def test_a_dual_stack_site_passes_with_its_metrics(ipv6_scan):
    output, _ = ipv6_scan("www.gov.test", {}, PAGES, PAGES)
    assert ipv6_rules(output) == set()
    metrics = output.site["metrics"]["ipv6"]
    assert metrics["dns"]["usable"] == ["::1"]
    assert metrics["homepage"]["ipv6"]["succeeded"] == 3
    assert metrics["homepage"]["ipv4"]["rate"] == 1.0
    assert metrics["consistency"]["similarity"] == 1.0
    assert metrics["sublinks"]["level2"] == {
        "found": 2,
        "sample": 2,
        "reachable": 2,
        "rate": 1.0,
        "failed": [],
    }
    assert metrics["sublinks"]["level3"]["sample"] == 1
    assert metrics["nameservers"]["zone"] == "gov.test"
    assert metrics["nameservers"]["with_ipv6"] == 1


def test_an_ipv4_only_site_has_no_aaaa(ipv6_scan):
    output, _ = ipv6_scan("v4.gov.test", {}, PAGES, None)
    assert ipv6_rules(output) == {"ipv6.no_aaaa"}


def test_a_cname_chain_ending_without_aaaa(ipv6_scan):
    output, _ = ipv6_scan("alias.gov.test", {}, PAGES, None)
    [finding] = output.findings("ipv6.no_aaaa")
    assert finding["detail"]["cname_chain"] == ["v4.gov.test"]


def test_an_aaaa_that_refuses_connections(ipv6_scan):
    output, _ = ipv6_scan("www.gov.test", {}, PAGES, None)
    [finding] = output.findings("ipv6.unreachable")
    assert finding["severity"] == "deduction" and finding["detail"]["succeeded"] == 0
    assert "ConnectionRefused" in finding["detail"]["error"]
    assert output.site["metrics"]["ipv6"]["sublinks"] == {}  # not fetched page by page
    assert output.findings("ipv6.low_sublink_support") == []


def test_an_ipv6_front_with_other_content(ipv6_scan):
    placeholder = {**PAGES, "/": page("IPv6 测试页", "<p>It works!</p>")}
    output, _ = ipv6_scan("www.gov.test", {}, PAGES, placeholder)
    [finding] = output.findings("ipv6.inconsistent")
    assert finding["detail"]["ipv6"]["title"] == "IPv6 测试页"
    assert finding["detail"]["similarity"] < 0.9


def test_an_ipv6_front_that_redirects_to_an_ipv4_only_host(ipv6_scan):
    output, _ = ipv6_scan("www.gov.test", {}, PAGES, PAGES, ipv6_home_to="v4.gov.test")
    [finding] = output.findings("ipv6.unreachable")
    assert finding["detail"]["error"] == "v4.gov.test 没有 IPv6 地址"


def test_low_sublink_support_and_ipv4_only_resources(ipv6_scan):
    home = HOME.replace("</body>", "<img src='http://cdn.gov.test/logo.png' alt='标志'></body>")
    ipv4 = {**PAGES, "/": home}
    ipv6 = {"/": home, "/a.html": PAGES["/a.html"]}  # /b.html and /c.html missing over IPv6
    output, _ = ipv6_scan("www.gov.test", {}, ipv4, ipv6)
    low = {f["detail"]["level"]: f for f in output.findings("ipv6.low_sublink_support")}
    assert set(low) == {"level2", "level3"}
    assert (low["level2"]["detail"]["rate"], low["level2"]["detail"]["sample"]) == (0.5, 2)
    assert low["level3"]["detail"]["failed"][0].endswith("/c.html")
    [resources] = output.findings("ipv6.resource_ipv4_only")
    assert resources["detail"]["hosts"] == ["cdn.gov.test"]
    assert resources["detail"]["examples"] == {"cdn.gov.test": "http://cdn.gov.test/logo.png"}


# A name that does not resolve at all makes the site unreachable (test_availability.py);
# these DNS servers answer A but misbehave on AAAA, as RFC 4074 lists.
def test_nxdomain_for_aaaa_is_a_dns_problem_not_missing_ipv6(ipv6_scan):
    records = {"www.gov.test": {"A": ["127.0.0.1"], "AAAA": "NXDOMAIN"}}
    output, _ = ipv6_scan("www.gov.test", records, PAGES, PAGES)
    assert ipv6_rules(output) == {"ipv6.dns_error"}
    assert output.findings("ipv6.dns_error")[0]["message"].startswith("未能检测 IPv6：域名不存在")


def test_a_dns_server_that_never_answers_aaaa_is_a_dns_problem_not_an_unreachable_site(
    ipv6_scan,
):
    """The crawl goes on over IPv4 after a short wait for IPv6; the IPv6 check says why it
    could not judge."""
    records = {"www.gov.test": {"A": ["127.0.0.1"], "AAAA": "TIMEOUT"}}
    output, _ = ipv6_scan("www.gov.test", records, PAGES, PAGES, None, "--timeout", "4")
    assert ipv6_rules(output) == {"ipv6.dns_error"}
    assert output.site["metrics"]["ipv6"]["dns"]["status"] == "timeout"
    assert output.site["verdict"] != "未完成"


@pytest.mark.parametrize(
    ("records", "rule"),
    [
        ({"www.gov.test": {"A": ["127.0.0.1"], "AAAA": "SERVFAIL"}}, "ipv6.dns_error"),
        ({"www.gov.test": {"A": ["127.0.0.1"], "AAAA": ["fe80::1"]}}, "ipv6.no_aaaa"),
        ({"www.gov.test": {"A": ["127.0.0.1"], "AAAA": ["::ffff:7f00:1"]}}, "ipv6.no_aaaa"),
        ({"ns1.gov.test": {"A": ["127.0.0.1"]}}, "ipv6.ns_no_ipv6"),
    ],
)
def test_odd_dns_answers(ipv6_scan, records, rule):
    output, _ = ipv6_scan("www.gov.test", records, PAGES, PAGES)
    assert rule in ipv6_rules(output)


def test_a_nameserver_without_ipv6_among_others_is_a_warning_naming_it(ipv6_scan):
    records = {
        "gov.test": {"NS": ["ns1.gov.test.", "ns2.gov.test."]},
        "ns2.gov.test": {"A": ["127.0.0.1"]},  # ns1 has an AAAA, ns2 none
    }
    output, _ = ipv6_scan("www.gov.test", records, PAGES, PAGES)
    assert ipv6_rules(output) == {"ipv6.ns_partial_ipv6"}
    [finding] = output.findings("ipv6.ns_partial_ipv6")
    assert finding["severity"] == "warning"
    assert finding["detail"]["without_ipv6"] == ["ns2.gov.test"]
    assert finding["message"] == (
        "域名 gov.test 的 2 台权威 DNS 服务器中有 1 台没有 IPv6 地址：ns2.gov.test"
    )
    assert output.site["verdict"] == "合格" and output.site["score"] == 100
    report = (output.out / "report.html").read_text(encoding="utf-8")
    assert "部分域名服务器不支持 IPv6" in report


def test_the_report_has_an_ipv6_section(ipv6_scan):
    output, _ = ipv6_scan("www.gov.test", {}, PAGES, None)
    report = (output.out / "report.html").read_text(encoding="utf-8")
    section = report[report.index("<h3>IPv6 支持度</h3>") :]
    assert "0/3 次成功" in section and "3/3 次成功" in section  # IPv6 refused, IPv4 fine
    assert "未抽查（首页无法通过 IPv6 访问）" in section
    assert "ns1.gov.test（有 IPv6）" in section


def test_the_crawl_reaches_an_ipv6_only_site(scan):
    with (
        http_site(PAGES, host="::1") as site,
        dns_server({**ZONE, "v6.gov.test": {"AAAA": ["::1"]}}) as dns,
    ):
        url = f"http://v6.gov.test:{site.port}/"
        output = scan(url, "--nameserver", dns.address, "--checks", "links,ipv6")
    assert output.code == 0 and output.site["stats"]["pages"] == 4
    assert ipv6_rules(output) == set()
    assert output.site["metrics"]["ipv6"]["homepage"]["ipv4"]["succeeded"] == 0
