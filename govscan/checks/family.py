"""What a check family declares: its rules, its settings, what it needs measured, its judge.

A family is one module with a ``FAMILY`` of this type, registered in the ``govscan.checks``
entry-point group (see ``govscan.checks.registry``). Everything else — the scan, scoring,
reports, exports and the terminal summary — reads the family's rules from its declaration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from govscan.checks.finding import Finding
from govscan.store.view import RunView

Severity = Literal["veto", "deduction", "warning", "info"]


class Deduction(BaseModel):
    """What a finding of severity ``deduction`` costs: ``points`` each (``homepage`` instead
    when the problem is on the homepage), ``cap`` at most in all."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    points: float = Field(ge=0)
    homepage: float | None = Field(default=None, ge=0)
    cap: float = Field(ge=0)


@dataclass(frozen=True)
class Rule:
    """A rule of the catalogue. An id ending in ``.*`` declares every id under it (axe-core's
    rules, ``a11y.image-alt``): their findings carry their own title in ``detail.title``."""

    id: str  # stable: users filter and waive by it
    title: str  # Chinese, for people
    severity: Severity  # what its findings are unless the judge says otherwise
    points: Deduction | None = None  # its own scoring entry; else the family's or the default
    group: str | None = None  # the summary figure its findings count in

    @property
    def is_pattern(self) -> bool:
        return self.id.endswith(".*")

    def matches(self, rule_id: str) -> bool:
        if self.is_pattern:
            return rule_id.startswith(self.id[:-1]) and len(rule_id) > len(self.id) - 1
        return rule_id == self.id

    def finding(
        self,
        url: str,
        message: str,
        *,
        source: str | None = None,
        detail: dict | None = None,
        severity: Severity | None = None,
        suffix: str | None = None,
    ) -> Finding:
        """A finding of this rule (of ``a11y.<suffix>`` for a pattern rule)."""
        rule_id = f"{self.id[:-1]}{suffix}" if self.is_pattern else self.id
        return Finding(rule_id, severity or self.severity, url, source, message, detail or {})


@dataclass(frozen=True)
class Figure:
    """A summary figure: the findings of the rules in its group, counted once everywhere."""

    name: str  # its key in ``findings.json`` ``figures``
    title: str  # Chinese, the column of the summaries


#: The role of a page another family opens in the browser only as evidence: not part of the
#: accessibility sample.
EVIDENCE_ROLE = "suspect"


@dataclass(frozen=True)
class BrowserPage:
    """A page the browser opens, why (``home``, ``nav``, ``layout``, ``column``, ``article``)
    and the layout it stands for (None for a page the crawl could not read)."""

    url: str
    role: str
    layout: str | None


@dataclass(frozen=True)
class Needs:
    """What a family needs measured beyond the crawl's facts (which every family gets)."""

    ipv6: bool = False  # DNS, nameservers and fetches over IPv6 (``govscan.probes.ipv6``)
    tls: bool = False  # the site's HTTPS handshake and certificate (``govscan.probes.tls``)
    #: the pages to open in Chromium, measured with axe-core and the layout probes
    browser: Callable[[RunView], list[BrowserPage]] | None = None
    #: a regular expression: rendered pages whose first screen or hidden links carry these
    #: words are photographed as evidence
    suspect_words: str | None = None
    probe_window: timedelta | None = None  # the scheduler's homepage probes over this time


class UndeclaredRule(RuntimeError):
    """A family found something under a rule it does not declare: a mistake in the family."""


class NoSettings(BaseModel):
    """The settings of a family that has none."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class Family:
    """A check family: ``judge(view, settings)`` turns a run into findings of ``rules``,
    ``settings`` an instance of its ``settings`` model."""

    name: str  # what users select it by: ``--checks name``
    rules: tuple[Rule, ...]
    judge: Callable[[RunView, Any], list[Finding]]
    settings: type[BaseModel] = NoSettings
    needs: Needs = Needs()
    figures: tuple[Figure, ...] = ()
    points: Deduction | None = None  # the entry ``name.*``: its rules without points of their own

    def rule(self, rule_id: str) -> Rule | None:
        """The declaration of ``rule_id``: its own, else the pattern it falls under."""
        exact = next((rule for rule in self.rules if rule.id == rule_id), None)
        return exact or next((rule for rule in self.rules if rule.matches(rule_id)), None)

    def findings(self, view: RunView, settings: BaseModel) -> list[Finding]:
        """What ``judge`` finds, every finding of a rule the family declares: the catalogue
        names every rule a report shows."""
        found = self.judge(view, settings)
        for finding in found:
            if self.rule(finding.rule) is None:
                raise UndeclaredRule(f"检查项 {self.name} 报告了未声明的规则 {finding.rule}")
        return found
