"""Scores and verdicts from the scoring profile: vetoes, deductions, caps, waivers."""

from __future__ import annotations

import pytest
import yaml
from portal import accessible_page
from servers import http_site

from govscan.checks.scoring import ProfileError, load_profile, score, waive
from govscan.cli import main

PROFILE = load_profile()


def finding(rule: str, severity: str = "deduction", url: str = "http://a/", **detail) -> dict:
    return {"rule": rule, "severity": severity, "url": url, "detail": detail}


@pytest.mark.parametrize(
    "rule",
    [
        "home.stale",
        "columns.stale",
        "columns.empty",
        "newmedia.zombie",
        "newmedia.shell",
        "availability.unreachable",
    ],
)
def test_every_veto_fails_whatever_the_score(rule):
    result = score([finding(rule, "veto")], PROFILE)
    assert (result.verdict, result.score, result.vetoes) == ("不合格", 100.0, [rule])


def test_each_rule_is_capped():
    dead_links = [finding("links.broken", url=f"http://a/{n}") for n in range(40)]
    result = score(dead_links, PROFILE)
    assert (result.score, result.deductions) == (90.0, {"links.broken": 10.0})


def test_each_finding_carries_the_points_it_cost_and_they_add_up_to_the_score():
    findings = [
        finding("links.broken", url="http://a/home", on_homepage=True),
        *(finding("links.broken", url=f"http://a/{n}") for n in range(20)),
        finding("home.stale", "veto"),
        finding("a11y.region", "warning"),
    ]
    result = score(findings, PROFILE)
    points = [f["detail"].get("points") for f in findings]
    assert points[:3] == [2.0, 0.5, 0.5]
    assert points[16:21] == [0.5, 0.0, 0.0, 0.0, 0.0]  # 2 + 16 × 0.5: the cap of 10 is spent
    assert points[21:] == [None, None]  # a veto and a warning cost no points
    assert 100 - sum(p or 0 for p in points) == result.score == 90.0


def test_a_dead_link_on_the_homepage_weighs_more():
    assert score([finding("links.broken", on_homepage=True)], PROFILE).score == 98.0
    assert score([finding("links.broken")], PROFILE).score == 99.5


def test_warnings_cost_nothing_and_prefixes_match():
    findings = [finding("a11y.image-alt"), finding("a11y.label"), finding("a11y.region", "warning")]
    assert score(findings, PROFILE).deductions == {"a11y.*": 2.0}


def test_below_the_pass_score_fails():
    findings = [
        *(finding("links.broken", url=f"http://a/{n}", on_homepage=True) for n in range(5)),
        *(
            finding(f"columns.{kind}", url=f"http://a/{n}")
            for kind in ("stale", "empty", "missing")
            for n in range(5)
        ),
        *(
            finding(f"identity.{mark}")
            for mark in ("icp", "psb", "conac", "sitemap", "contact", "sponsor")
        ),
        *(
            finding(f"ipv6.{rule}")
            for rule in ("no_aaaa", "ns_no_ipv6", "resource_ipv4_only", "inconsistent")
        ),
    ]
    result = score(findings, PROFILE)
    assert result.score == 100 - 10 - 10 - 10 - 12 - 6 - 8 == 44.0
    assert result.verdict == "不合格" and result.vetoes == []


def test_a_waived_finding_stays_but_counts_for_nothing():
    findings = waive(
        [finding("home.stale", "veto"), finding("links.broken", url="http://a/x")],
        [{"rule": "home.stale", "url": None, "reason": "首页为专题聚合页，内容由下级站点更新"}],
    )
    assert findings[0]["detail"]["waived"].startswith("首页为专题聚合页")
    assert "waived" not in findings[1]["detail"]
    assert score(findings, PROFILE).verdict == "合格"


def test_a_waiver_with_a_url_waives_only_that_finding():
    findings = waive(
        [finding("links.broken", url="http://a/1"), finding("links.broken", url="http://a/2")],
        [{"rule": "links.broken", "url": "http://a/2", "reason": "内网系统，外网无法访问"}],
    )
    assert ["waived" in f["detail"] for f in findings] == [False, True]


