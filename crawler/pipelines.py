"""StorePipeline: writes PageItems to the database in batches (pages, links, columns, items).

Batches are written by one writer thread, in order, while the crawl goes on: the database's own work (B-tree
inserts, the copies of reused pages, commits) runs outside the GIL, so it overlaps parsing instead of pausing it.
At most MAX_IN_FLIGHT batches wait for the writer; beyond that the crawl waits, so memory stays bounded.
"""
from __future__ import annotations

import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro
from sqlalchemy import bindparam, delete, func, update
from sqlalchemy import select as sa_select

from core.clock import now
from core.columns import classify_column
from crawler.documents.stored import document_links
from crawler.facts.links import netloc
from crawler.items import ConfirmItem, UnchangedItem
from store import connect, snapshots
from store.bulk import insert_rows
from store.copy import copy_pages
from store.models import ColumnItem, Link, Page, SiteColumn, SiteRun
from store.runs import start_run

# A page's observations: each table with the column that names the page (recheck replaces them, reuse copies them).
OBSERVATIONS = ((Page, "url"), (Link, "page_url"), (SiteColumn, "url"), (ColumnItem, "column_url"))

# Every Page row carries every column, so a batch is one executemany.
PAGE_COLUMNS = [c.name for c in Page.__table__.columns if c.name != "id"]

MAX_IN_FLIGHT = 2  # batches handed to the writer thread and not yet committed


@dataclass
class Batch:
    """What one transaction writes: new rows, snapshot bodies, reused pages to copy, second attempts."""

    rows: dict[type, list[dict]] = field(default_factory=lambda: {Page: [], Link: [], SiteColumn: [], ColumnItem: []})
    bodies: dict[str, bytes] = field(default_factory=dict)  # snapshots, by hash
    unchanged: list[tuple[int, str, str, bool]] = field(default_factory=list)  # (previous run, site, url, validated)
    confirms: list[dict] = field(default_factory=list)  # second attempts of rows written by an earlier batch

    def __bool__(self):
        return bool(self.rows[Page] or self.unchanged or self.confirms)


