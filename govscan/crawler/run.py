"""One crawl in its own process: ``python -m govscan.crawler.run [--archives] RUN_ID FD`` for
a site, or with ``--archives`` for the archives of an account run.

A Twisted reactor cannot be restarted, so every crawl gets a fresh process. It reads its
job (``handover.CrawlJob``) from stdin and hands everything it finds down the pipe ``FD``
to the process that started it, which stores it; the site's spider alone is imported, so
the process loads neither the store nor the archive readers. Exit status 0 means the crawl
went through everything it was given.
"""

from __future__ import annotations

import gc
import pickle
import sys
import tempfile

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from govscan.crawler import settings as default_settings
from govscan.crawler.handover import CrawlJob

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


def crawl_settings(options: dict, run_id: int, handover_fd: int, queue: str) -> Settings:
    """Scrapy settings for one scan: the project's defaults with the scan's options on top;
    the requests wait in the folder ``queue``."""
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    settings.update(
        {
            "GOVSCAN_HANDOVER_FD": handover_fd,
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


def crawl(job: CrawlJob, archives: bool, handover_fd: int) -> str | None:
    """Crawl the job's site, or its accounts' archives; None when complete, else why not."""
    with tempfile.TemporaryDirectory(prefix="govscan-queue-") as queue:
        process = CrawlerProcess(crawl_settings(job.options, job.run_id, handover_fd, queue))
        if archives:
            from govscan.crawler.spiders.archives import ArchiveSpider

            crawler = process.create_crawler(ArchiveSpider)
            options = job.options
            process.crawl(crawler, accounts=options["accounts"], timezone=options["timezone"])
        else:
            from govscan.crawler.spiders.site import SiteSpider

            crawler = process.create_crawler(SiteSpider)
            process.crawl(crawler, **site_arguments(job.options), baseline=job.baseline)
        process.start()
    stats = crawler.stats.get_stats()
    # Dead links are logged below ERROR, so an error in the log is govscan's own failure
    # (a spider exception, a broken pipe to the store): the crawl is then incomplete.
    errors = stats.get("log_count/ERROR", 0)
    if stats.get("finish_reason") != "finished":
        return f"抓取中止：{stats.get('finish_reason')}"
    if errors:
        return f"抓取过程中出现 {errors} 个内部错误，结果不完整（详见抓取日志）"
    return HOME_UNREAD.get(stats.get("govscan/home_unread"))


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
    the default thresholds the collector took a tenth of the crawl's time. Every 5,000
    allocations costs no more than every 200,000 and keeps 30 MB less garbage waiting
    (docs/benchmarks.md)."""
    gc.freeze()  # Scrapy's and Twisted's modules, loaded by now, are never garbage
    gc.set_threshold(5_000, 50, 1000)


def main() -> int:
    job = pickle.load(sys.stdin.buffer)
    spare_the_garbage_collector()
    problem = crawl(job, archives=sys.argv[1] == "--archives", handover_fd=int(sys.argv[-1]))
    if problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
