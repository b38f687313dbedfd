"""Scores and verdicts per 国办秘函〔2019〕19号, from the rules' points and a scoring profile.

A veto finding fails the site or account; otherwise 100 points minus the deductions, each
rule capped, and a score below ``pass_score`` fails too. Waived findings (a known false
positive, with the reason the inventory gives) stay in the report but neither veto nor cost
points. Each rule's points are declared by its check family; a profile (a province's own, or
govscan's ``scoring.yaml``) overrides them, and which rules veto, by rule id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from govscan.checks.family import Deduction
from govscan.checks.registry import registry
from govscan.outcomes import NOT_PASSED, PASSED

DEFAULT_PROFILE = files(__package__).joinpath("scoring.yaml")
DEFAULT = "default"  # the entry of a rule that no other entry names


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pass_score: float = Field(ge=0, le=100)
    deductions: dict[str, Deduction] = {}  # by rule id, ``prefix.*`` or ``default``
    vetoes: dict[str, bool] = {}  # by rule id or ``prefix.*``: whether its findings veto

    def deduction_for(self, rule: str) -> tuple[str, Deduction]:
        """The most specific entry: the rule itself, then the longest matching ``prefix.*``."""
        key = most_specific(self.deductions, rule) or DEFAULT
        return key, self.deductions.get(key, Deduction(points=0, cap=0))

    def vetoes_with(self, finding: dict) -> bool:
        """A veto finding vetoes, unless the profile says its rule does not; a deduction
        vetoes when the profile says its rule does; warnings and notes never veto."""
        key = most_specific(self.vetoes, finding["rule"])
        if key is None:
            return finding["severity"] == "veto"
        return self.vetoes[key] and finding["severity"] in ("veto", "deduction")


def most_specific(entries: dict, rule: str) -> str | None:
    """The key of ``entries`` for ``rule``: the rule itself, else the longest ``prefix.*``."""
    if rule in entries:
        return rule
    matching = [key for key in entries if key.endswith(".*") and rule.startswith(key[:-1])]
    return max(matching, key=len, default=None)


class ProfileError(ValueError):
    """A scoring profile that cannot be used: the message names the file and the key."""


def load_profile(path: str | Path | None = None) -> Profile:
    """The rules' declared points, overridden by govscan's profile, then by the profile at
    ``path`` (a province's own) when one is given."""
    profiles = [checked(DEFAULT_PROFILE), *([checked(Path(path))] if path else [])]
    deductions, vetoes = registry().deductions(), {}
    for profile in profiles:
        deductions |= profile.deductions
        vetoes |= profile.vetoes
    return profiles[-1].model_copy(update={"deductions": deductions, "vetoes": vetoes})


def checked(source: Path) -> Profile:
    """The profile at ``source``, every rule it names declared by a check family."""
    profile = read_profile(source)
    for section in ("deductions", "vetoes"):
        for key in getattr(profile, section):
            if key != DEFAULT and not registry().names_rules(key):
                problem = f"{section}.{key}: 未知的规则（请检查拼写）"
                raise ProfileError(f"{source}: 评分方案有误：{problem}")
    return profile


def read_profile(source: Path) -> Profile:
    try:
        return Profile.model_validate(yaml.safe_load(source.read_text(encoding="utf-8")))
    except OSError as error:
        raise ProfileError(f"{source}: 无法读取评分方案（{error.strerror}）") from error
    except yaml.YAMLError as error:
        raise ProfileError(f"{source}: 评分方案不是有效的 YAML：{error}") from error
    except ValidationError as error:
        problems = "；".join(
            f"{'.'.join(map(str, item['loc']))}: {item['msg']}" for item in error.errors()
        )
        raise ProfileError(f"{source}: 评分方案有误：{problems}") from error


@dataclass
class Score:
    verdict: str
    score: float
    vetoes: list[str]
    deductions: dict[str, float] = field(default_factory=dict)  # by profile entry


def waive(findings: list[dict], waivers: list[dict]) -> list[dict]:
    """Mark the findings a waiver matches (same rule; same URL when the waiver gives one)
    with the waiver's reason in ``detail.waived``."""
    for finding in findings:
        for waiver in waivers:
            if waiver["rule"] == finding["rule"] and waiver.get("url") in (None, finding["url"]):
                finding["detail"] = {**finding["detail"], "waived": waiver["reason"]}
    return findings


def price(findings: list[dict], profile: Profile) -> dict[str, float]:
    """Mark each finding that costs points with what it cost, ``detail.points`` (0 once its
    entry's cap is spent), so that a score can be traced to its findings; return the points
    spent by profile entry."""
    spent: dict[str, float] = {}
    for finding in findings:
        if (
            finding["detail"].get("waived")
            or profile.vetoes_with(finding)
            or finding["severity"] not in ("veto", "deduction")
        ):
            continue
        key, deduction = profile.deduction_for(finding["rule"])
        on_home = finding["detail"].get("on_homepage") and deduction.homepage is not None
        points = deduction.homepage if on_home else deduction.points
        cost = max(0.0, min(points, deduction.cap - spent.get(key, 0.0)))
        spent[key] = spent.get(key, 0.0) + cost
        finding["detail"] = {**finding["detail"], "points": cost}
    return spent


def score(findings: list[dict], profile: Profile) -> Score:
    """The verdict and the score of one site or account from its findings (each marked with
    the points it cost, see :func:`price`)."""
    counted = [finding for finding in findings if not finding["detail"].get("waived")]
    vetoes = sorted({finding["rule"] for finding in counted if profile.vetoes_with(finding)})
    spent = price(findings, profile)
    total = round(max(0.0, 100.0 - sum(spent.values())), 1)
    verdict = NOT_PASSED if vetoes or total < profile.pass_score else PASSED
    return Score(verdict, total, vetoes, spent)
