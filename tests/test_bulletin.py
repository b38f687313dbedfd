"""The bulletin (检查通报), opened in real headless Chromium: title, ranking, 回头看 against
the previous run, a trend, Chinese text, and crawled markup shown as text, never run."""

from __future__ import annotations

import subprocess
import sys
import time
from html import escape
from urllib.error import URLError
from urllib.request import urlopen

import psutil
import pytest
import yaml
from playwright.sync_api import sync_playwright
from servers import free_port, http_site

from govscan.cli import main
from govscan.probes.browser import find_chromium

HOSTILE = '<img src=x onerror="window.__pwned = 1"><script>window.__pwned = 2</script>'


def portal(dead: list[str]) -> dict:
    """A homepage whose links in ``dead`` lead nowhere; their text, as a visitor reads it,
    is markup (escaped in the source, so the crawl reads it as text)."""
    links = "".join(f"<a href='{path}'>{escape(HOSTILE)}</a> " for path in dead)
    return {"/": f"<html><head><title>{escape(HOSTILE)}</title></head><body>{links}</body></html>"}


@pytest.fixture
def bulletin(tmp_path, db_url):
    """Two nightly scans of two sites: between them /a was fixed and /c broke."""
    port = free_port()
    config = tmp_path / "sites.yaml"
    other = {"/": "<html><title>发改委</title><a href='/x'>旧</a></html>"}
    out = tmp_path / "out"
    for dead in (["/a", "/b"], ["/b", "/c"]):
        with http_site(portal(dead), port=port) as site, http_site(other) as second:
            sites = [
                {
                    "id": "csz",
                    "name": "苍山州人民政府门户网站",
                    "url": site.url,
                    "unit": "苍山州人民政府办公室",
                },
                {
                    "id": "fgw",
                    "name": "苍山州发改委网站",
                    "url": second.url,
                    "unit": "苍山州发改委",
                },
            ]
            config.write_text(yaml.safe_dump({"sites": sites}, allow_unicode=True), "utf-8")
            assert (
                main(["scan", "--config", str(config), "--checks", "links", "--out", str(out)]) == 0
            )
    assert main(["report", "--config", str(config), "--out", str(tmp_path / "rebuilt")]) == 0
    return tmp_path / "rebuilt" / "bulletin.html", site.url


def test_the_bulletin_opens_in_chromium_and_shows_what_was_fixed(bulletin):
    path, site_url = bulletin
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium())
        page = browser.new_page()
        page.goto(path.as_uri())
        assert page.title().startswith("政府网站与政务新媒体检查通报")
        assert page.locator("tr.rank").count() == 2
        assert page.evaluate("window.__pwned") is None  # crawled markup never runs
        assert HOSTILE in page.inner_text("body")  # it shows as text
        assert page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"')")
        review = page.locator("h2:has-text('回头看') + table tr", has_text="苍山州人民政府门户网站")
        new, fixed, persisting = (
            int(cell.split()[0]) for cell in review.locator("td").all_inner_texts()[1:]
        )
        assert (new, fixed, persisting) == (1, 1, 1)
        assert site_url + "a" in review.locator("td").nth(2).inner_text()  # /a was fixed
        trend = page.locator("tr.rank svg.trend circle")
        assert trend.count() == 4  # two runs of two sites
        browser.close()


def test_report_without_stored_runs_says_so(tmp_path, db_url):
    config = tmp_path / "sites.yaml"
    config.write_text(
        "sites:\n  - {id: a, name: A, url: 'http://127.0.0.1:9/', unit: U}\n", encoding="utf-8"
    )
    assert main(["report", "--config", str(config), "--out", str(tmp_path / "out")]) == 2


def test_serve_shows_the_folder_on_loopback_only(tmp_path):
    (tmp_path / "bulletin.html").write_text("<title>检查通报</title>", encoding="utf-8")
    port = free_port()
    service = subprocess.Popen(
        [sys.executable, "-m", "govscan.cli", "serve", str(tmp_path), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(50):
            try:
                with urlopen(f"http://127.0.0.1:{port}/bulletin.html", timeout=2) as answer:
                    assert answer.read().decode("utf-8") == "<title>检查通报</title>"
                    break
            except URLError:
                time.sleep(0.2)
        else:
            raise AssertionError("govscan serve never answered")
        listening = {c.laddr.ip for c in psutil.Process(service.pid).net_connections() if c.laddr}
        assert listening == {"127.0.0.1"}
    finally:
        service.terminate()
        service.wait(timeout=10)
