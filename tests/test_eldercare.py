"""适老化 rules in real Chromium: the seeded pop-up, floating ad, non-reflowing page, small
text and missing entrance are caught; fixed headers, small buttons and carousels are not."""

from __future__ import annotations

import pytest
from portal import PARAGRAPH, accessible_page
from servers import http_site

from govscan.checks.eldercare import (
    SCRIPT_SRC,
    control_texts,
    has_entrance,
    popup_of,
    small_text_of,
)
from govscan.store.view import Layer, RenderedPage

MODAL = (
    "<div style='position:fixed;left:240px;top:150px;width:800px;height:500px;background:#fff;"
    "border:2px solid #333'><p>关于开展2026年政务公开满意度调查的公告</p>"
    "<button type='button'>关闭</button></div>"
)
FLOATING_AD = (
    "<div id='piao' style='position:absolute;left:0;top:0;width:240px;height:160px;"
    "background:#fff;border:1px solid #333'><a href='/'>民族文化旅游节专题</a></div>"
    "<script>let x = 0; setInterval(() => { x = (x + 4) % 300; piao.style.left = x + 'px';"
    " piao.style.top = x + 'px'; }, 40);</script>"
)
HARMLESS_LAYERS = (
    "<div style='position:fixed;top:0;left:0;width:100%;height:48px;background:#1a4f8b;"
    "color:#fff'>苍山州人民政府</div>"
    "<a href='#' style='position:fixed;right:8px;bottom:8px;width:48px;height:48px;"
    "background:#fff'>顶部</a>"
    "<div style='position:relative;max-width:1000px;height:400px'><div style='position:absolute;"
    "inset:0;background:#eef'><p>轮播图：苍山州冬季风光</p></div></div>"
)
#: Article path → (the eldercare rule it breaks or None, body, extra CSS).
PAGES = {
    "/e/popup.html": ("popup", PARAGRAPH + MODAL, ""),
    "/e/piao.html": ("popup", PARAGRAPH * 30 + FLOATING_AD, ""),
    "/e/wide.html": ("reflow", f"<div style='width:1200px'>{PARAGRAPH}</div>", ""),
    "/e/small.html": ("small_text", PARAGRAPH * 3, "body { font-size: 11px; }"),
    "/e/fine.html": (None, PARAGRAPH * 30 + HARMLESS_LAYERS, ""),
}


def home(extra: str = "") -> str:
    links = "".join(f"<li><a href='{path}'>文章 {path}</a></li>" for path in PAGES)
    return accessible_page("苍山州人民政府", f"<ul>{links}</ul>{extra}")


@pytest.fixture(scope="module")
def eldercare_scan(module_scan):
    routes = {"/": home()}
    for path, (_, body, style) in PAGES.items():
        routes[path] = accessible_page(f"文章 {path}", body, style=style)
    with http_site(routes) as site:
        yield module_scan(site.url, "--checks", "eldercare"), site


def test_each_seeded_problem_is_caught_on_exactly_its_pages(eldercare_scan):
    output, site = eldercare_scan
    expected: dict[str, set[str]] = {}
    for path, (rule, _, _) in PAGES.items():
        if rule:
            expected.setdefault(f"eldercare.{rule}", set()).add(site.url_for(path))
    assert output.affected_pages("eldercare.") == expected


def test_popups_say_whether_they_cover_or_float(eldercare_scan):
    output, site = eldercare_scan
    [popup] = output.findings("eldercare.popup")
    kinds = {page["url"]: page["kind"] for page in popup["detail"]["affected"]}
    assert kinds == {
        site.url_for("/e/popup.html"): "covering",
        site.url_for("/e/piao.html"): "floating",
    }


def test_reflow_and_small_text_name_the_evidence(eldercare_scan):
    output, _ = eldercare_scan
    [reflow] = output.findings("eldercare.reflow")[0]["detail"]["affected"]
    assert reflow["width"] == 640 and reflow["scroll_width"] >= 1200
    assert reflow["target"].endswith("div")
    [small] = output.findings("eldercare.small_text")[0]["detail"]["affected"]
    assert small["body_px"] == 11 and small["min_px"] == 12


def test_homepage_without_an_entrance_is_reported(eldercare_scan):
    output, site = eldercare_scan
    [missing] = output.findings("eldercare.entrance_missing")
    assert missing["url"] == site.url and "关怀版" in missing["message"]


@pytest.mark.parametrize(
    "entrance",
    [
        "<a href='/care/'>关怀版</a>",
        # a toolbar that injects its entrance after load: only the rendered page shows it
        "<script>document.body.insertAdjacentHTML('beforeend',"
        " '<button type=\"button\">长者模式</button>')</script>",
        "<script src='/wza/aria.js?appid=8e7f'></script>",  # the widely used toolbar script
    ],
)
def test_an_entrance_by_link_rendered_control_or_toolbar_script_counts(scan, entrance):
    with http_site({"/": home(entrance), "/wza/aria.js?appid=8e7f": "", "/care/": home()}) as site:
        output = scan(site.url, "--checks", "eldercare", "--max-pages", "1")
    assert output.findings("eldercare.entrance_missing") == []


def layer(share: float, floats: bool = False, full_width: bool = False) -> Layer:
    return Layer("div", share, "<div>", floats=floats, full_width=full_width)


def rendered(**measured) -> RenderedPage:
    return RenderedPage("http://x/", "article", **measured)


@pytest.mark.parametrize(
    ("layers", "kind"),
    [
        ([layer(0.35)], "covering"),
        ([layer(0.03, floats=True)], "floating"),
        ([layer(0.03)], None),  # placed over the page but does not move: part of the layout
        ([layer(0.02, floats=True)], None),  # a back-to-top button
        ([layer(0.06, floats=True, full_width=True)], None),  # a fixed header bar
    ],
)
def test_popup_thresholds(layers, kind):
    found = popup_of(rendered(layers=layers))
    assert (found and found["kind"]) == kind


def test_body_size_is_the_size_most_text_is_set_in():
    sizes = {"11": 120, "16": 800, "12": 40}  # small print in the footer does not count
    assert small_text_of(rendered(text_sizes=sizes), 12) is None
    found = small_text_of(rendered(text_sizes={"11": 800, "16": 100}), 12)
    assert found == {"body_px": 11.0, "min_px": 12, "small_share": pytest.approx(0.889, abs=1e-3)}


@pytest.mark.parametrize(
    "name",
    [
        "wanzai-2023-article.html",
        "wanzai-2016-article.html",
        "yichun-2023-article.html",
        "yichun-jiangxi-2023-article.html",
    ],
)
def test_real_portals_show_their_entrance(corpus, name):
    html = (corpus / "gov-pages" / name).read_text(encoding="utf-8")
    assert has_entrance(control_texts(html), SCRIPT_SRC.findall(html))


def test_a_page_without_entrance_words_or_toolbar_has_none():
    html = accessible_page(
        "首页", "<a href='/xwdt/'>要闻动态</a><script src='/js/jquery.js'></script>"
    )
    assert not has_entrance(control_texts(html), SCRIPT_SRC.findall(html))
