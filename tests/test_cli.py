"""Command-line mistakes get a Chinese message and exit status 2, before anything is crawled."""

from __future__ import annotations

import pytest
from servers import http_site, page

from govscan.cli import main


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "请给出要扫描的网址"),
        (["ftp://www.csz.gov.cn/"], "网址不正确"),
        (["http://www.csz.gov.cn/", "--checks", "links,ipv7"], "未知的检查项：ipv7"),
        (["http://www.csz.gov.cn/", "--max-pages", "0"], "参数 --max-pages：须不小于 1"),
        (["http://www.csz.gov.cn/", "--resolve", "www.csz.gov.cn"], "--resolve 应写作"),
        (["http://www.csz.gov.cn/", "--nameserver", "dns.example"], "DNS 服务器应写作"),
    ],
)
def test_usage_errors(args, message, capsys, db_url):
    assert main(["scan", *args]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--timeout", "0"], "参数 --timeout：须大于 0，而给出的是 0"),
        (["--timeout", "abc"], "参数 --timeout：abc 不是有效的数"),
        (["--concurrency", "-1"], "参数 --concurrency：须不小于 1"),
        (["--bogus"], "无法识别的参数：--bogus"),
    ],
)
def test_argument_mistakes_are_told_in_chinese(args, message, capsys, db_url):
    assert main(["scan", "http://www.csz.gov.cn/", *args]) == 2
    printed = capsys.readouterr().err
    assert message in printed and "用法：govscan" in printed
    assert "error:" not in printed and "Traceback" not in printed


def test_help_is_chinese_with_its_defaults(capsys):
    assert main(["scan", "--help"]) == 0
    shown = capsys.readouterr().out
    assert "用法：govscan scan" in shown and "显示本帮助并退出" in shown
    assert "请求超时（秒；默认：清单的 timeout，或 15）" in shown
    assert "最多抓取的页面数（默认：清单的 max_pages，或 1000）" in shown
    assert "show this help" not in shown and "options:" not in shown


def test_an_output_folder_that_cannot_hold_the_reports(tmp_path, capsys, db_url):
    taken = tmp_path / "report.txt"
    taken.write_text("", encoding="utf-8")
    assert main(["scan", "http://www.csz.gov.cn/", "--out", str(taken)]) == 2
    assert "已存在，但不是文件夹" in capsys.readouterr().err
    assert main(["scan", "http://www.csz.gov.cn/", "--out", str(taken / "sub")]) == 2
    assert "无法创建报告目录" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "GOVSCAN_DB 不是数据库地址"),
        ("postgresql+psycopg://govscan:s3cret@127.0.0.1:1/govscan", "无法连接数据库"),
        (
            "mysql://govscan@127.0.0.1/govscan",
            "缺少数据库 mysql://govscan@127.0.0.1/govscan 的驱动",
        ),
    ],
)
def test_a_database_that_cannot_be_used(url, message, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GOVSCAN_DB", url)
    assert main(["scan", "http://www.csz.gov.cn/", "--out", str(tmp_path / "out")]) == 2
    printed = capsys.readouterr().err
    assert message in printed and "Traceback" not in printed and "s3cret" not in printed


def test_a_report_without_the_database_creates_none(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GOVSCAN_DB", raising=False)
    (tmp_path / "sites.yaml").write_text(
        "sites:\n  - {id: a, name: 甲, url: 'http://a.gov.cn/', unit: 甲县}\n", encoding="utf-8"
    )
    assert main(["report", "--config", "sites.yaml"]) == 2
    assert "找不到数据库文件" in capsys.readouterr().err
    assert not (tmp_path / "govscan.db").exists()


def test_a_schedule_that_is_not_crontab(tmp_path, capsys, db_url):
    config = tmp_path / "sites.yaml"
    config.write_text(
        "settings:\n  schedule: {scan: '61 2 * * *'}\n"
        "sites:\n  - {id: a, name: 甲, url: 'http://a.gov.cn/', unit: 甲县}\n",
        encoding="utf-8",
    )
    assert main(["schedule", "--config", str(config), "--out", str(tmp_path / "out")]) == 2
    assert f'{config}:2: settings.schedule.scan: 不是有效的 crontab 表达式："61 2 * * *"' in (
        capsys.readouterr().err
    )


def test_yaml_mistakes_are_explained_in_chinese(tmp_path, capsys, db_url):
    config = tmp_path / "sites.yaml"
    config.write_text("sites:\n\t- {id: a}\n", encoding="utf-8")
    assert main(["scan", "--config", str(config)]) == 2
    assert "YAML 只能用空格缩进" in capsys.readouterr().err


def test_every_file_written_is_listed_the_bulletin_first(tmp_path, capsys, db_url):
    out = tmp_path / "out"
    with http_site({"/": page("首页", "<a href='/gone'>旧页</a>")}) as site:
        assert main(["scan", site.url, "--out", str(out), "--checks", "links"]) == 0
    printed = capsys.readouterr().err
    assert "合格  得分 98  页面 1" in printed  # one line a site, nothing clipped at 80 columns
    assert "不可用链接 1" in printed and "标识 未检" in printed and "…" not in printed
    listed = printed[printed.index("检查通报：") :]
    assert listed.startswith(f"检查通报：{out / 'bulletin.html'}")
    files = [path for path in out.rglob("*") if path.is_file() and path.parent.name != "logs"]
    dated = [path for path in files if path.name.startswith("bulletin-")]  # the index lists them
    for path in set(files) - set(dated) - {out / "bulletins.json"}:
        assert str(path) in listed, path
    assert f"抓取日志：{out / 'logs'}（1 个）" in listed
