"""A check family installed from a package of its own (``tests/plugin_example``) is part of
the scan, the findings, the score and every output, with no change to govscan."""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from servers import http_site, page

PLUGIN = Path(__file__).parent / "plugin_example"
CHECKOUT = Path(__file__).resolve().parents[1]
RULE, TITLE, FIGURE = "pagetitle.missing", "页面缺少标题", "无标题页面"


@pytest.fixture(scope="module")
def plugin_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example package installed by pip into a folder of its own, as any plugin is."""
    if not any(map(importlib.util.find_spec, ("wheel", "setuptools.command.bdist_wheel"))):
        pytest.skip("building the example package needs wheel: pip install -e '.[dev]'")
    folder = tmp_path_factory.mktemp("plugin")
    source = shutil.copytree(
        PLUGIN, folder / "source", ignore=shutil.ignore_patterns("__pycache__")
    )
    target = folder / "site-packages"
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index"]
    pip += ["--no-build-isolation", "--target", str(target), str(source)]
    subprocess.run(pip, check=True, capture_output=True, timeout=300)
    return target


def run_govscan(arguments: list[str], plugin_path: Path, folder: Path):
    """``govscan`` in a process of its own, with the plugin folder on its path."""
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(plugin_path), str(CHECKOUT)]),
        "GOVSCAN_DB": f"sqlite:///{folder / 'govscan.db'}",
        "COLUMNS": "200",  # the terminal summary's table, unwrapped
    }
    return subprocess.run(
        [sys.executable, "-m", "govscan.cli", *arguments],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=folder,
    )


def inventory(folder: Path, url: str, listed: int) -> Path:
    """An inventory that sets the plugin's own settings in ``settings.pagetitle``."""
    path = folder / "sites.yaml"
    path.write_text(
        f"settings:\n  pagetitle:\n    listed: {listed}\n"
        f"sites:\n  - {{id: demo, name: 示例站点, url: '{url}', unit: 示例单位}}\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def scanned(plugin_path: Path, tmp_path_factory: pytest.TempPathFactory):
    """``govscan scan`` of a site with two untitled pages, the example package installed and
    its settings in the inventory."""
    folder = tmp_path_factory.mktemp("scan")
    routes = {
        "/": page("首页", "<a href='/a.html'>通知</a><a href='/b.html'>公告</a>"),
        "/a.html": "<p>没有标题的页面</p>",
        "/b.html": "<p>另一个没有标题的页面</p>",
    }
    with http_site(routes) as site:
        config = inventory(folder, site.url, listed=1)
        arguments = ["scan", "--config", str(config), "--checks", "links,pagetitle"]
        scan = run_govscan([*arguments, "--out", str(folder / "out")], plugin_path, folder)
    return scan, folder / "out", site


def test_its_finding_is_in_findings_json_with_its_figure_and_points(scanned):
    scan, out, site = scanned
    assert scan.returncode == 0, scan.stderr
    result = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert result["run"]["checks"] == ["links", "pagetitle"]
    [found] = result["sites"][0]["findings"]
    assert (found["rule"], found["severity"]) == (RULE, "deduction")
    assert found["url"] == site.url_for("/a.html")
    # the inventory's settings.pagetitle.listed: 1 reached the family
    assert (found["detail"]["page_count"], found["detail"]["pages"]) == (2, [found["url"]])
    assert result["sites"][0]["figures"]["untitled"] == 1
    assert result["sites"][0]["deductions"] == {RULE: 1.0}
    assert result["sites"][0]["score"] == 99.0


def test_its_rule_and_figure_are_in_the_report_and_the_bulletin(scanned):
    _, out, _ = scanned
    report = (out / "report.html").read_text(encoding="utf-8")
    assert f"<th>{FIGURE}</th>" in report and TITLE in report
    assert TITLE in (out / "bulletin.html").read_text(encoding="utf-8")


def test_its_finding_is_in_the_unit_list_and_the_csv(scanned):
    _, out, site = scanned
    [workbook] = (out / "xlsx").glob("*-整改清单.xlsx")
    rows = list(load_workbook(workbook).active.iter_rows(min_row=3, values_only=True))
    assert [(row[2], row[4]) for row in rows] == [(TITLE, site.url_for("/a.html"))]
    with (out / "findings.csv").open(encoding="utf-8-sig") as file:
        [row] = list(csv.DictReader(file))
    assert (row["规则"], row["问题类型"]) == (RULE, TITLE)


def test_its_figure_and_finding_are_in_the_terminal_summary(scanned):
    scan, _, site = scanned
    assert FIGURE in scan.stderr
    assert f"{site.url_for('/a.html')}  ← " in scan.stderr and "个页面缺少标题" in scan.stderr


def test_its_settings_are_validated_with_the_inventorys_line(plugin_path, tmp_path):
    config = inventory(tmp_path, "http://www.example.gov.cn/", listed=0)
    scan = run_govscan(["scan", "--config", str(config)], plugin_path, tmp_path)
    assert scan.returncode == 2
    assert f"{config}:3: settings.pagetitle.listed: 数值太小" in scan.stderr
    assert "Traceback" not in scan.stderr


def test_a_plugin_that_cannot_be_loaded_is_named_without_a_traceback(tmp_path):
    """A package whose entry point fails to import: every command says which, and stops."""
    (tmp_path / "govscan_broken.py").write_text("import not_installed_anywhere\n")
    metadata = tmp_path / "govscan_broken-1.0.dist-info"
    metadata.mkdir()
    (metadata / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: govscan-broken\nVersion: 1.0\n"
    )
    (metadata / "entry_points.txt").write_text("[govscan.checks]\nbroken = govscan_broken:FAMILY\n")
    scan = run_govscan(["scan", "http://www.example.gov.cn/"], tmp_path, tmp_path)
    assert scan.returncode == 2
    assert "检查项 broken（govscan_broken:FAMILY）无法加载" in scan.stderr
    assert "not_installed_anywhere" in scan.stderr and "Traceback" not in scan.stderr