class StorePipeline:
    def __init__(self, db_url, run_id, batch_size, replace=False):
        self.db_url, self.run_id, self.batch_size = db_url, run_id, batch_size
        self.replace = replace  # recheck: a fetched URL replaces the rows the run copied from the previous one
        self.batch = Batch()  # being filled
        self.writer = ThreadPoolExecutor(1, thread_name_prefix="gkaudit-store")
        self.in_flight: list = []  # futures of the batches handed to the writer
        self.pages_per_site: dict[str, int] = {}
        self.resume = False  # gkaudit audit --resume: the run already holds pages
        self.failed: str | None = None  # the store error that stops the crawl
        self.flush_interval = 2.0  # seconds: a killed crawl loses at most this much work (or the batches in flight)
        self.flushed_at = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        pipeline = cls(s.get("GKAUDIT_DB_URL"), s.get("GKAUDIT_RUN_ID"), s.getint("GKAUDIT_BATCH_SIZE"),
                       s.getbool("GKAUDIT_REPLACE"))
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
        if self.run_id is None:  # plain `scrapy crawl site`: record a run of our own, dated as the spider is
            self.run_id = start_run(self.engine, spider.sites, spider.as_of, None, "scrapy crawl")
            spider.run_id = self.run_id  # the network probes store into it too

    def process_item(self, item):
        if self.failed:  # the database refused a write: the crawl is stopping, keep nothing half-written
            return item
        if isinstance(item, ConfirmItem):
            self._confirm(item)
            return item
        if isinstance(item, UnchangedItem):
            site, urls = item["site"], item["urls"]
            self.pages_per_site[site] = self.pages_per_site.get(site, 0) + len(urls)
            self.batch.unchanged.extend((item["previous_run"], site, url, item["validated"]) for url in urls)
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
            self.batch.bodies[page["snapshot"]] = item["body"]
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
            self._add_links(site, item["url"], facts.links)
            if facts.is_list and item.get("status") == 200:
                self._add_column(site, item, facts, page["column_type"])
        elif item.get("document") is not None:  # an attachment read for the rules (crawler.documents.stored)
            document = item["document"]
            page.update(title=document.get("title"), extra={"document": document})
            self._add_links(site, item["url"], document_links(item.get("final_url") or item["url"], document))
        self.batch.rows[Page].append(page)
        self._maybe_flush()
        return item

    def _maybe_flush(self):
        if (len(self.batch.rows[Page]) + len(self.batch.unchanged) >= self.batch_size
                or time.monotonic() - self.flushed_at >= self.flush_interval):
            self.flush()

    def flush(self):
        """Hand the buffered rows to the writer thread; a database failure stops the crawl (reason store_error)."""
        self.flushed_at = time.monotonic()
        batch, self.batch = self.batch, Batch()
        if self.failed or not batch:
            return
        self.in_flight = [f for f in self.in_flight if not f.done()]
        if len(self.in_flight) >= MAX_IN_FLIGHT:  # the writer is behind: wait for it rather than buffer more
            wait(self.in_flight, return_when=FIRST_COMPLETED)
        self.in_flight.append(self.writer.submit(self._write_batch, batch))

    def _write_batch(self, batch: Batch):
        """Writer thread. After a failure nothing more is written: later batches may depend on the lost one."""
        if self.failed:
            return
        try:
            self._write(batch)
        except Exception as exc:  # the batch in flight was rolled back
            self.failed = f"{type(exc).__name__}: {exc}"[:2000]
            self.crawler.stats.set_value("gkaudit/store_error", self.failed)
            # The installed reactor: importing it at module level would install another.
            from twisted.internet import reactor

            reactor.callFromThread(self._stop)

    def _stop(self):
        """Stop the crawl on a store error (disk full, connection lost)."""
        self.batch = Batch()
        engine = self.crawler.engine
        if engine and engine.spider and engine.running:
            deferred_from_coro(engine.close_spider_async(reason="store_error"))

    def _confirm(self, item):
        """Record the second attempt on the URL's row: still buffered, or already written."""
        values = {"confirm_status": item["status"], "confirm_error": item["error"], "confirmed": True}
        for row in self.batch.rows[Page]:
            if row["site"] == item["site"] and row["url"] == item["url"]:
                row.update(values)
                return
        self.batch.confirms.append({"c_site": item["site"], "c_url": item["url"], **values})  # after the rows

    def _add_links(self, site, page_url, links):
        host = netloc(page_url)
        self.batch.rows[Link].extend(
            {"run_id": self.run_id, "site": site, "page_url": page_url, "target_url": link.url, "tag": link.tag,
             "text": (link.text or "")[:500] or None, "fragment": link.fragment or None,
             "internal": netloc(link.url) == host}
            for link in links
        )

    def _add_column(self, site, item, facts, column_type):
        items = facts.list_items
        self.batch.rows[SiteColumn].append({
            "run_id": self.run_id, "site": site, "url": item["url"],
            "name": facts.column_name or item.get("anchor"), "column_type": column_type,
            "item_count": len(items), "undated_count": sum(1 for i in items if i.date is None),
            "newest_date": facts.newest_item_date,
        })
        self.batch.rows[ColumnItem].extend(
            {"run_id": self.run_id, "site": site, "column_url": item["url"], "title": i.title[:500], "url": i.url,
             "date": i.date, "date_source": i.date_source}
            for i in items
        )

    def _write(self, batch: Batch):
        """One transaction per batch: a crash loses at most the batches in flight, never half of one."""
        with self.engine.begin() as conn:
            if self.replace:
                self._drop_replaced(conn, batch.rows[Page])
            snapshots.save(conn, batch.bodies)
            for model, rows in batch.rows.items():
                insert_rows(conn, model, rows)
            if batch.unchanged:  # reused pages (304, or fresh and not asked): rows copied from the previous audit
                copy_pages(conn, self.run_id, batch.unchanged, OBSERVATIONS, now())
            if batch.confirms:
                conn.execute(update(Page).where(Page.run_id == self.run_id, Page.site == bindparam("c_site"),
                                                Page.url == bindparam("c_url")), batch.confirms)

    def _drop_replaced(self, conn, pages: list[dict]):
        """Delete the copied observations of the URLs fetched again: the page, its links, its column and items."""
        for row in pages:
            site, url = row["site"], row["url"]
            for model, column in OBSERVATIONS:
                conn.execute(delete(model).where(model.run_id == self.run_id, model.site == site,
                                                 model.__table__.c[column] == url))

    def spider_closed(self, spider, reason):
        self.flush()
        self.writer.shutdown(wait=True)  # every batch committed (or the first failure recorded)
        try:
            if not self.failed:  # else the run's state cannot be trusted to the database; gkaudit marks it afterwards
                self._finish_sites(spider, reason == "finished")
        finally:
            self.engine.dispose()

    def _finish_sites(self, spider, finished: bool):
        """Each site's page count and budget state: one executemany over the run's sites (a statement per site
        through the ORM grew quadratically: 10,000 sites took minutes; scripts/bench/sites.py)."""
        with self.engine.begin() as conn:
            rows = conn.execute(sa_select(SiteRun.id, SiteRun.site, SiteRun.crawl_finished)
                                .where(SiteRun.run_id == self.run_id)).all()
            if not rows:
                return
            if self.replace:  # a recheck keeps the copied crawl's page count and budget state
                values = [{"r_id": i, "crawl_finished": finished and bool(done)} for i, _, done in rows]
            else:
                values = [{"r_id": i, "pages": self.pages_per_site.get(site, 0),
                           "budget_exhausted": site in spider.budget_exhausted, "crawl_finished": finished}
                          for i, site, _ in rows]
            conn.execute(update(SiteRun).where(SiteRun.id == bindparam("r_id")), values)
