"""Notifications: a real SMTP server (aiosmtpd, STARTTLS, login) receives each unit's mail
with its 整改清单 attached; a local robot endpoint receives the headline; failures are
retried and logged, and never lose the report."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml
from openpyxl import load_workbook
from servers import SMTP_PASSWORD, SMTP_USER, free_port, http_site

from govscan.cli import main


class Robot(BaseHTTPRequestHandler):
    """A group-robot endpoint: fails the first ``failures`` posts, then answers errcode 0."""

    def do_POST(self):
        self.server.bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        failing = len(self.server.bodies) <= self.server.failures
        self.send_response(500 if failing else 200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"errcode": 0, "errmsg": "ok"}')

    def log_message(self, format, *args):
        pass


@pytest.fixture
def robot() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Robot)
    server.bodies, server.failures = [], 1
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def inventory(tmp_path, site_url: str, mail: dict, webhooks: list[dict]) -> str:
    path = tmp_path / "sites.yaml"
    settings = {"notify": {"mail": mail, "webhooks": webhooks, "attempts": 2, "retry_seconds": 0}}
    site = {
        "id": "csz",
        "name": "苍山州人民政府门户网站",
        "url": site_url,
        "unit": "苍山州人民政府办公室",
        "contact": {"email": "web@csz.gov.cn"},
    }
    path.write_text(
        yaml.safe_dump({"settings": settings, "sites": [site]}, allow_unicode=True),
        encoding="utf-8",
    )
    return str(path)


def test_each_unit_gets_its_list_and_the_robot_the_headline(
    tmp_path, db_url, smtp, robot, monkeypatch
):
    mailbox, port, cert = smtp
    monkeypatch.setenv("GOVSCAN_SMTP_USER", SMTP_USER)
    monkeypatch.setenv("GOVSCAN_SMTP_PASSWORD", SMTP_PASSWORD)
    mail = {"host": "127.0.0.1", "port": port, "sender": "govscan@csz.gov.cn", "ca_file": cert}
    hook = {"kind": "wecom", "url": f"http://127.0.0.1:{robot.server_port}/send"}
    with http_site({"/": "<html><title>首页</title><a href='/gone'>旧页</a></html>"}) as site:
        config = inventory(tmp_path, site.url, mail, [hook])
        out = tmp_path / "out"
        assert (
            main(["scan", "--config", config, "--checks", "links", "--out", str(out), "--notify"])
            == 0
        )
    [message] = mailbox.messages
    assert mailbox.recipients == [["web@csz.gov.cn"]]
    assert message["Subject"].startswith(
        "【检查通报】苍山州人民政府办公室：网站与政务新媒体检查发现 1 个问题"
    )
    assert site.url_for("/gone") in message.get_body(("plain",)).get_content()
    [attachment] = message.iter_attachments()
    assert attachment.get_filename() == "苍山州人民政府办公室-整改清单.xlsx"
    sheet = load_workbook(io.BytesIO(attachment.get_content())).active
    assert sheet["E3"].value == site.url_for("/gone")
    # the robot failed once, and got the headline on the retry
    assert len(robot.bodies) == 2 and robot.bodies[0] == robot.bodies[1]
    assert "检查网站 1 个，合格 1 个，合格率 100.0%" in robot.bodies[1]["markdown"]["content"]
    log = (out / "notify.log").read_text(encoding="utf-8")
    assert "失败（第 1/2 次）" in log and "已发送到 web@csz.gov.cn" in log


def test_a_mail_server_that_is_down_loses_nothing(tmp_path, db_url):
    mail = {"host": "127.0.0.1", "port": free_port(), "sender": "govscan@csz.gov.cn"}
    with http_site({"/": "<html><title>首页</title><a href='/gone'>旧页</a></html>"}) as site:
        config = inventory(tmp_path, site.url, mail, [])
        out = tmp_path / "out"
        assert (
            main(["scan", "--config", config, "--checks", "links", "--out", str(out), "--notify"])
            == 0
        )
    assert (out / "report.html").exists() and (out / "findings.json").exists()
    assert (out / "xlsx" / "苍山州人民政府办公室-整改清单.xlsx").exists()
    log = (out / "notify.log").read_text(encoding="utf-8")
    assert log.count("发送到 web@csz.gov.cn 失败") == 2 and "已发送" not in log


def test_a_wrong_password_is_reported(tmp_path, db_url, smtp, monkeypatch):
    mailbox, port, cert = smtp
    monkeypatch.setenv("GOVSCAN_SMTP_USER", SMTP_USER)
    monkeypatch.setenv("GOVSCAN_SMTP_PASSWORD", "wrong")
    mail = {"host": "127.0.0.1", "port": port, "sender": "govscan@csz.gov.cn", "ca_file": cert}
    with http_site({"/": "<html><title>首页</title><a href='/gone'>旧页</a></html>"}) as site:
        out = tmp_path / "out"
        main(
            [
                "scan",
                "--config",
                inventory(tmp_path, site.url, mail, []),
                "--checks",
                "links",
                "--out",
                str(out),
                "--notify",
            ]
        )
    assert mailbox.messages == []
    assert "535" in (out / "notify.log").read_text(encoding="utf-8")  # authentication failed
