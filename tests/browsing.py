"""A generated page as axe-core judges it in real Chromium, at a given viewport: what the
bulletin and the report are held to (zero WCAG A/AA violations, no page wider than a phone)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

from govscan.probes.browser import AXE_OPTIONS, axe_setup, find_chromium

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 800}


def axe_and_width(path: Path, viewport: dict) -> tuple[list[tuple[str, list]], int]:
    """axe's violations on ``path`` (rule, element targets) and the document's scroll width."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium())
        try:
            context = browser.new_context(viewport=viewport)
            context.add_init_script(axe_setup())
            page = context.new_page()
            page.goto(path.as_uri())
            found = page.evaluate("async o => (await axe.run(document, o)).violations", AXE_OPTIONS)
            width = page.evaluate("document.documentElement.scrollWidth")
        finally:
            browser.close()
    return [(v["id"], [node["target"] for node in v["nodes"]]) for v in found], width
