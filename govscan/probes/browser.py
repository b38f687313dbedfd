"""Pages rendered in Debian's Chromium: axe-core's WCAG results and the layout facts that the
适老化 checks need (floating layers, reflow at 200% zoom, text sizes, the homepage's controls).

One browser per scan, a few pages at a time, each page in its own context so that resizing
one never disturbs another. The browser resolves names as the crawl does: the scan's
:class:`~govscan.resolver.Lookup` answers are handed to it as ``--host-resolver-rules``.
What the measurements mean is decided in ``govscan.checks.a11y`` and ``govscan.checks.eldercare``.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from contextlib import suppress
from dataclasses import dataclass
from importlib.resources import files

from playwright.async_api import Browser, Page, Playwright, async_playwright
from playwright.async_api import Error as PlaywrightError

from govscan.resolver import Lookup
from govscan.urls import host_of

INSTALL_COMMAND = "sudo apt-get install -y chromium-headless-shell fonts-noto-cjk"
#: The old headless shell first: without the full browser's window machinery it renders
#: twice as many pages a second on two cores.
CHROMIUM_NAMES = ("chromium-headless-shell", "chromium", "chromium-browser")
#: WCAG 2.0 and 2.1, levels A and AA: what GB/T 37668-2019 asks for.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
VIEWPORT = {"width": 1280, "height": 800}
REFLOW_VIEWPORT = {"width": 640, "height": 800}  # 1280 CSS px at 200% zoom
PARALLEL = 4
LOAD_GRACE_MS = 5000  # after the document is parsed, how long to wait for its images and scripts
SETTLE_S = 0.3  # after scrolling, before measuring what moved
EXAMPLES_PER_RULE = 3
MEASURE_SCRIPT = files(__package__).joinpath("measure.js").read_text(encoding="utf-8")
#: axe-core as axe-playwright-python bundles it, set to its own Chinese messages (from the
#: axe-core package, MPL-2.0, see axe/README.md).
AXE_SETUP = (
    files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
    + f"\naxe.configure({{locale: {files(__package__).joinpath('axe/zh_CN.json').read_text()}}});"
)


class BrowserMissing(Exception):
    """No Chromium to drive: the browser checks are not run."""


@dataclass(frozen=True)
class Target:
    url: str
    role: str  # home | nav | layout | column | article
    layout: str | None = None  # the page layout it stands for, kept with its result


def find_chromium() -> str:
    """``GOVSCAN_CHROMIUM``, else Debian's Chromium on the PATH."""
    configured = os.environ.get("GOVSCAN_CHROMIUM")
    found = configured or next(filter(None, map(shutil.which, CHROMIUM_NAMES)), None)
    if not found or not os.access(found, os.X_OK):
        where = f"GOVSCAN_CHROMIUM={configured} 不可执行" if configured else "未找到 chromium"
        raise BrowserMissing(f"{where}，无障碍与适老化检查未运行。请安装浏览器：{INSTALL_COMMAND}")
    return found


def host_rules(hosts: set[str], lookup: Lookup, only_these: bool) -> str:
    """Chromium's ``--host-resolver-rules`` for ``hosts``; with ``only_these`` every other
    name fails, as it would through the scan's own nameserver that the browser cannot ask."""
    rules = []
    for host in sorted(hosts):
        addresses = lookup.addresses(host)
        if not addresses:
            rules.append(f"MAP {host} ~NOTFOUND")
        else:
            address = addresses[0]
            rules.append(f"MAP {host} {f'[{address}]' if ':' in address else address}")
    if only_these:
        rules.append("MAP * ~NOTFOUND")
    return ", ".join(rules)


def render(
    targets: list[Target],
    extra_hosts: set[str],
    lookup: Lookup,
    only_known_hosts: bool,
    user_agent: str,
    timeout: float,
) -> list[dict]:
    """Render every target and measure it; one dict per target, with ``error`` when the
    page could not be tested. Raises :class:`BrowserMissing` without a browser."""
    executable = find_chromium()
    hosts = {host_of(target.url) for target in targets} | extra_hosts
    rules = host_rules(hosts, lookup, only_known_hosts)
    return asyncio.run(_render_all(executable, rules, targets, user_agent, timeout))


