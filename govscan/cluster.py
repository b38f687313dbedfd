"""Inspections on a cluster: Celery workers take the sites' scans and the accounts' reading
from a Redis queue, and keep everything in one PostgreSQL store that every machine shares.

Whoever starts an inspection (``govscan scan``, the nightly service) stores it and queues one
task per site and one per batch of accounts; ``govscan worker`` carries them out. A task is
acknowledged only once it has finished (``acks_late``), and each run holds a lease renewed
while it works (``govscan.leases``). Every worker looks for runs whose lease ran out —
their worker was killed or its machine went down — fails them with the reason and queues
their task again, so a lost site is scanned again within a lease or two, not after Redis's
hour of visibility timeout. A task delivered twice runs once (``store.leases.claim``), and
the worker that finishes an inspection's last run writes its outputs and notifies, once.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from dataclasses import replace
from functools import cache
from pathlib import Path

from celery import Celery
from celery.signals import worker_ready, worker_shutdown
from kombu.exceptions import OperationalError
from sqlalchemy import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from govscan import inspections
from govscan.inspections import Plan
from govscan.leases import LEASE
from govscan.options import OptionsError, site_options
from govscan.parallel import JUDGING, slots
from govscan.pipeline import scan_accounts, scan_site
from govscan.resolver import Lookup
from govscan.store.db import connect, database_url
from govscan.store.inspections import fail_inspection, get_inspection, running_inspections
from govscan.store.leases import LostRun, expire
from govscan.store.models import Inspection

SITE_TASK, ACCOUNTS_TASK = "govscan.scan_site", "govscan.read_accounts"
QUEUE = "govscan"

log = logging.getLogger("govscan.cluster")


class ClusterError(OptionsError):
    """The queue or the store cannot serve a cluster: said in Chinese, exit status 2."""


def shared_store(url: str | None = None) -> str:
    """The store's URL, refused unless every machine can reach the same one: PostgreSQL."""
    url = url or database_url()
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:
        backend = ""
    if backend != "postgresql":
        raise ClusterError(
            f"使用消息队列（GOVSCAN_BROKER）时，各台机器必须共用一个 PostgreSQL 数据库，"
            f"而 GOVSCAN_DB 是 {url}。请设置 GOVSCAN_DB=postgresql+psycopg://用户@主机/库名"
        )
    return url


def celery_app(broker: str, lease: float = LEASE) -> Celery:
    """The Celery application of a queue: its two tasks, acknowledged once done."""
    app = Celery("govscan", broker=broker, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,  # a worker takes only the tasks it starts at once
        task_ignore_result=True,
        task_default_queue=QUEUE,
        task_serializer="json",
        accept_content=["json"],
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,  # a worker waits for a restarted Redis
    )

    @app.task(name=SITE_TASK)
    def scan_site_task(inspection_id: int, site_id: str, concurrency: int) -> None:
        carry_site(worker_engine(), inspection_id, site_id, concurrency, lease)

    @app.task(name=ACCOUNTS_TASK)
    def read_accounts_task(inspection_id: int, batch: int) -> None:
        carry_accounts(worker_engine(), inspection_id, batch, lease)

    return app


@cache
def worker_engine() -> Engine:
    """The worker's store, migrated once (under the database's lock) when it first serves."""
    return connect(shared_store())


def carry_site(
    engine: Engine, inspection_id: int, site_id: str, concurrency: int, lease: float
) -> None:
    """A site's task: scan it (unless its run is taken), then finish the inspection if this
    was its last run."""
    inspection = get_inspection(engine, inspection_id)
    plan = Plan.stored(inspection)
    site = next((site for site in plan.sites if site.id == site_id), None)
    if site is not None:
        options = replace(site_options(plan.options, site), concurrency=concurrency)
        with tempfile.TemporaryDirectory(prefix="govscan-") as logs:
            log_path = Path(logs) / f"{site_id}.log"
            scan_site(engine, inspection_id, site, options, log_path, None, JUDGING, lease)
    finish(engine, inspection_id)


