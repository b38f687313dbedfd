"""Scrapy settings of the govscan crawl; per-scan values are set by ``govscan.crawler.run``."""

from scrapy.settings import default_settings as scrapy_defaults

from govscan import USER_AGENT as GOVSCAN_USER_AGENT

BOT_NAME = "govscan"
SPIDER_MODULES: list[str] = []  # run.py gives the spider by class: none is imported unasked
USER_AGENT = GOVSCAN_USER_AGENT
ROBOTSTXT_OBEY = False
# RFC 9309 lets a crawler stop reading a robots.txt after 500 KiB (govscan.crawler.robots).
ROBOTSTXT_PARSER = "govscan.crawler.robots.CappedRobotParser"
GOVSCAN_ROBOTSTXT_MAXSIZE = 500 * 1024
LOG_LEVEL = "INFO"
LOG_FORMATTER = "govscan.crawler.logformatter.QuietLogFormatter"

# Twisted's own reactor: with the asyncio one, Scrapy 2.19 starts queued downloads as tasks
# before any counts against the per-host limit, and the limit is exceeded.
TWISTED_REACTOR = "twisted.internet.epollreactor.EPollReactor"

# One resolver for every lookup: --resolve overrides and an optional nameserver, IPv4 and IPv6.
TWISTED_DNS_RESOLVER = "govscan.crawler.resolver.GovscanResolver"
GOVSCAN_RESOLVE: dict[str, list[str]] = {}
GOVSCAN_NAMESERVER = None
DNS_TIMEOUT = 15

# The indicators call a page that has not answered in 15 s unavailable. A page whose body
# (announced, received or decompressed) passes DOWNLOAD_MAXSIZE is not read: too_large.
DOWNLOAD_TIMEOUT = 15
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_VERIFY_CERTIFICATES = True
CONCURRENT_REQUESTS = 64
CONCURRENT_REQUESTS_PER_DOMAIN = 4  # each scan sets its own (govscan.parallel)

# Requests to a host are spaced by its latency over twice the host's concurrency, so a server
# that slows down gets fewer requests (AutoThrottle); an overloaded answer (429, 503) doubles
# the delay (RetryAfterMiddleware) and AutoThrottle brings it down again as the host recovers;
# robots.txt's Crawl-delay is kept under --obey-robots.
AUTOTHROTTLE_ENABLED = True
RANDOMIZE_DOWNLOAD_DELAY = False  # a delay is a floor (Crawl-delay), not an average
EXTENSIONS = {
    "scrapy.extensions.throttle.AutoThrottle": None,
    "govscan.crawler.throttle.Throttle": 0,  # AutoThrottle that keeps a host's Crawl-delay
}
AUTOTHROTTLE_START_DELAY = 0.0
AUTOTHROTTLE_MAX_DELAY = 30.0
GOVSCAN_MAX_CRAWL_DELAY = 30.0

# One retry for transient failures before a link is called dead; 429 is handled apart:
# waited for as Retry-After asks, up to GOVSCAN_MAX_RETRY_AFTER seconds, and retried
# GOVSCAN_429_RETRIES times; a host that answers 429 GOVSCAN_429_BUDGET times, or asks for a
# longer pause, is not fetched again in the run (its links are rate_limited, not dead).
RETRY_TIMES = 1
RETRY_HTTP_CODES = [502, 503, 504, 408]
GOVSCAN_MAX_RETRY_AFTER = 10
GOVSCAN_429_RETRIES = 2
GOVSCAN_429_BUDGET = 6

# Every status reaches the spider, which follows redirects itself and keeps its own "seen" set,
# so that each unique URL is fetched once and a redirect loop is reported as one.
HTTPERROR_ALLOW_ALL = True
REDIRECT_ENABLED = False
DUPEFILTER_CLASS = "scrapy.dupefilters.BaseDupeFilter"

# The spider keeps depth and priority itself (breadth first); the middlewares that would
# redo this work for every link are off. The Referer stays: sites with hotlink protection
# refuse images without one, which would read as dead links.
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"
# Requests wait on disk (a JOBDIR of the crawl's own, govscan.crawler.run): breadth first, a
# 20,000-page site has over 10,000 of them queued at once, 35 MB in memory (docs/benchmarks.md).
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
# Its check parses the callback's source again for every response (the cache misses
# bound methods): a profile showed it among the top costs.
WARN_ON_GENERATOR_RETURN_VALUE = False

# Items go to a synchronous store pipeline: processing them one at a time costs nothing, while
# Scrapy's default of 100 starts a hundred cooperative tasks for every response.
CONCURRENT_ITEMS = 1

ITEM_PIPELINES = {"govscan.crawler.pipelines.HandoverPipeline": 300}
DOWNLOADER_MIDDLEWARES = {
    "govscan.crawler.middlewares.RetryAfterMiddleware": 560,
    "govscan.crawler.robots.RobotsTxtLimits": 540,  # after RetryMiddleware's retry
    "govscan.crawler.robots.CrawlDelay": 545,
}

# Scrapy's components a scan never uses are left out of its base lists: Scrapy imports every
# component it is given, even one set to None, and the telnet console, remote control
# (aiohttp), feed exports and cookies (tldextract, requests) cost the crawl process 10 MB.
UNUSED_COMPONENTS = {
    "scrapy.extensions.telnet.TelnetConsole",
    "scrapy.extensions.remote_control.RemoteControl",
    "scrapy.extensions.feedexport.FeedExporter",
    "scrapy.extensions.memdebug.MemoryDebugger",
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware",  # the spider keeps scope
    "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware",
    "scrapy.downloadermiddlewares.stats.DownloaderStats",  # per-request counters unused
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware",  # no session to keep
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware",  # a page is judged as served
    "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware",
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware",
    "scrapy.spidermiddlewares.depth.DepthMiddleware",
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware",
}


def without_unused(base: dict[str, int]) -> dict[str, int]:
    return {path: order for path, order in base.items() if path not in UNUSED_COMPONENTS}


EXTENSIONS_BASE = without_unused(scrapy_defaults.EXTENSIONS_BASE)
DOWNLOADER_MIDDLEWARES_BASE = without_unused(scrapy_defaults.DOWNLOADER_MIDDLEWARES_BASE)
SPIDER_MIDDLEWARES_BASE = without_unused(scrapy_defaults.SPIDER_MIDDLEWARES_BASE)
