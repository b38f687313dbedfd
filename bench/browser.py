"""Browser benchmark: pages per second through axe-core and the 适老化 measurements, warm.

Usage: ``.venv/bin/python bench/browser.py [--pages 100] [--json FILE]``

It writes the bundled sample portal's pages (a realistic portal: its own CSS, scripts,
images, lists and articles) to a temporary folder, serves them with nginx on loopback,
renders a few to start and warm the browser, then renders ``--pages`` more exactly as a
scan does (``govscan.probes.browser.render``: four tabs, axe-core's WCAG A/AA rules, the
layers over the page, text sizes, reflow at 640 px). The browser's start-up is measured
apart: warm throughput is ``N / (time(warm-up + N) - time(warm-up))``. It then times
axe-core alone on the same pages, already loaded in four warm tabs. It exits non-zero
when a page could not be tested or axe-core's throughput is under 5 pages/s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from datetime import date
from importlib.metadata import version
from pathlib import Path

from crawl import machine_info, nginx
from playwright.async_api import async_playwright

from govscan.checks.security import SPAM
from govscan.demo import SITE_DIR, fill_placeholders
from govscan.probes.browser import (
    PARALLEL,
    Target,
    Visit,
    find_chromium,
    host_rules,
    launch,
    open_tab,
    render,
    run_axe,
)
from govscan.resolver import Lookup

TARGET_PAGES_PER_SECOND = 5.0  # axe-core on loaded pages, browser warm
WARM_UP = 4


HOST = "www.csz.gov.cn"


def write_portal(root: Path, port: int) -> list[str]:
    """The sample portal's main host, its placeholders filled, under ``root``; its page paths."""
    source = SITE_DIR / HOST
    for path in source.rglob("*"):
        if path.is_file():
            target = root / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(fill_placeholders(path.read_bytes(), port, date.today()))
    return sorted(
        "/" + str(path.relative_to(source)).removesuffix("index.html")
        for path in source.rglob("*.html")
        if not path.name.startswith("_")
    )


def timed_render(targets: list[Target], lookup: Lookup) -> tuple[float, list[dict]]:
    start = time.perf_counter()
    results = render(targets, set(), lookup, True, "govscan-bench", 15.0, SPAM.pattern)
    return time.perf_counter() - start, results


async def axe_seconds(urls: list[str], lookup: Lookup) -> float:
    """Seconds spent in axe-core alone: pages are loaded in the tabs, untimed, then axe runs
    on all tabs at once, timed; the sum over rounds."""
    async with async_playwright() as playwright:
        browser = await launch(playwright, find_chromium(), host_rules({HOST}, lookup, True))
        visit = Visit("govscan-bench", 15.0, None)
        tabs = [await open_tab(browser, visit) for _ in range(PARALLEL)]
        spent = 0.0
        for start in range(0, len(urls), PARALLEL):
            batch = list(zip(tabs, urls[start : start + PARALLEL], strict=False))
            await asyncio.gather(*(tab.goto(url) for tab, url in batch))
            began = time.perf_counter()
            await asyncio.gather(*(run_axe(tab) for tab, _ in batch))
            spent += time.perf_counter() - began
        await browser.close()
        return spent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    lookup = Lookup({HOST: ["127.0.0.1"]}, None, 5.0)
    with (
        tempfile.TemporaryDirectory(prefix="govscan-bench-") as folder,
        nginx(Path(folder), Path(folder) / "site") as port,
    ):
        paths = write_portal(Path(folder) / "site", port)
        targets = [
            Target(f"http://{HOST}:{port}{paths[n % len(paths)]}", "article")
            for n in range(WARM_UP + args.pages)
        ]
        cold, _ = timed_render(targets[:WARM_UP], lookup)
        total, results = timed_render(targets, lookup)
        urls = [target.url for target in targets]
        asyncio.run(axe_seconds(urls[:WARM_UP], lookup))  # start-up, untimed
        axe_only = asyncio.run(axe_seconds(urls[WARM_UP:], lookup))
    failed = [r for r in results if r.get("error")]
    shots = [picture for r in results[WARM_UP:] for picture in r.get("shots", {}).values()]
    rate = args.pages / (total - cold)
    figures = {
        "pages": args.pages,
        "distinct_pages": len(paths),
        "seconds_for_warm_up": round(cold, 2),
        "seconds_total": round(total, 2),
        "pages_per_second_warm": round(rate, 2),
        "axe_only_pages_per_second": round(args.pages / axe_only, 2),
        "untested": len(failed),
        "screenshots": len(shots),
        "screenshot_kb_total": round(sum(map(len, shots)) / 1024, 1),
        "machine": machine_info(),
        "chromium": subprocess.getoutput(f"{find_chromium()} --version").splitlines()[0],
        "playwright": version("playwright"),
        "axe_playwright_python": version("axe-playwright-python"),
    }
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    if failed:
        print(f"untested: {failed[0]['url']}: {failed[0]['error']}", file=sys.stderr)
    return 0 if not failed and args.pages / axe_only >= TARGET_PAGES_PER_SECOND else 1


if __name__ == "__main__":
    sys.exit(main())
