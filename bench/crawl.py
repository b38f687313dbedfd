"""Crawl benchmark: govscan against a generated government portal served by nginx.

Usage: ``.venv/bin/python bench/crawl.py [--pages 20000] [--concurrency 16] [--twice]
[--keep] [--json FILE]``

It writes an N-page portal (Chinese text, shared navigation, footer and assets, a few
dead links) into a temporary folder, serves it with nginx on a free loopback port, runs
``govscan scan`` on it as a subprocess, and reports throughput, peak memory of the whole
process tree (the CLI and its crawl child) and the size of the SQLite database; with
``--twice`` it scans the unchanged site again, as a night does, and counts from nginx's
access log what each scan was answered (200, 304, …). It exits
non-zero when the scan is wrong (pages missed, dead links not reported exactly) or, for
20,000 pages or more, when a target is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path

import psutil

NGINX = "/usr/sbin/nginx"
FANOUT = 20  # list links per page; the site is a tree with this fan-out, so depth stays small
NAV_COLUMNS = 14  # the header nav: the homepage and 14 columns
FOOTER_PAGES = (  # file name, link text
    ("about", "关于本站"),
    ("contact", "联系我们"),
    ("sitemap", "网站地图"),
    ("copyright", "版权声明"),
    ("privacy", "隐私政策"),
    ("help", "使用帮助"),
    ("accessibility", "无障碍浏览"),
    ("feedback", "意见建议"),
    ("subscribe", "信息订阅"),
    ("links", "友情链接"),
)
DEAD_LINKS = 5
IMAGE_EVERY = 8  # one article in this many shows its own picture
SHARED_ASSETS = (
    "/static/css/common.css",
    "/static/css/portal.css",
    "/static/js/jquery.min.js",
    "/static/js/common.js",
    "/static/js/search.js",
    "/static/images/logo.png",
    "/static/images/guohui.png",
    "/static/images/jiucuo.png",
)
#: Targets, enforced from this many pages on (smaller runs are dominated by start-up).
TARGET_PAGES = 20000
TARGET_PAGES_PER_S = 250.0
TARGET_PEAK_MB = 200.0
POLL_SECONDS = 0.2

COLUMN_NAMES = (
    "政务要闻",
    "通知公告",
    "政策文件",
    "政策解读",
    "部门动态",
    "基层动态",
    "人事信息",
    "财政信息",
    "规划计划",
    "统计数据",
    "应急管理",
    "环境保护",
    "教育信息",
    "医疗卫生",
    "社会保障",
    "公共资源交易",
    "建议提案办理",
    "政务服务",
    "互动交流",
    "专题专栏",
)
TITLE_WORDS = (
    "关于印发",
    "全州",
    "进一步加强",
    "安全生产",
    "工作方案",
    "实施意见",
    "优化营商环境",
    "乡村振兴",
    "2024年度",
    "第三季度",
    "政府信息公开",
    "工作要点",
    "专项行动",
    "的通知",
    "召开会议",
    "推进会",
)
SENTENCES = (
    "为深入贯彻落实党中央、国务院决策部署，进一步提升政务服务水平，现将有关事项通知如下。",
    "各县市人民政府、州直各部门要高度重视，结合实际制定具体措施，确保各项任务落到实处。",
    "会议强调，要坚持以人民为中心的发展思想，持续优化营商环境，激发市场主体活力。",
    "本年度全州地区生产总值同比增长百分之五点六，固定资产投资保持平稳增长。",
    "按照政府信息公开条例要求，主动公开政府信息，依法保障人民群众的知情权和监督权。",
    "各单位要加强组织领导，明确责任分工，建立健全工作机制，定期报送工作进展情况。",
    "进一步加强安全生产监督管理，全面排查整治重点行业领域安全隐患，坚决遏制重特大事故。",
    "推进乡村振兴战略实施，巩固拓展脱贫攻坚成果，促进农业高质高效、农民富裕富足。",
    "加快数字政府建设，推动政务数据共享，实现更多事项网上办、掌上办、一次办。",
    "欢迎社会各界通过政务服务热线、网上留言等方式提出意见建议，我们将认真研究办理。",
    "本文件自印发之日起施行，由州人民政府办公室负责解释，此前规定与本文件不一致的，以本文件为准。",
    "生态环境保护工作取得积极成效，空气质量优良天数比例稳步提高，主要河流水质持续改善。",
)


# --------------------------------------------------------------------------- the site


@dataclass
class GeneratedSite:
    """What was written: every page's path, the assets, and the dead links expected."""

    root: Path
    paths: list[str]
    assets: set[str]
    dead: dict[str, str]  # missing path → path of the page that links to it
    depth: int


