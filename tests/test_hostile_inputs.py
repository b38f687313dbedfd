"""Hostile inputs: feeds, inventories and registers made to hurt, and a scan killed mid-crawl.

Every command runs as users run it, in its own process, and must end within a bound, with its
process tree under 600 MB and no traceback in its output or logs. A feed that cannot be read is
its own account's ``archive_unreachable`` while the healthy account of the same run is judged;
a bad inventory or register is a Chinese message naming the file, and exit status 2.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import BinaryIO

import psutil
import pytest
import yaml
from alembic import command
from alembic.config import Config
from openpyxl import Workbook
from servers import Route, http_site, page

from govscan.reports import findings_json
from govscan.store.db import MIGRATIONS, connect, open_engine
from govscan.store.runs import RunData, get_run

MEMORY_LIMIT = 600 * 1024 * 1024


@dataclass
class Outcome:
    """How one ``govscan`` command ended."""

    code: int
    output: str  # stdout and stderr, interleaved
    seconds: float
    peak_bytes: int  # the largest resident size of its process tree, as sampled


def tree_bytes(root: psutil.Process) -> int:
    """Resident memory of a process and all its descendants."""
    total = 0
    for process in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += process.memory_info().rss
    return total


def kill_tree(root: psutil.Process) -> None:
    for process in [*root.children(recursive=True), root]:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()


def govscan(*args: str, db_url: str, bound: float) -> Outcome:
    """``govscan ARGS`` in its own process, its tree's memory sampled; killed after ``bound``."""
    env = {**os.environ, "GOVSCAN_DB": db_url}
    with tempfile.TemporaryFile() as output:
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "govscan.cli", *args],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        root, peak = psutil.Process(process.pid), 0
        while process.poll() is None:
            if time.monotonic() - started > bound:
                kill_tree(root)
                process.wait()
                pytest.fail(f"govscan {' '.join(args)} was still running after {bound} s")
            with contextlib.suppress(psutil.NoSuchProcess):
                peak = max(peak, tree_bytes(root))
            time.sleep(0.05)
        seconds = time.monotonic() - started
        output.seek(0)
        text = output.read().decode("utf-8", errors="replace")
    return Outcome(process.returncode, text, seconds, peak)


def assert_well_behaved(outcome: Outcome, bound: float, *logs: Path) -> None:
    """Within the bound, under the memory limit, and no traceback anywhere."""
    assert outcome.seconds < bound
    assert outcome.peak_bytes < MEMORY_LIMIT, f"{outcome.peak_bytes / 2**20:.0f} MB"
    for text in [outcome.output, *(log.read_text(encoding="utf-8") for log in logs)]:
        assert "Traceback" not in text, text[-3000:]


# --- Feeds: every one read in the same account run, beside a healthy one --------------------

DAY = format_datetime(datetime.now(UTC) - timedelta(days=1))
DEEP = 50_000


def rss(description: str = "", doctype: str = "", title: str = "苍山发布") -> bytes:
    """A valid RSS 2.0 feed of 苍山发布 with one post, published yesterday."""
    return (
        f"<?xml version='1.0' encoding='utf-8'?>{doctype}<rss version='2.0'><channel>"
        f"<title>{title}</title><item><title>防汛工作会议召开</title><link>/posts/1.html</link>"
        f"<description>{description}</description><pubDate>{DAY}</pubDate></item>"
        "</channel></rss>"
    ).encode()


def nested(depth: int) -> str:
    return "<div>" * depth + "</div>" * depth


LAUGHS = "".join(f"<!ENTITY lol{n} '{f'&lol{n - 1};' * 10}'>" for n in range(1, 10))
BILLION_LAUGHS = f"<!DOCTYPE rss [<!ENTITY lol0 'lol'>{LAUGHS}]>"
JSON_FEED = b'{"version": "https://jsonfeed.org/version/1.1", "items": [], "extra": '


