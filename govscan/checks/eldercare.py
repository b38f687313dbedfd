"""``eldercare.*``: the rules of the MIIT 互联网网站适老化通用设计规范 that axe does not know.

- ``entrance_missing``: the homepage offers no 无障碍 / 适老化 / 关怀版 mode or toolbar;
- ``popup``: after load, a layer covers much of the screen, or floats over the content
  (fixed to the viewport or moving by itself, the 飘窗 of many portals);
- ``reflow``: at 640 CSS px (200% zoom) the page needs horizontal scrolling (WCAG 1.4.10);
- ``small_text``: the size most of the page's text is set in is below the minimum.

The browser's measurements come from ``govscan.probes.browser``; the entrance is also
looked for in the homepage the crawl kept, so it is judged even without a browser.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from govscan.checks.a11y import pages_to_render, tested
from govscan.checks.context import kept_homepage
from govscan.checks.family import Deduction, Family, Figure, Needs, Rule
from govscan.checks.finding import Finding
from govscan.markup import parse_document
from govscan.store.inventory import EldercareSettings
from govscan.store.view import RenderedPage, RunView

ENTRANCE_WORDS = re.compile(r"无障碍|适老|关怀|长者|长辈|老年(?:模式|版)|大字版|读屏|辅助浏览")
#: The assistive toolbars portals embed (their scripts inject the entrance after load).
TOOLBAR_SCRIPTS = re.compile(r"aria\.js|barrier[_-]?free|wza|cniil|accessib|assist\w*\.js", re.I)
SCRIPT_SRC = re.compile(r"<script[^>]+src\s*=\s*[\"']?([^\"'\s>]+)", re.I)
COVERING_SHARE = 0.3  # a layer over this share of the viewport hides the page
FLOATING_SHARE = 0.025  # a floating layer this large (about 160×160 px) is an ad, not a button
MAX_PAGES_LISTED = 20

ENTRANCE_MISSING = Rule(
    "eldercare.entrance_missing", "缺少无障碍/关怀版入口", "deduction", group="eldercare"
)
POPUP = Rule("eldercare.popup", "弹窗或漂浮窗遮挡内容", "deduction", group="eldercare")
REFLOW = Rule("eldercare.reflow", "放大后无法自适应（需横向滚动）", "deduction", group="eldercare")
SMALL_TEXT = Rule("eldercare.small_text", "正文字号过小", "deduction", group="eldercare")


def judge(view: RunView, settings: EldercareSettings) -> list[Finding]:
    rendered = tested(view.rendered)
    return [
        *missing_entrance(view, rendered),
        *page_findings(rendered, POPUP, popup_of, "页面加载后有遮挡内容的弹窗或漂浮窗"),
        *page_findings(rendered, REFLOW, reflow_of, "页面放大到 200% 时需要横向滚动才能阅读"),
        *page_findings(
            rendered,
            SMALL_TEXT,
            lambda page: small_text_of(page, settings.min_font_px),
            "正文字号过小",
        ),
    ]


def missing_entrance(view: RunView, rendered: list[RenderedPage]) -> list[Finding]:
    """The homepage as rendered, or as the crawl kept it, shows no entrance at all."""
    kept = kept_homepage(view)
    home = next((page for page in rendered if page.role == "home"), None)
    if kept is None and home is None:
        return []  # the homepage could not be read: links.broken says so
    texts, scripts = [], []
    if home is not None and home.controls is not None:
        texts += home.controls.controls
        scripts += home.controls.scripts
    if kept is not None:
        texts += control_texts(kept[1])
        scripts += SCRIPT_SRC.findall(kept[1])
    if has_entrance(texts, scripts):
        return []
    url = home.url if home is not None else kept[0].url
    return [
        ENTRANCE_MISSING.finding(
            url,
            "首页未找到无障碍、适老化或关怀版入口，也未加载辅助浏览工具条",
            detail={"controls_seen": len(texts), "scripts_seen": len(scripts)},
        )
    ]


def control_texts(html: str) -> list[str]:
    """The text of every link and button of a page's source, ``javascript:`` links included
    (toolbars are usually started by one)."""
    root = parse_document(html)
    if root is None:
        return []
    return [" ".join(el.text_content().split()) for el in root.iter("a", "button")]


def has_entrance(texts: list[str], scripts: list[str]) -> bool:
    return any(map(ENTRANCE_WORDS.search, texts)) or any(map(TOOLBAR_SCRIPTS.search, scripts))


def page_findings(
    rendered: list[RenderedPage],
    rule: Rule,
    problem_of: Callable[[RenderedPage], dict | None],
    message: str,
) -> list[Finding]:
    """One finding for ``rule`` listing every page where ``problem_of(page)`` finds one."""
    affected = [{"url": page.url, **problem} for page in rendered if (problem := problem_of(page))]
    if not affected:
        return []
    return [
        rule.finding(
            affected[0]["url"],
            f"{message}：{len(affected)} 个页面",
            detail={"page_count": len(affected), "affected": affected[:MAX_PAGES_LISTED]},
        )
    ]


def popup_of(page: RenderedPage) -> dict | None:
    """The largest layer that covers the page or floats over it, if any."""
    layers = [
        layer
        for layer in page.layers
        if layer.share >= COVERING_SHARE
        or (layer.floats and layer.share >= FLOATING_SHARE and not layer.full_width)
    ]
    if not layers:
        return None
    layer = max(layers, key=lambda layer: layer.share)
    kind = "covering" if layer.share >= COVERING_SHARE else "floating"
    return {
        "kind": kind,
        "share": round(layer.share, 3),
        "target": layer.selector,
        "html": layer.html,
        "shot": layer.shot,
    }


def reflow_of(page: RenderedPage) -> dict | None:
    reflow = page.reflow
    if reflow is None or reflow.scroll_width <= reflow.width + 1:
        return None
    culprit = reflow.culprit
    return {
        "width": reflow.width,
        "scroll_width": reflow.scroll_width,
        "target": culprit.selector if culprit else None,
        "html": culprit.html if culprit else None,
        "shot": culprit.shot if culprit else None,
    }


def small_text_of(page: RenderedPage, min_px: float) -> dict | None:
    """The page's body size is the size most of its characters are set in."""
    sizes = page.text_sizes
    if not sizes:
        return None
    body_px = max(sizes, key=lambda px: (sizes[px], px))
    if body_px >= min_px:
        return None
    small = sum(chars for px, chars in sizes.items() if px < min_px)
    return {
        "body_px": body_px,
        "min_px": min_px,
        "small_share": round(small / sum(sizes.values()), 3),
    }


FAMILY = Family(
    name="eldercare",
    rules=(ENTRANCE_MISSING, POPUP, REFLOW, SMALL_TEXT),
    judge=judge,
    settings=EldercareSettings,
    needs=Needs(browser=pages_to_render),  # the pages axe-core tests
    figures=(Figure("eldercare", "适老化"),),
    points=Deduction(points=2, cap=6),
)
