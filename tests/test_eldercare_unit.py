"""The eldercare family from rendered pages and the kept homepage: the entrance, layers over
the page, reflow at 200 % and the body text's size."""

from __future__ import annotations

from views import home, url, view

from govscan.checks.eldercare import judge
from govscan.store.inventory import EldercareSettings
from govscan.store.view import Controls, Culprit, Layer, Reflow, RenderedPage

ENTRANCE = "<a href='/care/'>关怀版</a>"
FITS = Reflow(width=640, scroll_width=640)

DEFAULTS = EldercareSettings()


def rendered(path: str, role: str = "article", **measured) -> RenderedPage:
    return RenderedPage(url(path), role, **{"reflow": FITS, "text_sizes": {16: 900}, **measured})


def rules(run, settings: EldercareSettings = DEFAULTS) -> dict:
    return {f.rule: f for f in judge(run, settings)}


def test_the_entrance_is_found_in_the_kept_homepage_or_the_rendered_controls():
    assert rules(view([home(f"<html><body>{ENTRANCE}</body></html>")])) == {}
    shown = rendered("/", "home", controls=Controls(controls=("长者模式",)))
    assert rules(view([home("<html></html>")], rendered=(shown,))) == {}
    toolbar = home("<html><script src='/wza/aria.js'></script></html>")
    assert rules(view([toolbar])) == {}


def test_a_homepage_without_an_entrance_is_reported():
    [missing] = rules(view([home("<html><a href='/xwdt/'>要闻动态</a></html>")])).values()
    assert (missing.rule, missing.url) == ("eldercare.entrance_missing", url("/"))


def test_each_page_problem_lists_its_pages():
    cover = Layer("div.modal", 0.4, "<div class='modal'>", position="fixed")
    ad = Layer("#piao", 0.05, "<div id='piao'>", floats=True, position="absolute")
    wide = Reflow(width=640, scroll_width=1200, culprit=Culprit("div.wrap", "<div>"))
    pages = (
        rendered("/", "home", controls=Controls(controls=("关怀版",))),
        rendered("/popup.html", layers=(cover,)),
        rendered("/piao.html", layers=(ad,)),
        rendered("/wide.html", reflow=wide),
        rendered("/small.html", text_sizes={11: 800, 16: 100}),
        RenderedPage(url("/broken.html"), "article", error="页面无法打开"),
    )
    found = rules(view([home("<html></html>")], rendered=pages))
    affected = {rule: [page["url"] for page in f.detail["affected"]] for rule, f in found.items()}
    assert affected == {
        "eldercare.popup": [url("/popup.html"), url("/piao.html")],
        "eldercare.reflow": [url("/wide.html")],
        "eldercare.small_text": [url("/small.html")],
    }
    kinds = [page["kind"] for page in found["eldercare.popup"].detail["affected"]]
    assert kinds == ["covering", "floating"]
    assert found["eldercare.reflow"].detail["affected"][0]["target"] == "div.wrap"


def test_the_smallest_body_text_is_a_setting():
    small = (rendered("/", "home", controls=Controls(("关怀版",)), text_sizes={11: 800}),)
    assert "eldercare.small_text" in rules(view(rendered=small))
    assert rules(view(rendered=small), EldercareSettings(min_font_px=10)) == {}
