"""Scores and verdicts per 国办秘函〔2019〕19号, from an editable YAML scoring profile.

A veto finding fails the site or account; otherwise 100 points minus the deductions of
the profile, each rule capped, and a score below ``pass_score`` fails too. Waived findings
(a known false positive, with the reason the inventory gives) stay in the report but
neither veto nor cost points. The points live in the profile, not in code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from govscan.outcomes import NOT_PASSED, PASSED

DEFAULT_PROFILE = files(__package__).joinpath("scoring.yaml")


class Deduction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    points: float = Field(ge=0)
    homepage: float | None = Field(default=None, ge=0)  # instead of points, on the homepage
    cap: float = Field(ge=0)


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pass_score: float = Field(ge=0, le=100)
    deductions: dict[str, Deduction]

    def deduction_for(self, rule: str) -> tuple[str, Deduction]:
        """The most specific entry: the rule itself, then the longest matching ``prefix.*``."""
        if rule in self.deductions:
            return rule, self.deductions[rule]
        prefixes = [key for key in self.deductions if key.endswith(".*")]
        matching = [key for key in prefixes if rule.startswith(key[:-1])]
        key = max(matching, key=len, default="default")
        return key, self.deductions.get(key, Deduction(points=0, cap=0))


class ProfileError(ValueError):
    """A scoring profile that cannot be used: the message names the file and the key."""


def load_profile(path: str | Path | None = None) -> Profile:
    """The profile at ``path``, or govscan's default."""
    source = Path(path) if path else DEFAULT_PROFILE
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


def score(findings: list[dict], profile: Profile) -> Score:
    """The verdict and the score of one site or account from its findings."""
    counted = [finding for finding in findings if not finding["detail"].get("waived")]
    vetoes = sorted({f["rule"] for f in counted if f["severity"] == "veto"})
    spent: dict[str, float] = {}
    for finding in counted:
        if finding["severity"] != "deduction":
            continue
        key, deduction = profile.deduction_for(finding["rule"])
        on_home = finding["detail"].get("on_homepage") and deduction.homepage is not None
        points = deduction.homepage if on_home else deduction.points
        spent[key] = min(deduction.cap, spent.get(key, 0.0) + points)
    total = round(max(0.0, 100.0 - sum(spent.values())), 1)
    verdict = NOT_PASSED if vetoes or total < profile.pass_score else PASSED
    return Score(verdict, total, vetoes, spent)
