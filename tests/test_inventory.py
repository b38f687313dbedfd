"""Inventory loading: the shipped example is valid, and every mistake names file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from govscan.cli import main
from govscan.options import family_settings, load_config
from govscan.store.inventory import InventoryError, load_inventory

ROOT = Path(__file__).resolve().parents[1]

SITE = """\
sites:
  - id: csz-portal
    name: 苍山州人民政府门户网站
    url: https://www.csz.gov.cn/
    unit: 苍山州人民政府办公室
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sites.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(InventoryError) as caught:
        load_inventory(path)
    return str(caught.value)


def test_the_shipped_example_loads():
    inventory = load_config(ROOT / "sites.example.yaml")  # with every family's settings
    portal = inventory.site("csz-portal")
    assert portal.site_code == "5329000001"
    assert portal.all_hosts == ["www.csz.gov.cn", "zwgk.csz.gov.cn"]
    assert inventory.settings.timezone == "Asia/Shanghai"
    assert family_settings(inventory.settings)["interaction"]["survey_result_days"] == 30


def test_unknown_key_names_its_line(tmp_path):
    path = write(tmp_path, SITE + "    hostz: [a.csz.gov.cn]\n")
    assert error_of(path) == f"{path}:6: sites.0.hostz: 未知字段（请检查拼写）"


def test_missing_field_names_the_entry(tmp_path):
    path = write(tmp_path, SITE.replace("    unit: 苍山州人民政府办公室\n", ""))
    assert error_of(path) == f"{path}:2: sites.0.unit: 缺少必填字段"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("    site_code: '12345'\n", "sites.0.site_code: 网站标识码应为 10 位数字"),
        ("    level: city\n", "sites.0.level: 取值不在允许范围内"),
        ("    hosts: zwgk.csz.gov.cn\n", "sites.0.hosts: 应为列表"),
        ("    columns: [{name: 要闻, category: news}]\n", "sites.0.columns.0.category: 取值不在"),
        ("    columns: [{name: 要闻, required: maybe}]\n", "sites.0.columns.0.required: 应为 true"),
        ("    columns: [{url: /xwdt/}]\n", "sites.0.columns.0.name: 缺少必填字段"),
    ],
)
def test_wrong_values_name_line_and_field(tmp_path, line, message):
    path = write(tmp_path, SITE + line)
    assert error_of(path).startswith(f"{path}:6: {message}")


@pytest.mark.parametrize(
    ("bulletin", "message"),
    [
        ("{date: 12月1日}", "settings.bulletin.date: 应为日期（例如 2026-12-01）"),
        ("{deadline_days: 0}", "settings.bulletin.deadline_days: 数值太小"),
        ("{office: ''}", "settings.bulletin.office: 不能为空"),
        (
            "{date: 2026-12-01, deadline: 2026-11-30}",
            "settings.bulletin: 整改期限（2026-11-30）不能早于成文日期（2026-12-01）",
        ),
    ],
)
def test_the_bulletin_settings_are_checked_in_chinese(tmp_path, bulletin, message):
    path = write(tmp_path, f"settings:\n  bulletin: {bulletin}\n" + SITE)
    assert error_of(path).split(": ", 1)[1].startswith(message)


def test_settings_for_the_checks(tmp_path):
    path = write(tmp_path, "settings:\n  freshness: {dynamic: 7}\n  timezone: Asia/Urumqi\n" + SITE)
    settings = load_inventory(path).settings
    assert (settings.freshness.dynamic, settings.freshness.notice) == (7, 183)
    assert settings.veto.stale_news_columns == 5
    path = write(tmp_path, "settings:\n  timezone: Beijing\n" + SITE)
    assert error_of(path).startswith(f"{path}:2: settings.timezone: 未知的时区：Beijing")
    path = write(tmp_path, "settings:\n  freshness: {home: 0}\n" + SITE)
    assert error_of(path) == f"{path}:2: settings.freshness.home: 数值太小"
    path = write(tmp_path, "settings:\n  ipv6:\n    min_rate: 1.5\n" + SITE)
    assert error_of(path) == f"{path}:3: settings.ipv6.min_rate: 数值太大"


def test_bad_url_and_duplicate_ids(tmp_path):
    path = write(tmp_path, SITE.replace("https://www.csz.gov.cn/", "www.csz.gov.cn"))
    assert error_of(path) == f"{path}:4: sites.0.url: 应为以 http:// 或 https:// 开头的网址"
    path = write(tmp_path, SITE + SITE.replace("sites:\n", ""))
    assert "站点 id 重复：csz-portal" in error_of(path)


def test_yaml_syntax_error_names_its_line(tmp_path):
    path = write(tmp_path, SITE + "  - id: [unclosed\n")
    assert error_of(path).startswith(f"{path}:7: YAML 语法错误")


def test_cli_exits_2_with_the_message(tmp_path, capsys, db_url):
    path = write(tmp_path, SITE + "    hostz: []\n")
    assert main(["scan", "--config", str(path)]) == 2
    assert f"{path}:6: sites.0.hostz" in capsys.readouterr().err
    assert main(["scan", "--config", str(tmp_path / "none.yaml")]) == 2
    assert main(["scan", "--config", str(write(tmp_path, SITE)), "--site", "nope"]) == 2
    assert "id 为 nope 的站点" in capsys.readouterr().err


def test_site_without_config_reads_sites_yaml(tmp_path, capsys, db_url, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["scan", "--site", "csz-portal"]) == 2
    assert "sites.yaml: 无法读取清单文件" in capsys.readouterr().err


def test_a_waiver_of_an_undeclared_rule_names_its_line(tmp_path):
    waivers = "    waivers:\n      - {rule: links.brokn, reason: 外部系统}\n"
    path = write(tmp_path, SITE + waivers)
    with pytest.raises(InventoryError) as caught:
        load_config(path)
    assert str(caught.value).startswith(
        f"{path}:7: sites.0.waivers.0.rule: 未知的规则：links.brokn（请检查拼写"
    )
    declared = write(tmp_path, SITE + waivers.replace("links.brokn", "links.broken"))
    assert load_config(declared).sites[0].waivers[0].rule == "links.broken"


def test_dictionaries_are_entries_or_files_beside_the_inventory(tmp_path):
    (tmp_path / "local.yaml").write_text("- {wrong: 苍山洲, right: 苍山州}\n", encoding="utf-8")
    settings = (
        "settings:\n  dictionaries:\n    typo:\n      - local.yaml\n"
        "      - {wrong: 仓山州, right: 苍山州}\n"
    )
    typo = load_config(write(tmp_path, settings + SITE)).settings.dictionaries.typo
    assert [(entry.wrong, entry.right) for entry in typo] == [
        ("苍山洲", "苍山州"),
        ("仓山州", "苍山州"),
    ]


def test_a_dictionary_file_with_a_mistake_stops_the_inventory_with_both_lines(tmp_path):
    (tmp_path / "local.yaml").write_text("- {wrong: 苍山洲}\n", encoding="utf-8")
    path = write(tmp_path, "settings:\n  dictionaries:\n    serious: [local.yaml]\n" + SITE)
    message = error_of(path)
    assert message.startswith(f"{path}:3: settings.dictionaries.serious: 词典文件有误：")
    assert f"{tmp_path / 'local.yaml'}:1: 0.right: 缺少必填字段" in message
