"""One count everywhere, and ``govscan report`` rebuilding every output of a scan.

A real scan of a loopback portal seeded with the dead links that once made the terminal,
the report and the bulletin disagree: a dead link several pages link to, a waived one, two
soft 404s and a link into an intranet; and a zombie account of another unit.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import lxml.html
import pytest
import yaml
from openpyxl import load_workbook
from servers import SOFT_NOT_FOUND_PAGE, Route, http_site, page

from govscan.reports.notify import robot_message

SITE_NAME, UNIT = "苍山州人民政府门户网站", "苍山州人民政府办公室"
ACCOUNT_UNIT = "苍山州交通运输局"
HOST = "www.csz.gov.cn"
EXPORTS = (
    "findings.csv",
    "汇总.xlsx",
    f"xlsx/{UNIT}-整改清单.xlsx",
    f"xlsx/{ACCOUNT_UNIT}-整改清单.xlsx",
)


def links(*pairs: tuple[str, str]) -> str:
    return "".join(f"<a href='{url}'>{anchor}</a>" for url, anchor in pairs)


def zombie_feed() -> str:
    """An RSS feed whose newest post is 30 days old."""
    published = format_datetime(datetime.now(UTC) - timedelta(days=30))
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>苍山交通</title>"
        f"<item><title>通告</title><link>/posts/1.html</link><pubDate>{published}</pubDate>"
        "</item></channel></rss>"
    )


ROUTES = {
    "/": page(
        "首页",
        links(
            ("/gone.html", "旧页面"),
            ("/a.html", "要闻"),
            ("/b.html", "通知"),
            ("/retired.html", "已撤销的栏目"),
            ("/moved.html", "原信息公开目录"),
            ("/old/list.html", "旧栏目"),
            ("http://10.12.0.8/oa/login.jsp", "内部办公系统"),
        ),
    ),
    "/a.html": page("要闻", links(("/gone.html", "旧页面"))),
    "/b.html": page("通知", links(("/gone.html", "旧页面"))),
    "/moved.html": Route(body=SOFT_NOT_FOUND_PAGE),
    "/old/list.html": Route(body=SOFT_NOT_FOUND_PAGE),
    "/zombie.xml": Route(body=zombie_feed(), content_type="application/rss+xml"),
}
#: Dead links as an inspector counts them: /gone.html once, however many pages link to it,
#: and both soft 404s; the waived /retired.html and the intranet link are no dead links.
DEAD_LINKS = 3


def inventory(path: Path, port: int) -> Path:
    base = f"http://{HOST}:{port}/"
    site = {
        "id": "csz",
        "name": SITE_NAME,
        "url": base,
        "unit": UNIT,
        "waivers": [{"rule": "links.broken", "url": base + "retired.html", "reason": "栏目已撤销"}],
    }
    account = {
        "id": "csz-jt",
        "platform": "wechat",
        "name": "苍山交通",
        "unit": ACCOUNT_UNIT,
        "archives": [{"type": "feed", "url": f"http://127.0.0.1:{port}/zombie.xml"}],
    }
    document = {"sites": [site], "accounts": [account]}
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def govscan(*args: str, db_url: str) -> subprocess.CompletedProcess:
    """The command as an office runs it, on a wide terminal."""
    env = {**os.environ, "GOVSCAN_DB": db_url, "COLUMNS": "300"}
    return subprocess.run(
        [sys.executable, "-m", "govscan.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@dataclass
class Outputs:
    terminal: str  # what the scan printed
    scanned: Path  # the scan's output folder
    rebuilt: Path  # what ``govscan report`` wrote into a fresh folder
    report_code: int


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    folder = tmp_path_factory.mktemp("outputs")
    db_url = f"sqlite:///{folder / 'govscan.db'}"
    with http_site(ROUTES) as site:
        config = str(inventory(folder / "sites.yaml", site.port))
        scan = govscan(
            *("scan", "--config", config, "--checks", "links", "--out", str(folder / "scan")),
            *("--resolve", f"{HOST}:127.0.0.1"),
            db_url=db_url,
        )
    assert scan.returncode == 0, scan.stderr
    report = govscan("report", "--config", config, "--out", str(folder / "rebuilt"), db_url=db_url)
    return Outputs(scan.stderr, folder / "scan", folder / "rebuilt", report.returncode)


def terminal_row(terminal: str, name: str) -> dict[str, str]:
    """The summary's figures of ``name`` (the line under its headline), by title."""
    lines = terminal.splitlines()
    at = next(n for n, line in enumerate(lines) if line.startswith(f"{name}  "))
    pairs = [pair.strip() for pair in lines[at + 1].split("  ") if pair.strip()]
    return dict(pair.rsplit(" ", 1) for pair in pairs)