async def _render_all(
    executable: str, rules: str, targets: list[Target], user_agent: str, timeout: float
) -> list[dict]:
    """A few tabs take the targets in turn. A tab is reused from page to page, as a visitor
    clicks through the site (Chromium then keeps axe-core compiled: three times faster),
    with cookies and storage cleared in between; a tab whose page failed is replaced."""
    async with async_playwright() as playwright:
        browser = await launch(playwright, executable, rules)
        waiting = list(enumerate(targets))
        results: list[dict] = [{} for _ in targets]

        async def tab_worker() -> None:
            tab = None
            while waiting:
                index, target = waiting.pop(0)
                tab = tab or await open_tab(browser, user_agent, timeout)
                results[index] = await _render_one(tab, target, timeout)
                if "status" not in results[index]:  # the tab failed, not the site's answer
                    await tab.context.close()
                    tab = None
            if tab is not None:
                await tab.context.close()

        try:
            await asyncio.gather(*(tab_worker() for _ in range(PARALLEL)))
        finally:
            await browser.close()
        return results


async def launch(playwright: Playwright, executable: str, rules: str) -> Browser:
    try:
        return await playwright.chromium.launch(
            executable_path=executable,
            args=[f"--host-resolver-rules={rules}", "--disable-dev-shm-usage", "--disable-gpu"],
        )
    except PlaywrightError as error:
        reason = str(error).strip().splitlines()[0]
        raise BrowserMissing(f"浏览器无法启动（{reason}），无障碍与适老化检查未运行") from None


async def open_tab(browser: Browser, user_agent: str, timeout: float) -> Page:
    context = await browser.new_context(viewport=VIEWPORT, user_agent=user_agent)
    await context.add_init_script(AXE_SETUP)  # in every document, before the page's scripts
    tab = await context.new_page()
    tab.set_default_timeout(timeout * 1000)
    return tab


async def _render_one(tab: Page, target: Target, timeout: float) -> dict:
    """One page's measurements; a page that hangs is cut off after a generous timeout."""
    result = {"url": target.url, "role": target.role, "layout": target.layout}
    try:
        await tab.context.clear_cookies()
        await tab.set_viewport_size(VIEWPORT)
        return {**result, **await asyncio.wait_for(_measure(tab, target), timeout * 3)}
    except TimeoutError:
        return {**result, "error": f"页面在 {timeout * 3:.0f} 秒内未完成检测（页面无响应）"}
    except PlaywrightError as error:
        return {**result, "error": f"页面无法打开：{str(error).strip().splitlines()[0]}"}


async def _measure(page: Page, target: Target) -> dict:
    response = await page.goto(target.url, wait_until="domcontentloaded")
    status = response.status if response else None
    if status is not None and status >= 400:
        return {"status": status, "error": f"页面返回 HTTP {status}"}
    with suppress(PlaywrightError):  # a slow third-party script must not stop the test
        await page.wait_for_load_state("load", timeout=LOAD_GRACE_MS)
    axe = await run_axe(page)
    await measure(page, "layers")
    await asyncio.sleep(SETTLE_S)
    settled = await measure(page, "settled", {"controls": target.role == "home"})
    await page.set_viewport_size(REFLOW_VIEWPORT)
    reflow = await measure(page, "reflow")  # and forgets what the site stored
    return {"status": status, "final_url": page.url, "axe": axe, **settled, "reflow": reflow}


async def measure(page: Page, step: str, options: dict | None = None):
    """One step of ``measure.js`` in the page."""
    return await page.evaluate(MEASURE_SCRIPT, [step, options])


async def run_axe(page: Page) -> dict:
    """axe-core's WCAG A/AA rules on the page (set up by ``open_tab``), in Chinese, with the
    count and a few examples of the nodes that fail each rule."""
    options = {"axe": AXE_OPTIONS, "examples": EXAMPLES_PER_RULE}
    return json.loads(await measure(page, "axe", options))