def test_a_custom_profile_is_read_and_its_most_specific_entry_wins(tmp_path):
    path = tmp_path / "profile.yaml"
    path.write_text(
        "pass_score: 80\ndeductions:\n  a11y.*: {points: 1, cap: 8}\n"
        "  a11y.color-contrast: {points: 5, cap: 5}\n  default: {points: 0, cap: 0}\n",
        encoding="utf-8",
    )
    profile = load_profile(path)
    result = score([finding("a11y.color-contrast"), finding("a11y.label")], profile)
    assert result.deductions == {"a11y.color-contrast": 5.0, "a11y.*": 1.0}
    assert result.score == 94.0 and result.verdict == "合格"


def test_a_broken_profile_is_a_clear_error(tmp_path):
    path = tmp_path / "profile.yaml"
    path.write_text("pass_score: 60\ndeductions:\n  links.broken: {points: 1}\n", encoding="utf-8")
    with pytest.raises(
        ProfileError, match=r"profile\.yaml: 评分方案有误：deductions\.links\.broken\.cap"
    ):
        load_profile(path)


def test_a_scan_waives_as_the_inventory_says(scan, tmp_path):
    routes = {"/": accessible_page("首页", "<a href='/oa/'>内部办公</a> <a href='/gone'>旧页</a>")}
    with http_site(routes) as site:
        inventory = tmp_path / "sites.yaml"
        waiver = {"rule": "links.broken", "url": site.url_for("/oa/"), "reason": "仅限内网访问"}
        entry = {
            "id": "csz",
            "name": "苍山州",
            "url": site.url,
            "unit": "苍山州政府办公室",
            "waivers": [waiver],
        }
        inventory.write_text(yaml.safe_dump({"sites": [entry]}, allow_unicode=True), "utf-8")
        output = scan("--config", str(inventory), "--checks", "links")
    waived = {f["url"]: f["detail"].get("waived") for f in output.findings("links.broken")}
    assert waived == {site.url_for("/oa/"): "仅限内网访问", site.url_for("/gone"): None}
    assert output.site["score"] == 98.0  # only /gone counts: a dead link on the homepage
    assert output.site["verdict"] == "合格"
    report = (output.out / "report.html").read_text(encoding="utf-8")
    assert "已豁免（不计分）：仅限内网访问" in report


def test_a_missing_profile_stops_the_command(tmp_path, db_url):
    inventory = tmp_path / "sites.yaml"
    inventory.write_text(
        "settings: {scoring_profile: nowhere.yaml}\nsites:\n"
        "  - {id: a, name: A, url: 'http://127.0.0.1:9/', unit: U}\n",
        encoding="utf-8",
    )
    assert main(["scan", "--config", str(inventory)]) == 2


def test_an_unknown_rule_in_a_profile_is_an_error_naming_the_file_and_key(tmp_path):
    path = tmp_path / "province.yaml"
    path.write_text("pass_score: 60\ndeductions:\n  links.brokn: {points: 1, cap: 5}\n", "utf-8")
    with pytest.raises(
        ProfileError, match=r"province\.yaml: 评分方案有误：deductions\.links\.brokn"
    ):
        load_profile(path)
    path.write_text("pass_score: 60\nvetoes:\n  columns.stal: true\n", "utf-8")
    with pytest.raises(ProfileError, match=r"province\.yaml: 评分方案有误：vetoes\.columns\.stal"):
        load_profile(path)


def test_a_profile_overrides_the_declared_points_and_keeps_the_others(tmp_path):
    path = tmp_path / "province.yaml"
    path.write_text("pass_score: 60\ndeductions:\n  identity.icp: {points: 3, cap: 3}\n", "utf-8")
    profile = load_profile(path)
    result = score(
        [finding("identity.icp"), finding("identity.psb"), finding("ipv6.no_aaaa")], profile
    )
    assert result.deductions == {"identity.icp": 3.0, "identity.*": 1.0, "ipv6.*": 2.0}


def test_a_profile_decides_which_rules_veto(tmp_path):
    path = tmp_path / "province.yaml"
    path.write_text(
        "pass_score: 60\nvetoes:\n  availability.unreachable: false\n  identity.*: true\n", "utf-8"
    )
    profile = load_profile(path)
    unreachable = score([finding("availability.unreachable", "veto")], profile)
    assert (unreachable.verdict, unreachable.vetoes, unreachable.score) == ("合格", [], 99.0)
    marks = score([finding("identity.site_code"), finding("identity.icp", "warning")], profile)
    assert (marks.verdict, marks.vetoes, marks.deductions) == ("不合格", ["identity.site_code"], {})
