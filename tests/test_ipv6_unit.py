"""The IPv6 family from declared measurements: DNS, nameservers, the homepage over each IP
version, 二级/三级 pages and embedded resources."""

from __future__ import annotations

from views import HOME, view

from govscan.checks.ipv6 import judge
from govscan.store.inventory import IPv6Settings
from govscan.store.view import (
    Answered,
    Consistency,
    DnsAnswer,
    Homepages,
    IPv6Measurement,
    Nameserver,
    Nameservers,
    Resources,
    Series,
    Sublinks,
)

HOST = "www.csz.gov.cn"
DUAL_STACK = DnsAnswer("ok", ("2001:db8::1",), usable=("2001:db8::1",))
NAMESERVERS = Nameservers("csz.gov.cn", "ok", (Nameserver("ns1.csz.gov.cn", ("2001:db8::53",)),), 1)
ANSWERED = Series(attempts=3, succeeded=3, rate=1.0, status=200, title="苍山州人民政府")
SAME = Consistency(Answered(200, "苍山州人民政府"), Answered(200, "苍山州人民政府"), 1.0)
ALL_REACHABLE = Sublinks(found=40, sample=40, reachable=40, rate=1.0)

DEFAULTS = IPv6Settings()


def measured(**parts) -> IPv6Measurement:
    """A dual-stack site that passes everything, but for ``parts``."""
    fields = {
        "dns": DUAL_STACK,
        "nameservers": NAMESERVERS,
        "homepage": Homepages(ipv6=ANSWERED, ipv4=ANSWERED),
        "consistency": SAME,
        "sublinks": {"level2": ALL_REACHABLE, "level3": ALL_REACHABLE},
        "resources": Resources(hosts=2),
    }
    return IPv6Measurement(HOST, **{**fields, **parts})


def rules(measurement: IPv6Measurement | None, settings: IPv6Settings = DEFAULTS):
    return {f.rule: f for f in judge(view(ipv6=measurement), settings)}


def test_a_dual_stack_site_passes_and_a_site_not_measured_is_not_judged():
    assert rules(measured()) == {}
    assert rules(None) == {}
    assert rules(IPv6Measurement("127.0.0.1", skipped="网址中是 IP 地址")) == {}


def test_no_aaaa_with_nameservers_without_ipv6():
    v4_only = Nameservers("csz.gov.cn", "ok", (Nameserver("ns1.csz.gov.cn"),), 0)
    found = rules(IPv6Measurement(HOST, dns=DnsAnswer("nodata"), nameservers=v4_only))
    assert set(found) == {"ipv6.no_aaaa", "ipv6.ns_no_ipv6"}
    assert found["ipv6.no_aaaa"].url == HOME


def test_a_dns_that_does_not_answer_is_a_warning_and_nothing_else():
    found = rules(IPv6Measurement(HOST, dns=DnsAnswer("servfail"), nameservers=NAMESERVERS))
    assert [(rule, f.severity) for rule, f in found.items()] == [("ipv6.dns_error", "warning")]


def test_a_flaky_homepage_is_a_warning_and_a_dead_one_a_deduction():
    flaky = Series(attempts=3, succeeded=2, rate=2 / 3, error="超时")
    dead = Series(attempts=3, succeeded=0, rate=0.0, error="连接被拒绝")
    for series, severity in ((flaky, "warning"), (dead, "deduction")):
        found = rules(measured(homepage=Homepages(ipv6=series, ipv4=ANSWERED), consistency=None))
        assert found["ipv6.unreachable"].severity == severity
        assert found["ipv6.unreachable"].detail["aaaa"] == ("2001:db8::1",)


def test_another_homepage_over_ipv6_is_inconsistent():
    other = Consistency(Answered(200, "苍山州人民政府"), Answered(200, "IIS Windows"), 0.1)
    assert set(rules(measured(consistency=other))) == {"ipv6.inconsistent"}


def test_sub_pages_below_the_settings_rate_and_ipv4_only_resources():
    half = Sublinks(found=10, sample=10, reachable=9, rate=0.9)
    cdn = Resources(hosts=2, ipv4_only=("cdn.example.com",), examples={"cdn.example.com": "x.js"})
    found = rules(measured(sublinks={"level2": half}, resources=cdn))
    assert set(found) == {"ipv6.low_sublink_support", "ipv6.resource_ipv4_only"}
    assert found["ipv6.low_sublink_support"].detail["minimum"] == 0.95
    assert rules(measured(sublinks={"level2": half}), IPv6Settings(min_rate=0.8)) == {}


def test_some_nameservers_without_ipv6_are_named_in_a_warning():
    mixed = Nameservers(
        "csz.gov.cn",
        "ok",
        (Nameserver("ns1.csz.gov.cn", ("2001:db8::53",)), Nameserver("ns2.csz.gov.cn")),
        1,
    )
    [partial] = rules(measured(nameservers=mixed)).values()
    assert (partial.rule, partial.severity) == ("ipv6.ns_partial_ipv6", "warning")
    assert partial.detail["without_ipv6"] == ["ns2.csz.gov.cn"]
