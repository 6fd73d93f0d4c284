"""The downloader middleware that answers a request marked `render` with the page as chromium shows it.

The spider marks a page for rendering after reading it statically (crawler/render/need.py). Here the browser
renders it; the answer is an HtmlResponse of the rendered DOM with `rendered` in its meta. When the page cannot be
rendered (no chromium, budget spent, timeout), meta `render_error` says why and the request goes on to the
ordinary download: the static page is judged as before.

It also samples, for GUIDE-12a/b, the homepage and the first GKAUDIT_A11Y_PAGES 二级 pages of each site that answer
200 with HTML, and opens each once more in chromium for the accessibility checks (crawler/render/a11y.py).
"""
from __future__ import annotations

from scrapy import signals
from scrapy.http import HtmlResponse

from core.attachments import is_file
from crawler.facts.signals import MAX_CHALLENGE_CHARS, challenge

from .browser import Budget, Renderer, unavailable

A11Y_SECONDS = 30.0  # one page's accessibility run at most (load, settle, axe)


class RenderMiddleware:
    def __init__(self, crawler):
        settings = crawler.settings
        self.mode = settings.get("GKAUDIT_RENDER", "auto")
        self.missing = unavailable() if self.mode != "off" else None
        self.budget = Budget(settings.getint("GKAUDIT_RENDER_PAGES"), settings.getfloat("GKAUDIT_RENDER_SECONDS"))
        self.renderer = Renderer(self.budget, settings.getfloat("DOWNLOAD_TIMEOUT") + 5, settings.get("USER_AGENT"))
        self.a11y_pages = settings.getint("GKAUDIT_A11Y_PAGES", 3)
        self.a11y_sampled: dict[str, int] = {}  # site → 二级 pages sampled so far
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

    def wants_a11y(self, meta: dict, url: str) -> bool:
        """The homepage and the first GKAUDIT_A11Y_PAGES 二级 pages of each site get the accessibility checks
        (GUIDE-12a/b), only with rendering on and chromium present, each page once."""
        if self.mode == "off" or self.missing or "a11y" in meta or meta.get("render"):
            return False
        if any(meta.get(k) for k in ("probe", "external", "stylesheet", "document", "fragment", "confirm")):
            return False
        if meta.get("is_home"):
            return True
        site = meta.get("site")
        if meta.get("depth") != 1 or is_file(url) or self.a11y_sampled.get(site, 0) >= self.a11y_pages:
            return False
        self.a11y_sampled[site] = self.a11y_sampled.get(site, 0) + 1
        return True

    async def process_response(self, request, response, spider=None):
        """A homepage or sampled page that answered 200 with HTML is opened once more, in chromium, for the
        accessibility checks; its result rides in the request's meta to the spider (page.extra "a11y")."""
        if response.status == 200 and b"html" in (response.headers.get(b"Content-Type") or b"html").lower() \
                and not _challenge(response.body) and self.wants_a11y(request.meta, request.url):
            request.meta["a11y"] = await self.renderer.accessibility(request.url, A11Y_SECONDS)
        return response

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


def _challenge(body: bytes) -> bool:
    """An anti-bot challenge page is never opened in the browser (chromium would pass it); a small page that sets a
    cookie and reloads counts as one here, its visible text unknown."""
    if len(body) > MAX_CHALLENGE_CHARS * 4:
        return False
    text = body.decode("utf-8", "replace")
    return challenge(text, text, 0) is not None
