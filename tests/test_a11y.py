"""Accessibility in real Chromium: a local site whose pages each carry one known WCAG defect
is reported rule by rule on exactly those pages, in Chinese, and the clean pages stay clean."""

from __future__ import annotations

import pytest
from portal import PARAGRAPH, accessible_page
from servers import Route, http_site

from govscan.checks.a11y import page_score, success_criteria
from govscan.store.view import AxeResult, measured

#: Article path → the one axe rule it breaks (None: a clean page).
ARTICLES = {
    "/xwdt/a1.html": ("image-alt", PARAGRAPH + "<img src='/photo.png' width='40' height='30'>"),
    "/xwdt/a2.html": ("color-contrast", "<p style='color:#bbb'>浅灰色的正文难以看清。</p>"),
    "/xwdt/a3.html": ("label", PARAGRAPH + "<form><input type='text' name='q'></form>"),
    "/xwdt/a4.html": ("html-has-lang", PARAGRAPH),
    "/xwdt/a5.html": (None, PARAGRAPH + "<img src='/photo.png' alt='会议现场' width='40'>"),
}
PHOTO = Route(
    body=bytes.fromhex("47494638396101000100800000000000ffffff2c000000000100010000020144003b"),
    content_type="image/gif",
)


def article_list() -> str:
    items = "".join(
        f"<li><a href='{path}'>政务动态第{number}篇</a> <span>2026-11-0{number}</span></li>"
        for number, path in enumerate(ARTICLES, start=1)
    )
    return f"<ul>{items}</ul>"


def a11y_world() -> dict:
    home = accessible_page(
        "苍山州人民政府",
        "<nav><a href='/xwdt/'>要闻动态</a> <a href='/care/'>关怀版</a></nav>" + article_list(),
    )
    routes = {
        "/": home,
        "/xwdt/": accessible_page("要闻动态", article_list()),
        "/care/": accessible_page("关怀版", PARAGRAPH, style="body { font-size: 22px; }"),
        "/photo.png": PHOTO,
    }
    for path, (rule, body) in ARTICLES.items():
        lang = "" if rule == "html-has-lang" else "zh-CN"
        routes[path] = accessible_page(f"政务动态 {path}", body, lang=lang)
    return routes


@pytest.fixture(scope="module")
def a11y_scan(module_scan):
    with http_site(a11y_world()) as site:
        yield module_scan(site.url, "--checks", "a11y,eldercare"), site


def test_each_seeded_violation_is_reported_on_exactly_its_page(a11y_scan):
    output, site = a11y_scan
    assert output.affected_pages("a11y.") == {
        f"a11y.{rule}": {site.url_for(path)} for path, (rule, _) in ARTICLES.items() if rule
    }


def test_findings_carry_chinese_titles_criteria_and_evidence(a11y_scan):
    output, _ = a11y_scan
    [image_alt] = output.findings("a11y.image-alt")
    assert image_alt["severity"] == "deduction"
    assert image_alt["message"].startswith("图像必须有替代文本（WCAG 1.1.1，影响严重）")
    assert image_alt["detail"]["wcag"] == ["1.1.1"]
    [page] = image_alt["detail"]["affected"]
    assert page["target"] == "img" and "photo.png" in page["html"]
    report = (output.out / "report.html").read_text(encoding="utf-8")
    assert "无障碍：图像必须有替代文本" in report and "表单元素必须有标签" in report
    assert "无障碍与适老化" in report


def test_metrics_count_pages_and_score(a11y_scan):
    output, _ = a11y_scan
    metrics = output.site["metrics"]["a11y"]
    assert metrics["pages_tested"] == 3 + len(ARTICLES)  # home, two columns, the articles
    assert metrics["pages_failing"] == 4
    assert metrics["violations"]["critical"] == 2  # image-alt, label
    assert metrics["violations"]["serious"] == 2  # color-contrast, html-has-lang
    assert 80 < metrics["score"] < 100
    assert metrics["untested"] == []
    assert output.site["verdict"] == "合格" and output.site["not_run"] == {}


def test_clean_pages_raise_no_eldercare_finding(a11y_scan):
    output, _ = a11y_scan
    assert [f["rule"] for f in output.findings() if f["rule"].startswith("eldercare.")] == []


def test_scan_without_a_browser_is_not_run_and_never_passes(scan, monkeypatch):
    monkeypatch.setenv("GOVSCAN_CHROMIUM", "/nonexistent/chromium")
    routes = {"/": accessible_page("首页", "<a href='/gone.html'>旧页面</a>")}
    with http_site(routes) as site:
        output = scan(site.url, "--checks", "links,a11y,eldercare")
    assert output.code == 1
    assert output.site["verdict"] == "未完成"
    assert set(output.site["not_run"]) == {"a11y", "eldercare"}
    assert (
        "sudo apt-get install -y chromium-headless-shell fonts-noto-cjk"
        in output.site["not_run"]["a11y"]
    )
    # the rest went on; the entrance is judged from the homepage the crawl kept
    assert [f["rule"] for f in output.findings()] == ["links.broken", "eldercare.entrance_missing"]
    report = (output.out / "report.html").read_text(encoding="utf-8")
    assert "未检测：" in report and "apt-get install" in report


def test_a_browser_driver_that_cannot_start_leaves_the_checks_unrun(scan, monkeypatch):
    """Playwright's driver runs on a Node of its own; one that cannot start (a library
    missing on the server) is said, like a missing browser, and never crashes the scan."""
    monkeypatch.setenv("PLAYWRIGHT_NODEJS_PATH", "/bin/false")
    with http_site({"/": accessible_page("首页", PARAGRAPH)}) as site:
        output = scan(site.url, "--checks", "links,a11y")
    assert output.code == 1  # an exception would have escaped main()
    assert output.site["verdict"] == "未完成"
    assert output.site["not_run"]["a11y"].startswith("浏览器无法启动")


def test_a_page_that_hangs_is_cut_off_and_the_others_are_tested(scan):
    routes = {
        "/": accessible_page("首页", "<a href='/slow.html'>慢页面</a>"),
        # the crawl gets it at once; the browser waits longer than the scan's timeout
        "/slow.html": Route(body=accessible_page("慢", PARAGRAPH), then=Route(delay=8)),
    }
    with http_site(routes) as site:
        output = scan(site.url, "--checks", "a11y", "--timeout", "2")
    metrics = output.site["metrics"]["a11y"]
    assert metrics["pages_tested"] == 1
    [untested] = metrics["untested"]
    assert untested["url"] == site.url_for("/slow.html") and "Timeout" in untested["error"]


def test_wcag_tags_become_success_criteria():
    assert success_criteria(["wcag111", "wcag143", "wcag1410", "wcag412"]) == [
        "1.1.1",
        "1.4.3",
        "1.4.10",
        "4.1.2",
    ]


def test_page_score_is_the_share_of_applicable_rules_passed():
    image_alt = {"id": "image-alt", "impact": "critical", "help": "", "description": ""}
    axe = {
        "version": "4",
        "violations": [{**image_alt, "wcag": [], "nodes": 1}],
        "passes": ["document-title", "image-alt", "list"],
    }
    assert page_score(measured(AxeResult, axe)) == pytest.approx(100 * 2 / 3)
    assert page_score(AxeResult("4")) == 100.0
