"""The a11y family from rendered pages: one finding per axe rule, pages that could not be
tested, the summary; and which pages the browser opens, from the crawl's facts."""

from __future__ import annotations

from views import home, page, url, view

from govscan.checks.a11y import judge, pages_to_render, summary
from govscan.checks.family import NoSettings
from govscan.store.view import AxeExample, AxeResult, AxeViolation, RenderedPage


def violation(rule: str, impact: str, nodes: int = 1) -> AxeViolation:
    example = AxeExample(target="img", html="<img src='a.png'>")
    return AxeViolation(rule, impact, "图像必须有替代文本", "说明", ("wcag111",), nodes, (example,))


def rendered(path: str, *violations: AxeViolation, role: str = "article") -> RenderedPage:
    axe = AxeResult("4.10", violations, ("document-title",))
    return RenderedPage(url(path), role, layout="L1", status=200, axe=axe)


def test_one_finding_per_rule_lists_its_pages_and_takes_the_worst_impact():
    pages = (
        rendered("/", violation("image-alt", "serious"), role="home"),
        rendered("/a.html", violation("image-alt", "critical", nodes=2)),
        rendered("/b.html", violation("region", "moderate")),
        RenderedPage(url("/slow.html"), "article", error="页面无法打开"),
    )
    found = {f.rule: f for f in judge(view(rendered=pages), NoSettings())}
    assert {rule: f.severity for rule, f in found.items()} == {
        "a11y.image-alt": "deduction",
        "a11y.region": "warning",
    }
    alt = found["a11y.image-alt"].detail
    assert (alt["impact"], alt["nodes"], alt["wcag"]) == ("critical", 3, ["1.1.1"])
    assert [page["url"] for page in alt["affected"]] == [url("/"), url("/a.html")]
    assert alt["affected"][0]["target"] == "img"


def test_the_summary_counts_pages_and_says_when_none_could_be_tested():
    pages = [rendered("/", violation("image-alt", "critical")), rendered("/a.html")]
    metrics = summary(pages, layouts_found=3)
    assert (metrics["pages_tested"], metrics["pages_failing"]) == (2, 1)
    assert metrics["violations"]["critical"] == 1 and metrics["layouts_tested"] == 1
    failed = [RenderedPage(url("/"), "home", error="页面返回 HTTP 500")]
    assert summary(failed, 1)["not_run"] == "浏览器未能检测任何页面：页面返回 HTTP 500"


def test_the_browser_opens_the_homepage_its_navigation_and_a_sample_of_articles():
    navigation = "<nav><a href='/xwdt/'>要闻动态</a><a href='/hdjl/'>互动交流</a></nav>"
    featured = "<a href='/xwdt/3.html'><img src='/p.jpg' alt='图片新闻'></a>"
    articles = [
        page(f"/xwdt/{n}.html", depth=2, layout="article", date_text="2026-11-01")
        for n in range(1, 6)
    ]
    run = view(
        [
            home(f"<html><body>{navigation}{featured}</body></html>", layout="home"),
            page("/xwdt/", "<ul><li>要闻</li></ul>", layout="list"),
            page("/hdjl/", layout="list"),
            *articles,
        ],
        sample_pages=2,
    )
    chosen = pages_to_render(run)
    assert [(c.url, c.role) for c in chosen[:3]] == [
        (url("/"), "home"),
        (url("/xwdt/"), "nav"),
        (url("/hdjl/"), "nav"),
    ]
    assert chosen[3].role == "layout" and chosen[3].layout == "article"
    assert len(chosen) == 1 + 1 + 2  # the homepage, its column, and sample_pages more
    assert pages_to_render(run) == chosen
