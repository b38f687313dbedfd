"""The nightly service: ``govscan schedule --config FILE``.

APScheduler keeps its jobs in the same database as the runs, so a restart knows what it
missed. The nightly inspection (default 02:00 Asia/Shanghai) scans every site and account,
writes the bulletin and sends the notifications; the availability probes fetch every
homepage many times a day (default 24). A run missed while the service was down is run
once, not once per missed time; a scan never overlaps another; SIGTERM lets the job that is
running finish and then stops. Each job reads the inventory again, so that an edited one
counts from the next night on.
"""

from __future__ import annotations

import logging
import signal
import threading
from pathlib import Path

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from govscan import USER_AGENT, inspections
from govscan.inspections import Plan
from govscan.options import OptionsError, broker_url, load_config, scan_options
from govscan.probes.availability import TIMEOUT, probe
from govscan.resolver import Lookup
from govscan.store.availability import save_probe
from govscan.store.db import connect, database_url
from govscan.store.inventory import Inventory, InventoryError

log = logging.getLogger("govscan.scheduler")
CRON_FIELDS = ("minute", "hour", "day", "month", "day_of_week")


def nightly_scan(config: str, out: str) -> bool:
    """Inspect everything the inventory lists: the scans, then the bulletin and the
    notifications. False when the night could not start."""
    try:
        inventory = load_config(Path(config))
        plan = Plan.of_inventory(inventory, scan_options(inventory), notify=True)
    except (InventoryError, OptionsError) as error:
        log.error("夜间检查未能开始：%s", error)
        return False
    if not plan.sites and not plan.accounts:
        log.error("夜间检查未能开始：%s：清单中没有站点，也没有账号", config)
        return False
    if broker := broker_url(plan.settings.broker):
        return queue_night(plan, Path(out), broker)
    finished = inspections.inspect(connect(), plan, Path(out))
    log.info("夜间检查 %s 结束，通报：%s", finished.inspection.id, finished.outputs.bulletin)
    for delivery in finished.deliveries:
        if delivery.ok:
            log.info("已通知：%s", delivery.target)
        else:
            log.error("通知失败：%s：%s（详见 notify.log）", delivery.target, delivery.error)
    return True


def queue_night(plan: Plan, out: Path, broker: str) -> bool:
    """Hand the night to the workers: the one that finishes its last run writes the bulletin
    and notifies."""
    from govscan import cluster  # Celery is loaded only where a queue is used

    try:
        engine = connect(cluster.shared_store())
        inspection = cluster.submit(engine, cluster.celery_app(broker), plan, out)
    except OptionsError as error:
        log.error("夜间检查未能开始：%s", error)
        return False
    log.info("夜间检查 %s 已排队：%s 个站点，由工作进程执行", inspection.id, len(plan.sites))
    return True


def probe_homepages(config: str) -> None:
    """The availability probes: fetch every homepage once and store whether it answered
    within 15 s."""
    inventory = load_config(Path(config))
    engine = connect()
    lookup = Lookup({}, inventory.settings.nameserver, TIMEOUT)
    for site in inventory.sites:
        answer = probe(site.url, lookup, inventory.settings.user_agent or USER_AGENT)
        save_probe(engine, site.id, answer.status, answer.error, answer.elapsed_ms)


def scan_trigger(expression: str, timezone: str) -> CronTrigger:
    """A crontab line (``0 2 * * *``); six fields put seconds first, for tests and drills."""
    fields = expression.split()
    if len(fields) == 6:
        return CronTrigger(
            second=fields[0], **dict(zip(CRON_FIELDS, fields[1:], strict=True)), timezone=timezone
        )
    return CronTrigger.from_crontab(expression, timezone=timezone)


def start(config: Path, inventory: Inventory, out: Path) -> BackgroundScheduler:
    """A running scheduler with the nightly inspection and the availability probes. A job
    already in the store keeps its next run time — one missed while the service was down then
    runs (once) — unless the inventory changed its schedule."""
    settings = inventory.settings
    scheduler = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=database_url(), tablename="scheduler_jobs")},
        executors={"scans": ThreadPoolExecutor(1), "probes": ThreadPoolExecutor(1)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        timezone=settings.timezone,
    )
    scheduler.start(paused=True)
    keep_job(
        scheduler,
        "nightly-scan",
        nightly_scan,
        scan_trigger(settings.schedule.scan, settings.timezone),
        [str(config), str(out)],
        "scans",
    )
    keep_job(
        scheduler,
        "availability-probes",
        probe_homepages,
        IntervalTrigger(seconds=86400 / settings.schedule.probes_per_day),
        [str(config)],
        "probes",
    )
    scheduler.resume()
    return scheduler


def keep_job(scheduler, job_id: str, func, trigger, args: list[str], executor: str) -> None:
    job = scheduler.get_job(job_id)
    if job is None or str(job.trigger) != str(trigger) or list(job.args) != args:
        scheduler.add_job(
            func, trigger, args=args, id=job_id, executor=executor, replace_existing=True
        )


def run(config: Path, inventory: Inventory, out: Path) -> None:
    """Serve until SIGTERM or Ctrl-C; a running job finishes first. A night that a process
    of this service left unfinished (killed) is failed first, with the reason."""
    if broker_url(inventory.settings.broker):
        from govscan.cluster import shared_store

        shared_store()  # refused before the service starts, not at night
    inspections.recover(connect())  # migrates before the job store creates its table
    scheduler = start(config, inventory, out)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, _frame: stopping.set())
    log.info(
        "调度已启动：夜间检查 %s，每天访问检测 %s 次",
        inventory.settings.schedule.scan,
        inventory.settings.schedule.probes_per_day,
    )
    try:
        stopping.wait()
        log.info("收到停止信号：当前任务结束后停止")
    finally:
        scheduler.shutdown(wait=True)
