"""A prefecture's night: many slow government sites, two of them on one server, and the
accounts' archives, scanned one site after another and ``--parallel N``.

Usage: ``.venv/bin/python bench/night.py [--sites 50] [--scale 1.0] [--accounts 500]
[--parallel 1,4,8] [--celery 2 [--per-worker 4]] [--json FILE]``

Every site is served by one asyncio server on its own loopback address (127.0.1.x), the
first two on the same address, answering each request after a delay drawn from 50–800 ms
(from 500–2000 ms for one site in ten): a government server's pace. Site i has 300–3000
pages (times ``--scale``) in a tree of fan-out 15, crawled to depth 3; each account has an
RSS archive. The server records every request (host, address, start, end), so the figures
include the most requests in flight to one host and to one address, and the busiest
host's requests per second: the politeness the night kept.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from functools import partial
from pathlib import Path

import psutil
from crawl import POLL_SECONDS, govscan_command, machine_info, tree_rss

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from servers import PostgresCluster, RedisServer, most_at_once  # the real servers the tests start

FANOUT = 15
DEPTH = 3
SEED = 20261202
PORT = 18080
CONCURRENCY = 4


@dataclass(frozen=True)
class SiteSpec:
    name: str
    pages: int
    address: str
    slow: bool

    @property
    def host(self) -> str:
        return f"{self.name}.gov.test"

    def delay(self, rng: random.Random) -> float:
        return rng.uniform(0.5, 2.0) if self.slow else rng.uniform(0.05, 0.8)


def night_sites(count: int, scale: float) -> list[SiteSpec]:
    rng = random.Random(SEED)
    sites = []
    for i in range(count):
        address = f"127.0.1.{max(1, i)}"  # sites 0 and 1 share 127.0.1.1
        pages = max(20, int(rng.uniform(300, 3000) * scale))
        sites.append(SiteSpec(f"s{i:02d}", pages, address, slow=i % 10 == 9))
    return sites


def page_html(site: SiteSpec, number: int) -> bytes:
    first = number * FANOUT + 1
    children = range(first, min(first + FANOUT, site.pages))
    links = "".join(f'<li><a href="/p{k}.html">第{k}篇 政务动态</a></li>' for k in children)
    title = "首页" if number == 0 else f"第{number}篇 政务动态"
    body = "<p>本县召开政务公开工作推进会，部署下一阶段重点任务。</p>" * 6
    return (
        f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>{title}</title>"
        f"</head><body><nav><a href='/'>首页</a></nav><h1>{title}</h1>"
        f"<p>发布时间：2026-11-30</p>{body}<ul>{links}</ul>"
        f"<footer>{site.name}县人民政府 主办</footer></body></html>"
    ).encode()


def feed_xml(account: int) -> bytes:
    day = datetime.now(UTC) - timedelta(days=account % 20)
    items = "".join(
        f"<item><title>政务动态第{n}期</title><link>http://feeds.gov.test/{account}/{n}</link>"
        f"<pubDate>{format_datetime(day - timedelta(days=n))}</pubDate></item>"
        for n in range(10)
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>账号{account}</title>{items}</channel></rss>"
    ).encode()


class NightServer:
    """Every site and the feeds, in one thread with an asyncio loop; the request log."""

    def __init__(self, sites: list[SiteSpec]):
        self.sites = {site.host: site for site in sites}
        self.log: list[tuple[str, str, float, float]] = []  # host, address, start, end
        self.rng = random.Random(SEED)
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        address = writer.get_extra_info("sockname")[0]
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                began = time.monotonic()
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                host = next(
                    (
                        line[5:].strip().split(":")[0]
                        for line in lines
                        if line.lower().startswith("host:")
                    ),
                    "",
                )
                status, body, kind = self.answer(host, path)
                if host in self.sites:
                    await asyncio.sleep(self.sites[host].delay(self.rng))
                writer.write(
                    f"HTTP/1.1 {status}\r\nContent-Type: {kind}\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n".encode()
                    + body
                )
                await writer.drain()
                self.log.append((host, address, began, time.monotonic()))
        writer.close()

    def answer(self, host: str, path: str) -> tuple[str, bytes, str]:
        html = "text/html; charset=utf-8"
        if host == "feeds.gov.test" and path.endswith(".xml"):
            return (
                "200 OK",
                feed_xml(int(path.strip("/").removesuffix(".xml"))),
                "application/rss+xml",
            )
        site = self.sites.get(host)
        if site is not None:
            number = "0" if path == "/" else path.removeprefix("/p").removesuffix(".html")
            if number.isdigit() and int(number) < site.pages:
                return "200 OK", page_html(site, int(number)), html
        return "404 Not Found", b"<html><body>404</body></html>", html

    async def serve(self) -> None:
        addresses = sorted({site.address for site in self.sites.values()} | {"127.0.1.250"})
        for address in addresses:
            await asyncio.start_server(self.handle, address, PORT, backlog=512)
        self.ready.set()
        await asyncio.Event().wait()

    def start(self) -> None:
        thread = threading.Thread(
            target=self.loop.run_until_complete, args=(self.serve(),), daemon=True
        )
        thread.start()
        self.ready.wait(10)


def inventory(sites: list[SiteSpec], accounts: int) -> str:
    lines = ["sites:"]
    for site in sites:
        lines.append(
            f"  - {{id: {site.name}, name: {site.name}县政府网站, "
            f"url: 'http://{site.host}:{PORT}/', unit: {site.name}县人民政府}}"
        )
    if accounts:
        lines.append("accounts:")
        for n in range(accounts):
            lines.append(
                f"  - {{id: a{n:03d}, platform: wechat, name: 账号{n}, unit: 单位{n % 50}, "
                f"archives: [{{type: feed, url: 'http://feeds.gov.test:{PORT}/{n}.xml'}}]}}"
            )
    return "\n".join(lines) + "\n"


def politeness(log: list[tuple[str, str, float, float]], since: float) -> dict:
    by_host, by_address = defaultdict(list), defaultdict(list)
    for host, address, start, end in log:
        if start >= since and host.endswith(".gov.test") and host != "feeds.gov.test":
            by_host[host].append((start, end))
            by_address[address].append((start, end))
    busiest = max(by_host.values(), key=len, default=[])
    span = (max(e for _, e in busiest) - min(s for s, _ in busiest)) if busiest else 0
    return {
        "requests": sum(map(len, by_host.values())),
        "most_in_flight_per_host": max(map(most_at_once, by_host.values()), default=0),
        "most_in_flight_per_address": max(map(most_at_once, by_address.values()), default=0),
        "busiest_host_requests_per_s": round(len(busiest) / span, 1) if span else 0,
    }


def scan_command(work: Path, out: Path, resolve: list[str]) -> list[str]:
    return [
        govscan_command(), "scan", "--config", str(work / "sites.yaml"), "--out", str(out),
        "--max-pages", "3000", "--depth", str(DEPTH), "--concurrency", str(CONCURRENCY),
        "--checks", "links,columns,identity,newmedia", *resolve,
    ]  # fmt: skip


def timed(command: list[str], env: dict, log: Path, others: list[psutil.Process]) -> tuple:
    """Run ``command`` to its end; its wall time, exit code, and the peak RSS of its process
    tree and ``others``' trees together."""
    peak = 0
    started = time.perf_counter()
    with log.open("w") as output:
        scan = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
        roots = [psutil.Process(scan.pid), *others]
        while scan.poll() is None:
            peak = max(peak, sum(map(tree_rss, roots)))
            time.sleep(POLL_SECONDS)
    return time.perf_counter() - started, scan.returncode, peak


