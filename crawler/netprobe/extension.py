"""The network probes as a Scrapy extension: they run when a crawl finishes, in every process that crawls (an
in-process audit, a recheck, a resumed run, a Scrapyd worker), so they see the network of the crawling host."""
from __future__ import annotations

import asyncio

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.netprobe.probe import ProbeSettings, probe_run


class NetworkProbes:
    def __init__(self, crawler):
        self.crawler = crawler
        crawler.signals.connect(self.opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler):
        if crawler.settings.get("GKAUDIT_NETWORK", "on") != "on":
            raise NotConfigured
        return cls(crawler)

    def opened(self, spider):
        # connected now, after the store pipeline: its last pages are written before the probes read them
        self.crawler.signals.connect(self.closed, signal=signals.spider_closed)

    async def closed(self, spider, reason):
        """A finished crawl only: Ctrl-C means stop now (a resumed run probes when it finishes)."""
        if reason != "finished" or not getattr(spider, "probes_network", True):
            return
        run_id = getattr(spider, "run_id", None)
        if run_id is None:
            return
        settings = self.crawler.settings
        await asyncio.to_thread(probe_run, settings.get("GKAUDIT_DB_URL"), int(run_id), list(spider.sites),
                                ProbeSettings.from_settings(settings))
