"""The bulletin (检查通报), opened in real headless Chromium: issued as the inventory's
settings say (文头, 文号, 整改期限, 落款), title, ranking, 回头看 against the previous run, the
points each finding cost, labelled SVG charts, Chinese text, crawled markup shown as text and
never run; the bulletin and the report pass axe-core and fit a phone's width."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from datetime import date, datetime
from html import escape
from urllib.error import URLError
from urllib.request import urlopen

import psutil
import pytest
import yaml
from browsing import DESKTOP, PHONE, axe_and_width
from playwright.sync_api import sync_playwright
from servers import free_port, http_site

from govscan.checks.registry import registry
from govscan.cli import main
from govscan.probes.browser import find_chromium
from govscan.reports.advice import ADVICE, GENERAL, advice
from govscan.reports.html import DISPLAY_ZONE
from govscan.reports.notice import chinese_date, chinese_ordinal, notice, working_days_after
from govscan.store.inventory import BulletinSettings

ISSUE = {
    "office": "苍山州人民政府办公室",
    "number": "苍政办函〔2026〕12号",
    "recipients": "州直各部门",
    "deadline_days": 10,
}
COST = re.compile(
    r"^(扣 (\d+(?:\.\d+)?) 分|不扣分|不扣分（已豁免）|单项否决|不再扣分（该类已扣满）)$"
)
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
            inventory = {"settings": {"bulletin": ISSUE}, "sites": sites}
            config.write_text(yaml.safe_dump(inventory, allow_unicode=True), "utf-8")
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
        review = page.locator("table.review tr", has_text="苍山州人民政府门户网站")
        new, fixed, persisting = (
            int(cell.split()[0]) for cell in review.locator("td").all_inner_texts()[1:]
        )
        assert (new, fixed, persisting) == (1, 1, 1)
        assert site_url + "a" in review.locator("td").nth(2).inner_text()  # /a was fixed
        trend = page.locator("svg.trend circle")
        assert trend.count() == 4  # two runs of two sites
        browser.close()


def test_the_bulletin_is_issued_as_the_inventory_says(bulletin):
    path, _ = bulletin
    day = datetime.now(DISPLAY_ZONE).date()  # the inspection's, in Beijing
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium())
        page = browser.new_page()
        page.goto(path.as_uri())
        assert page.inner_text("header.masthead .office") == ISSUE["office"]
        assert page.inner_text("header.masthead .number") == ISSUE["number"]
        assert page.inner_text("h1") == "关于政府网站与政务新媒体检查情况的通报"
        assert page.inner_text("p.recipients") == "州直各部门："
        basis = page.inner_text("p.lead")
        assert "国办秘函〔2019〕19号" in basis and "国办发〔2017〕47号" in basis
        assert "2个单位的2个政府网站" in basis
        scope = page.locator("table.scope tbody tr").all_inner_texts()
        assert [row.split("\t")[:3] for row in scope] == [
            ["苍山州人民政府办公室", "网站", "苍山州人民政府门户网站"],
            ["苍山州发改委", "网站", "苍山州发改委网站"],
        ]
        requirements = page.inner_text("h2:has-text('整改要求') + ol")
        deadline = chinese_date(working_days_after(day, 10))
        assert f"于{deadline}前完成（检查之日起 10 个工作日内）" in requirements
        assert page.inner_text(".deadline") == deadline
        assert page.locator(".signature p").all_inner_texts() == [
            ISSUE["office"],
            chinese_date(day),
        ]
        browser.close()


def test_every_finding_shows_the_points_it_cost_and_they_add_up_to_the_score(bulletin):
    path, _ = bulletin
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium())
        page = browser.new_page()
        page.goto(path.as_uri())
        scores = {}
        for row in page.locator("tr.rank").all():
            cells = row.locator("td").all_inner_texts()
            scores[cells[1]] = float(cells[3])
        for site_id, name in (("csz", "苍山州人民政府门户网站"), ("fgw", "苍山州发改委网站")):
            costs = page.locator(f"#site-{site_id} ~ .table-wrap table.findings").first
            cells = costs.locator("tbody tr td.points").all_inner_texts()
            assert cells and len(cells) == costs.locator("tbody tr").count()
            matches = [COST.match(cell) for cell in cells]
            assert all(matches), cells
            spent = sum(float(match.group(2)) for match in matches if match.group(2))
            assert spent > 0
            assert 100 - spent == scores[name]
        browser.close()


def test_the_charts_are_inline_svg_with_their_values_and_dates_written(bulletin):
    path, _ = bulletin
    html = path.read_text(encoding="utf-8")
    assert "<script" not in html and "<link" not in html  # nothing to run or fetch
    day = datetime.now(DISPLAY_ZONE).date()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium())
        page = browser.new_page()
        page.goto(path.as_uri())
        categories, pass_rates, scores = (
            page.locator("svg.bars").nth(n).locator("text").all_text_contents() for n in (2, 0, 1)
        )
        assert "不可用链接" in categories and "3 项" in categories  # /b, /c and /x
        assert {"苍山州人民政府办公室", "苍山州发改委", "0", "100"} <= set(pass_rates)
        assert {"苍山州人民政府办公室", "苍山州发改委", "0", "100"} <= set(scores)
        trend = page.locator("figure.trend", has_text="苍山州人民政府门户网站").locator("text")
        labels = trend.all_text_contents()
        assert {"0", "50", "100", "检查日期", f"{day:%m-%d}"} <= set(labels)
        score = page.locator("tr.rank", has_text="苍山州人民政府门户网站").locator("td").nth(3)
        assert f"{float(score.inner_text()):g}" in labels  # the last run's score, on its point
        browser.close()


@pytest.mark.parametrize("name", ["bulletin.html", "report.html"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_bulletin_and_the_report_pass_axe_and_fit_a_phone(bulletin, name, viewport):
    violations, width = axe_and_width(bulletin[0].with_name(name), viewport)
    assert violations == []
    assert width <= viewport["width"]


def test_printed_tables_repeat_their_headers_and_nothing_forces_a_page_break(bulletin):
    path, _ = bulletin
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium())
        page = browser.new_page()
        page.goto(path.as_uri())
        page.emulate_media(media="print")
        styles = page.evaluate(
            """() => [...document.querySelectorAll('*')].map(e => {
                const s = getComputedStyle(e);
                return [e.tagName, e.className, s.display, s.whiteSpace,
                        s.breakBefore, s.breakAfter];
            })"""
        )
        assert {display for tag, _, display, *_ in styles if tag == "THEAD"} == {
            "table-header-group"
        }
        numbers = [space for tag, cls, _, space, *_ in styles if tag == "TD" and "number" in cls]
        assert numbers and set(numbers) == {"nowrap"}
        forced = [
            (tag, cls) for tag, cls, _, _, *breaks in styles if {"page", "always"} & set(breaks)
        ]
        assert forced == []
        browser.close()


def test_a_deadline_in_working_days_skips_weekends():
    friday = date(2026, 11, 27)
    assert working_days_after(friday, 1) == date(2026, 11, 30)  # Monday
    assert working_days_after(friday, 15) == date(2026, 12, 18)
    assert working_days_after(date(2026, 11, 28), 1) == date(2026, 11, 30)  # from a Saturday
    assert working_days_after(date(2026, 12, 2), 15) == date(2026, 12, 23)


def test_parts_are_numbered_in_chinese():
    assert [chinese_ordinal(n) for n in (1, 9, 10, 11, 12, 20, 21, 99)] == [
        "一", "九", "十", "十一", "十二", "二十", "二十一", "九十九",
    ]  # fmt: skip


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


def test_the_document_is_numbered_by_the_inspection_unless_the_settings_number_it():
    wednesday = date(2026, 12, 2)
    default = notice(BulletinSettings(), wednesday, 7)
    assert (default.number, default.issued, default.deadline) == (
        "2026年第7期",
        wednesday,
        date(2026, 12, 23),
    )
    assert default.deadline_days == 15
    chosen = BulletinSettings(number="苍政办函〔2026〕12号", deadline=date(2027, 1, 8))
    issued = notice(chosen, wednesday, 7)
    assert (issued.number, issued.deadline, issued.deadline_days) == (
        "苍政办函〔2026〕12号",
        date(2027, 1, 8),
        None,  # a day, not counted in working days
    )
    assert notice(BulletinSettings(), wednesday, None).number is None


def test_every_rule_govscan_declares_has_its_own_advice():
    rules = [rule.id for family in registry().families for rule in family.rules]
    assert [rule for rule in rules if advice(rule.replace("*", "image-alt")) == GENERAL] == []
    assert advice("plugin.unknown") == GENERAL
    assert len(set(ADVICE.values())) == len(ADVICE)  # no advice copied under another rule
