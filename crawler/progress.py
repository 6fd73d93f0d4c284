"""Progress of a long crawl on stderr (a Scrapy extension).

On a terminal: a live table of the sites being crawled (pages, queue, errors, state) with the overall rate and
the time left, redrawn in place. Otherwise (a log file, cron, a pipe): a plain line every interval. Either way,
one line per site as it finishes and a final line. Time left is the queue already found divided by the rate so
far: a lower bound while a site's frontier still grows.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass

from rich.console import Console, Group
from rich.live import Live
from rich.table import Table
from rich.text import Text
from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

LIVE_REFRESH = 0.5  # seconds between redraws of the live table
LIVE_ROWS = 12  # sites shown at once (the busiest); the others are counted in a last row


@dataclass
class SiteState:
    id: str
    name: str
    pages: int
    queued: int
    errors: int
    state: str  # 等待 / 抓取中 / 完成 / 达到页面上限


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 \
        else f"{seconds // 60:02d}:{seconds % 60:02d}"


class Progress:
    def __init__(self, crawler, interval: float, live: bool):
        self.crawler, self.interval = crawler, interval
        self.started = time.monotonic()
        self.loop = None
        self.console = Console(stderr=True, soft_wrap=True, highlight=False, markup=False)
        self.live: Live | None = None
        self.use_live = live
        self.reported: set[str] = set()  # sites whose finished line was printed
        self.idle: set[str] = set()  # sites with nothing queued at the last report (done once it lasts)
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("GKAUDIT_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        return cls(crawler, interval, sys.stderr.isatty())

    def opened(self, spider):
        if self.use_live:
            self.live = Live(console=self.console, auto_refresh=False, transient=True)
            self.live.start()
        self.loop = task.LoopingCall(self.report, spider)
        self.loop.start(LIVE_REFRESH if self.live else self.interval, now=False)

    def closed(self, spider, reason):
        if self.loop and self.loop.running:
            self.loop.stop()
        if self.live:
            self.live.stop()
            self.live = None
        self.report(spider, final=True)

    def states(self, spider) -> list[SiteState]:
        out = []
        for site in spider.sites:
            seen, pages = len(spider.seen.get(site.id, ())), spider.answered.get(site.id, 0)
            if pages == 0:
                state = "等待"
            elif pages < seen:
                state = "抓取中"
            else:
                state = "达到页面上限" if site.id in spider.budget_exhausted else "完成"
            out.append(SiteState(site.id, site.name, pages, max(seen - pages, 0), spider.errors.get(site.id, 0), state))
        return out

    def report(self, spider, final: bool = False):
        states = self.states(spider)
        elapsed = time.monotonic() - self.started
        pages = sum(s.pages for s in states)
        queued = sum(s.queued for s in states)
        rate = pages / elapsed if elapsed >= 1 else 0.0
        done = [s for s in states if s.state in ("完成", "达到页面上限")]
        for s in done:  # a line per site once it has stayed done a whole report (its last page may add links)
            if s.id not in self.reported and (final or s.id in self.idle):
                self.reported.add(s.id)
                cap = "，达到页面上限" if s.state == "达到页面上限" else ""
                self.console.print(f"站点完成：{s.name}，{s.pages} 个网址，错误 {s.errors}{cap}（{_clock(elapsed)}）")
        self.idle = {s.id for s in done}
        left = f"，预计还需 {_clock(queued / rate)}" if rate and queued and not final else ""
        line = (f"{'完成' if final else '进度'}：站点 {len(done)}/{len(states)}，已抓取 {pages} 个网址"
                f"（{rate:.0f}/秒），待抓取 {queued}，网络错误 {self.errors()}，用时 {_clock(elapsed)}{left}")
        if self.live and not final:
            self.live.update(self.table(states, line), refresh=True)
        else:
            self.console.print(line)

    def errors(self) -> int:
        stats = self.crawler.stats
        return stats.get_value("log_count/ERROR", 0) + sum(
            v for k, v in stats.get_stats().items() if k.startswith("downloader/exception_type_count/"))

    @staticmethod
    def table(states: list[SiteState], line: str) -> Group:
        """The sites still at work first (the busiest on top), then those waiting; finished ones have their line."""
        order = {"抓取中": 0, "等待": 1}
        busy = sorted((s for s in states if s.state in order), key=lambda s: (order[s.state], -s.queued))
        table = Table("站点", "已抓取", "待抓取", "错误", "状态")
        for s in busy[:LIVE_ROWS]:
            table.add_row(s.name, str(s.pages), str(s.queued), str(s.errors), s.state)
        if len(busy) > LIVE_ROWS:
            table.add_row(f"另有 {len(busy) - LIVE_ROWS} 个站点", "", "", "", "")
        return Group(table, Text(line))