def figures(out: Path, wall: float, code: int, peak: int) -> dict:
    result = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    pages = sum(site["stats"].get("pages", 0) for site in result["sites"])
    return {
        "exit_code": code,
        "wall_s": round(wall, 1),
        "pages": pages,
        "pages_per_s": round(pages / wall, 1),
        "peak_tree_mb": round(peak / 1e6),
        "sites_completed": sum(site["status"] == "completed" for site in result["sites"]),
        "accounts": len(result["accounts"]),
    }


def run_night(work: Path, resolve: list[str], parallel: int) -> dict:
    """The night on this machine, ``parallel`` sites at once."""
    out = work / f"out-{parallel}"
    env = {**os.environ, "GOVSCAN_DB": f"sqlite:///{work / f'night-{parallel}.db'}"}
    command = [*scan_command(work, out, resolve), "--parallel", str(parallel)]
    wall, code, peak = timed(command, env, work / f"night-{parallel}.log", [])
    return {"mode": f"--parallel {parallel}", **figures(out, wall, code, peak)}


def run_cluster(work: Path, resolve: list[str], workers: int, per_worker: int) -> dict:
    """The night on Celery: a Redis queue, a PostgreSQL store and ``workers`` workers of
    ``per_worker`` sites at once each, all on this machine; the peak counts every worker."""
    out = work / f"out-celery-{workers}"
    binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    with RedisServer() as redis, PostgresCluster(binaries) as db_url:
        env = {**os.environ, "GOVSCAN_BROKER": redis.url, "GOVSCAN_DB": db_url}
        subprocess.run([govscan_command(), "db", "upgrade"], env=env, check=True)
        pool = []
        for number in range(workers):
            command = [govscan_command(), "worker", "--concurrency", str(per_worker)]
            with (work / f"worker-{number}.log").open("w") as log:
                pool.append(subprocess.Popen(command, env=env, stdout=log, stderr=log))
        try:
            processes = [psutil.Process(worker.pid) for worker in pool]
            log = work / f"night-celery-{workers}.log"
            wall, code, peak = timed(scan_command(work, out, resolve), env, log, processes)
        finally:
            for worker in pool:
                worker.terminate()
                worker.wait(timeout=60)
    mode = f"Celery, {workers} workers × {per_worker}"
    return {"mode": mode, **figures(out, wall, code, peak)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--accounts", type=int, default=500)
    parser.add_argument("--parallel", default="1,4,8")
    parser.add_argument(
        "--celery", type=int, default=0, help="then with this many Celery workers (0: none)"
    )
    parser.add_argument("--per-worker", type=int, default=4, help="sites at once per worker")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    sites = night_sites(args.sites, args.scale)
    server = NightServer(sites)
    server.start()
    resolve = [f"--resolve={site.host}:{site.address}" for site in sites]
    resolve.append("--resolve=feeds.gov.test:127.0.1.250")
    runs = []
    with tempfile.TemporaryDirectory(prefix="govscan-night-") as folder:
        work = Path(folder)
        (work / "sites.yaml").write_text(inventory(sites, args.accounts), encoding="utf-8")
        nights = [partial(run_night, parallel=int(n)) for n in args.parallel.split(",") if n]
        if args.celery:
            nights.append(partial(run_cluster, workers=args.celery, per_worker=args.per_worker))
        for night in nights:
            since = time.monotonic()
            run = night(work, resolve)
            run.update(politeness(server.log, since))
            runs.append(run)
            print(json.dumps(run, ensure_ascii=False), flush=True)
    figures = {
        "sites": args.sites,
        "pages_planned": sum(site.pages for site in sites),
        "accounts": args.accounts,
        "concurrency_per_host": CONCURRENCY,
        "runs": runs,
        "machine": machine_info(),
    }
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if all(run["exit_code"] in (0, 1) for run in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
