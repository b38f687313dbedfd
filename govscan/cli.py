"""The ``govscan`` command: scan one site or an inventory, or run the demo."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import shtab
from rich.console import Console
from rich.live import Live
from rich.markup import escape
from rich.table import Table

from govscan import __version__, inspections
from govscan.checks.registry import RegistryError, family_names
from govscan.chinese_argparse import ChineseParser, RawEpilogFormatter, above, at_least
from govscan.demo import SETTINGS as DEMO_SETTINGS
from govscan.demo import serve_demo_world
from govscan.inspections import Plan
from govscan.leases import LEASE
from govscan.options import (
    OptionsError,
    broker_url,
    first,
    load_config,
    overruled,
    scan_options,
    writable_folder,
)
from govscan.outcomes import COMPLETED, INCOMPLETE, STATUS_NAMES
from govscan.parallel import default_parallel
from govscan.pipeline import (
    BROWSER,
    CHECKS,
    CRAWL,
    IPV6,
    QUEUED,
    TLS,
    ScanOptions,
    ScanResult,
)
from govscan.probes.browser import BrowserMissing, find_chromium
from govscan.reports import formats, history, pdf, rectification
from govscan.reports.figures import summary_figures
from govscan.reports.outputs import Outputs, rewrite_outputs
from govscan.reports.problems import PROGRESS
from govscan.reports.rectification import ReturnedListError
from govscan.reports.reuse import reuse_line
from govscan.resolver import parse_overrides
from govscan.store.db import StoreUnusable, connect, database_url
from govscan.store.inspections import recent_inspections
from govscan.store.inventory import AccountEntry, Inventory, InventoryError, Settings, SiteEntry

console = Console(stderr=True, soft_wrap=True)
EXIT_OK, EXIT_SCAN_FAILED, EXIT_USAGE, EXIT_FINDINGS = 0, 1, 2, 3
SHOWN_FINDINGS = 30  # a site's findings listed under the summary, unless --verbose
INSPECTION_COLUMNS = (
    "编号",
    "开始（UTC）",
    "方式",
    "状态",
    "站点 完成/总数",
    "扫描中",
    "未完成",
    "账号",
)


#: How the progress line names what a site's scan is doing.
PHASE_NAMES = {
    CRAWL: "抓取",
    QUEUED: "等待检查",
    IPV6: "IPv6 检测",
    TLS: "HTTPS 检测",
    BROWSER: "浏览器检查",
    CHECKS: "评判",
}


class UsageError(Exception):
    """Bad command-line input: printed in Chinese, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseParser(prog="govscan", description="政府网站与政务新媒体合规检查")
    parser.add_argument(
        "--version", action="version", version=f"govscan {__version__}", help="显示版本并退出"
    )
    commands = parser.add_subparsers(title="命令", dest="command", required=True, metavar="命令")

    scan = commands.add_parser("scan", help="扫描一个网站，或清单中的网站")
    scan.add_argument("url", nargs="?", help="要扫描的网站首页地址")
    scan.add_argument(
        "--config", type=Path, help="站点清单（YAML；与 --site 同用时默认 sites.yaml）"
    )
    scan.add_argument("--site", action="append", help="只扫描清单中此 id 的站点（可重复）")
    scan.add_argument(
        "--detach",
        action="store_true",
        help="任务放入消息队列后立即返回，由工作进程执行（需设置 GOVSCAN_BROKER）",
    )
    scan.add_argument(
        "--full",
        action="store_true",
        help="完整扫描：重新下载所有页面、检查所有链接，不复用上次扫描的结果",
    )
    add_scan_options(scan)
    scan.set_defaults(handler=command_scan)

    accounts = commands.add_parser("accounts", help="只检查清单中的政务新媒体账号")
    accounts.add_argument(
        "--config", type=Path, required=True, help="清单（YAML），或账号台账（.xlsx）"
    )
    add_scan_options(accounts)
    accounts.set_defaults(handler=command_accounts, full=False)  # archives are read in full

    schedule = commands.add_parser("schedule", help="常驻运行：夜间检查、访问检测、通报与通知")
    schedule.add_argument("--config", type=Path, required=True, help="清单（YAML）")
    schedule.add_argument("--out", type=Path, default=Path("govscan-report"), help="报告目录")
    schedule.add_argument(
        "--run-now", action="store_true", help="立即执行一次夜间检查后退出（不常驻）"
    )
    schedule.set_defaults(handler=command_schedule)
    validate = commands.add_parser("validate", help="启动服务前检查清单、数据库、报告目录与通知")
    validate.add_argument("--config", type=Path, required=True, help="清单（YAML）")
    validate.add_argument("--out", type=Path, default=Path("govscan-report"), help="报告目录")
    validate.set_defaults(handler=command_validate)

    worker = commands.add_parser(
        "worker", help="集群工作进程：从消息队列（GOVSCAN_BROKER）领取并执行扫描任务"
    )
    worker.add_argument(
        "--concurrency",
        type=at_least(1),
        default=default_parallel(),
        help="同时执行的任务数，即同时扫描的站点数（默认 %(default)s）",
    )
    worker.add_argument(
        "--lease",
        type=at_least(4, float),
        default=LEASE,
        help="任务租约（秒，默认 %(default)s）：工作进程失联超过此时间，其任务交由其他工作进程重做",
    )
    worker.set_defaults(handler=command_worker)

    listing = commands.add_parser("inspections", help="列出最近的检查：状态与进度")
    listing.add_argument("--limit", type=at_least(1), default=20, help="列出的条数")
    listing.set_defaults(handler=command_inspections)

    database = commands.add_parser("db", help="数据库维护")
    database_commands = database.add_subparsers(dest="db_command", required=True)
    upgrade = database_commands.add_parser(
        "upgrade", help="把数据库结构升级到最新版本（集群中在启动工作进程前运行一次）"
    )
    upgrade.set_defaults(handler=command_db_upgrade)

    report = commands.add_parser(
        "report", help="根据已保存的检查结果重新生成检查通报、报告和整改清单"
    )
    report.add_argument("--config", type=Path, required=True, help="清单（YAML）")
    report.add_argument("--out", type=Path, default=Path("govscan-report"), help="报告目录")
    add_result_options(report)
    report.set_defaults(handler=command_report)

    returned = commands.add_parser(
        "import-rectification",
        help="导入各单位填写后交回的整改清单（整改情况、责任人、整改措施），供下次检查核查",
        description="导入各单位填写后交回的整改清单：按每行隐藏的「编号」找到问题，"
        "记下单位反馈的整改情况、责任人和整改措施。下次检查的通报在「回头看」中把单位反馈与复查结果对照，"
        "标出「单位称已整改、复查仍存在」的不实反馈。同一文件可重复导入，以最后一次为准；"
        "文件有误时整份不导入。数据库由 GOVSCAN_DB 指定，与 govscan scan 相同。",
    )
    returned.add_argument("file", type=Path, metavar="文件", help="交回的整改清单（.xlsx）")
    returned.set_defaults(handler=command_import_rectification)

    serve = commands.add_parser("serve", help="在本机提供报告目录的网页浏览（仅限本机访问）")
    serve.add_argument("folder", type=Path, nargs="?", default=Path("govscan-report"))
    serve.add_argument("--port", type=at_least(1), default=8600, help="端口")
    serve.set_defaults(handler=command_serve)

    demo = commands.add_parser("demo", help="在本机启动示例门户网站并扫描它")
    demo.add_argument("--out", type=Path, default=Path("demo-report"), help="报告目录")
    demo.add_argument("--serve", action="store_true", help="扫描后继续提供示例网站，按 Ctrl-C 结束")
    demo.set_defaults(handler=command_demo)

    completion = commands.add_parser(
        "completion",
        help="输出命令行补全脚本（bash 或 zsh）",
        description="输出 govscan 的命令行补全脚本：按 Tab 补全命令、选项和取值。",
        epilog='bash：在 ~/.bashrc 中加入  eval "$(govscan completion bash)"\n'
        "zsh：govscan completion zsh > ~/.zfunc/_govscan，"
        "并在 ~/.zshrc 的 compinit 之前加入  fpath=(~/.zfunc $fpath)",
        formatter_class=RawEpilogFormatter,
    )
    completion.add_argument("shell", choices=("bash", "zsh"), help="所用的 shell")
    completion.set_defaults(handler=command_completion)
    return parser


