"""Run the audit spider in-process (one Scrapy process for every site of the sites file)."""
from __future__ import annotations

import logging
import os
import shutil
import signal
import tempfile
from datetime import date

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from core import options as crawl_options
from core.sites import Site
from crawler.spiders.site import SiteSpider


def crawl_settings(sites: list[Site], *, run_id: int, db_url: str, as_of: date, options: dict,
                   export_dir: str | None = None, targets: dict | None = None, resume: bool = False,
                   log_level: str = "WARNING") -> Settings:
    """The Scrapy settings of one crawl: the project's, then the crawl options given (core.options) and the run's."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    overrides = {
        **crawl_options.to_settings(options),
        "GKAUDIT_DB_URL": db_url, "GKAUDIT_RUN_ID": run_id, "GKAUDIT_AS_OF": as_of.isoformat(),
        "GKAUDIT_REPLACE": targets is not None, "GKAUDIT_RESUME": resume, "LOG_LEVEL": log_level,
        "GKAUDIT_EXPORT_DIR": export_dir, "GKAUDIT_EXPORT_BASE": sites[0].url if export_dir else None,
    }
    for key, value in overrides.items():
        if value is not None:
            settings.set(key, value, priority="cmdline")
    return settings


def crawl(sites: list[Site], *, run_id: int, db_url: str, as_of: date, options: dict, export_dir: str | None = None,
          targets: dict[str, list[str]] | None = None, resume: bool = False, log_level: str = "WARNING") -> str:
    """Crawl until every site's frontier is empty (or Ctrl-C); return Scrapy's finish reason.

    options: crawl options by name (core.options; None or absent = the default).
    targets (gkaudit recheck): per site, the only URLs to fetch; nothing is followed.
    resume: continue run_id from what it stored (crawler.resume); the request queue lives on disk meanwhile.
    """
    settings = crawl_settings(sites, run_id=run_id, db_url=db_url, as_of=as_of, options=options,
                              export_dir=export_dir, targets=targets, resume=resume, log_level=log_level)
    # Pending requests queue on disk, not in memory (Scrapy's JOBDIR). Its index is written only when Scrapy
    # closes cleanly, so it cannot survive SIGKILL: a resumed run rebuilds its frontier from the database.
    jobdir = tempfile.mkdtemp(prefix=f"gkaudit-run{run_id}-")
    settings.set("JOBDIR", jobdir, priority="cmdline")
    process = _Process(settings)
    logging.getLogger("scrapy").setLevel(log_level)
    crawler = process.create_crawler(SiteSpider)
    process.crawl(crawler, sites=sites, targets=targets)
    handlers = {signum: signal.getsignal(signum) for signum in SHUTDOWN_SIGNALS}
    try:
        process.start()
    finally:
        shutil.rmtree(jobdir, ignore_errors=True)
        # Scrapy leaves its shutdown handler installed after the crawl: it would swallow SIGTERM and Ctrl-C while
        # the run is judged and written (and in the forked workers), so an audit could not be stopped any more.
        for signum, handler in handlers.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
    if crawler.stats.get_value("gkaudit/store_error"):
        raise StoreError(crawler.stats.get_value("gkaudit/store_error"))
    return crawler.stats.get_value("finish_reason") or "unknown"


SHUTDOWN_SIGNALS = (signal.SIGINT, signal.SIGTERM)
STOPPING = "正在停止，已抓取的页面会保留（再按一次 Ctrl-C 立即退出）…\n"


class _Process(CrawlerProcess):
    """Scrapy's process, which says at once on stderr that it is stopping (Ctrl-C and SIGTERM alike): Scrapy's
    own words are a log line at INFO, hidden at the usual WARNING level, and a quiet stop looks like a hang."""

    def _signal_shutdown(self, signum, frame):
        _acknowledge()
        super()._signal_shutdown(signum, frame)

    def _signal_shutdown_reactorless(self, signum, frame):
        _acknowledge()
        super()._signal_shutdown_reactorless(signum, frame)


def _acknowledge() -> None:
    try:
        os.write(2, STOPPING.encode("utf-8"))
    except OSError:
        pass


class StoreError(RuntimeError):
    """The database refused a write during the crawl (disk full, connection lost, schema mismatch)."""

    @property
    def cause(self) -> str:
        """The likely cause in words a user acts on."""
        text = str(self).lower()
        if "full" in text or "disk i/o" in text or "no space" in text:
            return "磁盘空间不足或数据库文件无法写入"
        if any(k in text for k in ("connection", "server closed", "could not connect", "terminat")):
            return "数据库连接中断"
        return "数据库拒绝写入"
