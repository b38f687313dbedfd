"""``bulletin.pdf``: the bulletin printed to A4 by Debian's Chromium, found and launched as
the browser checks find it (``govscan.probes.browser``), with page numbers in the footer.
Chromium's ``page.pdf`` does not draw CSS ``@page`` margin boxes (``@bottom-center`` with
``counter(page)``; checked with Chromium 156), so the numbers come from its footer template."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from govscan.lazy import lazy_import
from govscan.probes.browser import BrowserMissing, find_chromium, unlaunchable

if TYPE_CHECKING:
    from playwright.sync_api import Playwright

playwright_api = lazy_import("playwright.sync_api")

NOT_PRINTED = "检查通报 PDF 未生成"
FOOTER = (
    '<div style="width:100%;font-size:9px;text-align:center;color:#555;'
    "font-family:'Noto Sans CJK SC',sans-serif;\">"
    '第 <span class="pageNumber"></span> 页 / 共 <span class="totalPages"></span> 页</div>'
)
MARGIN = {"top": "15mm", "bottom": "18mm", "left": "12mm", "right": "12mm"}
LOAD_TIMEOUT_MS = 60_000


def write(bulletin: Path, path: Path) -> Path:
    """Print ``bulletin`` (an HTML file) to ``path``. Raises :class:`BrowserMissing` without
    a browser that starts."""
    executable = find_chromium(NOT_PRINTED)
    try:
        playwright = playwright_api.sync_playwright().start()
    except Exception as error:  # the driver would not start: Playwright raises a bare one
        raise unlaunchable(error, NOT_PRINTED) from None
    try:
        data = printed(playwright, executable, bulletin)
    finally:
        playwright.stop()
    path.write_bytes(data)
    return path


def printed(playwright: Playwright, executable: str, bulletin: Path) -> bytes:
    """The bulletin as an A4 PDF, page numbers in its footer."""
    try:
        browser = playwright.chromium.launch(
            executable_path=executable, args=["--disable-dev-shm-usage", "--disable-gpu"]
        )
    except playwright_api.Error as error:
        raise unlaunchable(error, NOT_PRINTED) from None
    try:
        page = browser.new_page()
        page.goto(bulletin.resolve().as_uri(), wait_until="load", timeout=LOAD_TIMEOUT_MS)
        page.emulate_media(media="print")
        return page.pdf(
            format="A4",
            print_background=True,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=FOOTER,
            margin=MARGIN,
        )
    except playwright_api.Error as error:
        reason = str(error).strip().splitlines()[0]
        raise BrowserMissing(f"打印失败（{reason}），{NOT_PRINTED}") from None
    finally:
        browser.close()
