"""What an inspection is given: the inventory, read from its file, and the scan options that
it and the command line's choices make. The command line and the nightly service both build
them here."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from govscan.checks.scoring import load_profile
from govscan.pipeline import ScanOptions
from govscan.resolver import parse_nameserver
from govscan.store.inventory import Inventory, load_inventory
from govscan.store.register import load_register


class OptionsError(ValueError):
    """Settings no scan can run with; ``str()`` says why, in Chinese."""


def load_config(path: Path) -> Inventory:
    """A YAML inventory, or an .xlsx register of accounts."""
    if path.suffix.lower() in (".xlsx", ".xls"):
        return Inventory(accounts=load_register(path))
    return load_inventory(path)


def scan_options(inventory: Inventory, chosen: ScanOptions | None = None) -> ScanOptions:
    """The options ``chosen`` on the command line (or the defaults) with the inventory's
    settings: how the checks judge, and the resolver and the user agent unless chosen."""
    chosen = chosen or ScanOptions()
    settings = inventory.settings
    nameserver = chosen.nameserver or settings.nameserver
    try:
        load_profile(settings.scoring_profile)
        if nameserver:
            parse_nameserver(nameserver)
    except ValueError as error:  # a ProfileError, or a nameserver that is no address
        raise OptionsError(str(error)) from error
    return replace(
        chosen,
        nameserver=nameserver,
        user_agent=chosen.user_agent or settings.user_agent,
        timezone=settings.timezone,
        freshness=settings.freshness.model_dump(),
        veto=settings.veto.model_dump(),
        sample_pages=settings.sample_pages,
        ipv6_probes=settings.ipv6.probes,
        ipv6_sample=settings.ipv6.sample,
        ipv6_min_rate=settings.ipv6.min_rate,
        min_font_px=settings.eldercare.min_font_px,
        zombie_days=settings.newmedia.zombie_days,
        stale_days=settings.newmedia.stale_days,
        scoring_profile=settings.scoring_profile,
        homepage_retry_seconds=settings.availability.retry_seconds,
        limits=settings.limits.model_dump(exclude_none=True),
        known_accounts=[
            {"platform": a.platform, "name": a.name, "account_id": a.account_id}
            for a in inventory.accounts
        ],
    )
