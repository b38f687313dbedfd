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
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
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
    options = (get_account_run if archives else get_run)(engine, run_id).options
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with (
        log_path.open("w", encoding="utf-8") as log,
        tempfile.TemporaryDirectory(prefix="govscan-baseline-") as folder,
    ):
        outcome = run_crawl(engine, run_id, options, archives, log, on_progress, Path(folder))
    if on_progress:
        on_progress(progress(engine, run_id))
    logged = log_tail(log_path)
    save_log(engine, AccountRun if archives else Run, run_id, logged)
    if outcome.returncode != 0:
        last_line = (logged.strip().splitlines() or [""])[-1]
        return f"抓取进程异常退出（代码 {outcome.returncode}）：{last_line}；日志：{log_path}"
    if (error := outcome.store_error) is not None:
        return f"抓取结果未能全部保存：{error or type(error).__name__}"
    if outcome.end is None:
        return f"抓取进程未交回结束信息，结果不完整；日志：{log_path}"
    if not archives:
        save_crawl_metrics(engine, run_id, options, outcome)
    return None


@dataclass
class Outcome:
    """How a crawl process ended: its exit status, its last message, why storing failed if
    it did, and the earlier run it was given to reuse."""

    returncode: int
    end: CrawlEnd | None
    store_error: Exception | None
    baseline_run: int | None


def crawl_job(engine: Engine, run_id: int, options: dict, archives: bool, folder: Path) -> CrawlJob:
    """The run's options, and for a site that is not scanned in full, what the crawl may
    reuse of its last completed run (its pages' links written in ``folder``)."""
    if archives or options["full"]:
        return CrawlJob(run_id, options)
    ttl = options["link_ttl_days"]
    baseline = load_baseline(engine, run_id, reader_version(), ttl, folder)
    return CrawlJob(run_id, options, baseline)


def release_freed_memory() -> None:
    """Give the memory the job took back to the system: glibc keeps what Python frees for
    later, and the earlier run's pages took tens of MB for the crawl's whole length."""
    ctypes.CDLL(None).malloc_trim(0)


def run_crawl(
    engine: Engine,
    run_id: int,
    options: dict,
    archives: bool,
    log,
    on_progress: Counts | None,
    folder: Path,
) -> Outcome:
    """Start the crawl process, give it its job (with files it needs in ``folder``) and
    store what it hands back. The process is started before its job is read from the store:
    it loads Scrapy meanwhile (half a second), and a site's last run, which the job carries,
    takes as long to load for a few thousand pages."""
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
        # the job, with the earlier run's pages, is dropped once sent: the crawl holds it
        baseline_run = give_job(child, crawl_job(engine, run_id, options, archives, folder))
        release_freed_memory()
        while child.poll() is None:
            if on_progress:
                on_progress(progress(engine, run_id))
            time.sleep(0.5)
    finally:
        if child.poll() is None:
            child.terminate()
            child.wait(timeout=30)
    try:
        return Outcome(child.returncode, storing.wait(), None, baseline_run)
    except Exception as error:
        return Outcome(child.returncode, None, error, baseline_run)


def give_job(child: subprocess.Popen, job: CrawlJob) -> int | None:
    """Send the crawl process its job; if it died first, its exit status says why. The
    earlier run the job offers to reuse."""
    try:
        with child.stdin:
            pickle.dump(job, child.stdin, protocol=pickle.HIGHEST_PROTOCOL)
    except BrokenPipeError:
        pass
    return job.baseline.run_id if job.baseline else None


def save_crawl_metrics(engine: Engine, run_id: int, options: dict, outcome: Outcome) -> None:
    """What the crawl reused of the last completed run, and which page reader read the pages
    it downloaded (a later run reuses only pages read by the same one); and by host, what
    slowed it down."""
    reused = {
        "reader": reader_version(),
        "full": options["full"],
        "baseline": outcome.baseline_run,
        "link_ttl_days": options["link_ttl_days"],
        **reuse_counts(engine, run_id),
    }
    save_metrics(engine, run_id, METRIC, reused)
    if outcome.end.slowed:
        save_metrics(engine, run_id, "politeness", {"slowed": outcome.end.slowed})


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
