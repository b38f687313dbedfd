"""Incremental scans: a site scanned again asks with conditional requests whether its pages
changed, reuses the unchanged ones and the links that were fine, and judges it exactly as a
full scan would; ``--full`` and the inventory's ``incremental`` settings scan in full."""

from __future__ import annotations

import textwrap
from contextlib import contextmanager

import pytest
from servers import Route, http_site, page

from govscan.store.db import connect
from govscan.store.snapshot import load_view
from govscan.store.view import RunView

#: The families that judge what the crawl stored (not in a browser, nor over IPv6).
CHECKS = ("--checks", "links,columns,identity,disclosure,content,interpretation,services")
PAGES = ("/", "/a.html", "/b.html", "/c.html")
TYPO = "各单位要认真布署本年度工作。"  # 布署 for 部署: content.typo


def home(external) -> str:
    links = [
        "<a href='/a.html'>通知公告</a>",
        "<a href='/b.html'>政策文件</a>",
        "<a href='/c.html'>政务要闻</a>",
        "<a href='/missing.html'>已删除的文章</a>",
        f"<a href='{external.url_for('/ok.html')}'>友情链接</a>",
        f"<a href='{external.url_for('/gone.html')}'>失效的外部链接</a>",
        "<img src='/logo.png' alt='标志'>",
    ]
    return page("苍山州人民政府", "".join(links))


@contextmanager
def portal(**routes):
    """A site that answers conditional requests as nginx does, linking to another host's
    working page and dead page, to an asset of its own and to a deleted page."""
    with http_site({"/ok.html": page("友站")}) as external:
        pages = {
            "/": home(external),
            "/a.html": page("关于做好年度工作的通知", f"<p>{TYPO}</p><a href='/'>首页</a>"),
            "/b.html": page("政策文件", "<p>此件公开发布</p><a href='/c.html'>要闻</a>"),
            "/c.html": page("政务要闻", "<p>全州召开工作会议。</p>"),
            "/logo.png": Route(body=b"\x89PNG", content_type="image/png"),
        }
        with http_site(pages | routes, conditional=True) as site:
            yield site, external


def problems(output) -> set[tuple[str, str]]:
    return {(finding["rule"], finding["url"]) for finding in output.findings()}


def incremental(output) -> dict:
    return output.site["metrics"]["incremental"]


def test_an_unchanged_site_is_revalidated_and_judged_exactly_as_before(scan):
    with portal() as (site, external):
        first = scan(site.url, *CHECKS)
        downloads = site.answered(200)
        second = scan(site.url, *CHECKS)
        assert site.answered(200) == downloads  # not one page downloaded again
    assert first.code == second.code == 0
    assert downloads == len(PAGES)
    assert all(site.answered(304, path) == 1 for path in PAGES)
    # the same problems, a dead internal and external link and a page's typo among them
    assert problems(second) == problems(first)
    assert {
        ("links.broken", site.url_for("/missing.html")),
        ("links.broken", external.url_for("/gone.html")),
        ("content.typo", site.url_for("/a.html")),
    } <= problems(first)
    # the dead links and the site's own image are asked again; the working external link not
    assert site.count("GET", "/missing.html") == 2
    assert external.count("HEAD", "/gone.html") == 2
    assert external.count("HEAD", "/ok.html") == 1
    assert site.count("HEAD", "/logo.png") == 2
    # the reused pages carry what a download gives the checks
    assert stored(second.view) == stored(first.view)
    assert incremental(first)["baseline"] is None
    assert incremental(second) | {"reader": None} == {
        "reader": None,
        "full": False,
        "baseline": first.site["run_id"],
        "link_ttl_days": 7,
        "pages_downloaded": 0,
        "pages_revalidated": len(PAGES),
        "links_reused": 1,  # the working external link
    }
    report = (second.out / "report.html").read_text(encoding="utf-8")
    assert "复用未变页面 4 个（条件请求 304）" in report


def stored(view: RunView) -> tuple:
    """What the checks read of a run's crawl: pages (facts and kept HTML too), their text,
    the links and the fetches' outcomes; but the not-found probe, at a random address."""
    links = view.links_to(view.link_targets)
    return (
        sorted((p for p in view.pages if p.role != "notfound_probe"), key=lambda p: p.url),
        {url: text for url, text in view.texts() if "govscan-notfound-" not in url},
        {target: set(found) for target, found in links.items()},
        {
            (f.url, f.method, f.status, f.error_kind, f.final_url)
            for f in view.fetches
            if "govscan-notfound-" not in f.url
        },
    )


