"""Progress of a long crawl on stderr: sites done, pages, errors, queue, elapsed (a Scrapy extension)."""
from __future__ import annotations

import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task


class Progress:
    def __init__(self, crawler, interval: float):
        self.crawler, self.interval = crawler, interval
        self.started = time.monotonic()
        self.loop = None
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("GKAUDIT_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        return cls(crawler, interval)

    def opened(self, spider):
        self.loop = task.LoopingCall(self.report, spider)
        self.loop.start(self.interval, now=False)

    def closed(self, spider, reason):
        if self.loop and self.loop.running:
            self.loop.stop()
        self.report(spider, final=True)

    def report(self, spider, final: bool = False):
        stats = self.crawler.stats
        scheduled = {s: len(seen) for s, seen in spider.seen.items()}
        done = sum(1 for s, n in scheduled.items() if spider.answered.get(s, 0) >= n)
        pages = sum(spider.answered.values())
        errors = stats.get_value("log_count/ERROR", 0) + sum(
            v for k, v in stats.get_stats().items() if k.startswith("downloader/exception_type_count/"))
        queued = sum(scheduled.values()) - pages
        elapsed = int(time.monotonic() - self.started)
        rate = pages / elapsed if elapsed else 0.0
        line = (f"{'完成' if final else '进度'}：站点 {done}/{len(scheduled)}，已抓取 {pages} 个网址"
                f"（{rate:.0f}/秒），待抓取 {max(queued, 0)}，网络错误 {errors}，用时 {elapsed // 60:02d}:{elapsed % 60:02d}")
        print(line, file=sys.stderr, flush=True)