def footer_page(index: int, count: int) -> tuple[str, str]:
    """(path name, title) of one of the last ten pages, the footer's 网站地图, 联系我们 …"""
    return FOOTER_PAGES[index - (count - len(FOOTER_PAGES))]


def page_path(index: int, count: int) -> str:
    """The URL path of page ``index`` (0 is the homepage, the last ten are footer pages)."""
    if index == 0:
        return "/"
    if index >= count - len(FOOTER_PAGES):
        return f"/site/{footer_page(index, count)[0]}.html"
    if index <= FANOUT:
        return f"/col{index:02d}/index.html"
    month = 1 + index % 12
    day = 1 + index % 28
    return f"/col{column_of(index):02d}/2024{month:02d}/t2024{month:02d}{day:02d}_{index}.html"


def parent_of(index: int) -> int:
    """The page whose list links to ``index`` in the tree."""
    return (index - 1) // FANOUT


def column_of(index: int) -> int:
    """The level-one ancestor of ``index`` in the tree: its column."""
    while index > FANOUT:
        index = parent_of(index)
    return index


def tree_depth(count: int) -> int:
    """Depth of the deepest page below the homepage."""
    depth, index = 0, count - 1
    while index > 0:
        index, depth = parent_of(index), depth + 1
    return depth


def list_targets(index: int, count: int) -> list[int]:
    """The page's list: its children in the tree, else related pages of the site."""
    children = [c for c in range(index * FANOUT + 1, index * FANOUT + FANOUT + 1) if c < count]
    if len(children) >= FANOUT:
        return children
    related = [(index + step * 7919) % count for step in range(1, FANOUT + 1)]
    return children + related[: FANOUT - len(children)]


def title_of(index: int, count: int) -> str:
    """A page's title, the same wherever it is shown."""
    if index == 0:
        return "苍山州人民政府门户网站"
    if index >= count - len(FOOTER_PAGES):
        return f"{footer_page(index, count)[1]} - 苍山州人民政府"
    if index <= FANOUT:
        return f"{COLUMN_NAMES[index - 1]} - 苍山州人民政府"
    words = "".join(TITLE_WORDS[(index * k) % len(TITLE_WORDS)] for k in (1, 3, 5, 7, 11))
    return f"{words}（第{index}号）"


def render_page(index: int, count: int, dead: str | None, rng: random.Random) -> str:
    """One page: header nav, list, body text, footer, shared assets; about 6–10 KB."""
    title = title_of(index, count)
    nav = ['<li><a href="/">首页</a></li>'] + [
        f'<li><a href="{page_path(c, count)}">{COLUMN_NAMES[c - 1]}</a></li>'
        for c in range(1, min(NAV_COLUMNS, count - 1) + 1)
    ]
    items = [
        f'<li><a href="{page_path(t, count)}" title="{title_of(t, count)}">'
        f"{title_of(t, count)}</a><span>2024-{1 + t % 12:02d}-{1 + t % 28:02d}</span></li>"
        for t in list_targets(index, count)
    ]
    if dead:
        items.append(f'<li><a href="{dead}">已撤销的旧文件（第{index}号）</a></li>')
    footer = [f'<a href="/site/{name}.html">{text}</a>' for name, text in FOOTER_PAGES]
    target_bytes = rng.randint(6 * 1024, 10 * 1024)
    skeleton = SKELETON.format(
        title=title,
        nav="".join(nav),
        items="".join(items),
        picture=picture_of(index),
        body="{body}",
        footer=" | ".join(footer),
    )
    paragraphs: list[str] = []
    size = len(skeleton.encode())
    while size < target_bytes:
        paragraph = "<p>" + "".join(rng.choices(SENTENCES, k=3)) + "</p>"
        paragraphs.append(paragraph)
        size += len(paragraph.encode())
    return skeleton.replace("{body}", "\n".join(paragraphs))