def add_scan_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("govscan-report"), help="报告目录")
    parser.add_argument(
        "--max-pages",
        type=at_least(1),
        help=f"最多抓取的页面数（默认：清单的 max_pages，或 {ScanOptions.max_pages}）",
    )
    parser.add_argument(
        "--depth",
        type=at_least(0),
        help=f"从首页起的最大抓取层级（默认：清单的 depth，或 {ScanOptions.max_depth}）",
    )
    parser.add_argument(
        "--concurrency",
        type=at_least(1),
        help=f"每个主机的并发请求数（默认：清单的 concurrency，或 {ScanOptions.concurrency}）",
    )
    parser.add_argument(
        "--per-ip",
        type=at_least(1),
        help="同一 IP 上所有站点合计的并发请求数（默认：清单的 per_ip，或同 --concurrency）",
    )
    parser.add_argument(
        "--parallel",
        type=at_least(1),
        help=f"同时扫描的站点数（默认：清单的 parallel，或按内存和核数取 {default_parallel()}）",
    )
    parser.add_argument(
        "--timeout",
        type=above(0),
        help=f"请求超时（秒；默认：清单的 timeout，或 {ScanOptions.timeout:g}）",
    )
    parser.add_argument(
        "--resolve",
        action="append",
        default=[],
        metavar="HOST:ADDR",
        help="把主机名解析到指定地址（可重复），如 www.a.gov.cn:127.0.0.1",
    )
    parser.add_argument("--nameserver", metavar="IP[:PORT]", help="用于所有域名解析的 DNS 服务器")
    parser.add_argument("--user-agent", help="抓取时使用的 User-Agent")
    parser.add_argument(
        "--obey-robots",
        action="store_true",
        default=None,
        help="遵守 robots.txt（默认：清单的 obey_robots，或不遵守）",
    )
    parser.add_argument(
        "--skip-host",
        action="append",
        default=[],
        metavar="HOST",
        help="不检查指向此主机的链接（可重复，并入清单的 skip_hosts），如无法从本机访问的外部系统",
    )
    parser.add_argument(
        "--notify", action="store_true", help="扫描后按清单设置发送邮件和群机器人通知"
    )
    parser.add_argument(
        "--checks",
        help=f"要运行的检查，逗号分隔（默认：清单的 checks，或全部：{','.join(family_names())}）",
    )
    add_result_options(parser)


