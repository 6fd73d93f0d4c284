"""The downloader middleware that answers a request marked `render` with the page as chromium shows it.

The spider marks a page for rendering after reading it statically (crawler/render/need.py). Here the browser
renders it; the answer is an HtmlResponse of the rendered DOM with `rendered` in its meta. When the page cannot be
rendered (no chromium, budget spent, timeout), meta `render_error` says why and the request goes on to the
ordinary download: the static page is judged as before.

It also samples, for GUIDE-12a/b, the homepage and the pages of its first GKAUDIT_A11Y_PAGES links: the spider asks
for such a page again with meta `a11y` None, and here chromium checks it (crawler/render/a11y.py) before it is
downloaded (or rendered) again.
"""
from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.http import HtmlResponse
from scrapy.utils.defer import maybe_deferred_to_future

from core.addresses import host_address
from core.attachments import is_file

from .browser import Budget, Renderer, unavailable

RESOLVE_SECONDS = 10.0  # one site's host name looked up for chromium's host map at most
A11Y_SECONDS = 60.0  # one page's accessibility run at most (load, settle, axe), generous for a loaded host


class RenderMiddleware:
    def __init__(self, crawler):
        settings = crawler.settings
        self.mode = settings.get("GKAUDIT_RENDER", "auto")
        self.missing = unavailable() if self.mode != "off" else None
        self.budget = Budget(settings.getint("GKAUDIT_RENDER_PAGES"), settings.getfloat("GKAUDIT_RENDER_SECONDS"))
        self.crawler = crawler
        self.renderer = Renderer(self.budget, settings.getfloat("DOWNLOAD_TIMEOUT") + 5, settings.get("USER_AGENT"),
                                 hosts=self.site_addresses)
        self.a11y = settings.get("GKAUDIT_A11Y", "off") == "on"  # opt-in: 2–3 s of chromium per page checked
        self.a11y_pages = settings.getint("GKAUDIT_A11Y_PAGES", 3)
        self.export = bool(settings.get("GKAUDIT_EXPORT_DIR"))  # pages on disk: chromium would ask the real host
        self.a11y_sampled: dict[str, set] = {}  # site → 二级 pages chosen and not yet checked
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def site_addresses(self) -> dict[str, str]:
        """Each site's host name → the IPv4 address the crawl's own resolver gives it (crawler/resolver.py: the
        audit's nameserver or the system's, cached), for chromium's start (browser.host_rules): a name only the
        province's DNS server knows renders too, at the address the crawl fetched from."""
        from twisted.internet import reactor  # the installed reactor (see CONTRIBUTING)

        sites = getattr(self.crawler.spider, "sites", None) or []
        names = sorted({s.host.lower() for s in sites if s.host and host_address(s.host) is None})

        async def resolve(name: str):
            try:
                return name, await asyncio.wait_for(maybe_deferred_to_future(reactor.resolve(name)), RESOLVE_SECONDS)
            except Exception:  # unresolvable now: left to chromium (the crawl could not fetch it either)
                return name, None

        return {name: address for name, address in await asyncio.gather(*map(resolve, names)) if address}

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

    def choose_a11y_pages(self, site: str, home_url: str, links) -> None:
        """The 二级 pages checked besides the homepage: its first GKAUDIT_A11Y_PAGES links to pages of its own site,
        in the homepage's order (the navigation first) — the same pages in every audit, whatever the crawl order."""
        if site in self.a11y_sampled:
            return
        host, chosen = urlsplit(home_url).netloc.lower(), []
        for link in links:
            url = link.url.split("#")[0]
            if link.tag in ("a", "area") and urlsplit(url).netloc.lower() == host and url.rstrip("/") != \
                    home_url.rstrip("/") and not is_file(url) and url not in chosen:
                chosen.append(url)
                if len(chosen) >= self.a11y_pages:
                    break
        self.a11y_sampled[site] = set(chosen)

    def wants_a11y(self, meta: dict, url: str) -> bool:
        """The homepage and its chosen 二级 pages get the accessibility checks (GUIDE-12a/b), only under `a11y: on`
        with rendering on and chromium present, each page once. Asked by the spider of a page that answered 200 with HTML and is no
        challenge (chromium would pass it) nor a soft 404."""
        if not self.a11y or self.mode == "off" or self.missing or self.export or "a11y" in meta:
            return False
        if any(meta.get(k) for k in ("probe", "external", "stylesheet", "document", "fragment", "confirm")):
            return False
        if meta.get("is_home"):
            return True
        chosen = self.a11y_sampled.get(meta.get("site"), set())
        if url in chosen:
            chosen.discard(url)
            return True
        return False

    async def process_request(self, request, spider=None):
        if "a11y" in request.meta and request.meta["a11y"] is None:  # marked by the spider (GUIDE-12a/b)
            request.meta["a11y"] = await self.renderer.accessibility(  # the keyboard on the homepage only
                request.url, A11Y_SECONDS, keyboard=bool(request.meta.get("is_home")))
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

