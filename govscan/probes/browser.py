"""Pages rendered in Debian's Chromium: axe-core's WCAG results, the layout facts that the
适老化 checks need (floating layers, reflow at 200% zoom, text sizes, the homepage's controls),
the links the page hides from visitors, and screenshots of what a supervisor would rather see
than read: each layer, the element that does not reflow, the first element of a colour-contrast
failure, and, when they carry the scan's suspect words, the page's first screen and its hidden
links shown and outlined. A screenshot is a JPEG of at most one screen, kept by its key.

One browser per scan, a few pages at a time, each page in its own context so that resizing
one never disturbs another. The browser resolves names as the crawl does: the scan's
:class:`~govscan.resolver.Lookup` answers are handed to it as ``--host-resolver-rules``.
What the measurements mean is decided in ``govscan.checks.a11y`` and ``govscan.checks.eldercare``.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

from govscan.lazy import lazy_import
from govscan.resolver import Lookup
from govscan.urls import host_of

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page, Playwright

playwright_api = lazy_import("playwright.async_api")

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
HIDDEN_LINKS_KEPT = 50  # per page, the suspect ones first
#: axe rules whose failures show on the screen: their first element on a page is photographed.
VISUAL_AXE_RULES = ("color-contrast", "link-in-text-block")
LAYERS_PHOTOGRAPHED = 3  # the largest on a page
HIDDEN_PHOTOGRAPHED = 3  # suspect hidden links on a page
SHOT_MARGIN = 48  # CSS px of context around a photographed element
SHOT_QUALITY = 60  # JPEG: a screen is 60–150 KB


@cache
def measure_script() -> str:
    """The page-side half of the measurements, read when a browser first runs."""
    return files(__package__).joinpath("measure.js").read_text(encoding="utf-8")


@cache
def axe_setup() -> str:
    """axe-core as axe-playwright-python bundles it, set to its own Chinese messages (from
    the axe-core package, MPL-2.0, see axe/README.md)."""
    axe = files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
    messages = files(__package__).joinpath("axe/zh_CN.json").read_text(encoding="utf-8")
    return f"{axe}\naxe.configure({{locale: {messages}}});"


class BrowserMissing(Exception):
    """No Chromium to drive: the browser checks are not run."""


@dataclass(frozen=True)
class Target:
    url: str
    role: str  # home | nav | layout | column | article | suspect
    layout: str | None = None  # the page layout it stands for, kept with its result


def shot_key(url: str, kind: str, detail: str = "") -> str:
    """The key a screenshot is kept and named by: the same page and element on every run."""
    return hashlib.sha1(f"{url}\n{kind}\n{detail}".encode()).hexdigest()[:16]


#: What is lost without the browser, as the message of :class:`BrowserMissing` says.
CHECKS_NOT_RUN = "无障碍与适老化检查未运行"


def find_chromium(consequence: str = CHECKS_NOT_RUN) -> str:
    """``GOVSCAN_CHROMIUM``, else Debian's Chromium on the PATH."""
    configured = os.environ.get("GOVSCAN_CHROMIUM")
    found = configured or next(filter(None, map(shutil.which, CHROMIUM_NAMES)), None)
    if not found or not os.access(found, os.X_OK):
        where = f"GOVSCAN_CHROMIUM={configured} 不可执行" if configured else "未找到 chromium"
        raise BrowserMissing(f"{where}，{consequence}。请安装浏览器：{INSTALL_COMMAND}")
    return found


def unlaunchable(error: Exception, consequence: str = CHECKS_NOT_RUN) -> BrowserMissing:
    """The browser (or its driver) was found but would not start."""
    reason = str(error).strip().splitlines()[0]
    return BrowserMissing(f"浏览器无法启动（{reason}），{consequence}")


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
    suspect_words: str | None = None,
) -> list[dict]:
    """Render every target and measure it; one dict per target, with ``error`` when the
    page could not be tested, and its screenshots by key under ``shots``. ``suspect_words``
    (a regular expression) marks the hidden links and first screens worth a screenshot.
    Raises :class:`BrowserMissing` without a browser."""
    executable = find_chromium()
    hosts = {host_of(target.url) for target in targets} | extra_hosts
    rules = host_rules(hosts, lookup, only_known_hosts)
    visit = Visit(user_agent, timeout, suspect_words)
    return asyncio.run(_render_all(executable, rules, targets, visit))