def add_result_options(parser: argparse.ArgumentParser) -> None:
    """How the result is shown: see ``Shown``."""
    parser.add_argument(
        "--format",
        choices=tuple(formats.FORMATS),
        help="把检查结果按此格式写到标准输出（或 --output 指定的文件）（默认不写，只生成报告目录）",
    )
    parser.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        help="--format 的结果写入此文件（默认写到标准输出）",
    )
    parser.add_argument(
        "--fail-on",
        choices=formats.SEVERITIES,
        help="有此严重程度或更严重的问题（已豁免的除外）时退出码为 3：veto 单项否决、"
        "deduction 扣分、warning 提醒、info 提示（默认不因发现问题而失败）",
    )
    parser.add_argument(
        "--pdf",
        action="store_true",
        help="另将检查通报打印为 A4 的 bulletin.pdf（需已安装 Chromium）",
    )
    loudness = parser.add_mutually_exclusive_group()
    loudness.add_argument(
        "--quiet",
        action="store_true",
        help="不显示进度和结果汇总，只显示错误和写出的文件",
    )
    loudness.add_argument(
        "--verbose",
        action="store_true",
        help=f"列出每个站点的全部问题，而不只是前 {SHOWN_FINDINGS} 项",
    )


def chosen_options(args: argparse.Namespace, settings: Settings) -> ScanOptions:
    """The scan options the command line chose, the inventory's ``settings`` where it chose
    none, the defaults where neither did; how the checks judge comes later
    (``scan_options``), and each site's own choices too (``site_options``)."""
    try:
        resolve = parse_overrides(args.resolve)
    except ValueError as error:
        raise UsageError(str(error)) from error
    checks = args.checks.split(",") if args.checks else settings.checks or family_names()
    return ScanOptions(
        max_pages=first(args.max_pages, settings.max_pages, ScanOptions.max_pages),
        max_depth=first(args.depth, settings.depth, ScanOptions.max_depth),
        concurrency=first(args.concurrency, settings.concurrency, ScanOptions.concurrency),
        timeout=first(args.timeout, settings.timeout, ScanOptions.timeout),
        resolve=resolve,
        nameserver=args.nameserver,
        user_agent=args.user_agent,
        obey_robots=first(args.obey_robots, settings.obey_robots, False),
        checks=[name.strip() for name in checks if name.strip()],
        skip_hosts=[*settings.skip_hosts, *args.skip_host],
        exclude=settings.exclude,
        full=args.full,
    )


