"""Notifications after a scan: each unit's contact gets its own problems by mail, with its
整改清单 attached, and the office's group robots (企业微信, 钉钉) get the headline figures.

Notifying comes after the report and the exports are written, so a failure never loses
them: each delivery is retried, and every attempt is logged to ``notify.log``.
"""

from __future__ import annotations

import json
import logging
import os
import smtplib
import ssl
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from functools import partial
from pathlib import Path

from govscan.reports.exports import subjects, unit_filename
from govscan.reports.figures import counted, headline
from govscan.store.inventory import MailSettings, NotifySettings

log = logging.getLogger("govscan.notify")
USER_VARIABLE, PASSWORD_VARIABLE = "GOVSCAN_SMTP_USER", "GOVSCAN_SMTP_PASSWORD"


@dataclass
class Delivery:
    target: str  # an address, or a webhook URL
    ok: bool
    attempts: int
    error: str | None = None


def notify(
    result: dict, out: Path, contacts: dict[str, set[str]], settings: NotifySettings
) -> list[Delivery]:
    """Mail each unit that has a contact, post the headline to each webhook; what happened."""
    handler = logging.FileHandler(out / "notify.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    try:
        jobs = []
        if settings.mail:
            for unit, addresses in sorted(contacts.items()):
                if message := unit_mail(result, unit, sorted(addresses), settings.mail, out):
                    to = ", ".join(sorted(addresses))
                    jobs.append((to, partial(send_mail, message, settings.mail)))
        for hook in settings.webhooks:
            body = robot_message(result, hook.kind)
            jobs.append((hook.url, partial(post, hook.url, body)))
        return [retried(target, deliver, settings) for target, deliver in jobs]
    finally:
        log.removeHandler(handler)
        handler.close()


def retried(target: str, deliver: Callable[[], None], settings: NotifySettings) -> Delivery:
    """Deliver, retrying a failure after a pause; every attempt is logged."""
    attempts, error = settings.attempts, None
    for attempt in range(1, attempts + 1):
        try:
            deliver()
        except Exception as failure:  # whatever went wrong, retry, then report it
            error = str(failure) or type(failure).__name__
            log.warning("发送到 %s 失败（第 %d/%d 次）：%s", target, attempt, attempts, error)
            if attempt < attempts:
                time.sleep(settings.retry_seconds)
        else:
            log.info("已发送到 %s（第 %d 次）", target, attempt)
            return Delivery(target, True, attempt)
    return Delivery(target, False, attempts, error)


def unit_mail(
    result: dict, unit: str, addresses: list[str], mail: MailSettings, out: Path
) -> EmailMessage | None:
    """The unit's own problems, its 整改清单 attached; None when it has nothing to fix."""
    own = unit_findings(result, unit)
    if not own:
        return None
    day = result["run"]["started_at"][:10]
    message = EmailMessage()
    message["Subject"] = f"【检查通报】{unit}：网站与政务新媒体检查发现 {len(own)} 个问题（{day}）"
    message["From"], message["To"] = mail.sender, ", ".join(addresses)
    lines = [f"{unit}：", "", f"{day} 的检查发现以下问题，请对照附件中的整改清单及时整改。", ""]
    lines += [f"{n}. {name}：{f['message']}（{f['url']}）" for n, (name, f) in enumerate(own, 1)]
    message.set_content("\n".join(lines))
    workbook = out / "xlsx" / f"{unit_filename(unit)}-整改清单.xlsx"
    message.add_attachment(
        workbook.read_bytes(),
        maintype="application",
        subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        filename=workbook.name,
    )
    return message


def unit_findings(result: dict, unit: str) -> list[tuple[str, dict]]:
    """What the unit must fix (waived findings left out), with the site or account of each."""
    return [
        (subject["name"], finding)
        for _, subject in subjects(result)
        if subject["unit"] == unit
        for finding in counted(subject["findings"])
    ]


def send_mail(message: EmailMessage, mail: MailSettings) -> None:
    """Over STARTTLS (verifying the server), logging in when the environment says who."""
    context = ssl.create_default_context(cafile=mail.ca_file)
    with smtplib.SMTP(mail.host, mail.port, timeout=30) as server:
        if mail.starttls:
            server.starttls(context=context)
        if os.environ.get(USER_VARIABLE):
            server.login(os.environ[USER_VARIABLE], os.environ.get(PASSWORD_VARIABLE, ""))
        server.send_message(message)


def robot_message(result: dict, kind: str) -> dict:
    """The headline figures as a WeCom or DingTalk group-robot markdown message."""
    figures = headline(result["sites"], result["accounts"])
    title = f"政府网站与政务新媒体检查（{result['run']['started_at'][:10]}）"
    text = "\n".join(
        [
            f"### {title}",
            f"- 检查网站 {figures['sites']} 个，合格 {figures['passed']} 个，"
            f"合格率 {figures['pass_rate']}",
            f"- 单项否决 {figures['vetoed']} 个，不可用链接 {figures['dead_links']} 个",
            f"- 检查政务新媒体 {figures['accounts']} 个，僵尸账号 {figures['zombies']} 个",
        ]
    )
    if kind == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
    return {"msgtype": "markdown", "markdown": {"content": text}}


def post(url: str, body: dict) -> None:
    request = urllib.request.Request(
        url,
        data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.loads(response.read() or b"{}")
    if answer.get("errcode", 0) != 0:  # both robots answer 200 with an error code
        raise RuntimeError(f"机器人返回错误：{answer}")
