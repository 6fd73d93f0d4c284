"""Several crawl workers sharing one frontier in Redis (scrapy-redis scheduler and dupefilter).

Start the same command on each worker (same machine or several; same database, same Redis):

    scrapy crawl site-shared -a frontier=audit-2026-11 -a redis=redis://10.0.0.5:6379/0 \\
        -a db=postgresql+psycopg2://gk@10.0.0.5/gkaudit -a sites=sites.yaml

- The first worker to arrive registers the run in the database; the others join it (or give -a run_id=N).
- Requests wait in the Redis queue `<frontier>:requests`; a URL is fetched once across all workers
  (`<frontier>:dupefilter`), so every page of the run is crawled by exactly one worker. A worker whose own
  queue is empty keeps pulling while another worker is still busy (it could still find links).
- The last worker to finish completes the run (page counts of all workers, status) and deletes the frontier.
  If workers stop early (Ctrl-C), the frontier stays in Redis: start them again to continue the same run.
- Then judge and report as usual: `gkaudit report --run N --out DIR`.

Politeness is per worker (each keeps its own download slots): n workers on one host send up to n times the
per-host rate; share a frontier across sites rather than to hammer one site. The page budget (max_pages)
applies per worker.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import socket
import time
import uuid
from collections import deque

import redis as redis_lib
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy_redis.scheduler import Scheduler as RedisScheduler
from twisted.internet import task

from core.as_of import resolve_as_of
from core.sites import load_sites
from crawler.netprobe.probe import ProbeSettings, probe_run
from crawler.spiders.remote import RunSpider
from store import connect
from store.runs import finish_shared_run, start_run

logger = logging.getLogger(__name__)
FRONTIER_NAME = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")
BUSY_TTL = 10  # seconds: a worker that died stops counting as busy after this long
HEARTBEAT = 1.0  # seconds between a worker's busy-marker refreshes (and pulls when it is idle)


class SharedScheduler(RedisScheduler):
    """scrapy-redis's scheduler, with two exceptions. A redirect continues a request already admitted, so it skips
    the dupefilter (as in the single-process crawl). The second attempt at a URL that looked broken stays with the
    worker that holds the first answer (its row may still be in that worker's write buffer)."""

    def open(self, spider):
        self.local: deque = deque()
        return super().open(spider)

    def __len__(self):
        return len(self.local) + super().__len__()

    def enqueue_request(self, request):
        if request.meta.get("confirm"):
            self.local.append(request)
            return True
        if request.meta.get("redirect_urls") and not request.dont_filter:
            request = request.replace(dont_filter=True)
        return super().enqueue_request(request)

    def next_request(self):
        return self.local.popleft() if self.local else super().next_request()

    def has_pending_requests(self):
        return bool(self.local) or super().has_pending_requests()


class SharedSiteSpider(RunSpider):
    name = "site-shared"
    probes_network = False  # the last worker probes, once the whole run is stored (_finish_run)

    @classmethod
    def from_crawler(cls, crawler, *args, frontier: str | None = None, redis: str | None = None, **kwargs):
        if not frontier or not FRONTIER_NAME.match(frontier):
            raise ValueError("site-shared 需要 -a frontier=NAME（字母、数字和 _.:-，所有工作进程相同）")
        settings = crawler.settings
        redis_url = redis or settings.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
        settings.setdict({
            "SCHEDULER": "crawler.spiders.shared.SharedScheduler",
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            "SCHEDULER_QUEUE_KEY": f"{frontier}:requests",
            "SCHEDULER_DUPEFILTER_KEY": f"{frontier}:dupefilter",
            "SCHEDULER_PERSIST": True,  # one worker closing must not flush what the others still use
            "REDIS_URL": redis_url,
        }, priority="cmdline")
        server = redis_lib.Redis.from_url(redis_url, decode_responses=True)
        if kwargs.get("db"):
            settings.set("GKAUDIT_DB_URL", kwargs["db"], priority="cmdline")
        if kwargs.get("run_id") in (None, ""):
            kwargs["run_id"] = _join_or_create_run(server, frontier, settings, kwargs.get("sites"))
        kwargs.pop("sites", None)  # the run's rows are the sites, for every worker alike
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.frontier, spider.server = frontier, server
        spider.worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        crawler.signals.connect(spider._opened, signal=signals.spider_opened)
        crawler.signals.connect(spider._shared_idle, signal=signals.spider_idle)
        return spider

    def key(self, name: str) -> str:
        return f"{self.frontier}:{name}"

    def _request(self, site_id, url, **kwargs):
        """Requests go through the shared dupefilter (the single-process spider de-duplicates in memory only)."""
        request = super()._request(site_id, url, **kwargs)
        return request.replace(dont_filter=False) if request.dont_filter else request

    async def start(self):
        """The same start requests on every worker, de-duplicated in Redis: the not-found probe of a site gets a
        URL derived from the frontier, not a random one, so only one worker fetches it."""
        async for request in super().start():
            if request.meta.get("probe"):
                site = next(s for s in self.sites if s.id == request.meta["site"])
                digest = hashlib.sha1(f"{self.frontier}\0{site.id}".encode()).hexdigest()[:12]
                url = f"{site.url.rstrip('/')}/gkaudit-probe-{digest}.html"
                request = request.replace(url=url, meta=dict(request.meta, link_url=url))
            yield request

    # -- coordination --------------------------------------------------------------------------------------

    def _opened(self, spider):
        self.server.sadd(self.key("workers"), self.worker)
        self._busy(True)  # busy from the start: a worker that has not fetched anything yet may still find links
        self._beat = task.LoopingCall(self._heartbeat)
        self._beat.start(HEARTBEAT, now=False)
        # connected now, after the store pipeline, so it runs after the pipeline has written its counts
        self.crawler.signals.connect(self._closed, signal=signals.spider_closed)

    def _busy(self, busy: bool) -> None:
        """`<frontier>:busy` maps each busy worker to the time its claim runs out (a dead worker's claim lapses)."""
        if busy:
            self.server.hset(self.key("busy"), self.worker, time.time() + BUSY_TTL)
        else:
            self.server.hdel(self.key("busy"), self.worker)

    def _others_busy(self) -> bool:
        now = time.time()
        return any(w != self.worker and float(until) > now for w, until in self.server.hgetall(self.key("busy")).items())

    def _pending(self) -> bool:
        return bool(self.server.exists(self.key("requests")))  # Redis drops an emptied queue key

    def _heartbeat(self):
        engine = self.crawler.engine
        try:
            idle = engine.spider_is_idle()
        except (AttributeError, RuntimeError):  # opening or closing
            return
        self._busy(not idle)
        slot = getattr(engine, "_slot", None)
        if idle and slot is not None and self._pending():
            slot.nextcall.schedule()  # pull now rather than at Scrapy's 5-second heartbeat

    def _shared_idle(self, spider):
        """Stay open while the frontier has requests or another worker is busy (it may still add some)."""
        self._busy(False)
        if self._pending() or self._others_busy():
            raise DontCloseSpider

    def _closed(self, spider, reason):
        if getattr(self, "_beat", None) is not None and self._beat.running:
            self._beat.stop()
        self._busy(False)
        if self.budget_exhausted:
            self.server.sadd(self.key("budget"), *self.budget_exhausted)
        stored = sum(self.answered.values())
        self.server.hincrby(self.key("stored"), self.worker, stored)
        self.server.srem(self.key("workers"), self.worker)
        logger.info("共享抓取 %s：工作进程 %s 结束（%s），存储 %d 个网址", self.frontier, self.worker, reason, stored)
        if self.server.scard(self.key("workers")) == 0:
            self._finish_run(reason)

    def _finish_run(self, reason: str) -> None:
        """The last worker: page counts of all workers, the run's status; a finished frontier is deleted."""
        frontier_done = reason == "finished" and not self._pending()
        budget = set(self.server.smembers(self.key("budget")))
        run_id = int(self.crawler.settings.get("GKAUDIT_RUN_ID"))
        finish_shared_run(connect(self.crawler.settings.get("GKAUDIT_DB_URL")), run_id, [s.id for s in self.sites],
                          budget, reason, frontier_done)
        if frontier_done and self.crawler.settings.get("GKAUDIT_NETWORK", "on") == "on":
            probe_run(self.crawler.settings.get("GKAUDIT_DB_URL"), run_id, self.sites,
                      ProbeSettings.from_settings(self.crawler.settings))
        if frontier_done:
            keys = list(self.server.scan_iter(self.key("*")))
            if keys:
                self.server.delete(*keys)
        logger.info("共享抓取 %s：运行 %d %s", self.frontier, run_id,
                    "完成，前沿已清除" if frontier_done else "未完成，前沿保留在 Redis 中，重新启动工作进程即可继续")


def _join_or_create_run(server, frontier: str, settings, sites_path: str | None) -> int:
    """The run of this frontier: registered by the first worker to arrive, read by the others."""
    run_key, lock_key = f"{frontier}:run", f"{frontier}:run-lock"
    deadline = time.monotonic() + 60
    while True:
        existing = server.get(run_key)
        if existing:
            return int(existing)
        if server.set(lock_key, "1", nx=True, ex=60):
            break
        if time.monotonic() > deadline:
            raise RuntimeError(f"等待共享抓取 {frontier} 的运行编号超时")
        time.sleep(0.2)
    if not sites_path:
        server.delete(lock_key)
        raise ValueError("共享抓取的第一个工作进程需要 -a sites=FILE（或 -a run_id=N）")
    sites_file = load_sites(sites_path)
    # This worker registers the run, so it decides the audit date: -s GKAUDIT_AS_OF=YYYY-MM-DD, else today.
    as_of = resolve_as_of(settings.get("GKAUDIT_AS_OF"))
    run_id = start_run(connect(settings.get("GKAUDIT_DB_URL")), sites_file.sites, as_of, None,
                       f"shared frontier {frontier}")
    server.set(run_key, run_id)
    server.delete(lock_key)
    return run_id
