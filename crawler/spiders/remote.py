"""The audit spider for workers that gkaudit does not start itself (Scrapyd, other machines).

    scrapy crawl site-run -a db=postgresql+psycopg2://gk@db-host/gkaudit -a run_id=42 [-a max_pages=500 ...]

Everything comes as spider arguments (what Scrapyd's schedule.json passes): the database and a run that
gkaudit registered there (its sites, its audit date), and any crawl option of core.options by its name. The
worker needs no sites file and no config of its own; it stores pages into that run, and gkaudit judges the
run when the crawl is done.
"""
from __future__ import annotations

import logging

from core import options as crawl_options
from core.resources import CONFIG_DIR
from crawler.spiders.site import SiteSpider
from store import connect
from store.runs import run_sites


class RunSpider(SiteSpider):
    name = "site-run"

    @classmethod
    def from_crawler(cls, crawler, *args, db: str | None = None, run_id: str | int | None = None, **kwargs):
        settings = crawler.settings  # not frozen yet: Scrapy applies settings after the spider exists
        given = crawl_options.from_arguments(kwargs)
        for name in given:
            kwargs.pop(name)
        for setting, value in crawl_options.to_settings(given).items():
            settings.set(setting, value, priority="cmdline")
        if db:
            settings.set("GKAUDIT_DB_URL", db, priority="cmdline")
        if run_id not in (None, ""):
            sites, as_of = run_sites(connect(settings.get("GKAUDIT_DB_URL")), int(run_id))
            settings.set("GKAUDIT_RUN_ID", int(run_id), priority="cmdline")
            settings.set("GKAUDIT_AS_OF", as_of.isoformat(), priority="cmdline")
            kwargs["sites"] = sites
        elif not kwargs.get("sites"):
            raise ValueError("site-run 需要 -a run_id=N（以及 -a db=URL），或 -a sites=FILE")
        logging.getLogger(__name__).info("gkaudit 代码位置 %s，配置 %s", __file__, CONFIG_DIR)
        return super().from_crawler(crawler, *args, **kwargs)