def test_a_changed_page_is_downloaded_and_judged_anew(scan):
    with portal() as (site, _external):
        first = scan(site.url, "--checks", "links,content")
        fixed = page(
            "关于做好年度工作的通知", "<p>各单位要认真部署。</p><a href='/new.html'>新</a>"
        )
        site.server.routes["/a.html"] = Route(body=fixed)
        second = scan(site.url, "--checks", "links,content")
    assert site.answered(200, "/a.html") == 2
    assert site.answered(304, "/a.html") == 0
    assert site.answered(304, "/b.html") == 1
    assert ("content.typo", site.url_for("/a.html")) in problems(first)
    assert ("content.typo", site.url_for("/a.html")) not in problems(second)
    # the link the new version adds is followed and found dead
    assert ("links.broken", site.url_for("/new.html")) in problems(second)
    assert incremental(second)["pages_revalidated"] == len(PAGES) - 1
    assert incremental(second)["pages_downloaded"] == 1


def test_full_downloads_and_checks_everything(scan):
    with portal() as (site, external):
        first = scan(site.url, "--checks", "links,content")
        full = scan(site.url, "--checks", "links,content", "--full")
    assert site.answered(304) == 0
    assert all(site.answered(200, path) == 2 for path in PAGES)
    assert external.count("HEAD", "/ok.html") == 2
    assert site.count("HEAD", "/logo.png") == 2
    assert problems(full) == problems(first)
    assert incremental(full)["full"] is True
    assert incremental(full)["baseline"] is None
    assert incremental(full)["pages_downloaded"] == len(PAGES)


def test_pages_without_validators_or_with_their_text_cut_are_downloaded(scan):
    long_page = page("长页面", "<p>" + "政" * 210_000 + "</p>")
    with (
        http_site({"/": page("首页", "<a href='/a.html'>A</a>"), "/a.html": page("A")}) as plain,
        portal(**{"/c.html": long_page}) as (site, _external),
    ):
        scan(plain.url, "--checks", "links")
        second = scan(plain.url, "--checks", "links")
        scan(site.url, "--checks", "links")
        scan(site.url, "--checks", "links")
    assert plain.answered(200, "/a.html") == 2
    assert incremental(second)["pages_revalidated"] == 0
    assert site.answered(200, "/c.html") == 2  # the earlier run kept only its start
    assert site.answered(304, "/a.html") == 1


@pytest.mark.parametrize(
    ("incremental_settings", "requests_again"), [("{link_ttl_days: 0}", 2), ("{enabled: false}", 2)]
)
def test_the_inventory_sets_the_ttl_or_always_scans_in_full(
    scan, tmp_path, incremental_settings, requests_again
):
    with portal() as (site, external):
        inventory = tmp_path / "sites.yaml"
        inventory.write_text(
            textwrap.dedent(
                f"""\
                settings:
                  incremental: {incremental_settings}
                sites:
                  - {{id: csz, name: 苍山州人民政府, url: "{site.url}", unit: 苍山州人民政府办公室}}
                """
            ),
            encoding="utf-8",
        )
        scan("--config", str(inventory), "--checks", "links")
        second = scan("--config", str(inventory), "--checks", "links")
    assert external.count("HEAD", "/ok.html") == requests_again
    assert incremental(second)["links_reused"] == 0
    enabled = "enabled" not in incremental_settings
    assert site.answered(304, "/a.html") == (1 if enabled else 0)


def test_an_incremental_scan_on_postgresql(postgres_url, scan, monkeypatch):
    monkeypatch.setenv("GOVSCAN_DB", postgres_url)
    with portal() as (site, _external):
        first = scan(site.url, "--checks", "links,content")
        second = scan(site.url, "--checks", "links,content")
    assert all(site.answered(304, path) == 1 for path in PAGES)
    assert problems(second) == problems(first)
    engine = connect(postgres_url)
    views = [load_view(engine, output.site["run_id"]) for output in (first, second)]
    assert stored(views[1]) == stored(views[0])
