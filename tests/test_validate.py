"""``govscan validate`` before a night, ``govscan schedule --run-now`` for one night at once,
and the systemd units as systemd reads them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from servers import http_site

from govscan.cli import main
from govscan.validate import schedule_words

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
NEXT_RUN = re.compile(r"下次夜间检查：(\d{4}-\d\d-\d\d \d\d:\d\d)（星期.，([\w/]+)）")
SITE = {"id": "portal", "name": "苍山州人民政府门户网站", "unit": "苍山州政府办公室"}


def write_inventory(path: Path, settings: dict, url: str = "http://127.0.0.1:9/") -> Path:
    sites = [{**SITE, "url": url, "contact": {"email": "web@csz.gov.cn"}}]
    path.write_text(
        yaml.safe_dump({"settings": settings, "sites": sites}, allow_unicode=True), "utf-8"
    )
    return path


@pytest.mark.parametrize(
    ("timezone", "expression", "at"),
    [("Asia/Shanghai", "0 2 * * *", "02:00"), ("America/New_York", "30 7 * * *", "07:30")],
)
def test_a_good_inventory_passes_and_says_when_the_next_night_is(
    tmp_path, capsys, db_url, monkeypatch, timezone, expression, at
):
    monkeypatch.setenv("GOVSCAN_SMTP_USER", "gs")
    monkeypatch.setenv("GOVSCAN_SMTP_PASSWORD", "secret")
    mail = {"host": "smtp.csz.gov.cn", "port": 587, "sender": "gs@csz.gov.cn"}
    hook = {"kind": "wecom", "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"}
    settings = {
        "timezone": timezone,
        "schedule": {"scan": expression, "probes_per_day": 48},
        "notify": {"mail": mail, "webhooks": [hook]},
    }
    config = write_inventory(tmp_path / "sites.yaml", settings)
    out = tmp_path / "reports"
    assert main(["validate", "--config", str(config), "--out", str(out)]) == 0
    shown = capsys.readouterr().out
    assert "检查通过" in shown and "问题" not in shown
    assert "1 个站点，0 个账号" in shown
    assert f"每天 {at}" in shown and "每天 48 次（约每 30 分钟一次）" in shown
    assert "links" in shown and "availability" in shown  # the checks a night runs
    assert str(out.resolve()) in shown and "在本机检查" in shown
    assert "smtp.csz.gov.cn:587" in shown and "企业微信群机器人" in shown
    found = NEXT_RUN.search(shown)
    assert found, shown
    assert found[2] == timezone
    following = datetime.strptime(found[1], "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo(timezone))
    assert following.strftime("%H:%M") == at
    now = datetime.now(ZoneInfo(timezone))
    hour, minute = map(int, at.split(":"))
    expected = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if expected <= now:
        expected += timedelta(days=1)
    assert following == expected


def test_every_problem_is_listed(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GOVSCAN_DB", "not a url")
    monkeypatch.delenv("GOVSCAN_BROKER", raising=False)
    settings = {
        "notify": {"mail": {"port": 25}, "webhooks": [{"kind": "dingtalk", "url": "robot"}]},
    }
    config = write_inventory(tmp_path / "sites.yaml", settings)
    out = tmp_path / "reports"
    out.write_text("a file, not a folder", "utf-8")
    assert main(["validate", "--config", str(config), "--out", str(out)]) == 2
    shown = capsys.readouterr().out
    problems = [line for line in shown.splitlines() if line.startswith("  - ")]
    assert len(problems) == 4, shown
    assert "发现 4 个问题" in shown
    assert f"{config}:4: settings.notify.mail.host: 缺少必填字段" in shown
    assert f"{config}:4: settings.notify.mail.sender: 缺少必填字段" in shown
    assert f"报告目录 {out} 已存在，但不是文件夹" in shown
    assert "GOVSCAN_DB 不是数据库地址：not a url" in shown


def test_notify_settings_the_inventory_accepts_but_no_night_could_use(
    tmp_path, capsys, db_url, monkeypatch
):
    monkeypatch.setenv("GOVSCAN_SMTP_USER", "gs")
    monkeypatch.delenv("GOVSCAN_SMTP_PASSWORD", raising=False)
    monkeypatch.setenv("GOVSCAN_BROKER", "redis://127.0.0.1:9/0")
    settings = {
        "notify": {
            "mail": {"host": " ", "sender": "gs"},
            "webhooks": [{"kind": "wecom", "url": "qyapi.weixin.qq.com/send"}],
        }
    }
    config = write_inventory(tmp_path / "sites.yaml", settings)
    assert main(["validate", "--config", str(config), "--out", str(tmp_path / "out")]) == 2
    shown = capsys.readouterr().out
    problems = [line for line in shown.splitlines() if line.startswith("  - ")]
    for problem in (
        "settings.notify.mail.host 为空",
        "settings.notify.mail.sender 不是邮件地址：「gs」",
        "已设置 GOVSCAN_SMTP_USER，但未设置 GOVSCAN_SMTP_PASSWORD",
        "settings.notify.webhooks.0.url 不是网址",
        "各台机器必须共用一个 PostgreSQL 数据库",  # a queue with the SQLite store
    ):
        assert any(problem in line for line in problems), problem
    assert "发现 5 个问题" in shown
    assert "排队到消息队列 redis://127.0.0.1:9/0" in shown


def test_schedule_words():
    assert schedule_words("0 2 * * *") == "每天 02:00"
    assert schedule_words("15 3 * * mon,fri") == "每周星期一、星期五 03:15"
    assert schedule_words("0 4 1 * *") == "每月 1 日 04:00"
    assert schedule_words("*/30 * * * *") == "按 crontab 表达式「*/30 * * * *」"


def test_run_now_inspects_once_writes_the_bulletin_and_exits(tmp_path, db_url):
    routes = {"/": "<html><title>苍山州人民政府</title><a href='/gone'>通知</a></html>"}
    with http_site(routes) as site:
        config = write_inventory(tmp_path / "sites.yaml", {}, site.url)
        out = tmp_path / "out"
        command = ["schedule", "--run-now", "--config", str(config), "--out", str(out)]
        finished = subprocess.run(
            [sys.executable, "-m", "govscan.cli", *command],
            env={**os.environ, "GOVSCAN_DB": db_url},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert finished.returncode == 0, finished.stderr
        assert site.count("GET", "/") >= 1
    bulletin = (out / "bulletin.html").read_text(encoding="utf-8")
    assert "政府网站与政务新媒体检查通报" in bulletin and SITE["name"] in bulletin
    assert "调度已启动" not in finished.stderr  # the long-running service never started


def test_run_now_without_anything_to_inspect_fails(tmp_path, db_url):
    config = tmp_path / "empty.yaml"
    config.write_text("sites: []\n", "utf-8")
    assert main(["schedule", "--config", str(config), "--out", str(tmp_path), "--run-now"]) == 1


@pytest.mark.parametrize("unit", sorted(DEPLOY.glob("*.service")), ids=lambda unit: unit.name)
def test_the_systemd_units_verify(unit, tmp_path):
    analyze = shutil.which("systemd-analyze") or "/usr/bin/systemd-analyze"
    if not Path(analyze).exists():
        pytest.skip("systemd-analyze is not installed")
    govscan = Path(sys.executable).parent / "govscan"
    if not govscan.exists():
        pytest.skip("the govscan script is not installed next to the interpreter")
    text = unit.read_text(encoding="utf-8")
    for placeholder in ("/opt/govscan/.venv/bin/govscan", "User=govscan", "/etc/govscan/"):
        assert placeholder in text  # the copy below verifies what the unit says
    copy = tmp_path / unit.name
    copy.write_text(
        text.replace("/opt/govscan/.venv/bin/govscan", str(govscan))
        .replace("User=govscan", "User=root")
        .replace("/etc/govscan/cluster.env", "/dev/null"),
        encoding="utf-8",
    )
    checked = subprocess.run(
        [analyze, "verify", str(copy)], capture_output=True, text=True, timeout=60
    )
    said = [line for line in (checked.stdout + checked.stderr).splitlines() if unit.name in line]
    assert checked.returncode == 0 and not said, checked.stdout + checked.stderr