def picture_of(index: int) -> str:
    """The ``<img>`` of an article that has its own picture, else an empty string."""
    if index == 0 or index % IMAGE_EVERY:
        return ""
    return f'<img src="/col{column_of(index):02d}/images/{index}.jpg" alt="新闻图片{index}">'


SKELETON = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{title}</title>
<meta name="SiteName" content="苍山州人民政府"><meta name="SiteDomain" content="www.cs.gov.cn">
<link rel="stylesheet" href="/static/css/common.css">
<link rel="stylesheet" href="/static/css/portal.css">
<script src="/static/js/jquery.min.js"></script>
<script src="/static/js/common.js"></script>
</head><body>
<div class="header"><a href="/"><img src="/static/images/logo.png" alt="苍山州人民政府"></a>
<img src="/static/images/guohui.png" alt="国徽">
<form action="/search" method="get"><input name="q"><button>搜索</button></form></div>
<ul class="nav">{nav}</ul>
<div class="main"><h1>{title}</h1>
<div class="info">发布时间：2024-06-01 来源：苍山州人民政府办公室 字号：大 中 小</div>
{picture}
<div class="content">
{body}
</div>
<div class="list"><h2>相关信息</h2><ul>{items}</ul></div></div>
<div class="footer"><p>{footer}</p>
<p>主办：苍山州人民政府办公室 网站标识码：5300000001 滇ICP备00000000号</p>
<img src="/static/images/jiucuo.png" alt="政府网站找错">
<script src="/static/js/search.js"></script></div>
</body></html>
"""


def generate_site(root: Path, count: int, seed: int = 2024) -> GeneratedSite:
    """Write ``count`` pages (``count`` ≥ 2), their assets and a few dead links under ``root``."""
    rng = random.Random(seed)
    dead_on = {max(1, count * (k + 1) // (DEAD_LINKS + 1)): k for k in range(DEAD_LINKS)}
    paths: list[str] = []
    dead: dict[str, str] = {}
    assets = set(SHARED_ASSETS)
    for index in range(count):
        path = page_path(index, count)
        missing = None
        if index in dead_on:
            missing = f"/col{column_of(index):02d}/old/removed_{dead_on[index]}.html"
            dead[missing] = path
        html = render_page(index, count, missing, rng)
        file = root / (path.lstrip("/") or "index.html")
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(html, encoding="utf-8")
        paths.append(path)
        if picture := picture_of(index):
            assets.add(picture.split('"')[1])
    for asset in assets:
        file = root / asset.lstrip("/")
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(b"/* govscan bench asset */\n" * 4)
    return GeneratedSite(root, paths, assets, dead, tree_depth(count))


# --------------------------------------------------------------------------- nginx


#: nginx's access log line: the status alone, which ``answers_since`` counts.
STATUS_ONLY = "$status"


def free_port() -> int:
    """A loopback port that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nginx_config(
    work: Path, root: Path, port: int, logged: bool, log_format: str = STATUS_ONLY, extra: str = ""
) -> str:
    """A self-contained config: every path in ``work``, runs as root or as anyone; with
    ``logged``, a line in ``log_format`` (by default the status) per answer in
    ``access_log_of(work)``; ``extra``, directives added to the ``http`` block."""
    temp = {name: work / "nginx" / name for name in ("client", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir(parents=True, exist_ok=True)
    # As root, nginx would run its workers as "nobody", who cannot read a private temp folder.
    user = "user root;" if os.geteuid() == 0 else ""
    return f"""{user}
worker_processes auto;
daemon off;
pid {work}/nginx/nginx.pid;
error_log {work}/nginx/error.log warn;
events {{ worker_connections 4096; }}
http {{
    log_format status '{log_format}';
    access_log {f"{access_log_of(work)} status" if logged else "off"};
    client_body_temp_path {temp["client"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    types {{
        text/html html;
        text/css css;
        application/javascript js;
        image/png png;
        image/jpeg jpg;
    }}
    default_type application/octet-stream;
    charset utf-8;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 100000;
    {extra}
    server {{
        listen 127.0.0.1:{port};
        root {root};
        index index.html;
    }}
}}
"""


def access_log_of(work: Path) -> Path:
    return work / "nginx" / "access.log"


def answers_since(log: Path, start: int) -> dict[str, int]:
    """How many answers of each status nginx logged after byte ``start`` of its log."""
    with log.open("rb") as lines:
        lines.seek(start)
        return dict(Counter(line.strip().decode() for line in lines))


def require_nginx() -> None:
    """Exit with a hint when nginx is not installed."""
    if not Path(NGINX).exists():
        sys.exit(
            f"{NGINX} not found: run `make bench` (it installs nginx-light) "
            "or `apt-get install nginx-light`."
        )


@contextlib.contextmanager
def nginx(
    work: Path, root: Path, logged: bool = False, log_format: str = STATUS_ONLY, extra: str = ""
) -> Iterator[int]:
    """Serve ``root`` with nginx on a free loopback port; stopped however the block ends."""
    require_nginx()
    port = free_port()
    config = work / "nginx.conf"
    config.write_text(nginx_config(work, root, port, logged, log_format, extra), encoding="utf-8")
    error_log = work / "nginx" / "error.log"
    server = subprocess.Popen(
        [NGINX, "-p", str(work / "nginx"), "-e", str(error_log), "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, server, error_log)
        yield port
    finally:
        server.send_signal(signal.SIGQUIT)  # graceful stop of master and workers
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_for_port(port: int, server: subprocess.Popen, error_log: Path) -> None:
    """Wait until nginx accepts connections; fail with its error log if it exits."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log = error_log.read_text() if error_log.exists() else ""
            raise RuntimeError(f"nginx exited with status {server.returncode}:\n{log}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nginx did not listen on 127.0.0.1:{port} within 10 s")


# --------------------------------------------------------------------------- the scan


@dataclass
class Watch:
    """What polling saw: peak RSS (bytes) of the tree and of each process, child timing."""

    tree: int = 0
    tree_phase: str = ""  # when the tree peaked: crawl, or after it (checks and report)
    tree_parts: dict[str, int] = field(default_factory=dict)  # each process at the tree's peak
    peaks: dict[str, int] = field(default_factory=dict)  # each process's own peak
    child_first: float | None = None  # perf_counter when the crawl child was first seen
    child_last: float | None = None  # … and last seen
    child_cpu: float = 0.0  # user + system seconds of the crawl child, last reading


@dataclass
class BenchResult:
    """The figures of one benchmark run, and what went wrong in it."""

    pages_requested: int
    concurrency: int
    pages: int
    fetched: int
    links: int
    wall_s: float
    crawl_s: float
    cpu_s: float
    crawl_cpu_s: float
    peak_tree_mb: float
    peak_phase: str  # when the tree peaked: crawl, or after crawl (checks and report)
    peak_parts_mb: dict[str, float]  # each process's RSS at the tree's peak
    peaks_mb: dict[str, float]  # each process's own peak: cli, crawl
    db_mb: float
    broken: list[str]
    exit_code: int
    problems: list[str] = field(default_factory=list)
    incremental: dict = field(default_factory=dict)  # the run's metrics.incremental
    answers: dict[str, int] = field(default_factory=dict)  # by status, from nginx's log

    @property
    def pages_per_s(self) -> float:
        """End-to-end throughput: pages crawled per second of ``govscan scan``."""
        return self.pages / self.wall_s if self.wall_s else 0.0


def govscan_command() -> str:
    """The ``govscan`` script beside this interpreter, else the one on PATH."""
    beside = Path(sys.executable).parent / "govscan"
    found = str(beside) if beside.exists() else shutil.which("govscan")
    if not found:
        sys.exit("govscan CLI not found: run `make bench`, or install the package first.")
    return found


def tree_rss(root: psutil.Process) -> int:
    """RSS of ``root`` and all its descendants, in bytes; 0 for those already gone."""
    total = 0
    with contextlib.suppress(psutil.Error):
        for process in [root, *root.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += process.memory_info().rss
    return total


def role_of(process: psutil.Process) -> str:
    """``crawl`` for the crawl child (the CLI stores what it finds), else ``other``."""
    return "crawl" if "govscan.crawler.run" in " ".join(process.cmdline()) else "other"


def sample(process: psutil.Process, watch: Watch) -> None:
    """Add up RSS over ``process`` (the CLI) and its descendants; remember the maxima, each
    process's own and the phase of the scan at the tree's."""
    parts: dict[str, int] = {}
    now = time.perf_counter()
    with contextlib.suppress(psutil.Error):
        parts["cli"] = process.memory_info().rss
        for child in process.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                role = role_of(child)
                parts[role] = parts.get(role, 0) + child.memory_info().rss
                if role == "crawl":
                    cpu = child.cpu_times()
                    watch.child_cpu = cpu.user + cpu.system
                    watch.child_last = now
                    watch.child_first = watch.child_first or now
    for role, rss in parts.items():
        watch.peaks[role] = max(watch.peaks.get(role, 0), rss)
    if (total := sum(parts.values())) > watch.tree:
        watch.tree, watch.tree_phase, watch.tree_parts = total, phase(parts, watch), parts


def phase(parts: dict[str, int], watch: Watch) -> str:
    """``crawl`` while a crawl child runs; before it, or after it (the checks and the report)."""
    if "crawl" in parts:
        return "crawl"
    return "after crawl" if watch.child_first else "before crawl"


def children_cpu() -> float:
    """User + system seconds of every descendant waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_scan(
    url: str, work: Path, out: Path, max_pages: int, depth: int, concurrency: int
) -> tuple[int, float, float, Watch]:
    """Run ``govscan scan`` and watch its memory; exit code, wall and CPU seconds, and peaks."""
    env = {**os.environ, "GOVSCAN_DB": f"sqlite:///{work / 'govscan.db'}"}
    command = [
        govscan_command(),
        "scan",
        url,
        "--out",
        str(out),
        "--max-pages",
        str(max_pages),
        "--depth",
        str(depth),
        "--concurrency",
        str(concurrency),
        "--checks",  # every family but the browser's, which bench/browser.py measures
        "links,columns,identity,disclosure,ipv6",
    ]
    watch = Watch()
    with (work / "scan.log").open("w", encoding="utf-8") as log:
        cpu_before = children_cpu()
        started = time.perf_counter()
        scan = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            watched = psutil.Process(scan.pid)
            while scan.poll() is None:
                sample(watched, watch)
                time.sleep(POLL_SECONDS)
        finally:
            if scan.poll() is None:
                scan.terminate()
                scan.wait(timeout=30)
        wall = time.perf_counter() - started
    return scan.returncode, wall, children_cpu() - cpu_before, watch


def db_megabytes(work: Path) -> float:
    """Size of the SQLite database with its WAL and shared-memory files."""
    files = [work / name for name in ("govscan.db", "govscan.db-wal", "govscan.db-shm")]
    return sum(f.stat().st_size for f in files if f.exists()) / 1e6


def verify(site: GeneratedSite, stats: dict, findings: list[dict], base: str) -> list[str]:
    """What the scan got wrong: pages missed, dead links not reported, link findings too many."""
    problems = []
    if stats.get("pages") != len(site.paths):
        problems.append(f"pages crawled {stats.get('pages')} != pages generated {len(site.paths)}")
    expected = {base + path.lstrip("/") for path in site.dead}
    broken = {f["url"] for f in findings if f["rule"] == "links.broken"}
    if broken != expected:
        problems.append(f"dead links reported {sorted(broken)} != expected {sorted(expected)}")
    # The generated pages have no identity footer, columns or dates: only the link findings
    # are checked here; the other checks still run, so their cost is measured.
    others = [f for f in findings if f["rule"].startswith("links.") and f["rule"] != "links.broken"]
    if others:
        problems.append(f"{len(others)} unexpected findings, first: {others[0]['message']}")
    return problems


def run_benchmark(pages: int, concurrency: int, work: Path, scans: int = 1) -> list[BenchResult]:
    """Generate, serve, scan and check one site ``scans`` times; the figures of each scan."""
    started = time.perf_counter()
    site = generate_site(work / "site", pages)
    print(
        f"generated {pages} pages, {len(site.assets)} assets, {len(site.dead)} dead links, "
        f"depth {site.depth} in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    results = []
    logged = scans > 1
    with nginx(work, site.root, logged) as port:
        base = f"http://127.0.0.1:{port}/"
        for number in range(1, scans + 1):
            print(f"nginx on {base}; scan {number} with concurrency {concurrency} …", flush=True)
            log_start = access_log_of(work).stat().st_size if logged else 0
            out = work / f"out{number}"
            scanned = run_scan(base, work, out, pages + 100, site.depth + 2, concurrency)
            result = checked_result(site, base, work, out, pages, concurrency, *scanned)
            result.answers = answers_since(access_log_of(work), log_start) if logged else {}
            if results and set(result.broken) != set(results[0].broken):
                result.problems.append("the scan's dead links differ from the first scan's")
            results.append(result)
    return results


def checked_result(
    site: GeneratedSite,
    base: str,
    work: Path,
    out: Path,
    pages: int,
    concurrency: int,
    code: int,
    wall: float,
    cpu: float,
    watch: Watch,
) -> BenchResult:
    """The figures of one scan, and what it got wrong."""
    report = out / "findings.json"
    if not report.exists():
        log = (work / "scan.log").read_text(encoding="utf-8", errors="replace")
        raise RuntimeError(f"govscan exited {code} without findings.json:\n{log[-3000:]}")
    result = json.loads(report.read_text(encoding="utf-8"))["sites"][0]
    stats, findings = result["stats"], result["findings"]
    problems = verify(site, stats, findings, base)
    if code != 0 or result["status"] != "completed":
        problems.append(f"govscan exited {code}, run {result['status']}: {result['error']}")
    return BenchResult(
        pages_requested=pages,
        concurrency=concurrency,
        pages=stats.get("pages", 0),
        fetched=stats.get("fetched", 0),
        links=stats.get("links", 0),
        wall_s=wall,
        crawl_s=(watch.child_last or 0.0) - (watch.child_first or 0.0),
        cpu_s=cpu,
        crawl_cpu_s=watch.child_cpu,
        peak_tree_mb=watch.tree / 1e6,
        peak_phase=watch.tree_phase,
        peak_parts_mb={role: rss / 1e6 for role, rss in watch.tree_parts.items()},
        peaks_mb={role: rss / 1e6 for role, rss in watch.peaks.items()},
        db_mb=db_megabytes(work),
        broken=sorted(f["url"] for f in findings if f["rule"] == "links.broken"),
        exit_code=code,
        problems=problems,
        incremental=result["metrics"].get("incremental", {}),
    )


# --------------------------------------------------------------------------- report


def machine_info() -> dict[str, str]:
    """Cores, CPU model, memory, and the Python and Scrapy versions."""
    cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    model = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if "model name" in line),
        platform.processor() or "unknown",
    )
    meminfo = Path("/proc/meminfo").read_text(encoding="utf-8").split()
    ram_gib = int(meminfo[meminfo.index("MemTotal:") + 1]) / 1024**2
    return {
        "nproc": str(len(os.sched_getaffinity(0))),
        "cpu": model,
        "ram": f"{ram_gib:.1f} GiB",
        "python": platform.python_version(),
        "scrapy": version("scrapy"),
    }


def missed_targets(result: BenchResult) -> list[str]:
    """The targets this run missed; only runs of ``TARGET_PAGES`` pages or more are held to them."""
    if result.pages_requested < TARGET_PAGES:
        return []
    missed = []
    if result.pages_per_s < TARGET_PAGES_PER_S:
        missed.append(
            f"throughput {result.pages_per_s:.0f} pages/s < {TARGET_PAGES_PER_S:.0f} pages/s"
        )
    if result.peak_tree_mb >= TARGET_PEAK_MB:
        missed.append(f"peak RSS {result.peak_tree_mb:.0f} MB >= {TARGET_PEAK_MB:.0f} MB")
    return missed


def print_report(result: BenchResult, machine: dict[str, str]) -> None:
    """The figures and the machine, one per line."""
    keys = ("baseline", "pages_downloaded", "pages_revalidated", "links_reused")
    reused = {key: result.incremental[key] for key in keys if key in result.incremental}
    answers = sorted(result.answers.items())
    rows = [
        ("pages crawled", f"{result.pages}"),
        ("unique URLs fetched", f"{result.fetched}"),
        ("links", f"{result.links}"),
        ("wall time", f"{result.wall_s:.1f} s"),
        ("  of which crawl child", f"{result.crawl_s:.1f} s"),
        ("CPU time, process tree", f"{result.cpu_s:.1f} s"),
        ("CPU time, crawl child", f"{result.crawl_cpu_s:.1f} s"),
        ("throughput", f"{result.pages_per_s:.0f} pages/s"),
        ("peak RSS, process tree", f"{result.peak_tree_mb:.0f} MB"),
        ("  at the peak", f"{result.peak_phase}: {megabytes(result.peak_parts_mb)}"),
        ("peak RSS, each process", megabytes(result.peaks_mb)),
        ("SQLite database", f"{result.db_mb:.1f} MB"),
        ("dead links reported", f"{len(result.broken)}"),
        *((f"incremental: {key}", f"{value}") for key, value in reused.items()),
        *((f"nginx answered {status}", f"{count}") for status, count in answers),
        ("concurrency", f"{result.concurrency}"),
        *((f"machine: {key}", value) for key, value in machine.items()),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


def megabytes(by_process: dict[str, float]) -> str:
    """``cli 60 MB, crawl 190 MB, …``"""
    return ", ".join(f"{role} {mb:.0f} MB" for role, mb in by_process.items())


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line; the site needs room for its columns, footer and dead links."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=TARGET_PAGES, help="pages of the site")
    parser.add_argument("--concurrency", type=int, default=16, help="govscan --concurrency")
    parser.add_argument(
        "--twice", action="store_true", help="scan the unchanged site again (incremental)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if args.pages < len(FOOTER_PAGES) + FANOUT + DEAD_LINKS + 2:
        parser.error(f"--pages must be at least {len(FOOTER_PAGES) + FANOUT + DEAD_LINKS + 2}")
    return args


def stop_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit, so nginx and the temp folder are cleaned up."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    require_nginx()
    govscan_command()
    stop_on_sigterm()
    work = Path(tempfile.mkdtemp(prefix="govscan-bench-"))
    try:
        results = run_benchmark(args.pages, args.concurrency, work, 2 if args.twice else 1)
        machine = machine_info()
        for number, result in enumerate(results, 1):
            print(f"--- scan {number}")
            print_report(result, machine)
        if args.json:
            figures = [{**asdict(r), "pages_per_s": r.pages_per_s} for r in results]
            summary = {**figures[0], "machine": machine}
            if args.twice:
                summary["second_scan"] = figures[1]
            args.json.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    result = results[0]
    failures = [p for r in results for p in r.problems] + missed_targets(result)
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    if result.pages_requested < TARGET_PAGES:
        print(f"(targets apply from {TARGET_PAGES} pages on; not checked for this run)")
    elif not failures:
        print(
            f"targets met: >= {TARGET_PAGES_PER_S:.0f} pages/s and < {TARGET_PEAK_MB:.0f} MB peak"
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
