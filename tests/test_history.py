"""The report folder keeps every inspection's bulletin under a dated name, and its index.html
lists them newest first beside the current bulletin, report and workbooks; ``--pdf`` prints
the bulletin to A4 in Chromium."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import lxml.html
import pytest
import yaml
from pypdf import PdfReader
from servers import http_site

from govscan.cli import main
from govscan.probes.browser import BrowserMissing, find_chromium

SITE = {"/": "<html><title>苍山州人民政府</title><a href='/gone'>失效</a></html>"}


def chromium_installed() -> bool:
    try:
        find_chromium()
    except BrowserMissing:
        return False
    return True


def write_config(path: Path, url: str) -> Path:
    site = {"id": "csz", "name": "苍山州人民政府门户网站", "url": url, "unit": "苍山州政府办"}
    path.write_text(yaml.safe_dump({"sites": [site]}, allow_unicode=True), "utf-8")
    return path


@pytest.fixture
def two_inspections(tmp_path, db_url):
    """Two scans of one site written into one folder."""
    out = tmp_path / "out"
    for _ in range(2):
        with http_site(SITE) as site:
            config = write_config(tmp_path / "sites.yaml", site.url)
            assert (
                main(["scan", "--config", str(config), "--checks", "links", "--out", str(out)]) == 0
            )
    return out, config


def kept_bulletins(out: Path) -> list[Path]:
    return sorted(out.glob("bulletin-*.html"))


def test_each_inspection_keeps_its_bulletin_and_the_index_lists_them(two_inspections):
    out, _ = two_inspections
    kept = kept_bulletins(out)
    assert len(kept) == 2
    ids = [json.loads((out / "findings.json").read_text("utf-8"))["inspection"]["id"]]
    assert all(re.fullmatch(r"bulletin-\d{4}-\d{2}-\d{2}-\d+\.html", path.name) for path in kept)
    newest = max(kept, key=lambda path: int(path.stem.rsplit("-", 1)[1]))
    assert newest.stem.endswith(f"-{ids[0]}")
    assert (out / "bulletin.html").read_bytes() == newest.read_bytes()

    index = lxml.html.parse(str(out / "index.html")).getroot()
    rows = index.cssselect("table.history tr.kept")
    assert len(rows) == 2
    listed = [row.cssselect("a")[0].get("href") for row in rows]
    assert listed[0] == newest.name  # newest first
    assert set(listed) == {path.name for path in kept}
    assert [row.cssselect("td")[1].text_content() for row in rows] == [
        f"第 {ids[0]} 次",
        f"第 {ids[0] - 1} 次",
    ]
    assert all(row.cssselect("td")[4].text_content() in ("0.0%", "100.0%") for row in rows)
    hrefs = [unquote(link.get("href")) for link in index.cssselect("a")]
    for name in ("bulletin.html", "report.html", "汇总.xlsx", "xlsx/苍山州政府办-整改清单.xlsx"):
        assert name in hrefs
    assert all((out / href).is_file() for href in hrefs)


def test_rewriting_keeps_earlier_bulletins_and_the_purposes_link_each_other(two_inspections):
    out, config = two_inspections
    before = {path.name: path.read_bytes() for path in kept_bulletins(out)}
    assert main(["report", "--config", str(config), "--out", str(out)]) == 0
    assert {path.name for path in kept_bulletins(out)} == set(before)  # the same inspection
    oldest = min(before, key=lambda name: int(name[:-5].rsplit("-", 1)[1]))
    assert (out / oldest).read_bytes() == before[oldest]

    report = lxml.html.parse(str(out / "report.html")).getroot()
    purpose = report.cssselect("p.purpose")[0]
    assert "详细技术报告" in purpose.text_content()
    assert "bulletin.html" in [link.get("href") for link in purpose.cssselect("a")]
    bulletin = lxml.html.parse(str(out / "bulletin.html")).getroot()
    purpose = bulletin.cssselect("p.purpose")[0]
    assert "检查通报" in purpose.text_content()
    assert "report.html" in [link.get("href") for link in purpose.cssselect("a")]


@pytest.mark.skipif(not chromium_installed(), reason="Chromium is not installed")
def test_report_pdf_prints_the_bulletin(two_inspections):
    out, config = two_inspections
    assert main(["report", "--config", str(config), "--out", str(out), "--pdf"]) == 0
    pages = PdfReader(out / "bulletin.pdf").pages
    assert 2 <= len(pages) <= 6  # one site with one dead link: a few A4 pages, not dozens
    for number, page in enumerate(pages, start=1):
        assert page.mediabox.width == pytest.approx(595, abs=1)  # A4: 210 mm in points
        footer = page.extract_text().splitlines()[-1]
        # the font maps 页 to its radical form (⻚) in the text layer: match the numbers
        assert re.fullmatch(rf"第 {number} \S / 共 {len(pages)} \S", footer), footer
    index = lxml.html.parse(str(out / "index.html")).getroot()
    assert "bulletin.pdf" in [link.get("href") for link in index.cssselect("a")]


def test_pdf_without_chromium_says_so_and_exits_2(two_inspections, monkeypatch, capsys):
    out, config = two_inspections
    monkeypatch.setenv("GOVSCAN_CHROMIUM", "/nonexistent/chromium")
    assert main(["report", "--config", str(config), "--out", str(out), "--pdf"]) == 2
    assert "检查通报 PDF 未生成" in capsys.readouterr().err
    assert not (out / "bulletin.pdf").exists()


def test_pdf_whose_browser_driver_cannot_start_says_so(two_inspections, monkeypatch, capsys):
    out, config = two_inspections
    monkeypatch.setenv("PLAYWRIGHT_NODEJS_PATH", "/bin/false")
    assert main(["report", "--config", str(config), "--out", str(out), "--pdf"]) == 2
    assert "浏览器无法启动" in capsys.readouterr().err
    assert not (out / "bulletin.pdf").exists()
