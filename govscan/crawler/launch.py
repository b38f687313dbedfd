"""A run's crawl, from the side of the process that asks for it: start the crawl process,
give it its job, store what it hands over, and keep its log and what it measured."""

from __future__ import annotations

import ctypes
import fcntl
import os
import pickle
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from govscan.crawler.handover import CrawlEnd, CrawlJob
from govscan.crawler.pages import reader_version
from govscan.crawler.storing import Storing
from govscan.store.accounts import get_account_run
from govscan.store.baseline import METRIC, load_baseline, reuse_counts
from govscan.store.leases import LOG_CHARS, save_log
from govscan.store.models import AccountRun, Run
from govscan.store.runs import get_run, progress, save_metrics

#: Told the crawl's counts so far (pages, links, errors) twice a second
Counts = Callable[[dict[str, int]], None]
PR_SET_PDEATHSIG = 1  # linux/prctl.h
PIPE_BYTES = 1 << 20  # room in the pipe for a batch or two, so the crawl rarely waits


def crawl(
    engine: Engine,
    run_id: int,
    log_path: Path,
    on_progress: Counts | None,
    archives: bool = False,
) -> str | None:
    """Run the crawl process, reporting its counts; None when it finished, else the reason."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w", encoding="utf-8") as log:
        job, returncode, end, store_error = run_crawl(engine, run_id, archives, log, on_progress)
    if on_progress:
        on_progress(progress(engine, run_id))
    logged = log_tail(log_path)
    save_log(engine, AccountRun if archives else Run, run_id, logged)
    if returncode != 0:
        last_line = (logged.strip().splitlines() or [""])[-1]
        return f"抓取进程异常退出（代码 {returncode}）：{last_line}；日志：{log_path}"
    if store_error is not None:
        return f"抓取结果未能全部保存：{store_error or type(store_error).__name__}"
    if end is None:
        return f"抓取进程未交回结束信息，结果不完整；日志：{log_path}"
    if not archives:
        save_crawl_metrics(engine, job, end)
    return None


def crawl_job(engine: Engine, run_id: int, archives: bool) -> CrawlJob:
    """The run's options, and for a site that is not scanned in full, what the crawl may
    reuse of its last completed run."""
    options = (get_account_run if archives else get_run)(engine, run_id).options
    if archives or options["full"]:
        return CrawlJob(run_id, options)
    ttl = options["link_ttl_days"]
    return CrawlJob(run_id, options, load_baseline(engine, run_id, reader_version(), ttl))


def run_crawl(
    engine: Engine, run_id: int, archives: bool, log, on_progress: Counts | None
) -> tuple[CrawlJob, int, CrawlEnd | None, BaseException | None]:
    """The crawl's job, the crawl process's exit status, its end, and why storing failed if
    it did. The process is started before its job is read from the store: it loads Scrapy
    meanwhile (half a second), and a site's last run, which the job carries, takes as long
    to load for a few thousand pages."""
    mode = ["--archives"] if archives else []
    reading, writing = os.pipe()
    fcntl.fcntl(writing, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    child = subprocess.Popen(
        [sys.executable, "-m", "govscan.crawler.run", *mode, str(run_id), str(writing)],
        stdin=subprocess.PIPE,
        stdout=log,
        stderr=subprocess.STDOUT,
        pass_fds=(writing,),
        preexec_fn=die_with_parent,
    )
    os.close(writing)
    storing = Storing(engine, run_id, os.fdopen(reading, "rb"), stop=child.kill)
    try:
        job = crawl_job(engine, run_id, archives)
        give_job(child, job)
        while child.poll() is None:
            if on_progress:
                on_progress(progress(engine, run_id))
            time.sleep(0.5)
    finally:
        if child.poll() is None:
            child.terminate()
            child.wait(timeout=30)
    try:
        return job, child.returncode, storing.wait(), None
    except Exception as error:
        return job, child.returncode, None, error


def give_job(child: subprocess.Popen, job: CrawlJob) -> None:
    """Send the crawl process its job; if it died first, its exit status says why."""
    try:
        with child.stdin:
            pickle.dump(job, child.stdin, protocol=pickle.HIGHEST_PROTOCOL)
    except BrokenPipeError:
        pass


def save_crawl_metrics(engine: Engine, job: CrawlJob, end: CrawlEnd) -> None:
    """What the crawl reused of the last completed run, and which page reader read the pages
    it downloaded (a later run reuses only pages read by the same one); and by host, what
    slowed it down."""
    options, baseline = job.options, job.baseline
    reused = {
        "reader": reader_version(),
        "full": options["full"],
        "baseline": baseline.run_id if baseline else None,
        "link_ttl_days": options["link_ttl_days"],
        **reuse_counts(engine, job.run_id),
    }
    save_metrics(engine, job.run_id, METRIC, reused)
    if end.slowed:
        save_metrics(engine, job.run_id, "politeness", {"slowed": end.slowed})


def log_tail(path: Path) -> str:
    """The end of a crawl log, as much as the store keeps (a 20,000-page crawl logs tens of
    MB; UTF-8 takes at most 4 bytes a character)."""
    with path.open("rb") as log:
        log.seek(max(0, path.stat().st_size - 4 * LOG_CHARS))
        return log.read().decode("utf-8", errors="replace")


def die_with_parent() -> None:
    """Linux's parent-death signal for the crawl process: killed with the process that waits
    for it (a worker killed with kill -9), it does not go on crawling for a lost run."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