def report_row(path: Path) -> dict[str, str]:
    """report.html's overview row of the site, by column title."""
    table = lxml.html.parse(str(path)).getroot().xpath("//h2[.='总体情况']/following::table[1]")[0]
    header, row = table.xpath(".//tr")[:2]
    cells = [td.text_content().strip() for td in row.xpath("td")]
    return dict(zip(header.xpath("th/text()"), cells, strict=True))


def read_json(folder: Path) -> dict:
    return json.loads((folder / "findings.json").read_text(encoding="utf-8"))


def test_every_output_counts_the_same_dead_links(outputs):
    result = read_json(outputs.scanned)
    [site] = result["sites"]
    assert {f["rule"] for f in site["findings"]} == {
        "links.broken",
        "links.soft404",
        "links.intranet",
    }
    assert site["figures"]["dead_links"] == DEAD_LINKS
    assert site["figures"]["intranet_links"] == 1
    assert site["figures"]["identity"] is None  # not checked: no count, rather than 0
    for row, not_checked in (
        (terminal_row(outputs.terminal, SITE_NAME), "未检"),
        (report_row(outputs.scanned / "report.html"), "—"),
    ):
        counts = (row["不可用链接"], row["内网链接"], row["标识"])
        assert counts == (str(DEAD_LINKS), "1", not_checked)
    bulletin = (outputs.scanned / "bulletin.html").read_text(encoding="utf-8")
    assert re.search(r"不可用链接<b>(\d+)</b>", bulletin)[1] == str(DEAD_LINKS)
    robot = robot_message(result, "wecom")["markdown"]["content"]
    assert f"不可用链接 {DEAD_LINKS} 个" in robot


def test_the_summary_counts_the_problems_the_unit_must_fix(outputs):
    """汇总.xlsx counts what the unit's 整改清单 lists: the waived finding in neither."""
    summary = list(load_workbook(outputs.scanned / "汇总.xlsx").active.iter_rows(values_only=True))
    listed = load_workbook(outputs.scanned / EXPORTS[2]).active.max_row - 2  # title, header
    [row] = [row for row in summary[2:] if row[2] == SITE_NAME]
    assert row[1] == UNIT
    assert row[7] == listed == DEAD_LINKS + 1  # and the intranet link
    assert "已豁免 1 项" in (outputs.scanned / "report.html").read_text(encoding="utf-8")


def rows(path: Path) -> list[tuple]:
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as file:
            return [tuple(line) for line in csv.reader(file)]
    return list(load_workbook(path).active.iter_rows(values_only=True))


def test_report_rebuilds_every_output_of_the_scan(outputs):
    assert outputs.report_code == 0
    written = {p.relative_to(outputs.rebuilt).as_posix() for p in outputs.rebuilt.rglob("*.*")}
    logs = {"logs/csz.log", "logs/accounts.log"}  # from the store, wherever the crawl ran
    [kept] = [name for name in written if name.startswith("bulletin-")]  # the dated copy
    history = {"index.html", "bulletins.json", kept}
    assert written == {"findings.json", "report.html", "bulletin.html", *EXPORTS, *logs, *history}
    scanned = {p.relative_to(outputs.scanned).as_posix() for p in outputs.scanned.rglob("*.*")}
    assert scanned == written
    for name in logs:
        assert (outputs.rebuilt / name).read_bytes() == (outputs.scanned / name).read_bytes()
    for name in EXPORTS:
        assert rows(outputs.rebuilt / name) == rows(outputs.scanned / name), name
    assert read_json(outputs.rebuilt) == read_json(outputs.scanned)
    for name in ("report.html", "bulletin.html"):
        assert (outputs.rebuilt / name).read_text(encoding="utf-8") == (
            outputs.scanned / name
        ).read_text(encoding="utf-8")
