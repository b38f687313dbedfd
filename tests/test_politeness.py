"""A crawl that eases off: an overloaded server (503 with Retry-After) is waited for and gets
fewer requests, robots.txt's Crawl-delay is kept, and the report says the crawl was slowed."""

from __future__ import annotations

from itertools import pairwise

from servers import Route, http_site, page

PAGES = 6
BUSY_PAGES = 3  # each 503 doubles the delay: 1, 2, 4 s


def article(n: int) -> str:
    return page(f"文章{n}", "正文")


def home() -> str:
    return page("首页", "".join(f"<a href='/p{n}.html'>文章{n}</a>" for n in range(PAGES)))


def starts(site) -> list[float]:
    """When each request to the site began, in order."""
    return sorted(start for start, _ in site.server.spans)


def test_an_overloaded_server_is_waited_for_slowed_down_and_reported(scan):
    busy = Route(status=503, headers={"Retry-After": "1"}, body="服务器繁忙")
    routes = {"/": home(), **{f"/p{n}.html": article(n) for n in range(PAGES)}}
    routes.update(
        {
            f"/p{n}.html": Route(**vars(busy) | {"then": Route(body=article(n))})
            for n in range(BUSY_PAGES)
        }
    )
    with http_site(routes) as site:
        output = scan(site.url, "--checks", "links", "--concurrency", "2")
    assert output.code == 0
    assert not output.findings("links.broken")  # every page answered once it was waited for
    slowed = output.site["metrics"]["politeness"]["slowed"][site.address]
    assert slowed["503"] == BUSY_PAGES
    assert slowed["delay"] >= 1.0  # the delay between requests went up
    html = (output.out / "report.html").read_text(encoding="utf-8")
    assert f"{site.address}（返回 503 共 {BUSY_PAGES} 次" in html


def test_robots_crawl_delay_spaces_the_requests(scan):
    routes = {
        "/": home(),
        "/robots.txt": Route(body="User-agent: *\nCrawl-delay: 1\n", content_type="text/plain"),
    }
    routes.update({f"/p{n}.html": article(n) for n in range(PAGES)})
    with http_site(routes) as site:
        output = scan(site.url, "--checks", "links", "--obey-robots")
    assert output.code == 0
    began = starts(site)[1:]  # once robots.txt has been read
    gaps = [later - earlier for earlier, later in pairwise(began)]
    assert min(gaps) >= 0.9
    assert output.site["metrics"]["politeness"]["slowed"][site.address]["crawl_delay"] == 1.0


def test_a_fast_healthy_site_is_not_slowed(scan):
    routes = {"/": home(), **{f"/p{n}.html": article(n) for n in range(PAGES)}}
    with http_site(routes) as site:
        output = scan(site.url, "--checks", "links")
    assert "politeness" not in output.site["metrics"]
