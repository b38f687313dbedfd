"""The check families and their one rule catalogue, as the registry loads them."""

from __future__ import annotations

import pytest

from govscan.checks.family import Deduction, Family, Figure, NoSettings, Rule, UndeclaredRule
from govscan.checks.registry import (
    RegistryError,
    check_unique,
    registry,
    source_entry_points,
)
from govscan.store.view import RunView, SiteInfo

BUILT_IN = [
    "links",
    "columns",
    "identity",
    "disclosure",
    "content",
    "interpretation",
    "services",
    "interaction",
    "security",
    "ipv6",
    "a11y",
    "eldercare",
    "newmedia",
    "availability",
]


def test_the_built_in_families_come_from_the_checkouts_own_entry_points():
    assert [point.name for point in source_entry_points()] == BUILT_IN
    assert registry().names()[: len(BUILT_IN)] == BUILT_IN


def test_every_rule_has_a_chinese_title_and_a_known_severity():
    for family in registry().families:
        for rule in family.rules:
            assert rule.id.split(".")[0] in (family.name, "home"), rule.id
            assert rule.title and not rule.title.isascii(), rule.id
            assert rule.severity in ("veto", "deduction", "warning", "info")


def test_a_rule_under_a_pattern_is_titled_by_its_finding():
    assert registry().title("a11y.image-alt", {"title": "图像必须有替代文本"}) == (
        "无障碍：图像必须有替代文本"
    )
    assert registry().title("links.soft404") == "链接不可用（软 404）"
    assert registry().title("nobody.knows") == "nobody.knows"


def test_the_summary_figures_are_declared_in_family_order():
    names = [figure.name for figure, _ in registry().figures()]
    assert names == [
        "dead_links",
        "intranet_links",
        "columns",
        "identity",
        "disclosure",
        "serious_errors",
        "typos",
        "interpretation",
        "services",
        "interaction",
        "security",
        "ipv6",
        "a11y",
        "eldercare",
    ]
    assert registry().group("home.stale") == "columns"
    assert registry().group("newmedia.zombie") is None


def test_declared_points_are_the_scoring_entries():
    entries = registry().deductions()
    assert entries["links.broken"] == Deduction(points=0.5, homepage=2, cap=10)
    assert entries["identity.*"] == Deduction(points=1, cap=6)  # the marks share one cap
    assert entries["a11y.*"] == Deduction(points=1, cap=8)


def family(name: str, *rules: Rule, figures: tuple[Figure, ...] = ()) -> Family:
    return Family(name=name, rules=rules, judge=lambda view, settings: [], figures=figures)


def test_a_rule_declared_twice_is_refused():
    twice = Rule("x.one", "一", "warning")
    with pytest.raises(RegistryError, match=r"x\.one"):
        check_unique([family("x", twice), family("y", twice)])


def test_a_rule_counted_in_an_undeclared_figure_is_refused():
    with pytest.raises(RegistryError, match=r"x\.one"):
        check_unique([family("x", Rule("x.one", "一", "warning", group="nowhere"))])


def test_a_finding_of_a_rule_its_family_does_not_declare_is_refused():
    wrong = Family(
        name="x",
        rules=(Rule("x.one", "一", "warning"),),
        judge=lambda view, settings: [Rule("x.two", "二", "warning").finding("http://a/", "二")],
    )
    with pytest.raises(UndeclaredRule, match=r"x\.two"):
        wrong.findings(RunView.of(SiteInfo("a", "A", "http://a/", "A")), NoSettings())