@dataclass
class HostileFeed:
    """An archive as served, and what its account must come to."""

    route: Route
    verdict: str  # 合格 when the feed is read, 未完成 when the account cannot be judged
    says: str = ""  # in the archive_unreachable finding
    source: dict | None = None  # the archive source, default a feed at the route


FEEDS = {
    "healthy": HostileFeed(Route(body=rss()), "合格"),
    "endless": HostileFeed(
        Route(body=b"<item><title>x</title></item>" * 2048, repeat=0),
        "未完成",
        "归档内容超过 32 MB 的下载上限",
    ),
    "deep-json": HostileFeed(
        Route(body=JSON_FEED + b"[" * DEEP + b"]" * DEEP + b"}"), "未完成", "嵌套层数过深"
    ),
    "deep-exporter": HostileFeed(
        Route(body=b'{"publish_list": ' + b"[" * DEEP + b"]" * DEEP + b"}"),
        "未完成",
        "导出文件的 JSON 嵌套层数过深",
        {"type": "exporter_json"},
    ),
    "deep-xml": HostileFeed(Route(body=rss(nested(DEEP))), "未完成", "嵌套层数过深或实体展开过多"),
    "nested-xml": HostileFeed(Route(body=rss(nested(1000))), "合格"),
    "huge-text": HostileFeed(Route(body=rss("长" * 4_000_000)), "合格"),  # 12 MB
    "laughs": HostileFeed(
        Route(body=rss("&lol9;", doctype=BILLION_LAUGHS)), "未完成", "嵌套层数过深或实体展开过多"
    ),
    "html": HostileFeed(
        Route(body="<!DOCTYPE html><html><head><title>苍山发布</title></head></html>"),
        "未完成",
        "归档内容是 HTML 网页",
    ),
    "wrong-encoding": HostileFeed(
        Route(body=rss().decode().encode("gbk")), "未完成", "字符编码与它声明的不一致"
    ),
    "redirect-loop": HostileFeed(
        Route(status=302, location="/redirect-loop"), "未完成", "可能是循环重定向"
    ),
    "odd-charset": HostileFeed(
        Route(
            body="<meta charset='punycode'><ul><li><a href='/1'>tongzhi</a> 2025-01-01</li></ul>"
        ),
        "未完成",
        "读取归档时出错（UnicodeError）",
        {"type": "html_list", "item": "li", "date": r"\d{4}-\d\d-\d\d"},
    ),
}
FEEDS_BOUND = 60  # seconds; the run takes some ten


def feed_account(key: str, url: str) -> dict:
    source = {"type": "feed", **(FEEDS[key].source or {}), "url": url}
    return {
        "id": key,
        "platform": "wechat",
        "name": "苍山发布",
        "unit": "苍山州",
        "archives": [source],
    }


@pytest.fixture(scope="module")
def feeds(tmp_path_factory) -> tuple[Outcome, dict[str, dict], Path]:
    """One ``govscan accounts`` run over every feed: how it ended, each account's result by
    id, and its crawl log."""
    folder = tmp_path_factory.mktemp("feeds")
    with http_site({f"/{key}": feed.route for key, feed in FEEDS.items()}) as site:
        accounts = [feed_account(key, site.url_for(key)) for key in FEEDS]
        inventory = folder / "accounts.yaml"
        inventory.write_text(yaml.safe_dump({"accounts": accounts}, allow_unicode=True), "utf-8")
        command = ["accounts", "--config", str(inventory), "--out", str(folder / "out")]
        outcome = govscan(*command, db_url=f"sqlite:///{folder / 'govscan.db'}", bound=FEEDS_BOUND)
    result = json.loads((folder / "out" / "findings.json").read_text(encoding="utf-8"))
    accounts = {account["id"]: account for account in result["accounts"]}
    return outcome, accounts, folder / "out" / "logs" / "accounts.log"


def test_hostile_feeds_cost_no_other_account_its_verdict(feeds):
    outcome, accounts, log = feeds
    assert_well_behaved(outcome, FEEDS_BOUND, log)
    # the run completed; the accounts whose archive failed are 未完成, so the command says 1
    assert outcome.code == 1
    assert "Traceback" not in outcome.output
    assert accounts["healthy"]["verdict"] == "合格" and accounts["healthy"]["findings"] == []


