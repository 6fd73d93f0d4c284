"""robots.txt, obeyed with bounds: one that cannot be read entirely forbids the whole site; failures log one line.

Scrapy's RobotsTxtMiddleware treats a robots.txt it could not download as allowing everything, and logs the
failure with a full traceback at ERROR. A robots.txt larger than ROBOTS_MAXSIZE (Google reads 500 KiB) was
cancelled and the folders it disallowed were crawled; here it disallows every URL of its host (`robots`, so the
rules say not_tested). Other failures (no answer, refused connection) keep Scrapy's allow-all, logged as one
WARNING line; the traceback only with `gkaudit audit -v`.
"""
from __future__ import annotations

import logging

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Request
from scrapy.http.request import NO_CALLBACK
from twisted.internet.defer import CancelledError, Deferred

from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached

log = logging.getLogger(__name__)

ROBOTS_MAXSIZE = 512 * 1024  # bytes of a robots.txt read at most


class DisallowAll:
    """The parser of a robots.txt too large to read: nothing of its host may be fetched."""

    def allowed(self, url, user_agent) -> bool:
        return False


class BoundedRobotsTxtMiddleware(RobotsTxtMiddleware):
    async def robot_parser(self, request: Request):
        url = urlparse_cached(request)
        netloc = url.netloc
        if netloc not in self._parsers:
            self._parsers[netloc] = Deferred()
            robotsreq = Request(f"{url.scheme}://{netloc}/robots.txt", priority=self.DOWNLOAD_PRIORITY,
                                meta={"dont_obey_robotstxt": True, "download_maxsize": ROBOTS_MAXSIZE,
                                      "download_warnsize": 0, "dont_retry": True},  # the page itself is retried
                                callback=NO_CALLBACK)
            try:
                resp = await self.crawler.engine.download_async(robotsreq)
                await self._parse_robots(resp, netloc, request)
            except Exception as exc:  # noqa: BLE001 — Scrapy's own handler, with bounded consequences
                self._failed(exc, netloc, robotsreq)
            self._stats.inc_value("robotstxt/request_count")
        parser = self._parsers[netloc]
        if isinstance(parser, Deferred):
            return await maybe_deferred_to_future(parser)
        return parser

    def _failed(self, exc: Exception, netloc: str, robotsreq: Request) -> None:
        if isinstance(exc, (DownloadCancelledError, CancelledError)):  # over ROBOTS_MAXSIZE: what it forbids cannot be known
            log.warning("%s 超过 %d KB，无法完整读取：按禁止抓取整个站点处理", robotsreq.url, ROBOTS_MAXSIZE // 1024)
            self._stats.inc_value("gkaudit/robots_too_large")
            waiting = self._parsers[netloc]
            self._parsers[netloc] = DisallowAll()
            waiting.callback(self._parsers[netloc])
            return
        if not isinstance(exc, IgnoreRequest):
            log.warning("无法读取 %s：%s（按允许抓取处理）", robotsreq.url, type(exc).__name__,
                        exc_info=exc if self._verbose() else None)
        self._robots_error(exc, netloc)

    def _verbose(self) -> bool:
        """gkaudit audit -v sets LOG_LEVEL INFO (the loggers themselves stay at DEBUG: Scrapy filters at its handler)."""
        return str(self.crawler.settings.get("LOG_LEVEL")).upper() in ("DEBUG", "INFO")