def carry_accounts(engine: Engine, inspection_id: int, batch: int, lease: float) -> None:
    """A batch of accounts' task: read their archives and judge them, then finish if last."""
    plan = Plan.stored(get_inspection(engine, inspection_id))
    accounts = plan.account_batches[batch]
    with tempfile.TemporaryDirectory(prefix="govscan-") as logs:
        log_path = Path(logs) / "accounts.log"
        scan_accounts(engine, inspection_id, accounts, plan.options, log_path, lease, batch)
    finish(engine, inspection_id)


def finish(engine: Engine, inspection_id: int) -> None:
    finished = inspections.finish(engine, inspection_id)
    if finished is not None:
        log.info("检查 %s 已完成，通报：%s", inspection_id, finished.outputs.bulletin)


def submit(engine: Engine, app: Celery, plan: Plan, out: Path) -> Inspection:
    """Store the inspection and queue its tasks: one per site, with its share of the
    per-address limit (``govscan.parallel.slots``), and one per batch of accounts."""
    inspection = inspections.start(engine, plan, out, queued=True)
    options = plan.options
    lookup = Lookup(options.resolve, options.nameserver, options.timeout)
    try:
        for slot in slots(plan.sites, lookup, options.concurrency, plan.per_ip):
            app.send_task(SITE_TASK, args=[inspection.id, slot.site.id, slot.concurrency])
        for batch in range(len(plan.account_batches)):
            app.send_task(ACCOUNTS_TASK, args=[inspection.id, batch])
    except OperationalError as error:
        reason = f"无法把任务放入消息队列 {app.conf.broker_url}：{error}"
        fail_inspection(engine, inspection.id, reason)
        raise ClusterError(f"{reason}。请确认 Redis 已启动且地址正确") from error
    return inspection


def resend(app: Celery, lost: LostRun) -> None:
    """Queue a lost run's task again; its claim refuses it once the run was lost too often,
    and the task then only finishes the inspection."""
    if lost.site_id is None:
        app.send_task(ACCOUNTS_TASK, args=[lost.inspection_id, lost.batch])
    else:
        app.send_task(SITE_TASK, args=[lost.inspection_id, lost.site_id, lost.concurrency])


def recover(app: Celery, engine: Engine) -> list[LostRun]:
    """Fail the queued inspections' runs whose worker was lost and queue them again; finish
    an inspection whose last run ended without its worker finishing it."""
    lost = expire(engine, queued=True)
    for run in lost:
        log.warning("检查 %s 的任务失联（%s），重新排队", run.inspection_id, run.worker)
        resend(app, run)
    for inspection_id in running_inspections(engine, queued=True):
        finish(engine, inspection_id)
    return lost


def keep_recovering(broker: str, lease: float) -> threading.Event:
    """Look for lost runs every half lease, in the background, until the event is set. It
    queues with an application of its own: the worker's connection belongs to its consumer's
    event loop, and a task sent on it from another thread never reaches the queue."""
    app = celery_app(broker, lease)
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(lease / 2):
            try:
                recover(app, worker_engine())
            except (SQLAlchemyError, OperationalError) as error:  # the next look tries again
                log.warning("查找失联任务失败：%s", error)

    threading.Thread(target=loop, name="recovery", daemon=True).start()
    return stop


def run_worker(broker: str, concurrency: int, lease: float = LEASE) -> None:
    """``govscan worker``: serve the queue until stopped. Each task runs in a thread of its
    own, since a site's crawl runs in its own process and the thread mostly waits for it."""
    worker_engine()  # refuse a bad store, and migrate, before taking any task
    app = celery_app(broker, lease)
    stopping: list[threading.Event] = []
    worker_ready.connect(lambda **_: stopping.append(keep_recovering(broker, lease)), weak=False)
    worker_shutdown.connect(lambda **_: [event.set() for event in stopping], weak=False)
    app.worker_main(
        [
            "worker",
            "--pool=threads",
            f"--concurrency={concurrency}",
            f"--queues={QUEUE}",
            "--hostname=govscan@%h",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ]
    )