def chosen_here(args: argparse.Namespace) -> set[str]:
    """The crawl choices the command line made: they win over every site's own."""
    named = {"max_pages": args.max_pages, "depth": args.depth, "concurrency": args.concurrency}
    named |= {"timeout": args.timeout, "checks": args.checks, "obey_robots": args.obey_robots}
    named |= {"user_agent": args.user_agent}
    return {name for name, value in named.items() if value is not None}


def politeness(args: argparse.Namespace, settings: Settings) -> Settings:
    """The inventory's settings with the command line's --parallel and --per-ip on top."""
    chosen = {"parallel": args.parallel, "per_ip": args.per_ip}
    return settings.model_copy(update={k: v for k, v in chosen.items() if v is not None})


def site_from_url(url: str) -> SiteEntry:
    """A one-off site for ``govscan scan URL``: named after its host."""
    host = urlsplit(url).hostname or ""
    try:
        return SiteEntry(id=host or "site", name=host, url=url, unit="（未登记）")
    except ValueError as error:
        raise UsageError(f"网址不正确：{url}（应以 http:// 或 https:// 开头）") from error


def command_scan(args: argparse.Namespace) -> int:
    if args.site and not args.config:
        args.config = Path("sites.yaml")
    if bool(args.url) == bool(args.config):
        raise UsageError("请给出要扫描的网址，或用 --config 指定站点清单（二者选一）")
    writable_folder(args.out)
    printer_ready(args)
    if args.url:
        site = site_from_url(args.url)
        settings = politeness(args, Settings())
        options = scan_options(Inventory(), chosen_options(args, settings))
        plan = Plan([site], [], options, settings)
        return with_pdf(args, inspect(plan, args.out, args.detach, Shown.of(args)))
    inventory = load_config(args.config)
    sites = [inventory.site(site_id) for site_id in args.site] if args.site else inventory.sites
    accounts = [] if args.site else inventory.accounts
    if not sites and not accounts:
        raise UsageError(f"{args.config}：清单中没有站点，也没有账号")
    settings = politeness(args, inventory.settings)
    options = scan_options(inventory, chosen_options(args, settings))
    sites = [overruled(site, chosen_here(args)) for site in sites]
    plan = Plan(sites, accounts, options, settings, args.notify)
    return with_pdf(args, inspect(plan, args.out, args.detach, Shown.of(args)))


def command_schedule(args: argparse.Namespace) -> int:
    from govscan import scheduler  # APScheduler is loaded only by the service

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    inventory = load_config(args.config)
    if args.run_now:
        ran = scheduler.nightly_scan(str(args.config), str(writable_folder(args.out)))
        return EXIT_OK if ran else EXIT_SCAN_FAILED
    scheduler.run(args.config, inventory, writable_folder(args.out))
    return EXIT_OK


def command_validate(args: argparse.Namespace) -> int:
    from govscan import validate

    return validate.command(args.config, args.out)


def command_report(args: argparse.Namespace) -> int:
    """Write again, from the stored runs, every file the inventory's last scan wrote."""
    shown = Shown.of(args)
    inventory = load_config(args.config)
    printer_ready(args)
    site_ids = [site.id for site in inventory.sites]
    engine = connect(create=False)  # a report from no database is a mistake, not an empty one
    outputs = rewrite_outputs(
        engine,
        site_ids,
        bool(inventory.accounts),
        writable_folder(args.out),
        inventory.settings.bulletin,
    )
    if outputs is None:
        raise UsageError("数据库中还没有这些站点或账号的检查结果，请先运行 govscan scan")
    print_written(outputs)
    return with_pdf(args, shown.finish(outputs.result, EXIT_OK))