@dataclass(frozen=True)
class Visit:
    """How every page is opened: as whom, how long to wait, which words to photograph."""

    user_agent: str
    timeout: float
    suspect_words: str | None


async def _render_all(
    executable: str, rules: str, targets: list[Target], visit: Visit
) -> list[dict]:
    """A few tabs take the targets in turn. A tab is reused from page to page, as a visitor
    clicks through the site (Chromium then keeps axe-core compiled: three times faster),
    with cookies and storage cleared in between; a tab whose page failed is replaced."""
    playwright = await started_driver()
    try:
        browser = await launch(playwright, executable, rules)
        waiting = list(enumerate(targets))
        results: list[dict] = [{} for _ in targets]

        async def tab_worker() -> None:
            tab = None
            while waiting:
                index, target = waiting.pop(0)
                tab = tab or await open_tab(browser, visit)
                results[index] = await _render_one(tab, target, visit)
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
    finally:
        await playwright.stop()


async def started_driver() -> Playwright:
    """Playwright's driver, started. A driver that cannot start (its Node missing a library)
    leaves the browser checks unrun as a browser that cannot start does; Playwright raises a
    bare ``Exception`` for it."""
    try:
        return await playwright_api.async_playwright().start()
    except Exception as error:
        raise unlaunchable(error) from None


async def launch(playwright: Playwright, executable: str, rules: str) -> Browser:
    try:
        return await playwright.chromium.launch(
            executable_path=executable,
            args=[f"--host-resolver-rules={rules}", "--disable-dev-shm-usage", "--disable-gpu"],
        )
    except playwright_api.Error as error:
        raise unlaunchable(error) from None


async def open_tab(browser: Browser, visit: Visit) -> Page:
    context = await browser.new_context(viewport=VIEWPORT, user_agent=visit.user_agent)
    await context.add_init_script(axe_setup())  # in every document, before the page's scripts
    tab = await context.new_page()
    tab.set_default_timeout(visit.timeout * 1000)
    return tab


async def _render_one(tab: Page, target: Target, visit: Visit) -> dict:
    """One page's measurements; a page that hangs is cut off after a generous timeout."""
    result = {"url": target.url, "role": target.role, "layout": target.layout}
    limit = visit.timeout * 3
    try:
        await tab.context.clear_cookies()
        await tab.set_viewport_size(VIEWPORT)
        return {**result, **await asyncio.wait_for(_measure(tab, target, visit), limit)}
    except TimeoutError:
        return {**result, "error": f"页面在 {limit:.0f} 秒内未完成检测（页面无响应）"}
    except playwright_api.Error as error:
        return {**result, "error": f"页面无法打开：{str(error).strip().splitlines()[0]}"}


