"""Peers benchmark: govscan against linkinator, LinkChecker and a bare Scrapy spider.

Usage: ``.venv/bin/python bench/peers.py [--pages 2000] [--rounds 3] [--concurrency 16]
[--tools govscan,linkinator,linkchecker,scrapy] [--baseline CHECKOUT] [--keep] [--json FILE]``

It writes ``bench/crawl.py``'s portal, serves it with nginx on loopback, and in each round
runs every tool once on it, in a rotated order, so that the tools share the machine's
moods: absolute figures move by ±30 % between machines and runs, a comparison in one run
does not. For each run it measures the wall time of the whole command, the peak RSS of its
process tree, and, from nginx's access log (``$msec``), when its first and last request
arrived and what it asked for (pages, unique URLs, dead links). It also times
``govscan --version`` and govscan's start-up on an existing database (a second scan of the
same site), and with ``--baseline`` the govscan of another checkout alongside. The medians
over the rounds are printed as a Markdown table.

Missing tools are installed first: linkinator with npm into ``/tmp/govscan-peers-tools``,
LinkChecker with pip into this interpreter's environment.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).parent))
from crawl import (  # bench/ is not a package
    GeneratedSite,
    access_log_of,
    generate_site,
    machine_info,
    nginx,
    stop_on_sigterm,
    tree_rss,
)

REPO = Path(__file__).resolve().parent.parent
TOOLS_DIR = Path(tempfile.gettempdir()) / "govscan-peers-tools"
LINKINATOR = TOOLS_DIR / "node_modules" / ".bin" / "linkinator"
BARE_SPIDER = Path(__file__).parent / "bare_spider.py"
#: When nginx answered (epoch seconds, ms resolution), the status, the method and the path.
LOG_FORMAT = "$msec $status $request_method $request_uri"
POLL_SECONDS = 0.1
#: LinkChecker waits 0.1–0.6 s between two requests to one host, unless the server answers
#: with a ``LinkChecker`` header and its config raises the rate; the other tools do not
#: throttle, so neither does it here.
LINKCHECKER_RC = "[checking]\nmaxrequestspersecond=100000\n"
LINKCHECKER_HEADER = "add_header LinkChecker unthrottled always;"


@dataclass
class Run:
    """One run of one tool: timings, memory, and what nginx saw it ask for."""

    tool: str
    round: int
    exit_code: int
    wall_s: float
    first_request_s: float  # from the command's start to nginx's first answer to it
    last_request_s: float  # … to nginx's last answer
    peak_rss_mb: float  # the process tree's, polled every POLL_SECONDS
    requests: int
    unique_urls: int
    pages: int  # unique URLs that are pages of the generated site
    dead: int  # unique URLs answered 404
    links: int | None  # links the tool says it read, where it says so
    reported_dead: int | None  # dead links in the tool's own report

    @property
    def pages_per_s(self) -> float:
        """Pages of the site fetched per second of the whole command."""
        return self.pages / self.wall_s if self.wall_s else 0.0


@dataclass
class Tool:
    """How to run one tool on a URL in a folder, and how to read its own report there."""

    name: str
    command: Callable[[str, Path, int, GeneratedSite], list[str]]
    report: Callable[[Path], tuple[int | None, int | None]]  # (links, dead links reported)
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class Env:
    """What a round gives each run: the concurrency, and environment variables (govscan's
    database, fresh each round and reused by the round's second scan)."""

    concurrency: int
    variables: dict[str, str]


# --------------------------------------------------------------------------- the tools


def govscan_command(url: str, folder: Path, concurrency: int, site: GeneratedSite) -> list[str]:
    """The whole ``govscan scan`` with the links check, on the code of the checkout the
    tool's ``PYTHONPATH`` names; the limits are raised to the site's size, as a user
    scanning a whole site does."""
    return [
        sys.executable,
        "-m",
        "govscan.cli",
        "scan",
        url,
        "--checks",
        "links",
        "--out",
        str(folder / "out"),
        "--concurrency",
        str(concurrency),
        "--max-pages",
        str(len(site.paths) + 100),
        "--depth",
        str(site.depth + 2),
    ]


def python_path(checkout: Path) -> dict[str, str]:
    """The environment that runs ``checkout``'s govscan with this interpreter."""
    return {"PYTHONPATH": str(checkout)}


def govscan_report(folder: Path) -> tuple[int | None, int | None]:
    """Links and dead links from ``findings.json``."""
    result = json.loads((folder / "out" / "findings.json").read_text(encoding="utf-8"))
    site = result["sites"][0]
    broken = [f for f in site["findings"] if f["rule"] == "links.broken"]
    return site["stats"].get("links"), len(broken)


def linkinator_command(url: str, folder: Path, concurrency: int, _: GeneratedSite) -> list[str]:
    """linkinator, recursive on the host, its JSON report to stdout (``run_tool`` keeps it)."""
    return [str(LINKINATOR), url, "--recurse", "--concurrency", str(concurrency), "-f", "json"]


def linkinator_report(folder: Path) -> tuple[int | None, int | None]:
    """Link results and broken URLs from linkinator's JSON report."""
    links = json.loads((folder / "stdout").read_text(encoding="utf-8"))["links"]
    return len(links), len({link["url"] for link in links if link["state"] == "BROKEN"})


def linkchecker_command(url: str, folder: Path, concurrency: int, _: GeneratedSite) -> list[str]:
    """LinkChecker, recursive, every URL (``--verbose``) as CSV to stdout, unthrottled. As
    root it runs as ``nobody``, who must be able to read its config."""
    config = folder / "linkcheckerrc"
    config.write_text(LINKCHECKER_RC, encoding="utf-8")
    for path in (folder.parent, folder, config):
        path.chmod(path.stat().st_mode | 0o005)
    return [
        *linkchecker_executable(),
        "--config",
        str(config),
        "--threads",
        str(concurrency),
        "--verbose",
        "--no-status",
        "--output",
        "csv",
        url,
    ]


def linkchecker_executable() -> list[str]:
    """The ``linkchecker`` script beside this interpreter."""
    return [str(Path(sys.executable).parent / "linkchecker")]


def linkchecker_report(folder: Path) -> tuple[int | None, int | None]:
    """Checked links and invalid URLs from LinkChecker's CSV (``#`` lines are comments)."""
    with (folder / "stdout").open(encoding="utf-8") as lines:
        rows = list(
            csv.DictReader((line for line in lines if not line.startswith("#")), delimiter=";")
        )
    return len(rows), len({row["url"] for row in rows if row["valid"] == "False"})


def scrapy_command(url: str, folder: Path, concurrency: int, _: GeneratedSite) -> list[str]:
    """``bench/bare_spider.py`` with the same concurrency."""
    out = folder / "bare.json"
    return [
        sys.executable,
        str(BARE_SPIDER),
        url,
        "--concurrency",
        str(concurrency),
        "--out",
        str(out),
    ]


def scrapy_report(folder: Path) -> tuple[int | None, int | None]:
    """Links read and URLs answered 404 from the bare spider's summary."""
    summary = json.loads((folder / "bare.json").read_text(encoding="utf-8"))
    return summary["links"], sum(1 for status in summary["statuses"].values() if status == 404)


TOOLS = {
    "govscan": Tool("govscan", govscan_command, govscan_report, python_path(REPO)),
    "linkinator": Tool("linkinator", linkinator_command, linkinator_report),
    "linkchecker": Tool("linkchecker", linkchecker_command, linkchecker_report),
    "scrapy": Tool("scrapy", scrapy_command, scrapy_report),
}


def compile_bytecode(checkout: Path) -> None:
    """Compile a checkout's govscan to bytecode, as ``pip install`` does: with
    ``PYTHONDONTWRITEBYTECODE`` set, or a read-only checkout, every start would compile the
    sources again and the start-up measured would be no user's."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(checkout / "govscan")],
        stdout=subprocess.DEVNULL,
        check=True,
    )


def install_missing(names: list[str]) -> None:
    """npm-install linkinator and pip-install LinkChecker when they are asked for and absent."""
    if "linkinator" in names and not LINKINATOR.exists():
        TOOLS_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "linkinator"], cwd=TOOLS_DIR, check=True
        )
    if "linkchecker" in names and not Path(linkchecker_executable()[0]).exists():
        subprocess.run([sys.executable, "-m", "pip", "install", "linkchecker"], check=True)


# --------------------------------------------------------------------------- one run


def timed(command: list[str], env: dict[str, str], folder: Path) -> tuple[int, float, float, int]:
    """Run ``command`` in ``folder``, its stdout and stderr there; exit code, start (epoch
    seconds), wall seconds and the peak RSS of its process tree. Not in the current folder:
    ``python -m`` puts it before ``PYTHONPATH``, and a checkout there would be imported
    instead of the one asked for."""
    with (folder / "stdout").open("wb") as out, (folder / "stderr").open("wb") as err:
        started_epoch, started = time.time(), time.perf_counter()
        process = subprocess.Popen(
            command, env={**os.environ, **env}, stdout=out, stderr=err, cwd=folder
        )
        peak = 0
        watched = psutil.Process(process.pid)
        try:
            while process.poll() is None:
                peak = max(peak, tree_rss(watched))
                time.sleep(POLL_SECONDS)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        wall = time.perf_counter() - started
    return process.returncode, started_epoch, wall, peak


def requests_since(log: Path, offset: int) -> list[tuple[float, str, str]]:
    """(epoch seconds, status, path) of each answer nginx logged after byte ``offset``."""
    with log.open(encoding="utf-8") as lines:
        lines.seek(offset)
        answers = [line.split() for line in lines]
    return [(float(msec), status, path) for msec, status, _, path in answers]


def run_tool(tool: Tool, url: str, site: GeneratedSite, work: Path, number: int, env: Env) -> Run:
    """Run ``tool`` once in a fresh folder and read what it did from nginx's log."""
    folder = work / f"{tool.name}-{number}"
    folder.mkdir()
    log = access_log_of(work)
    offset = log.stat().st_size
    command = tool.command(url, folder, env.concurrency, site)
    code, started, wall, peak = timed(command, {**tool.env, **env.variables}, folder)
    answers = requests_since(log, offset)
    if not answers:
        stderr = (folder / "stderr").read_text(encoding="utf-8", errors="replace")
        raise RuntimeError(f"{tool.name} made no request (exit {code}):\n{stderr[-3000:]}")
    paths = {path for _, _, path in answers}
    links, reported = tool.report(folder)
    return Run(
        tool=tool.name,
        round=number,
        exit_code=code,
        wall_s=wall,
        first_request_s=answers[0][0] - started,
        last_request_s=answers[-1][0] - started,
        peak_rss_mb=peak / 1e6,
        requests=len(answers),
        unique_urls=len(paths),
        pages=len(paths & set(site.paths)),
        dead=len({path for _, status, path in answers if status == "404"}),
        links=links,
        reported_dead=reported,
    )


def again(tool: Tool) -> Tool:
    """The same govscan on the database of its scan just before: start-up on an existing
    database (the scan itself is a second, incremental one of the unchanged site)."""
    return Tool(f"{tool.name} again", tool.command, tool.report, tool.env)


def version_seconds(tool: Tool, work: Path) -> float:
    """Wall seconds of ``govscan --version`` with the tool's checkout, run in ``work``."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "govscan.cli", "--version"],
        env={**os.environ, **tool.env},
        cwd=work,
        stdout=subprocess.DEVNULL,
        check=True,
    )
    return time.perf_counter() - started


def govscan_of(checkout: Path) -> Tool:
    """govscan as another checkout has it (an older commit, for a before and after)."""
    return Tool(f"govscan@{checkout.name}", govscan_command, govscan_report, python_path(checkout))


# --------------------------------------------------------------------------- the rounds


def run_rounds(
    tools: list[Tool], rounds: int, concurrency: int, site: GeneratedSite, work: Path, url: str
) -> tuple[list[Run], dict[str, list[float]]]:
    """Every tool once per round, the order rotated each round; each govscan run gets a
    fresh database, then a second scan on it and a ``--version``."""
    runs: list[Run] = []
    versions: dict[str, list[float]] = {}
    for number in range(1, rounds + 1):
        shift = (number - 1) % len(tools)
        for tool in tools[shift:] + tools[:shift]:
            database = work / f"{tool.name}-{number}.db"
            env = Env(concurrency, {"GOVSCAN_DB": f"sqlite:///{database}"})
            print(f"round {number}: {tool.name} …", flush=True)
            runs.append(run_tool(tool, url, site, work, number, env))
            print(f"  {summary_line(runs[-1])}", flush=True)
            if tool.name.startswith("govscan"):
                runs.append(run_tool(again(tool), url, site, work, number, env))
                print(f"  {summary_line(runs[-1])}", flush=True)
                versions.setdefault(tool.name, []).append(version_seconds(tool, work))
    return runs, versions


def summary_line(run: Run) -> str:
    """One run on one line, for the progress output."""
    return (
        f"{run.tool}: {run.wall_s:.1f} s, first request {run.first_request_s:.2f} s, "
        f"{run.pages} pages, {run.unique_urls} URLs, {run.dead} dead, "
        f"{run.peak_rss_mb:.0f} MB, exit {run.exit_code}"
    )


def median_table(runs: list[Run]) -> str:
    """Medians per tool as a Markdown table; the counts are the same in every round."""
    header = (
        "| tool | wall s | pages/s | first request s | last request s | peak RSS MB "
        "| pages | unique URLs | requests | 404 URLs | links read | dead reported |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    )
    rows = [header]
    for tool in dict.fromkeys(run.tool for run in runs):
        mine = [run for run in runs if run.tool == tool]

        def med(key: str, runs: list[Run] = mine) -> float:
            return statistics.median(getattr(run, key) for run in runs)

        last = mine[-1]
        rows.append(
            f"| {tool} | {med('wall_s'):.1f} | {med('pages_per_s'):.0f} "
            f"| {med('first_request_s'):.2f} | {med('last_request_s'):.1f} "
            f"| {med('peak_rss_mb'):.0f} | {last.pages} | {last.unique_urls} | {last.requests} "
            f"| {last.dead} | {last.links} | {last.reported_dead} |"
        )
    return "\n".join(rows)


def problems(runs: list[Run], site: GeneratedSite) -> list[str]:
    """govscan runs that missed pages or dead links, or failed."""
    found = []
    for run in runs:
        if not run.tool.startswith("govscan"):
            continue
        if run.exit_code != 0:
            found.append(f"{run.tool} round {run.round} exited {run.exit_code}")
        if not run.tool.endswith(" again") and run.pages != len(site.paths):
            found.append(f"{run.tool} round {run.round} fetched {run.pages} of {len(site.paths)}")
        if run.reported_dead != len(site.dead):
            found.append(f"{run.tool} round {run.round} reported {run.reported_dead} dead links")
    return found


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000, help="pages of the site")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=16, help="for every tool")
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated")
    parser.add_argument(
        "--baseline",
        type=Path,
        action="append",
        default=[],
        help="also time govscan from this checkout (e.g. an older commit's), repeatable",
    )
    parser.add_argument("--json", type=Path, help="also write every run to this JSON file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    names = [name for name in args.tools.split(",") if name]
    if unknown := set(names) - set(TOOLS):
        sys.exit(f"unknown tools: {', '.join(sorted(unknown))}")
    install_missing(names)
    tools = [TOOLS[name] for name in names]
    for checkout in args.baseline:
        compile_bytecode(checkout)
        tools.insert(1, govscan_of(checkout))
    compile_bytecode(REPO)
    stop_on_sigterm()
    work = Path(tempfile.mkdtemp(prefix="govscan-peers-"))
    try:
        site = generate_site(work / "site", args.pages)
        with nginx(work, site.root, True, LOG_FORMAT, LINKCHECKER_HEADER) as port:
            url = f"http://127.0.0.1:{port}/"
            load_before = os.getloadavg()
            runs, versions = run_rounds(tools, args.rounds, args.concurrency, site, work, url)
            load_after = os.getloadavg()
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    machine = {
        **machine_info(),
        "load before": fmt_load(load_before),
        "load after": fmt_load(load_after),
    }
    print(median_table(runs))
    for name, seconds in versions.items():
        print(f"{name} --version: median {statistics.median(seconds):.2f} s of {len(seconds)}")
    for key, value in machine.items():
        print(f"machine: {key}: {value}")
    if args.json:
        figures = {"runs": [asdict(run) for run in runs], "versions": versions, "machine": machine}
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    failures = problems(runs, site)
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


def fmt_load(load: tuple[float, float, float]) -> str:
    """The load averages over 1, 5 and 15 minutes."""
    return " ".join(f"{value:.2f}" for value in load)


if __name__ == "__main__":
    sys.exit(main())