def command_import_rectification(args: argparse.Namespace) -> int:
    """Store the claims of a returned 整改清单, all of them or, on a mistake, none."""
    claims = rectification.import_list(connect(create=False), args.file)
    counts = Counter(claim.progress for claim in claims)
    shown = "、".join(f"{progress} {counts[progress]}" for progress in PROGRESS if counts[progress])
    imported = f"已导入 {escape(str(args.file))}：{len(claims)} 项整改反馈（{shown or '无'}）"
    console.print(imported, highlight=False)
    return EXIT_OK


def printer_ready(args: argparse.Namespace) -> None:
    """With ``--pdf``, refuse before any work when the bulletin could not be printed."""
    if not args.pdf:
        return
    if getattr(args, "detach", False):
        raise UsageError("--pdf 不能与 --detach 同用：检查完成后请运行 govscan report --pdf")
    try:
        find_chromium(pdf.NOT_PRINTED)
    except BrowserMissing as missing:
        raise UsageError(str(missing)) from None


def with_pdf(args: argparse.Namespace, code: int) -> int:
    """With ``--pdf``, print the bulletin just written to ``bulletin.pdf`` and list it in the
    folder's index; ``code`` is the command's exit status."""
    bulletin = args.out / "bulletin.html"
    if not args.pdf or not bulletin.is_file():
        return code
    try:
        written = pdf.write(bulletin, args.out / "bulletin.pdf")
    except BrowserMissing as missing:
        raise UsageError(str(missing)) from None
    history.write_index(args.out)
    console.print(f"检查通报（PDF）：{written}")
    return code


def command_serve(args: argparse.Namespace) -> int:
    """Serve the bulletins folder on loopback only, for a browser bookmark."""
    if not args.folder.is_dir():
        raise UsageError(f"报告目录不存在：{args.folder}")
    handler = partial(SimpleHTTPRequestHandler, directory=str(args.folder))
    with ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        console.print(f"请用浏览器打开 http://127.0.0.1:{args.port}/（Ctrl-C 结束）")
        server.serve_forever()
    return EXIT_OK


def command_accounts(args: argparse.Namespace) -> int:
    inventory = load_config(args.config)
    if not inventory.accounts:
        raise UsageError(f"{args.config}：清单中没有账号（accounts）")
    writable_folder(args.out)
    settings = politeness(args, inventory.settings)
    options = scan_options(inventory, chosen_options(args, settings))
    printer_ready(args)
    plan = Plan([], inventory.accounts, options, settings, args.notify)
    return with_pdf(args, inspect(plan, args.out, shown=Shown.of(args)))


def command_worker(args: argparse.Namespace) -> int:
    from govscan import cluster  # Celery is loaded only where a queue is used

    broker = broker_url()
    if broker is None:
        raise UsageError("工作进程需要消息队列：请设置 GOVSCAN_BROKER=redis://主机:6379/0")
    cluster.run_worker(broker, args.concurrency, args.lease)
    return EXIT_OK


def command_inspections(args: argparse.Namespace) -> int:
    """The newest inspections with their state; a local one whose process died is failed
    first, so that none shows as running forever."""
    engine = connect(create=False)
    inspections.recover(engine)
    table = Table(title="最近的检查")
    for column in INSPECTION_COLUMNS:
        table.add_column(column)
    for state in recent_inspections(engine, args.limit):
        table.add_row(
            str(state.id),
            f"{state.started_at:%Y-%m-%d %H:%M}",
            "集群" if state.queued else "本机",
            STATUS_NAMES[state.status] + (f"：{state.error}" if state.error else ""),
            f"{state.sites_finished}/{state.sites}",
            str(state.sites_running),
            str(state.sites_failed),
            f"{state.accounts}（{state.batches_finished} 批已读）" if state.accounts else "—",
        )
    console.print(table)
    return EXIT_OK