async def _measure(page: Page, target: Target, visit: Visit) -> dict:
    """The page's measurements in an order that keeps each undisturbed: axe and the hidden
    links as loaded (and the first screen, if suspect), the layers after a scroll, then the
    reflow at 640 px, and last the hidden links shown for their screenshots."""
    response = await page.goto(target.url, wait_until="domcontentloaded")
    status = response.status if response else None
    if status is not None and status >= 400:
        return {"status": status, "error": f"页面返回 HTTP {status}"}
    with suppress(playwright_api.Error):  # a slow third-party script must not stop the test
        await page.wait_for_load_state("load", timeout=LOAD_GRACE_MS)
    camera = Camera(page, target.url)
    axe = await run_axe(page)
    words = {"words": visit.suspect_words, "limit": HIDDEN_LINKS_KEPT}
    hidden = await measure(page, "hidden", words)
    picture = await camera.first_screen() if hidden["suspect"] else None
    await measure(page, "layers")
    await asyncio.sleep(SETTLE_S)
    settled = await measure(page, "settled", {"controls": target.role == "home"})
    await camera.layers(settled["layers"])
    await camera.axe_examples(axe["violations"])
    await page.set_viewport_size(REFLOW_VIEWPORT)
    reflow = await measure(page, "reflow")  # and forgets what the site stored
    if reflow["culprit"] and reflow["scroll_width"] > reflow["width"] + 1:
        await camera.culprit(reflow["culprit"])
    await page.set_viewport_size(VIEWPORT)
    await camera.hidden_links(hidden["links"])
    return {
        "status": status,
        "final_url": page.url,
        "axe": axe,
        **settled,
        "reflow": reflow,
        "hidden_links": hidden["links"],
        "picture": picture,
        "shots": camera.shots,
    }


class Camera:
    """Screenshots of one page, by key; each measured element it photographs gets the key
    as its ``shot``."""

    def __init__(self, page: Page, url: str) -> None:
        self.page, self.url = page, url
        self.shots: dict[str, bytes] = {}

    async def first_screen(self) -> str | None:
        with suppress(playwright_api.Error):
            return await self._keep(
                shot_key(self.url, "first_screen"), {"x": 0, "y": 0, **VIEWPORT}
            )
        return None

    async def layers(self, layers: list[dict]) -> None:
        largest = sorted(range(len(layers)), key=lambda i: -layers[i]["share"])
        for index in largest[:LAYERS_PHOTOGRAPHED]:
            layer = layers[index]
            key = shot_key(self.url, "layer", f"{index} {layer['selector']}")
            layer["shot"] = await self._element(key, ["layer", index], "screen")

    async def axe_examples(self, violations: list[dict]) -> None:
        for violation in violations:
            if violation["id"] in VISUAL_AXE_RULES and violation["examples"]:
                example = violation["examples"][0]
                key = shot_key(self.url, violation["id"], example["target"])
                example["shot"] = await self._element(key, ["selector", example["target"]])

    async def culprit(self, culprit: dict) -> None:
        key = shot_key(self.url, "reflow", culprit["selector"])
        culprit["shot"] = await self._element(key, ["culprit", 0], "screen")

    async def hidden_links(self, links: list[dict]) -> None:
        suspect = [index for index, link in enumerate(links) if link["suspect"]]
        for index in suspect[:HIDDEN_PHOTOGRAPHED]:
            key = shot_key(self.url, "hidden", links[index]["href"])
            ref = ["hidden", index]
            links[index]["shot"] = await self._element(key, ref, "element", reveal=True)

    async def _element(
        self, key: str, ref: list, frame: str = "element", reveal: bool = False
    ) -> str | None:
        """Outline the element, photograph it, and take the outline off again; None when it
        has no box to photograph or the page refuses (its measurements still count)."""
        options = {"ref": ref, "frame": frame, "reveal": reveal, "margin": SHOT_MARGIN}
        with suppress(playwright_api.Error):
            try:
                if (clip := await measure(self.page, "mark", options)) is not None:
                    return await self._keep(key, clip)
            finally:
                await measure(self.page, "unmark")
        return None

    async def _keep(self, key: str, clip: dict) -> str:
        self.shots[key] = await self.page.screenshot(clip=clip, type="jpeg", quality=SHOT_QUALITY)
        return key


async def measure(page: Page, step: str, options: dict | None = None):
    """One step of ``measure.js`` in the page."""
    return await page.evaluate(measure_script(), [step, options])


async def run_axe(page: Page) -> dict:
    """axe-core's WCAG A/AA rules on the page (set up by ``open_tab``), in Chinese, with the
    count and a few examples of the nodes that fail each rule."""
    options = {"axe": AXE_OPTIONS, "examples": EXAMPLES_PER_RULE}
    return json.loads(await measure(page, "axe", options))