@pytest.mark.parametrize("key", [key for key in FEEDS if key != "healthy"])
def test_each_hostile_feed_is_its_own_accounts_problem(feeds, key):
    account, expected = feeds[1][key], FEEDS[key]
    assert account["verdict"] == expected.verdict
    if expected.verdict == "合格":  # read: its post of yesterday keeps it fresh
        assert account["findings"] == [] and account["posts"] == 1
    else:
        [finding] = account["findings"]
        assert finding["rule"] == "newmedia.archive_unreachable"
        assert expected.says in finding["message"]


# --- Input files: an inventory or a register is refused within seconds, with exit status 2 -----

INPUT_BOUND = 20  # seconds; starting govscan takes two
LOLS = "\n".join(
    f"lol{n}: &lol{n} [{', '.join([f'*lol{n - 1}'] * 9)}]" for n in range(1, 10)
)  # each level nine times the one before: a billion "lol" if expanded


def refused(config: Path, tmp_path: Path) -> Outcome:
    """``govscan accounts --config CONFIG``, which must refuse it with exit status 2 and leave
    the database untouched."""
    database = tmp_path / "govscan.db"
    outcome = govscan(
        "accounts",
        "--config",
        str(config),
        "--out",
        str(tmp_path / "out"),
        db_url=f"sqlite:///{database}",
        bound=INPUT_BOUND,
    )
    assert_well_behaved(outcome, INPUT_BOUND)
    assert outcome.code == 2, outcome.output
    assert outcome.output.startswith(f"错误：{config}")
    assert not database.exists()
    return outcome


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("accounts:\n  - " + "[" * 100_000 + "]" * 100_000 + "\n", ":2: 嵌套超过 100 层"),
        (
            "accounts:\n" + "".join(f"{'  ' * n}-\n" for n in range(1, 2000)),
            ":101: 嵌套超过 100 层",
        ),
        (f"lol0: &lol0 [lol]\n{LOLS}\naccounts: *lol9\n", ":9: accounts.0: 应为键值对"),
        ("accounts: &self\n  - *self\n", ":1: accounts.0: 应为键值对"),
        ("settings:\n  timezone: 2024-02-30\n", ":2: YAML 语法错误：无法读取此处的值"),
    ],
    ids=["100000-levels", "2000-levels-indented", "billion-laughs", "self-reference", "no-date"],
)
def test_a_hostile_inventory_is_refused_with_its_line(tmp_path, text, says):
    inventory = tmp_path / "sites.yaml"
    inventory.write_text(text, encoding="utf-8")
    assert f"{inventory}{says}" in refused(inventory, tmp_path).output


SHEET = "xl/worksheets/sheet1.xml"
HEADER = ("平台", "账号名称", "主办单位", "订阅地址")


def workbook(*rows: tuple[str, ...]) -> bytes:
    """A register as openpyxl saves it: the header, then ``rows``."""
    book = Workbook()
    for row in (HEADER, *rows):
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def with_sheet(data: bytes, write: Callable[[bytes, BinaryIO], None]) -> bytes:
    """The workbook with its sheet's XML rewritten: ``write(old_xml, new_file)``."""
    result = io.BytesIO()
    deflated = {"compression": zipfile.ZIP_DEFLATED, "compresslevel": 1}
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(result, "w", **deflated) as new:
        for member in old.infolist():
            if member.filename != SHEET:
                new.writestr(member, old.read(member))
                continue
            with new.open(SHEET, "w", force_zip64=True) as sheet:
                write(old.read(member), sheet)
    return result.getvalue()


def replaced(old_xml: bytes, new_xml: bytes) -> Callable[[bytes, BinaryIO], None]:
    return lambda old, sheet: sheet.write(old.replace(old_xml, new_xml, 1))


