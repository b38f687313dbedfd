"""What an inspection is given: the inventory, read from its file, and the scan options that
it and the command line's choices make. The command line and the nightly service both build
them here."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from pydantic import BaseModel

from govscan.checks.family import NoSettings
from govscan.checks.registry import family_names, registry
from govscan.checks.scoring import load_profile
from govscan.pipeline import ScanOptions
from govscan.resolver import parse_nameserver
from govscan.store.inventory import (
    Catalogue,
    CrawlChoices,
    Inventory,
    Settings,
    SiteEntry,
    load_inventory,
)
from govscan.store.register import load_register


class OptionsError(ValueError):
    """Settings no scan can run with; ``str()`` says why, in Chinese."""


def first(*choices):
    """The first choice made (not None); None when none was."""
    return next((choice for choice in choices if choice is not None), None)


def known_families(names: list[str], where: str) -> None:
    unknown = [name for name in names if name not in family_names()]
    if unknown:
        raise OptionsError(
            f"{where}未知的检查项：{'、'.join(unknown)}；可选：{'、'.join(family_names())}"
        )


def site_options(options: ScanOptions, site: SiteEntry) -> ScanOptions:
    """The options of one site's scan: the site's own crawl choices over ``options``;
    skipped hosts and excluded URLs add up."""
    own = site.crawl
    return replace(
        options,
        max_pages=first(own.max_pages, options.max_pages),
        max_depth=first(own.depth, options.max_depth),
        concurrency=first(own.concurrency, options.concurrency),
        timeout=first(own.timeout, options.timeout),
        checks=first(own.checks, options.checks),
        obey_robots=first(own.obey_robots, options.obey_robots),
        user_agent=first(own.user_agent, options.user_agent),
        skip_hosts=[*options.skip_hosts, *own.skip_hosts],
        exclude=[*options.exclude, *own.exclude],
    )


def overruled(site: SiteEntry, names: set[str]) -> SiteEntry:
    """The site without its own choices of ``names``: the command line made them for all."""
    crawl = site.crawl.model_copy(update=dict.fromkeys(names & set(CrawlChoices.model_fields)))
    return site.model_copy(update={"crawl": crawl})


def broker_url(configured: str | None = None) -> str | None:
    """The Redis queue whose workers carry out inspections: ``GOVSCAN_BROKER``, else the
    inventory's ``settings.broker``; None: this machine carries them out."""
    return os.environ.get("GOVSCAN_BROKER") or configured


#: The check families whose settings the inventory holds at its top level, not in a section
#: named after the family: columns' ``freshness`` and ``veto`` predate the sections, and
#: the dictionaries are named for what they hold.
TOP_LEVEL_SETTINGS = {"columns": ("freshness", "veto"), "content": ("dictionaries",)}


def writable_folder(folder: Path) -> Path:
    """The report folder, made if need be; refused before any work when it cannot hold the
    reports."""
    if folder.exists() and not folder.is_dir():
        raise OptionsError(f"报告目录 {folder} 已存在，但不是文件夹：请用 --out 指定另一个目录")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OptionsError(
            f"无法创建报告目录 {folder}：{error.strerror}；请用 --out 换一个目录"
        ) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OptionsError(f"报告目录 {folder} 不可写：请检查权限，或用 --out 换一个目录")
    return folder


def load_config(path: Path) -> Inventory:
    """A YAML inventory, or an .xlsx register of accounts."""
    if path.suffix.lower() in (".xlsx", ".xls"):
        return Inventory(accounts=load_register(path))
    return load_inventory(path, catalogue())


def catalogue() -> Catalogue:
    """The registered families' settings sections that the inventory's schema does not declare
    itself (those of families from other packages), and the rule ids waivers may name."""
    own = set(Settings.model_fields) | set(TOP_LEVEL_SETTINGS)
    sections = {
        family.name: family.settings
        for family in registry().families
        if family.settings is not NoSettings and family.name not in own
    }
    return Catalogue(sections, is_rule=lambda rule_id: registry().rule(rule_id) is not None)


def family_settings(settings: Settings) -> dict[str, dict]:
    """Each registered family's settings as the inventory gives them, by family name."""
    found = {}
    for family in registry().families:
        if family.settings is NoSettings:
            continue
        names = TOP_LEVEL_SETTINGS.get(family.name)
        if names is not None:
            found[family.name] = {
                name: getattr(settings, name).model_dump(mode="json") for name in names
            }
        elif isinstance(section := getattr(settings, family.name, None), BaseModel):
            found[family.name] = section.model_dump(mode="json")
    return found


def scan_options(inventory: Inventory, chosen: ScanOptions | None = None) -> ScanOptions:
    """The options ``chosen`` on the command line (or the defaults, and the inventory's
    concurrency) with the inventory's settings: how the checks judge, and the resolver and
    the user agent unless chosen."""
    settings = inventory.settings
    chosen = chosen or ScanOptions(concurrency=settings.concurrency or ScanOptions.concurrency)
    nameserver = chosen.nameserver or settings.nameserver
    known_families(chosen.checks, "")
    for site in inventory.sites:
        known_families(site.crawl.checks or [], f"站点 {site.id} 的 crawl.checks：")
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
        sample_pages=settings.sample_pages,
        settings=family_settings(settings),
        scoring_profile=settings.scoring_profile,
        limits=settings.limits.model_dump(exclude_none=True),
        full=chosen.full or not settings.incremental.enabled,
        link_ttl_days=settings.incremental.link_ttl_days,
        known_accounts=[
            {"platform": a.platform, "name": a.name, "account_id": a.account_id}
            for a in inventory.accounts
        ],
    )
