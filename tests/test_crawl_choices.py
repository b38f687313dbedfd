"""Everything a night's crawl needs is chosen in the inventory, for every site and for one: a
site's choice wins over the inventory's, the command line's over both, and excluded URLs
are never fetched."""

from __future__ import annotations

import json
from contextlib import ExitStack

import pytest
from servers import http_site, inventory_of, linked_pages

from govscan.cli import main

SETTINGS = "settings:\n  max_pages: 3\n  checks: [links]\n  exclude: ['/p7\\.html$']\n"
OWN = "crawl: {max_pages: 6, depth: 1, timeout: 5, exclude: ['/p0\\.html$']}"


@pytest.fixture
def night(tmp_path, db_url):
    """Two sites, a with its own crawl choices, b with the inventory's."""
    with ExitStack() as stack:
        sites = {name: stack.enter_context(http_site(linked_pages(name, 8, 0))) for name in "ab"}
        text, resolve = inventory_of(sites)
        config = tmp_path / "sites.yaml"
        own = text.replace("unit: a县人民政府}", f"unit: a县人民政府, {OWN}}}")
        config.write_text(SETTINGS + own, encoding="utf-8")

        def scan(*args: str) -> dict:
            out = tmp_path / f"out{len(args)}"
            assert main(["scan", "--config", str(config), "--out", str(out), *resolve, *args]) == 0
            result = json.loads((out / "findings.json").read_text(encoding="utf-8"))
            return {site["id"]: site for site in result["sites"]}

        yield scan, sites


def families(site: dict) -> set[str]:
    """The families that found something on the site."""
    return {finding["rule"].split(".")[0] for finding in site["findings"]}


def test_a_sites_choices_win_over_the_inventorys(night):
    scan, sites = night
    found = scan()
    assert found["a"]["stats"]["pages"] == 6 and found["b"]["stats"]["pages"] == 3
    assert families(found["a"]) <= {"links"} and families(found["b"]) <= {"links"}
    assert sites["a"].count("GET", "/p0.html") == 0  # its own exclusion
    assert all(site.count("GET", "/p7.html") == 0 for site in sites.values())  # everyone's


def test_the_command_line_wins_over_both(night):
    scan, _ = night
    found = scan("--max-pages", "2", "--checks", "links,identity")
    assert found["a"]["stats"]["pages"] == found["b"]["stats"]["pages"] == 2
    assert "identity" in families(found["a"])