def command_completion(args: argparse.Namespace) -> int:
    """Print the shell's completion script, built from the parser itself so that it offers
    every command, option and choice there is, families from other packages included."""
    print(shtab.complete(build_parser(), shell=args.shell))
    return EXIT_OK


def command_db_upgrade(args: argparse.Namespace) -> int:
    connect()
    console.print(f"数据库结构已是最新：{database_url()}")
    return EXIT_OK


@dataclass
class Shown:
    """How a command shows its result: the progress and the summary on the terminal unless
    ``quiet``, every finding when ``verbose``, the findings in ``format`` on stdout or in
    ``output``; exit status 3 when a finding reaches ``fail_on`` (status 1, a scan not done in
    full, comes first)."""

    quiet: bool = False
    verbose: bool = False
    format: str | None = None
    output: Path | None = None
    fail_on: str | None = None

    @classmethod
    def of(cls, args: argparse.Namespace) -> Shown:
        if args.output and not args.format:
            raise UsageError("--output 需与 --format 同用")
        return cls(args.quiet, args.verbose, args.format, args.output, args.fail_on)

    def finish(self, result: dict, code: int) -> int:
        if self.format and (written := formats.emit(result, self.format, self.output)):
            console.print(f"{self.format}：{written}")
        if code == EXIT_OK and self.fail_on and formats.reaches(result, self.fail_on):
            return EXIT_FINDINGS
        return code


def inspect(plan: Plan, out: Path, detach: bool = False, shown: Shown | None = None) -> int:
    """Carry out the inspection on the terminal: a live progress line, the summary, then how
    each notification went. Exit status 1 unless everything could be scanned. With a queue,
    workers carry it out (``inspect_on_cluster``)."""
    shown = shown or Shown()
    if broker := broker_url(plan.settings.broker):
        return inspect_on_cluster(plan, out, broker, detach, shown)
    if detach:
        raise UsageError("--detach 只用于集群：请先设置消息队列 GOVSCAN_BROKER=redis://主机:6379/0")
    with progress(shown) as live:
        finished = inspections.inspect(connect(), plan, out, TerminalWatch(live, shown))
    for delivery in finished.deliveries:
        if delivery.ok:
            console.print(f"已通知：{delivery.target}")
        else:
            console.print(
                f"[red]通知失败：{delivery.target}：{delivery.error}（详见 notify.log）[/]"
            )
    result = finished.outputs.result
    return shown.finish(result, EXIT_OK if scanned_in_full(result) else EXIT_SCAN_FAILED)


def progress(shown: Shown) -> Live:
    """The live progress lines, on the terminal unless ``quiet``."""
    return Live(console=Console(stderr=True, quiet=shown.quiet), transient=True)


def inspect_on_cluster(plan: Plan, out: Path, broker: str, detach: bool, shown: Shown) -> int:
    """Queue the inspection for the workers and, unless ``detach``, follow it to its end and
    show its summary; the worker that finishes it writes the outputs and notifies."""
    from govscan import cluster  # Celery is loaded only where a queue is used

    engine = connect(cluster.shared_store())
    inspection = cluster.submit(engine, cluster.celery_app(broker), plan, out)
    console.print(
        f"检查 {inspection.id} 已排队：{len(plan.sites)} 个站点、{len(plan.accounts)} 个账号，"
        f"由工作进程（govscan worker）执行"
    )
    if detach:
        console.print("用 govscan inspections 查看进度；完成后通报写入 " + str(out))
        return EXIT_OK
    try:
        with progress(shown) as live:
            ended = inspections.follow(engine, inspection.id, TerminalWatch(live, shown))
    except KeyboardInterrupt:
        console.print(f"[yellow]已停止等待；检查 {inspection.id} 仍由工作进程继续执行。[/]")
        return 130
    if ended.status != COMPLETED:
        console.print(f"[red]检查 {ended.id} 未能完成：{ended.error}[/]")
        return EXIT_SCAN_FAILED
    return show_written(out / "findings.json", shown)


