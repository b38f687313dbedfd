"""One crawl in its own process: ``python -m govscan.crawler.run RUN_ID`` for a site,
``python -m govscan.crawler.run --archives RUN_ID`` for the archives of an account run.

A Twisted reactor cannot be restarted, so every crawl gets a fresh process; the run's
options are read from the store, which also receives everything the crawl finds.
Exit status 0 means the crawl went through everything it was given.
"""

from __future__ import annotations

import gc
import sys
import tempfile

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from sqlalchemy import Engine

from govscan.crawler import settings as default_settings
from govscan.crawler.pages import reader_version
from govscan.crawler.spiders.archives import ArchiveSpider
from govscan.crawler.spiders.site import SiteSpider
from govscan.store.accounts import get_account_run
from govscan.store.baseline import METRIC, Baseline, load_baseline, reuse_counts
from govscan.store.db import database_url, open_engine
from govscan.store.runs import get_run, save_metrics

#: Why a crawl whose homepage could not be read (though it is not dead) is incomplete.
HOME_UNREAD = {
    "too_large": "首页内容超过抓取上限（过大或传输不结束），未能读取，结果不完整",
    "rate_limited": "网站限制访问频率（HTTP 429），首页未能读取，结果不完整",
    "robots": "robots.txt 禁止抓取首页，结果不完整",
}


#: The inventory's crawl limits (``settings.limits``) → the Scrapy setting each sets, in its unit.
LIMIT_SETTINGS = {
    "max_body_mb": ("DOWNLOAD_MAXSIZE", 1024 * 1024),
    "max_retry_after": ("GOVSCAN_MAX_RETRY_AFTER", 1),
    "rate_limit_budget": ("GOVSCAN_429_BUDGET", 1),
}


def crawl_settings(options: dict, db_url: str, run_id: int, queue: str) -> Settings:
    """Scrapy settings for one scan: the project's defaults with the scan's options on top;
    the requests wait in the folder ``queue``."""
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    settings.update(
        {
            "GOVSCAN_DB_URL": db_url,
            "GOVSCAN_RUN_ID": run_id,
            "JOBDIR": queue,
            "GOVSCAN_RESOLVE": options.get("resolve") or {},
            "GOVSCAN_NAMESERVER": options.get("nameserver"),
            "CONCURRENT_REQUESTS_PER_DOMAIN": options["concurrency"],
            # twice the limit: the limit holds while the host answers at its pace, the delay
            # takes over when it slows down or is overloaded (docs/benchmarks.md)
            "AUTOTHROTTLE_TARGET_CONCURRENCY": 2 * options["concurrency"],
            "CONCURRENT_REQUESTS": max(16, options["concurrency"] * 4),
            "DOWNLOAD_TIMEOUT": options["timeout"],
            "DNS_TIMEOUT": options["timeout"],
            "ROBOTSTXT_OBEY": options.get("obey_robots", False),
            "RETRY_GIVE_UP_LOG_LEVEL": "INFO",
            "LOG_LEVEL": options.get("log_level", "INFO"),
            **({"USER_AGENT": options["user_agent"]} if options.get("user_agent") else {}),
            **limit_settings(options.get("limits", {})),
        },
        priority="cmdline",
    )
    return settings


def limit_settings(limits: dict[str, float]) -> dict[str, int]:
    """The Scrapy settings for the limits the inventory sets."""
    return {
        name: int(value * unit)
        for key, value in limits.items()
        for name, unit in [LIMIT_SETTINGS[key]]
    }


def crawl(run_id: int, archives: bool) -> str | None:
    """Crawl the run's site, or its accounts' archives; None when complete, else why not."""
    with tempfile.TemporaryDirectory(prefix="govscan-queue-") as queue:
        return crawl_queued(run_id, archives, queue)


def crawl_queued(run_id: int, archives: bool, queue: str) -> str | None:
    """``crawl``, with the requests waiting in the folder ``queue``."""
    db_url = database_url()
    engine = open_engine(db_url)  # the scan has migrated the schema
    options = (get_account_run if archives else get_run)(engine, run_id).options
    process = CrawlerProcess(crawl_settings(options, db_url, run_id, queue))
    baseline = None if archives or options["full"] else baseline_of(engine, run_id, options)
    if archives:
        crawler = process.create_crawler(ArchiveSpider)
        process.crawl(crawler, accounts=options["accounts"], timezone=options["timezone"])
    else:
        crawler = process.create_crawler(SiteSpider)
        process.crawl(crawler, **site_arguments(options), baseline=baseline)
    process.start()
    stats = crawler.stats.get_stats()
    if not archives:
        save_metrics(engine, run_id, METRIC, incremental_metrics(engine, run_id, options, baseline))
    if not archives and (slowed := slowed_hosts(stats)):
        save_metrics(engine, run_id, "politeness", {"slowed": slowed})
    # Dead links are logged below ERROR, so an error in the log is govscan's own failure
    # (a spider exception, a fault in the store): the crawl is then incomplete.
    errors = stats.get("log_count/ERROR", 0)
    if stats.get("finish_reason") != "finished":
        return f"抓取中止：{stats.get('finish_reason')}"
    if errors:
        return f"抓取过程中出现 {errors} 个内部错误，结果不完整（详见抓取日志）"
    return HOME_UNREAD.get(stats.get("govscan/home_unread"))


def baseline_of(engine: Engine, run_id: int, options: dict) -> Baseline | None:
    """What the crawl may reuse of the site's last completed run; None for a first scan."""
    return load_baseline(engine, run_id, reader_version(), options["link_ttl_days"])


def incremental_metrics(
    engine: Engine, run_id: int, options: dict, baseline: Baseline | None
) -> dict:
    """What the crawl reused of the last completed run, and which page reader read the pages
    it downloaded (a later run reuses only pages read by the same one)."""
    return {
        "reader": reader_version(),
        "full": options["full"],
        "baseline": baseline.run_id if baseline else None,
        "link_ttl_days": options["link_ttl_days"],
        **reuse_counts(engine, run_id),
    }


def slowed_hosts(stats: dict) -> dict[str, dict]:
    """By host, what slowed the crawl down: overloaded answers (429, 503) with the longest
    delay between requests they led to, and a robots.txt Crawl-delay."""
    slowed: dict[str, dict] = {}
    for key, value in stats.items():
        match key.split("/"):
            case ["govscan", "slowed", host, what]:
                slowed.setdefault(host, {})[what] = value
            case ["govscan", "crawl_delay", host]:
                slowed.setdefault(host, {})["crawl_delay"] = value
    return slowed


def site_arguments(options: dict) -> dict:
    return {
        "start_url": options["url"],
        "hosts": options["hosts"],
        "max_depth": options["max_depth"],
        "max_pages": options["max_pages"],
        "skip_hosts": options.get("skip_hosts", []),
        "exclude": options.get("exclude", []),
        "keep_urls": [column["url"] for column in options.get("columns", []) if column.get("url")],
    }


def spare_the_garbage_collector() -> None:
    """Collect cycles less often: a crawl allocates millions of short-lived objects, and with
    the default thresholds the collector took a tenth of the crawl's time. Every 20,000
    allocations costs no more than every 200,000 and keeps 28 MB less garbage waiting
    (docs/benchmarks.md)."""
    gc.freeze()  # Scrapy's and Twisted's modules, loaded by now, are never garbage
    gc.set_threshold(20_000, 50, 1000)


def main() -> int:
    spare_the_garbage_collector()
    archives = sys.argv[1] == "--archives"
    problem = crawl(int(sys.argv[-1]), archives)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
