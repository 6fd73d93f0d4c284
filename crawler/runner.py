"""Run the audit spider in-process (one Scrapy process for every site of the sites file)."""
from __future__ import annotations

import logging
import shutil
import tempfile
from datetime import date

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.spiders.site import SiteSpider
from gkaudit.sites import Site


def crawl(sites: list[Site], *, run_id: int, db_url: str, as_of: date, max_pages: int | None = None,
          max_depth: int | None = None, delay: float | None = None, timeout: float | None = None,
          external: str | None = None, confirm_delay: float | None = None, export_dir: str | None = None,
          revalidate: str | None = None,
          progress: float | None = None, targets: dict[str, list[str]] | None = None, resume: bool = False,
          log_level: str = "WARNING") -> str:
    """Crawl until every site's frontier is empty (or Ctrl-C); return Scrapy's finish reason.

    resume: continue run_id from what it stored (crawler.resume); the request queue lives on disk meanwhile.
    """
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    overrides = {
        "GKAUDIT_DB_URL": db_url, "GKAUDIT_RUN_ID": run_id, "GKAUDIT_AS_OF": as_of.isoformat(),
        "GKAUDIT_MAX_PAGES": max_pages, "GKAUDIT_MAX_DEPTH": max_depth, "DOWNLOAD_DELAY": delay,
        "DOWNLOAD_TIMEOUT": timeout, "GKAUDIT_EXTERNAL": external, "GKAUDIT_CONFIRM_DELAY": confirm_delay,
        "GKAUDIT_REVALIDATE": revalidate,
        "GKAUDIT_PROGRESS_INTERVAL": progress, "GKAUDIT_REPLACE": targets is not None,
        "GKAUDIT_EXPORT_DIR": export_dir, "GKAUDIT_EXPORT_BASE": sites[0].url if export_dir else None,
        "GKAUDIT_RESUME": resume, "LOG_LEVEL": log_level,
    }
    for key, value in overrides.items():
        if value is not None:
            settings.set(key, value, priority="cmdline")
    # Pending requests queue on disk, not in memory (Scrapy's JOBDIR). Its index is written only when Scrapy
    # closes cleanly, so it cannot survive SIGKILL: a resumed run rebuilds its frontier from the database.
    jobdir = tempfile.mkdtemp(prefix=f"gkaudit-run{run_id}-")
    settings.set("JOBDIR", jobdir, priority="cmdline")
    process = CrawlerProcess(settings)
    logging.getLogger("scrapy").setLevel(log_level)
    crawler = process.create_crawler(SiteSpider)
    process.crawl(crawler, sites=sites, targets=targets)
    try:
        process.start()
    finally:
        shutil.rmtree(jobdir, ignore_errors=True)
    if crawler.stats.get_value("gkaudit/store_error"):
        raise StoreError(crawler.stats.get_value("gkaudit/store_error"))
    return crawler.stats.get_value("finish_reason") or "unknown"


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
