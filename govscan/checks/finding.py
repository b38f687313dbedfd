"""A finding: one problem a check found, with the evidence a site's engineer needs."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

SEVERITIES = ("veto", "deduction", "warning", "info")


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str  # a stable id from the rule catalogue, e.g. links.broken
    severity: str  # veto | deduction | warning | info
    url: str  # the thing at fault
    source: str | None  # where it was found
    message: str  # Chinese, for the supervisor
    detail: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)
