"""The terminal's progress: each site's line names what its scan is doing, phase after
phase, and the accounts' line says their archives are being read."""

from __future__ import annotations

import re

import pytest
import yaml
from rich.text import Text
from servers import http_site, page

from govscan import cli
from govscan.cli import main
from govscan.probes.browser import BrowserMissing, find_chromium

SITE_NAME = "苍山州人民政府"
PHASE = re.compile(rf"^{SITE_NAME}  \[(.+?)\]  已抓取页面 (\d+)", re.MULTILINE)
FEED = (
    "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>苍山发布</title>"
    "<link>https://mp.weixin.qq.com/</link></channel></rss>"
)


class Frames:
    """Stands for rich's Live: keeps every frame the scan hands the terminal, as drawn."""

    def __init__(self) -> None:
        self.drawn: list[str] = []

    def __enter__(self) -> Frames:
        return self

    def __exit__(self, *_exc) -> None:
        return None

    def update(self, renderable: str) -> None:
        self.drawn.append(Text.from_markup(renderable).plain)

    def stop(self) -> None:
        return None


def phases_shown(frames: list[str]) -> list[str]:
    """The phases the site's line named, each change once, in the order drawn."""
    named = [found[1] for frame in frames for found in PHASE.finditer(frame)]
    return [name for index, name in enumerate(named) if index == 0 or named[index - 1] != name]


def test_the_site_line_names_each_phase_in_order(tmp_path, db_url, monkeypatch):
    try:
        find_chromium()
    except BrowserMissing:
        pytest.skip("Chromium is not installed")
    frames = Frames()
    monkeypatch.setattr(cli, "progress", lambda shown: frames)
    home = page(SITE_NAME, "<a href='/a.html'>通知公告</a><img src='/logo.png'>")
    routes = {"/": home, "/a.html": page("通知", "<p>正文</p>"), "/feed.xml": FEED}
    with http_site(routes) as site:
        sites = [{"id": "csz", "name": SITE_NAME, "url": site.url, "unit": "苍山州政府办公室"}]
        feed = [{"type": "feed", "url": site.url_for("/feed.xml")}]
        accounts = [{"id": "fb", "platform": "wechat", "name": "苍山发布", "archives": feed}]
        accounts[0]["unit"] = "苍山州政府办公室"
        config = tmp_path / "sites.yaml"
        document = {"sites": sites, "accounts": accounts}
        config.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        checks = "links,ipv6,security,a11y,newmedia"
        command = ["scan", "--config", str(config), "--checks", checks, "--out"]
        assert main([*command, str(tmp_path / "out")]) == 0
    assert phases_shown(frames.drawn) == [
        "抓取",
        "等待检查",
        "评判",
        "IPv6 检测",
        "HTTPS 检测",
        "浏览器检查",
        "评判",
    ]
    lines = [(found[1], int(found[2])) for frame in frames.drawn for found in PHASE.finditer(frame)]
    crawled = [pages for phase, pages in lines if phase == "抓取"]
    assert crawled[-1] >= 2 and lines[-1][1] == crawled[-1]  # the crawl's count stays shown
    assert any("[新媒体账号]  正在读取 1 个账号的归档" in frame for frame in frames.drawn)
