"""The audit spider for workers that gkaudit does not start itself (Scrapyd, other machines).

    scrapy crawl site-run -a db=postgresql+psycopg2://gk@db-host/gkaudit -a run_id=42 [-a max_pages=500 ...]

Everything comes as spider arguments (what Scrapyd's schedule.json passes): the database and a run that
gkaudit registered there (its sites, its audit date). The worker needs no sites file and no config of its
own; it stores pages into that run, and gkaudit judges the run when the crawl is done.
"""
from __future__ import annotations

import logging

from sqlmodel import Session, select

from crawler.spiders.site import SiteSpider
from gkaudit.sites import Site

# Spider argument → Scrapy setting (crawl budgets and politeness, as in gkaudit.sites.CRAWL_KEYS).
ARG_SETTINGS = {"max_pages": "GKAUDIT_MAX_PAGES", "max_depth": "GKAUDIT_MAX_DEPTH", "delay": "DOWNLOAD_DELAY",
                "timeout": "DOWNLOAD_TIMEOUT", "external": "GKAUDIT_EXTERNAL", "confirm_delay": "GKAUDIT_CONFIRM_DELAY"}


class RunSpider(SiteSpider):
    name = "site-run"

    @classmethod
    def from_crawler(cls, crawler, *args, db: str | None = None, run_id: str | int | None = None, **kwargs):
        settings = crawler.settings  # not frozen yet: Scrapy applies settings after the spider exists
        for arg, setting in ARG_SETTINGS.items():
            if kwargs.get(arg) not in (None, ""):
                settings.set(setting, kwargs.pop(arg), priority="cmdline")
        if db:
            settings.set("GKAUDIT_DB_URL", db, priority="cmdline")
        if run_id not in (None, ""):
            sites, as_of = load_run(settings.get("GKAUDIT_DB_URL"), int(run_id))
            settings.set("GKAUDIT_RUN_ID", int(run_id), priority="cmdline")
            settings.set("GKAUDIT_AS_OF", as_of, priority="cmdline")
            kwargs["sites"] = sites
        elif not kwargs.get("sites"):
            raise ValueError("site-run 需要 -a run_id=N（以及 -a db=URL），或 -a sites=FILE")
        import gkaudit

        logging.getLogger(__name__).info("gkaudit 代码位置 %s，配置 %s", gkaudit.__file__, gkaudit.CONFIG_DIR)
        return super().from_crawler(crawler, *args, **kwargs)


def load_run(db_url: str | None, run_id: int) -> tuple[list[Site], str]:
    """The sites and audit date of a run registered in the database."""
    from store import connect
    from store.models import Run, SiteRun

    with Session(connect(db_url)) as session:
        run = session.get(Run, run_id)
        if run is None:
            raise ValueError(f"数据库中没有运行 {run_id}")
        rows = session.exec(select(SiteRun).where(SiteRun.run_id == run_id).order_by(SiteRun.id)).all()
        sites = [Site(r.site, r.name, r.level, r.url, r.supervisor, settings=r.settings or {}) for r in rows]
        return sites, run.as_of.isoformat()
