"""Memory over many scans in one process: does the scanning process grow with the sites?

Usage: ``.venv/bin/python bench/repeat.py [--pages 1000] [--scans 12]``

It serves a generated portal (``bench/crawl.py``'s) with nginx on loopback and, in one child
process, runs ``--scans`` inspections of it one after another through ``govscan.inspections``,
as the nightly service does. After each it prints the child's RSS, and it exits non-zero when
the last scans' RSS is more than ``GROWTH_MB`` above the second's (the first one loads the
modules and warms the caches).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from crawl import generate_site, nginx

GROWTH_MB = 10.0


def rss_mb() -> float:
    """This process's resident set size in MB, as ``ps`` shows it."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def scan_repeatedly(url: str, scans: int, out: Path) -> None:
    """The child: ``scans`` inspections of ``url`` in this process, RSS printed after each."""
    from govscan.checks.registry import family_names
    from govscan.inspections import Plan, inspect
    from govscan.options import scan_options
    from govscan.pipeline import ScanOptions
    from govscan.store.db import connect
    from govscan.store.inventory import Inventory, SiteEntry

    engine = connect()
    checks = [name for name in family_names() if name not in ("a11y", "eldercare")]
    options = scan_options(Inventory(), ScanOptions(max_pages=100_000, max_depth=8, checks=checks))
    site = SiteEntry(id="bench", name="bench", url=url, unit="bench")
    for scan in range(1, scans + 1):
        inspect(engine, Plan([site], [], options), out / str(scan))
        print(f"scan {scan}: {rss_mb():.1f} MB", flush=True)


def scan_lines(command: list[str], env: dict[str, str]) -> Iterator[str]:
    """Run the child and print its lines as they come; yield them."""
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) as child:
        for line in child.stdout:
            print(line, end="", flush=True)
            yield line
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, command)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--scans", type=int, default=12)
    parser.add_argument("--child", nargs=2, metavar=("URL", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        scan_repeatedly(args.child[0], args.scans, Path(args.child[1]))
        return 0
    with tempfile.TemporaryDirectory(prefix="govscan-repeat-") as folder:
        work = Path(folder)
        site = generate_site(work / "site", args.pages)
        with nginx(work, site.root) as port:
            command = [sys.executable, __file__, "--scans", str(args.scans)]
            env = {**os.environ, "GOVSCAN_DB": f"sqlite:///{work / 'govscan.db'}"}
            child = [*command, "--child", f"http://127.0.0.1:{port}/", str(work / "out")]
            sizes = [float(line.split()[2]) for line in scan_lines(child, env)]
    growth = max(sizes[-3:]) - sizes[min(1, len(sizes) - 1)]
    print(f"growth after the second scan: {growth:+.1f} MB")
    return 1 if growth > GROWTH_MB else 0


if __name__ == "__main__":
    sys.exit(main())