def show_written(findings: Path, shown: Shown) -> int:
    """The summary of a finished inspection whose outputs a worker wrote, when this machine
    can read them."""
    try:
        result = json.loads(findings.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        console.print(
            f"检查已完成；通报由完成最后一项任务的工作进程写入它所在机器的 {findings.parent}"
            "（请让各机器共用这一目录，或在本机运行 govscan report 重新生成）"
        )
        return EXIT_SCAN_FAILED if shown.format or shown.fail_on else EXIT_OK
    if not shown.quiet:
        print_summary(result, shown.verbose)
    console.print(f"结果：{findings}\n检查通报：{findings.parent / 'bulletin.html'}")
    return shown.finish(result, EXIT_OK if scanned_in_full(result) else EXIT_SCAN_FAILED)


@dataclass
class TerminalWatch:
    """An inspection on the terminal: a line for each site being scanned and one for the
    whole (sites done, pages, time left) while it scans, the summary once the outputs are
    written. Sites report from their own threads."""

    live: Live
    shown: Shown = field(default_factory=Shown)
    total: int = 0
    parallel: int | None = 1  # None: as many as the workers take
    done: int = 0
    pages_done: int = 0
    started: float = field(default_factory=time.monotonic)
    running: dict[str, str] = field(default_factory=dict)  # site id → its progress line
    pages: dict[str, int] = field(default_factory=dict)
    accounts: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def planned(self, sites: list[SiteEntry], parallel: int | None) -> None:
        self.total, self.parallel = len(sites), parallel
        self.show()

    def scanning(self, site: SiteEntry, phase: str | None, counts: dict[str, int]) -> None:
        """A site's line: its phase (a worker's is not known here) and its crawl's counts."""
        named = f"[{PHASE_NAMES[phase]}]  " if phase else ""
        with self.lock:
            self.pages[site.id] = counts["pages"]
            self.running[site.id] = (
                f"[bold]{escape(site.name)}[/]  {escape(named)}已抓取页面 {counts['pages']}  "
                f"已检查链接 {counts['fetched']}  访问失败 {counts['failed']}"
            )
        self.show()

    def scanned(self, site: SiteEntry, result: ScanResult) -> None:
        with self.lock:
            self.running.pop(site.id, None)
            self.pages_done += self.pages.pop(site.id, 0)
            self.done += 1
        self.show()

    def show(self) -> None:
        with self.lock:
            lines = [*self.running.values(), self.overall()]
            if self.accounts:
                lines.append(self.accounts)
        self.live.update("\n".join(lines))

    def overall(self) -> str:
        """Sites done of all, pages so far, and the time left at the pace so far."""
        pages = self.pages_done + sum(self.pages.values())
        at_once = f"同时扫描 {self.parallel} 个" if self.parallel else "由工作进程扫描"
        line = f"站点 {self.done}/{self.total} 已完成（{at_once}），页面 {pages}"
        if 0 < self.done < self.total:
            left = (time.monotonic() - self.started) / self.done * (self.total - self.done)
            line += f"，预计还需 {max(1, round(left / 60))} 分钟"
        return line

    def reading(self, accounts: list[AccountEntry]) -> None:
        self.accounts = f"[新媒体账号]  正在读取 {len(accounts)} 个账号的归档……"
        self.show()

    def written(self, outputs: Outputs) -> None:
        self.live.stop()
        if not self.shown.quiet:
            print_summary(outputs.result, self.shown.verbose)
        print_written(outputs)


def scanned_in_full(result: dict) -> bool:
    """Every site scanned with every selected check and every account judged; a site whose
    homepage could not be read, a check without its browser, an unreadable archive or a scan
    that did not finish is exit status 1."""
    unscanned = any("availability" in site.get("metrics", {}) for site in result["sites"])
    subjects = [*result["sites"], *result["accounts"]]
    return not unscanned and not any(
        s["verdict"] == INCOMPLETE or s.get("not_run") for s in subjects
    )


def print_written(outputs: Outputs) -> None:
    """Every file written, the supervisor's bulletin first."""
    workbooks = [path for path in outputs.exports if path.suffix == ".xlsx"]
    lines = [f"检查通报：{outputs.bulletin}"]
    if outputs.index:
        lines.append(f"历次通报：{outputs.index}")
    lines += [f"技术报告：{outputs.report}", f"结果：{outputs.findings}"]
    lines += [f"{export_name(path)}：{path}" for path in outputs.exports if path not in workbooks]
    lines += [f"{export_name(path)}：{path}" for path in workbooks]
    if outputs.shots:
        lines.append(f"问题截图：{outputs.shots[0].parent}（{len(outputs.shots)} 张）")
    if outputs.logs:
        lines.append(f"抓取日志：{outputs.logs[0].parent}（{len(outputs.logs)} 个）")
    console.print("\n".join(lines), highlight=False)


def export_name(path: Path) -> str:
    if path.suffix == ".csv":
        return "问题明细（CSV）"
    return "汇总" if path.stem == "汇总" else "整改清单"


def print_summary(result: dict, verbose: bool = False) -> None:
    console.print("[bold]扫描结果[/]")
    figures = summary_figures()
    for site in result["sites"]:
        console.print(site_headline(site), highlight=False)
        counts = (f"{title} {figure_text(site['figures'][name])}" for name, title in figures)
        console.print("  " + "  ".join(counts), highlight=False)
    for site in result["sites"]:
        if site["error"]:
            console.print(f"[red]{site['name']}：扫描未完成：{site['error']}[/]")
        for reason in dict.fromkeys(site["not_run"].values()):
            console.print(f"[yellow]{site['name']}：{reason}[/]")
        if reuse := reuse_line(site):
            console.print(f"{site['name']}：{reuse}")
        for finding in site["findings"] if verbose else site["findings"][:SHOWN_FINDINGS]:
            console.print(f"  {finding['message']}  {finding['url']}  ← {finding['source'] or '—'}")
        if len(site["findings"]) > SHOWN_FINDINGS and not verbose:
            console.print(f"  ……共 {len(site['findings'])} 项，详见报告")
    if result["accounts"]:
        print_accounts(result["accounts"])


def site_headline(site: dict) -> str:
    """A site's verdict, score and pages on one line: readable at 80 columns and in a log."""
    score = "—" if site["score"] is None else f"{site['score']:g}"
    line = (
        f"{site['name']}  {site['verdict']}  得分 {score}  页面 {site['stats'].get('pages', '—')}"
    )
    if site["vetoes"]:
        line += f"  单项否决：{'、'.join(site['vetoes'])}"
    return line


def figure_text(value: int | None) -> str:
    """A figure's count; 未检 when its check family did not run."""
    return "未检" if value is None else str(value)


def print_accounts(accounts: list[dict]) -> None:
    table = Table(title="政务新媒体")
    for column in ("账号", "平台", "主办单位", "结论", "最近发布距今（天）", "问题"):
        table.add_column(column)
    for account in accounts:
        table.add_row(
            account["name"],
            account["platform"],
            account["unit"],
            account["verdict"],
            "—" if account["days_since"] is None else str(account["days_since"]),
            "；".join(finding["message"] for finding in account["findings"]) or "—",
        )
    console.print(table)


def command_demo(args: argparse.Namespace) -> int:
    writable_folder(args.out)
    with serve_demo_world() as world:
        console.print(f"示例门户已在本机启动：{world.site.url}（DNS {world.nameserver}）")
        chosen = ScanOptions(
            nameserver=world.nameserver, max_pages=500, max_depth=5, skip_hosts=world.skip_hosts
        )
        options = scan_options(Inventory(), chosen)
        code = inspect(Plan([world.site], [], options, DEMO_SETTINGS), args.out)
        if args.serve:
            console.print("示例网站继续运行中，按 Ctrl-C 结束。")
            world.wait()
    return code


def main(argv: list[str] | None = None) -> int:
    try:
        parser = build_parser()  # it lists the registered families, which may be broken
        try:
            args = parser.parse_args(argv)
        except SystemExit as stop:  # argparse has shown the help, the version or the mistake
            return stop.code
        return args.handler(args)
    except (
        UsageError,
        InventoryError,
        OptionsError,
        RegistryError,
        StoreUnusable,
        ReturnedListError,
    ) as error:
        console.print(f"[red]错误：[/]{escape(str(error))}", highlight=False)
        return EXIT_USAGE
    except KeyboardInterrupt:
        console.print("[yellow]已中断；本次扫描记为未完成。[/]")
        return 130


if __name__ == "__main__":
    sys.exit(main())
