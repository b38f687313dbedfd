"""Checks: plain functions from one run's stored data to findings, one module per family."""

from __future__ import annotations

from collections.abc import Callable

from govscan.checks import (
    a11y,
    availability,
    columns,
    disclosure,
    eldercare,
    identity,
    ipv6,
    links,
    newmedia,
)
from govscan.checks.finding import Finding
from govscan.store.models import Site
from govscan.store.runs import RunData

Check = Callable[[Site, RunData], list[Finding]]

#: Every check family by the name users select it with (``--checks links,…``).
CHECKS: dict[str, Check] = {
    "links": links.check,
    "columns": columns.check,
    "identity": identity.check,
    "disclosure": disclosure.check,
    "ipv6": ipv6.check,
    "a11y": a11y.check,
    "eldercare": eldercare.check,
    "newmedia": newmedia.check_site,  # accounts linked from the site but not registered
    "availability": availability.check,  # from the scheduler's probes of the homepage
}

__all__ = ["CHECKS", "Check", "Finding"]
