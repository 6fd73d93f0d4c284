"""The audit spider: crawls every site of a sites file at once, each within its own budget.

It observes and records; it never decides compliance. Links are de-duplicated per site before a
Request exists, and pages are parsed once (crawler.facts) for facts and links together.
"""
from __future__ import annotations

from datetime import date
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TCPTimedOutError, TimeoutError

from crawler.facts import extract
from crawler.items import PageItem
from store import now
from gkaudit.sites import Site, load_sites

PAGE_TAGS = {"a", "area", "iframe", "frame", "pagination", "datastore"}
ATTACHMENT_SUFFIXES = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".ofd", ".zip", ".rar", ".7z", ".et",
                       ".ppt", ".pptx", ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".mp4", ".txt", ".csv"}
MAX_URL_LENGTH = 2083  # Scrapy's UrlLengthMiddleware would drop longer ones silently


class SiteSpider(scrapy.Spider):
    name = "site"
    # Statuses the spider records itself (others arrive as HttpError in the errback); redirects stay automatic.
    handle_httpstatus_list = [400, 401, 403, 404, 405, 410, 412, 429, 500, 501, 502, 503, 504, 521]

    def __init__(self, sites: list[Site] | str | None = None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(sites, str):  # `scrapy crawl site -a sites=config/sites.example.yaml`
            sites = load_sites(sites).sites
        self.sites: list[Site] = list(sites or [])
        self.netlocs = {urlsplit(s.url).netloc: s.id for s in self.sites}
        self.seen: dict[str, set[str]] = {s.id: set() for s in self.sites}
        self.budget_exhausted: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.max_pages = settings.getint("GKAUDIT_MAX_PAGES")
        spider.max_depth = settings.getint("GKAUDIT_MAX_DEPTH")
        as_of = settings.get("GKAUDIT_AS_OF")
        spider.as_of = date.fromisoformat(as_of) if as_of else date.today()
        return spider

    async def start(self):
        for site in self.sites:
            self.seen[site.id].add(site.url)
            yield self._request(site.id, site.url, depth=0, referer=None, anchor=None, is_home=True)

    def _request(self, site_id, url, *, depth, referer, anchor, is_home=False, method="GET"):
        meta = {"site": site_id, "link_url": url, "depth": depth, "is_home": is_home,
                "referer_url": referer, "anchor": anchor}
        callback = self.parse if method == "GET" else self.parse_resource
        return scrapy.Request(url, method=method, callback=callback, errback=self.failed, meta=meta, dont_filter=True)

    def _item(self, meta, **fields) -> PageItem:
        return PageItem(site=meta["site"], url=meta["link_url"], depth=meta.get("depth", 0),
                        is_home=meta.get("is_home", False), referer=meta.get("referer_url"),
                        anchor=meta.get("anchor"), fetched_at=now(), **fields)

    def parse(self, response):
        meta = response.meta
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        facts = None
        if _is_html(content_type, response.body):
            facts = extract(response.body, response.url, content_type, as_of=self.as_of)
        yield self._item(meta, final_url=response.url, status=response.status, error=None,
                         content_type=content_type, length=len(response.body), facts=facts)
        if facts is None or response.status != 200 or facts.challenge:
            return
        yield from self._follow(meta, response.url, facts)

    def parse_resource(self, response):
        """A resource checked without being parsed (images, scripts, attachments)."""
        meta = response.meta
        if response.request.method == "HEAD" and response.status in (405, 501):
            yield response.request.replace(method="GET", callback=self.parse_resource)
            return
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        length = response.headers.get(b"Content-Length")
        yield self._item(meta, final_url=response.url, status=response.status, error=None, content_type=content_type,
                         length=int(length) if length and length.isdigit() else len(response.body), facts=None)

    def _follow(self, meta, page_url, facts):
        site_id = meta["site"]
        seen = self.seen[site_id]
        depth = meta.get("depth", 0) + 1
        for link in facts.links:
            url = link.url
            if url in seen or len(url) > MAX_URL_LENGTH or self.netlocs.get(urlsplit(url).netloc) != site_id:
                continue
            is_page = link.tag in PAGE_TAGS and PurePosixPath(urlsplit(url).path).suffix.lower() not in ATTACHMENT_SUFFIXES
            if is_page and depth > self.max_depth:
                continue
            if len(seen) >= self.max_pages:
                self.budget_exhausted.add(site_id)
                return
            seen.add(url)
            yield self._request(site_id, url, depth=depth, referer=page_url, anchor=link.text or None,
                                method="GET" if is_page else "HEAD")

    def failed(self, failure):
        meta = failure.request.meta
        if failure.check(HttpError):
            response = failure.value.response
            yield self._item(meta, final_url=response.url, status=response.status, error=None,
                             content_type=None, length=len(response.body), facts=None)
            return
        yield self._item(meta, final_url=None, status=None, error=_error_name(failure), content_type=None,
                         length=None, facts=None)


def _is_html(content_type: str | None, body: bytes) -> bool:
    if content_type:
        ct = content_type.lower()
        return "html" in ct or "xml" in ct and b"<html" in body[:2048].lower()
    head = body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"\xef\xbb\xbf<", b"\xff\xfe", b"\xfe\xff"))


def _error_name(failure) -> str:
    if failure.check(IgnoreRequest):
        text = str(failure.value).lower()
        if "robots" in text or "forbidden by robots" in text:
            return "robots"
        if "redirect" in text:
            return "redirect-loop"
        return "ignored"
    for name, errors in ERRORS:
        if failure.check(*errors):
            return name
    return type(failure.value).__name__


# Failure types → the short error names stored on Page.error (Scrapy wraps Twisted's in its own).
ERRORS = [
    ("dns", (CannotResolveHostError, DNSLookupError)),
    ("timeout", (DownloadTimeoutError, TimeoutError, TCPTimedOutError)),
    ("refused", (DownloadConnectionRefusedError, ConnectionRefusedError)),
    ("data-loss", (ResponseDataLossError,)),
    ("failed", (DownloadFailedError,)),
]
