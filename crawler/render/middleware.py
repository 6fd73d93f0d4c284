"""The downloader middleware that answers a request marked `render` with the page as chromium shows it.

The spider marks a page for rendering after reading it statically (crawler/render/need.py). Here the browser
renders it; the answer is an HtmlResponse of the rendered DOM with `rendered` in its meta. When the page cannot be
rendered (no chromium, budget spent, timeout), meta `render_error` says why and the request goes on to the
ordinary download: the static page is judged as before.
"""
from __future__ import annotations

from scrapy import signals
from scrapy.http import HtmlResponse

from .browser import Budget, Renderer, unavailable


class RenderMiddleware:
    def __init__(self, crawler):
        settings = crawler.settings
        self.mode = settings.get("GKAUDIT_RENDER", "auto")
        self.missing = unavailable() if self.mode != "off" else None
        self.budget = Budget(settings.getint("GKAUDIT_RENDER_PAGES"), settings.getfloat("GKAUDIT_RENDER_SECONDS"))
        self.renderer = Renderer(self.budget, settings.getfloat("DOWNLOAD_TIMEOUT") + 5, settings.get("USER_AGENT"))
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def refusal(self, site: str) -> str | None:
        """Why a page of this site will not be rendered ("off", "unavailable", "budget"), or None (and the page
        takes one of the site's budget)."""
        if self.mode == "off":
            return "off"
        if self.missing:
            return "unavailable"
        if not self.budget.allows(site):
            return "budget"
        self.budget.take(site)
        return None

    async def process_request(self, request, spider=None):
        if not request.meta.get("render") or request.meta.get("render_error"):
            return None
        html, error = await self.renderer.render(request.url, request.meta["site"])
        if html is None:
            request.meta["render_error"] = error
            return None
        request.meta["rendered"] = True
        return HtmlResponse(request.url, status=200, body=html.encode("utf-8"), encoding="utf-8", request=request,
                            headers={"Content-Type": "text/html; charset=utf-8"})

    async def closed(self, spider):
        await self.renderer.close()
