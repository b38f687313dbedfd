"""``govscan validate``: everything the nightly service needs, checked before a night runs —
the inventory, its schedule and notifications, the database, the report folder and the
queue — and, in Chinese, what the service will do with them. Every problem is listed, not
only the first."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sqlalchemy import make_url

from govscan.options import OptionsError, broker_url, load_config, scan_options, writable_folder
from govscan.parallel import default_parallel
from govscan.reports.notify import PASSWORD_VARIABLE, USER_VARIABLE
from govscan.store.db import StoreUnusable, connect, database_url
from govscan.store.inventory import Inventory, InventoryError, NotifySettings

EXIT_OK, EXIT_PROBLEMS = 0, 2
WEEKDAYS = "一二三四五六日"
#: crontab's day names, as APScheduler reads them (its numbers count from Monday, not Sunday)
DAY_NAMES = {name: n for n, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}
ROBOTS = {"wecom": "企业微信", "dingtalk": "钉钉"}


@dataclass
class Verdict:
    """What the service will do (``plan``) and what stops it (``problems``), in Chinese."""

    plan: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # worth knowing, not wrong


def command(config: Path, out: Path, write: Callable[[str], None] = print) -> int:
    """Check, print the verdict; 0 when the service can run as configured, else 2."""
    verdict = check(config, out)
    write(f"清单 {config} 的夜间服务：")
    for line in verdict.plan:
        write(f"  {line}")
    for line in verdict.notes:
        write(f"  提示：{line}")
    if not verdict.problems:
        write("检查通过：服务可以按此运行。")
        return EXIT_OK
    write(f"发现 {len(verdict.problems)} 个问题，请改正后再启动服务：")
    for line in verdict.problems:
        write(f"  - {line}")
    return EXIT_PROBLEMS


def check(config: Path, out: Path) -> Verdict:
    verdict = Verdict()
    inventory = None
    try:
        inventory = load_config(config)
    except (InventoryError, OptionsError) as error:
        verdict.problems += str(error).splitlines()
    if inventory is not None:
        check_inventory(inventory, config, verdict)
    try:
        folder = writable_folder(out).resolve()
        verdict.plan.append(f"报告目录：{folder}（检查通报 bulletin.html 等）")
    except OptionsError as error:
        verdict.problems.append(str(error))
    check_store(verdict)
    broker = broker_url(inventory.settings.broker if inventory else None)
    if broker:
        check_queue(broker, verdict)
    elif inventory is not None:
        parallel = inventory.settings.parallel or default_parallel()
        verdict.plan.append(f"执行：在本机检查，同时检查 {parallel} 个站点")
    return verdict


def check_inventory(inventory: Inventory, config: Path, verdict: Verdict) -> None:
    settings = inventory.settings
    if not inventory.sites and not inventory.accounts:
        verdict.problems.append(f"{config}：清单中没有站点，也没有账号，夜间检查无事可做")
    sites, accounts = len(inventory.sites), len(inventory.accounts)
    verdict.plan.append(f"检查对象：{sites} 个站点，{accounts} 个账号")
    try:
        options = scan_options(inventory)
    except OptionsError as error:
        verdict.problems.append(str(error))
    else:
        verdict.plan.append(f"检查项目：{'、'.join(options.checks)}")
    verdict.plan += schedule_lines(settings.schedule.scan, settings.timezone)
    per_day = settings.schedule.probes_per_day
    every = interval_words(86400 / per_day)
    verdict.plan.append(f"访问检测：每天 {per_day} 次（约每{every}一次）")
    check_notify(settings.notify, inventory, verdict)


def schedule_lines(expression: str, timezone: str) -> list[str]:
    from govscan.scheduler import scan_trigger  # APScheduler is loaded only here

    now = datetime.now(ZoneInfo(timezone))
    following = scan_trigger(expression, timezone).get_next_fire_time(None, now)
    shown = (
        f"{following:%Y-%m-%d %H:%M}（星期{WEEKDAYS[following.weekday()]}，{timezone}）"
        if following
        else "不会再运行"
    )
    return [
        f"夜间检查：{schedule_words(expression)}（{timezone}，crontab「{expression}」）",
        f"下次夜间检查：{shown}",
    ]


def schedule_words(expression: str) -> str:
    """A crontab line in words when it is a plain one (a time each day, on named weekdays or
    on one day of the month); otherwise the line itself."""
    fields = expression.split()
    if len(fields) != 5 or not (fields[0].isdigit() and fields[1].isdigit()):
        return f"按 crontab 表达式「{expression}」"
    minute, hour, day, month, weekday = fields
    at = f"{int(hour):02d}:{int(minute):02d}"
    if month != "*":
        return f"按 crontab 表达式「{expression}」"
    if day == "*" and weekday == "*":
        return f"每天 {at}"
    names = weekday.lower().split(",")
    if day == "*" and all(name in DAY_NAMES for name in names):
        return f"每周{'、'.join('星期' + WEEKDAYS[DAY_NAMES[name]] for name in names)} {at}"
    if weekday == "*" and day.isdigit():
        return f"每月 {int(day)} 日 {at}"
    return f"按 crontab 表达式「{expression}」"


def interval_words(seconds: float) -> str:
    if seconds >= 3600 and seconds % 3600 == 0:
        return f" {int(seconds // 3600)} 小时"
    if seconds >= 60:
        return f" {round(seconds / 60)} 分钟"
    return f" {round(seconds)} 秒"


def check_notify(notify: NotifySettings, inventory: Inventory, verdict: Verdict) -> None:
    """Mail needs a server and a sender, and the login both variables or neither; a robot
    needs a web address."""
    said = []
    if mail := notify.mail:
        if not mail.host.strip():
            verdict.problems.append("settings.notify.mail.host 为空：请填写发信服务器")
        if "@" not in mail.sender:
            verdict.problems.append(f"settings.notify.mail.sender 不是邮件地址：「{mail.sender}」")
        if mail.ca_file and not Path(mail.ca_file).is_file():
            verdict.problems.append(f"settings.notify.mail.ca_file 找不到：{mail.ca_file}")
        user, password = os.environ.get(USER_VARIABLE), os.environ.get(PASSWORD_VARIABLE)
        if user and not password:
            verdict.problems.append(f"已设置 {USER_VARIABLE}，但未设置 {PASSWORD_VARIABLE}")
        elif password and not user:
            verdict.problems.append(f"已设置 {PASSWORD_VARIABLE}，但未设置 {USER_VARIABLE}")
        elif not user:
            verdict.notes.append(
                f"未设置 {USER_VARIABLE} 与 {PASSWORD_VARIABLE}：发信时不登录邮件服务器"
            )
        contacts = {
            entry.contact.email
            for entry in [*inventory.sites, *inventory.accounts]
            if entry.contact.email
        }
        if not contacts:
            verdict.notes.append("已配置邮件，但清单中没有任何联系邮箱（contact.email）")
        server = f"{mail.host}:{mail.port}"
        said.append(f"邮件经 {server} 由 {mail.sender} 发给 {len(contacts)} 个联系邮箱")
    for n, hook in enumerate(notify.webhooks):
        parts = urlsplit(hook.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            verdict.problems.append(
                f"settings.notify.webhooks.{n}.url 不是网址：「{hook.url}」（应以 https:// 开头）"
            )
        said.append(f"{ROBOTS[hook.kind]}群机器人")
    verdict.plan.append(f"通知：{'；'.join(said) if said else '不发通知'}")


def check_store(verdict: Verdict) -> None:
    """The database the runs and the jobs are kept in, made and migrated if need be."""
    try:
        engine = connect()
    except StoreUnusable as error:
        verdict.problems.append(str(error))
        return
    engine.dispose()
    shown = make_url(database_url()).render_as_string(hide_password=True)
    verdict.plan.append(f"数据库：{shown}")


def check_queue(broker: str, verdict: Verdict) -> None:
    """A queue needs a Redis address and a store that every machine shares (not contacted)."""
    try:
        shown = make_url(broker).render_as_string(hide_password=True)
    except Exception:  # an address SQLAlchemy cannot read: shown as given
        shown = broker
    verdict.plan.append(f"执行：排队到消息队列 {shown}，由各台机器的 govscan worker 执行")
    if urlsplit(broker).scheme not in ("redis", "rediss"):
        verdict.problems.append(
            f"GOVSCAN_BROKER 不是 Redis 地址：{broker}（例如 redis://主机:6379/0）"
        )
    try:
        from govscan import cluster
    except ImportError as error:
        verdict.problems.append(
            f"使用消息队列需要 govscan[cluster]（pip install 'govscan[cluster]'）：{error}"
        )
        return
    try:
        cluster.shared_store()
    except OptionsError as error:
        verdict.problems.append(str(error))
