"""Scrapy settings for gkaudit: polite by default, one download slot per host, robots.txt obeyed.

The settings a crawl option sets (DOWNLOAD_DELAY, DOWNLOAD_TIMEOUT, GKAUDIT_MAX_PAGES …) take their defaults
from core.options, where each option is defined once.
"""
from core.options import defaults as _option_defaults

BOT_NAME = "gkaudit"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# A stable, documented User-Agent so bureaus can allow-list the audit (README: "Allow-listing").
USER_AGENT = "gkaudit/0.1 (+https://github.com/gkaudit/gkaudit; government website compliance audit)"
ROBOTSTXT_OBEY = True

# Politeness: each host is its own download slot (Scrapy keys slots by hostname).
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Idle connections kept per host for reuse (crawler/handlers.py); never more requests in flight than above.
DOWNLOAD_HANDLERS = {"http": "crawler.handlers.PooledHTTP11DownloadHandler",
                     "https": "crawler.handlers.PooledHTTP11DownloadHandler"}
GKAUDIT_PERSISTENT_PER_HOST = 32
DOWNLOAD_DELAY_JITTER = 0.5  # ±50%, so requests do not arrive on a fixed beat
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408]
REDIRECT_MAX_TIMES = 10
# A <meta http-equiv=refresh> is a link of its page (crawler/facts/links.py), not a replacement of the page: the
# refresh page keeps its own facts and links, and a homepage's same-site refresh target becomes the homepage.
METAREFRESH_ENABLED = False
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024

# Scrapy starts CONCURRENT_ITEMS asyncio workers for every callback's output (default 100): ~100 tasks per page,
# the largest single cost of a crawl. One page yields one item and a few requests; a handful of workers is plenty.
CONCURRENT_ITEMS = 4
# Scrapy reads each callback's source (inspect + ast) to warn about a generator returning a value; its cache is keyed
# weakly on the bound method, which each request makes anew, so the source was parsed again and again: 2 s of CPU in
# an audit of 4,000 pages, 4× that with rendering on (tokenize, ast, compile in the profile of `make bench-render`).
WARN_ON_GENERATOR_RETURN_VALUE = False

# Breadth-first, so a page budget keeps the shallow (most important) pages of every site.
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

ITEM_PIPELINES = {"crawler.pipelines.StorePipeline": 300}
EXTENSIONS = {"crawler.progress.Progress": 500,
              "crawler.netprobe.extension.NetworkProbes": 600}  # HTTPS and IPv6 of each site, after its crawl
# The system's resolver (cached), or the crawl option `nameserver`'s DNS server (crawler/resolver.py)
TWISTED_DNS_RESOLVER = "crawler.resolver.NameserverResolver"
# Serves a static site export from disk when GKAUDIT_EXPORT_DIR is set (gkaudit audit --export).
# Before anything is sent (robots.txt included), every request and redirect hop goes only to a public address or
# a declared one (crawler/guard.py); robots.txt is read with a size bound (crawler/robots.py).
DOWNLOADER_MIDDLEWARES = {
    "crawler.guard.AddressGuardMiddleware": 50,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.robots.BoundedRobotsTxtMiddleware": 100,
    "crawler.middlewares.ExportFilesMiddleware": 110,  # robots.txt (100) first
    "crawler.render.middleware.RenderMiddleware": 120,  # pages marked for rendering (crawler/render/need.py)
    "crawler.middlewares.RetryBackoffMiddleware": 560,  # just after RetryMiddleware (550)
}
GKAUDIT_RETRY_BACKOFF = 0.5  # seconds before the first retry; doubles with each further retry

LOG_LEVEL = "WARNING"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"

# gkaudit's own settings (set by `gkaudit audit`; defaults for `scrapy crawl site`).
GKAUDIT_DB_URL = None  # None: GKAUDIT_DB or sqlite:///gkaudit.db
GKAUDIT_RUN_ID = None
GKAUDIT_AS_OF = None  # ISO date of the run (required with a run; `scrapy crawl site` alone: today)
GKAUDIT_BATCH_SIZE = 500  # pages per database write (one transaction with their links, columns, items)
GKAUDIT_FLUSH_INTERVAL = 2.0  # seconds: a write at least this often, so a killed crawl loses little
GKAUDIT_EXTERNAL_SAMPLE = 0.2  # the share of external links checked with external: sample
GKAUDIT_EXPORT_DIR = None  # a folder of static pages standing for GKAUDIT_EXPORT_BASE (a site export)
GKAUDIT_EXPORT_BASE = None
GKAUDIT_RESUME = False  # gkaudit audit --resume: continue GKAUDIT_RUN_ID from its stored pages and links
GKAUDIT_FRESH_MAX_DAYS = 7.0  # cap on heuristic freshness: no page is reused unasked longer than this
GKAUDIT_IPV6_SAMPLE = 20  # second- and third-level pages asked again over IPv6 per site (GUIDE-10)
GKAUDIT_REPLACE = False  # gkaudit recheck: fetched URLs replace the rows copied from the previous run

# External link answers are cached across runs (many bureau sites link the same portals); internal requests
# carry dont_cache. Scrapy keeps the cache in .scrapy/gkaudit-http-cache under the working directory.
HTTPCACHE_ENABLED = True
HTTPCACHE_EXPIRATION_SECS = 7 * 24 * 3600
HTTPCACHE_DIR = "gkaudit-http-cache"
HTTPCACHE_POLICY = "scrapy.extensions.httpcache.DummyPolicy"
HTTPCACHE_STORAGE = "scrapy.extensions.httpcache.FilesystemCacheStorage"
HTTPCACHE_IGNORE_HTTP_CODES = [401, 403, 407, 408, 412, 429, 500, 502, 503, 504, 521]

# The crawl options' settings (DOWNLOAD_DELAY 1 s, DOWNLOAD_TIMEOUT 15 s as the indicators use, GKAUDIT_MAX_PAGES
# 2000 per site, GKAUDIT_MAX_DEPTH 8, GKAUDIT_CONFIRM_DELAY 2 s, GKAUDIT_EXTERNAL off, GKAUDIT_REVALIDATE fresh,
# GKAUDIT_PROGRESS_INTERVAL 10 s): core.options.OPTIONS.
globals().update(_option_defaults())
