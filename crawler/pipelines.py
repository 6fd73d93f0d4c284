"""StorePipeline: writes PageItems to the database in batches (pages, links, columns, items)."""
from __future__ import annotations

import time
from datetime import date
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro
from sqlalchemy import bindparam, delete, func, insert, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from crawler.facts.columns import classify_column
from crawler.items import ConfirmItem, UnchangedItem
from store import connect, now, snapshots
from store.copy import copy_pages
from store.models import ColumnItem, Link, Page, Run, SiteColumn, SiteRun


# A page's observations: each table with the column that names the page (recheck replaces them, reuse copies them).
OBSERVATIONS = ((Page, "url"), (Link, "page_url"), (SiteColumn, "url"), (ColumnItem, "column_url"))

# Every Page row carries every column, so a batch is one executemany.
PAGE_COLUMNS = [c.name for c in Page.__table__.columns if c.name != "id"]


class StorePipeline:
    def __init__(self, db_url, run_id, batch_size, as_of, replace=False):
        self.db_url, self.run_id, self.batch_size, self.as_of = db_url, run_id, batch_size, as_of
        self.replace = replace  # recheck: a fetched URL replaces the rows the run copied from the previous one
        self.rows: dict[type, list[dict]] = {Page: [], Link: [], SiteColumn: [], ColumnItem: []}
        self.bodies: dict[str, bytes] = {}  # snapshots of this batch, by hash
        self.pages_per_site: dict[str, int] = {}
        self.resume = False  # gkaudit audit --resume: the run already holds pages
        self.failed: str | None = None  # the store error that stops the crawl
        self.confirms: list[dict] = []  # second attempts of rows already written, applied at the next flush
        self.unchanged: list[tuple[int, str, str, bool]] = []  # (previous run, site, url, validated): reused pages
        self.flush_interval = 2.0  # seconds: a killed crawl loses at most this much work (or one batch)
        self.flushed_at = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        pipeline = cls(s.get("GKAUDIT_DB_URL"), s.get("GKAUDIT_RUN_ID"), s.getint("GKAUDIT_BATCH_SIZE"),
                       s.get("GKAUDIT_AS_OF"), s.getbool("GKAUDIT_REPLACE"))
        pipeline.resume = s.getbool("GKAUDIT_RESUME")
        pipeline.flush_interval = s.getfloat("GKAUDIT_FLUSH_INTERVAL")
        pipeline.crawler = crawler
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self):
        spider = self.crawler.spider
        self.engine = connect(self.db_url)
        if self.resume:  # the pages the run stored before it stopped count too
            with self.engine.connect() as conn:
                rows = conn.execute(sa_select(Page.site, func.count()).where(Page.run_id == self.run_id)
                                    .group_by(Page.site))
                self.pages_per_site = {site: count for site, count in rows}
        if self.run_id is None:  # plain `scrapy crawl site`: record a run of our own
            with Session(self.engine) as session:
                run = Run(started_at=now(), as_of=date.fromisoformat(self.as_of) if self.as_of else date.today())
                session.add(run)
                session.commit()
                self.run_id = run.id
                for site in spider.sites:
                    session.add(SiteRun(run_id=run.id, site=site.id, name=site.name, url=site.url, level=site.level,
                                        supervisor=site.supervisor))
                session.commit()

    def process_item(self, item):
        if self.failed:  # the database refused a write: the crawl is stopping, keep nothing half-written
            return item
        if isinstance(item, ConfirmItem):
            self._confirm(item)
            return item
        if isinstance(item, UnchangedItem):
            site, urls = item["site"], item["urls"]
            self.pages_per_site[site] = self.pages_per_site.get(site, 0) + len(urls)
            self.unchanged.extend((item["previous_run"], site, url, item["validated"]) for url in urls)
            self._maybe_flush()
            return item
        facts = item.get("facts")
        site, run_id = item["site"], self.run_id
        self.pages_per_site[site] = self.pages_per_site.get(site, 0) + 1
        page = dict.fromkeys(PAGE_COLUMNS)
        page.update({
            "run_id": run_id, "site": site, "url": item["url"], "final_url": item.get("final_url"),
            "status": item.get("status"), "error": item.get("error"), "content_type": item.get("content_type"),
            "length": item.get("length"), "depth": item.get("depth", 0), "is_home": item.get("is_home", False),
            "referer": item.get("referer"), "anchor": item.get("anchor"), "fetched_at": item["fetched_at"],
            "conac": False, "soft_404": False, "is_list": False, "confirmed": False,
            "probe": bool(item.get("probe")), "external": bool(item.get("external")),
            "etag": item.get("etag"), "last_modified": item.get("last_modified"), "revalidated": False,
        })
        if item.get("body"):
            page["snapshot"] = snapshots.digest(item["body"])
            self.bodies[page["snapshot"]] = item["body"]
        anchor_type = classify_column(item["anchor"]) if item.get("anchor") else None
        page["column_type"] = anchor_type
        if facts is not None:
            page.update(
                encoding=facts.encoding, title=facts.title, published=facts.published,
                published_source=facts.published_source, column_name=facts.column_name,
                column_type=facts.column_type or anchor_type, is_list=facts.is_list,
                site_id_code=facts.site_id_code, icp=facts.icp, police_record=facts.police_record,
                jiucuo_sitecode=facts.jiucuo_sitecode, conac=facts.conac, challenge=facts.challenge,
                soft_404=facts.soft_404, disagreements=facts.disagreements or None, written=facts.written,
                meta_names=facts.meta_names or None, field_labels=facts.field_labels or None,
                headings=facts.headings or None, personal_data=facts.personal_data or None,
                term_hits=facts.term_hits or None, anchor_ids=facts.anchor_ids or None, extra=facts.extra or None,
            )
            self._add_links(site, item["url"], facts)
            if facts.is_list and item.get("status") == 200:
                self._add_column(site, item, facts, page["column_type"])
        self.rows[Page].append(page)
        self._maybe_flush()
        return item

    def _maybe_flush(self):
        if (len(self.rows[Page]) + len(self.unchanged) >= self.batch_size
                or time.monotonic() - self.flushed_at >= self.flush_interval):
            self.flush()

    def flush(self):
        """Write the buffered rows; a database failure stops the crawl (reason store_error), never silently."""
        self.flushed_at = time.monotonic()
        try:
            self._write()
        except Exception as exc:
            self._fail(exc)

    def _fail(self, exc):
        """Stop the crawl on a store error (disk full, connection lost); the batch in flight was rolled back."""
        for rows in self.rows.values():
            rows.clear()
        self.unchanged.clear()
        self.confirms.clear()
        self.bodies.clear()
        self.failed = f"{type(exc).__name__}: {exc}"[:2000]
        self.crawler.stats.set_value("gkaudit/store_error", self.failed)
        engine = self.crawler.engine
        if engine and engine.spider and engine.running:
            deferred_from_coro(engine.close_spider_async(reason="store_error"))

    def _confirm(self, item):
        """Record the second attempt on the URL's row: still buffered, or already written."""
        values = {"confirm_status": item["status"], "confirm_error": item["error"], "confirmed": True}
        for row in self.rows[Page]:
            if row["site"] == item["site"] and row["url"] == item["url"]:
                row.update(values)
                return
        self.confirms.append({"c_site": item["site"], "c_url": item["url"], **values})  # written after the rows

    def _add_links(self, site, page_url, facts):
        netloc = urlsplit(page_url).netloc
        self.rows[Link].extend(
            {"run_id": self.run_id, "site": site, "page_url": page_url, "target_url": link.url, "tag": link.tag,
             "text": (link.text or "")[:500] or None, "fragment": link.fragment or None,
             "internal": urlsplit(link.url).netloc == netloc}
            for link in facts.links
        )

    def _add_column(self, site, item, facts, column_type):
        items = facts.list_items
        self.rows[SiteColumn].append({
            "run_id": self.run_id, "site": site, "url": item["url"],
            "name": facts.column_name or item.get("anchor"), "column_type": column_type,
            "item_count": len(items), "undated_count": sum(1 for i in items if i.date is None),
            "newest_date": facts.newest_item_date,
        })
        self.rows[ColumnItem].extend(
            {"run_id": self.run_id, "site": site, "column_url": item["url"], "title": i.title[:500], "url": i.url,
             "date": i.date, "date_source": i.date_source}
            for i in items
        )

    def _write(self):
        """One transaction per batch: a crash loses at most the batch in flight, never half of one."""
        with self.engine.begin() as conn:
            if self.replace:
                self._drop_replaced(conn)
            snapshots.save(conn, self.bodies)
            self.bodies.clear()
            for model, rows in self.rows.items():
                if rows:
                    conn.execute(insert(model), rows)
                    rows.clear()
            self._copy_unchanged(conn)
            if self.confirms:
                conn.execute(update(Page).where(Page.run_id == self.run_id, Page.site == bindparam("c_site"),
                                                Page.url == bindparam("c_url")), self.confirms)
                self.confirms.clear()

    def _copy_unchanged(self, conn):
        """Reused pages (304, or fresh and not asked): their rows are copied from the previous audit."""
        if self.unchanged:
            copy_pages(conn, self.run_id, self.unchanged, OBSERVATIONS, now())
            self.unchanged.clear()

    def _drop_replaced(self, conn):
        """Delete the copied observations of the URLs fetched again: the page, its links, its column and items."""
        for row in self.rows[Page]:
            site, url = row["site"], row["url"]
            for model, column in OBSERVATIONS:
                conn.execute(delete(model).where(model.run_id == self.run_id, model.site == site,
                                                 model.__table__.c[column] == url))

    def spider_closed(self, spider, reason):
        if not self.failed:
            self.flush()
        if self.failed:
            return  # the run's state cannot be trusted to the database now; gkaudit marks it afterwards
        finished = reason == "finished"
        with Session(self.engine) as session:
            for site_run in session.exec(select(SiteRun).where(SiteRun.run_id == self.run_id)).all():
                if self.replace:  # a recheck keeps the copied crawl's page count and budget state
                    values = {"crawl_finished": finished and site_run.crawl_finished}
                else:
                    values = {"pages": self.pages_per_site.get(site_run.site, 0),
                              "budget_exhausted": site_run.site in spider.budget_exhausted, "crawl_finished": finished}
                session.exec(update(SiteRun).where(SiteRun.id == site_run.id).values(**values))
            session.commit()
