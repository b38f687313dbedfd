"""The check families: every ``FAMILY`` registered in the ``govscan.checks`` entry-point group,
and the one rule catalogue their declarations make.

govscan's own families are registered in its pyproject.toml exactly as another package
registers its own (datasette's built-in plugins are the model). In a source checkout they are
read from that pyproject.toml, so that a checkout not installed again since a family was added
still finds it; an installed govscan lists them in its metadata.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

from govscan.checks.family import Deduction, Family, Figure, Rule

GROUP = "govscan.checks"
DISTRIBUTION = "govscan"
SOURCE_PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


class RegistryError(RuntimeError):
    """A family that cannot be registered; the message names its entry point."""


@dataclass(frozen=True)
class Registry:
    families: tuple[Family, ...]

    def names(self) -> list[str]:
        return [family.name for family in self.families]

    def family(self, name: str) -> Family:
        return next(family for family in self.families if family.name == name)

    def rule(self, rule_id: str) -> Rule | None:
        """The declaration of ``rule_id``, or None for an id no family declares."""
        found = (family.rule(rule_id) for family in self.families)
        return next(filter(None, found), None)

    def title(self, rule_id: str, detail: dict | None = None) -> str:
        """The rule's Chinese name; under a pattern, with the finding's own title (axe-core's
        Chinese name of ``a11y.image-alt``)."""
        rule = self.rule(rule_id)
        if rule is None:
            return rule_id
        if rule.is_pattern:
            return f"{rule.title}：{(detail or {}).get('title', rule_id)}"
        return rule.title

    def group(self, rule_id: str) -> str | None:
        rule = self.rule(rule_id)
        return rule.group if rule else None

    def figures(self) -> list[tuple[Figure, Family]]:
        """Every summary figure, with the family that finds what it counts, in family order."""
        return [(figure, family) for family in self.families for figure in family.figures]

    def deductions(self) -> dict[str, Deduction]:
        """The declared points: by rule id, and ``family.*`` for a family's other rules."""
        entries = {}
        for family in self.families:
            if family.points is not None:
                entries[f"{family.name}.*"] = family.points
            entries |= {rule.id: rule.points for rule in family.rules if rule.points is not None}
        return entries

    def names_rules(self, key: str) -> bool:
        """Whether a scoring profile's ``key`` names declared rules: a rule id (also one under a
        pattern, ``a11y.color-contrast``) or a prefix ``identity.*`` of some."""
        if not key.endswith(".*"):
            return self.rule(key) is not None
        return any(
            rule.id.startswith(key[:-1]) for family in self.families for rule in family.rules
        )


@cache
def registry() -> Registry:
    """Every registered family, loaded once: govscan's own first, then the others by name."""
    families = [load(entry_point) for entry_point in family_entry_points()]
    check_unique(families)
    return Registry(tuple(families))


def family_names() -> list[str]:
    return registry().names()


def family_entry_points() -> list[EntryPoint]:
    installed = entry_points(group=GROUP)
    own = [point for point in installed if distribution_of(point) == DISTRIBUTION]
    others = [point for point in installed if distribution_of(point) != DISTRIBUTION]
    return (source_entry_points() or own) + sorted(others, key=lambda point: point.name)


def distribution_of(point: EntryPoint) -> str | None:
    return point.dist.name if point.dist is not None else None


def source_entry_points() -> list[EntryPoint]:
    """govscan's own families as its pyproject.toml lists them, when running from a checkout."""
    if not SOURCE_PYPROJECT.is_file():
        return []
    project = tomllib.loads(SOURCE_PYPROJECT.read_text(encoding="utf-8")).get("project", {})
    if project.get("name") != DISTRIBUTION:
        return []
    declared = project.get("entry-points", {}).get(GROUP, {})
    return [EntryPoint(name, value, GROUP) for name, value in declared.items()]


def load(point: EntryPoint) -> Family:
    try:
        family = point.load()
    except Exception as error:
        raise RegistryError(
            f"检查项 {point.name}（{point.value}）无法加载：{error}；"
            "请检查提供它的软件包是否完整安装，或卸载该软件包"
        ) from error
    if not isinstance(family, Family) or family.name != point.name:
        raise RegistryError(f"检查项 {point.name}（{point.value}）不是名为 {point.name} 的 Family")
    return family


def check_unique(families: list[Family]) -> None:
    """Family names, rule ids and figure names are each declared once; a rule's group is a
    figure its family declares."""
    seen: dict[str, str] = {}
    for family in families:
        figures = {figure.name for figure in family.figures}
        keys = [f"检查项 {family.name}"]
        keys += [f"规则 {rule.id}" for rule in family.rules]
        keys += [f"汇总项 {name}" for name in figures]
        for key in keys:
            if key in seen:
                raise RegistryError(f"{key} 重复：检查项 {seen[key]} 与 {family.name} 均有声明")
            seen[key] = family.name
        for rule in family.rules:
            if rule.group is not None and rule.group not in figures:
                raise RegistryError(f"{family.name}：规则 {rule.id} 的汇总项 {rule.group} 未声明")