def seven_million_rows(old: bytes, sheet: BinaryIO) -> None:
    """The header, then seven million rows; deflated, the workbook is some 2 MB."""
    head, tail = old.split(b"</sheetData>")
    sheet.write(head.split(b'<row r="2"')[0])
    rows = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 10_000
    for _ in range(700):
        sheet.write(rows)
    sheet.write(b"</sheetData>" + tail)


ACCOUNT = ("微信公众号", "苍山发布", "苍山州", "http://127.0.0.1:9/feed.xml")
ZIP_MAGIC = b"PK\x03\x04"
NOT_XLSX = "不是 .xlsx 工作簿，请在 Excel 或 WPS 中打开并“另存为” .xlsx 格式后再导入"
#: What each register is made of (made when its test runs), and what the refusal says.
REGISTERS: dict[str, tuple[Callable[[], bytes], str]] = {
    "zip-bomb": (
        lambda: with_sheet(workbook(), seven_million_rows),
        "台账过大（解压后有 327 MB，上限 20 MB）",
    ),
    "declares-7-million-rows": (
        lambda: with_sheet(workbook(ACCOUNT), replaced(b'ref="A1:D2"', b'ref="A1:D7000000"')),
        "工作表声明有 7,000,000 行，超过 Excel 的 1,048,576 行上限",
    ),
    "merged-million-cells": (
        lambda: with_sheet(
            workbook(ACCOUNT),
            replaced(
                b"<pageMargins",
                b'<mergeCells><mergeCell ref="C2:XFD9999"/></mergeCells><pageMargins',
            ),
        ),
        "合并单元格的范围过大（共 163,787,236 个单元格，上限 500,000 个）",
    ),
    "a-cell-in-the-last-row": (
        lambda: with_sheet(
            workbook(ACCOUNT),
            replaced(
                b"</sheetData>", b'<row r="1048576"><c r="A1048576"><v>1</v></c></row></sheetData>'
            ),
        ),
        "表格用到了第 1048576 行，要读取的单元格过多（4,194,300 个，上限 500,000 个）",
    ),
    "21-MB-on-disk": (
        lambda: ZIP_MAGIC + bytes(21 * 2**20),
        "台账过大（文件有 21 MB，上限 20 MB）",
    ),
    "garbage": (lambda: ZIP_MAGIC + os.urandom(4096), NOT_XLSX),
    "truncated": (lambda: workbook(ACCOUNT)[:3000], NOT_XLSX),
    "broken-sheet-xml": (
        lambda: with_sheet(workbook(ACCOUNT), lambda old, sheet: sheet.write(old[: len(old) // 2])),
        NOT_XLSX,
    ),
}


@pytest.mark.parametrize("key", REGISTERS)
def test_a_hostile_register_is_refused_within_seconds(tmp_path, key):
    make, says = REGISTERS[key]
    register = tmp_path / "台账.xlsx"
    register.write_bytes(make())
    assert says in refused(register, tmp_path).output


# --- Long URLs: stored whole, on SQLite and PostgreSQL alike -----------------------------------

QUERY = "q=" + "x" * 10_000  # what real pages carry
TITLE = "苍山发布" * 80  # a feed's title, 320 characters


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, db_url, monkeypatch) -> str:
    """Each database govscan stores runs in, as GOVSCAN_DB names it."""
    url = db_url if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    monkeypatch.setenv("GOVSCAN_DB", url)
    return url


def test_long_urls_and_names_are_stored_whole(scan, database, tmp_path):
    routes = {
        "/": page("首页", f"<a href='/gone.html?{QUERY}'>旧文</a><a href='/a.html?{QUERY}'>文</a>"),
        f"/a.html?{QUERY}": page("文章", "<a href='/'>首页</a>"),
        f"/feed.xml?{QUERY}": rss(title=TITLE),
    }
    with http_site(routes) as site:
        feed = site.url_for(f"/feed.xml?{QUERY}")
        inventory = tmp_path / "sites.yaml"
        entries = {
            "sites": [{"id": "csz", "name": "苍山州", "url": site.url, "unit": "苍山州"}],
            "accounts": [feed_account("healthy", feed)],
        }
        inventory.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
        output = scan("--config", str(inventory), "--checks", "links,newmedia")
    assert output.code == 0
    gone, article = site.url_for(f"/gone.html?{QUERY}"), site.url_for(f"/a.html?{QUERY}")
    assert output.broken() == {(gone, "http_4xx")}
    data = RunData(connect(database), output.site["run_id"])
    assert article in {page.url for page in data.pages()}
    assert [link.source for link in data.links_to([gone])[gone]] == [site.url]
    [account] = output.result["accounts"]
    [mismatch] = account["findings"]
    assert (mismatch["url"], mismatch["detail"]["found"]) == (feed, TITLE)


def test_a_database_of_the_previous_schema_keeps_its_runs(db_url):
    """SQLite copies a table to change a column: the runs that reference the site survive."""
    engine = open_engine(db_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0007")
        connection.exec_driver_sql(
            "INSERT INTO sites (id, name, url, unit, profile, hosts)"
            " VALUES ('csz', '苍山州', 'http://csz.gov.cn/', '苍山州', 'portal', '[]')"
        )
        connection.exec_driver_sql(
            "INSERT INTO runs (id, site_id, started_at, status, options)"
            " VALUES (1, 'csz', '2026-11-30 02:00:00', 'completed', '{}')"
        )
    engine = connect(db_url)
    assert get_run(engine, 1).status == "completed"
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []


# --- A scan killed with SIGKILL -------------------------------------------------------------

SCAN_BOUND = 90  # seconds


def started_crawl(args: list[str], db_url: str) -> psutil.Process:
    """``govscan ARGS`` in its own process, returned once its crawl has started."""
    process = subprocess.Popen(
        [sys.executable, "-m", "govscan.cli", *args],
        env={**os.environ, "GOVSCAN_DB": db_url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    root = psutil.Process(process.pid)
    deadline = time.monotonic() + SCAN_BOUND
    while time.monotonic() < deadline:
        for child in root.children(recursive=True):
            with contextlib.suppress(psutil.NoSuchProcess):
                if "govscan.crawler.run" in child.cmdline():
                    time.sleep(1)  # the crawl is waiting for the slow page now
                    return root
        time.sleep(0.1)
    kill_tree(root)
    raise AssertionError("the scan never started its crawl")


def test_a_scan_killed_mid_crawl_leaves_the_database_and_earlier_runs(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'govscan.db'}"
    home = page("首页", "<a href='/slow.html'>慢</a><a href='/gone.html'>旧文</a>")
    routes = {"/": home, "/slow.html": Route(body=page("慢"), delay=30)}
    with http_site(routes) as site:
        scan = ["scan", site.url, "--checks", "links", "--timeout", "2", "--out"]
        first = govscan(*scan, str(tmp_path / "first"), db_url=db_url, bound=SCAN_BOUND)
        crawl = started_crawl([*scan, str(tmp_path / "killed")], db_url)
        kill_tree(crawl)  # SIGKILL to the command and its crawl
        crawl.wait(timeout=10)
        again = govscan(*scan, str(tmp_path / "again"), db_url=db_url, bound=SCAN_BOUND)
    for outcome in (first, again):
        assert_well_behaved(outcome, SCAN_BOUND)
        assert outcome.code == 0
    engine = connect(db_url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    stored = json.loads((tmp_path / "first" / "findings.json").read_text(encoding="utf-8"))
    [earlier, killed, later] = findings_json.build(engine, [1, 2, 3])["sites"]
    assert earlier["findings"] == stored["sites"][0]["findings"] != []
    assert earlier["verdict"] == stored["sites"][0]["verdict"]
    assert (killed["status"], killed["verdict"]) == ("running", "未完成")
    assert later["status"] == "completed"
    assert [f["url"] for f in later["findings"]] == [f["url"] for f in earlier["findings"]]
