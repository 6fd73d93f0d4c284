"""The audit spider: crawls every site of a sites file at once, each within its own budget.

It observes and records; it never decides compliance. Links are de-duplicated per site before a
Request exists, and pages are parsed once (crawler.facts) for facts and links together.
"""
from __future__ import annotations

import asyncio
import random
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import (
    CannotResolveHostError,
    DontCloseSpider,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.defer import CancelledError
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TCPTimedOutError, TimeoutError

from core.as_of import resolve_as_of
from core.attachments import is_document, is_file
from core.clock import now
from core.link_status import needs_second_attempt
from core.urls import looks_unsafe
from core.sites import Site, load_sites
from crawler.documents.sandbox import MAX_BYTES as MAX_DOCUMENT_BYTES
from crawler.documents.ocr import OcrSettings
from crawler.documents.stored import document_links, read_document
from crawler.facts import extract
from crawler.facts.decode import decode
from crawler.facts.fragments import written_markup
from crawler.facts.injected import stylesheet_hiding
from crawler.facts.links import Resolver, css_refs, invalid, netloc
from crawler.facts.model import Link, PageFacts
from crawler.facts.wording import vocabulary
from crawler.guard import PrivateAddressRefused
from crawler.items import ConfirmItem, PageItem, UnchangedItem
from crawler.render.middleware import RenderMiddleware
from crawler.render.need import added, why_render
from crawler.resolver import use_nameserver
from crawler.resume import load_stored
from crawler.revalidate import PreviousAudits

PAGE_TAGS = {"a", "area", "iframe", "frame", "meta", "pagination", "datastore"}
MAX_URL_LENGTH = 2083  # Scrapy's UrlLengthMiddleware would drop longer ones silently


DOWNLOAD_CSS_MAX = 2 * 1024 * 1024  # bytes of a stylesheet read for its references
MAX_RENDER_BODY = 2 * 1024 * 1024  # a larger page has content of its own: never rendered
# A page asked again for chromium (rendering, GUIDE-12a/b) goes ahead of the breadth-first queue: behind it, it waited
# for the whole depth to drain and the renders queued up after the static crawl, on its critical path.
AGAIN_PRIORITY = 100
_SCRAPY_META = ("download_", "redirect_", "retry_", "_")  # Scrapy's own keys of a response's meta


class SiteRequest(scrapy.Request):
    """A Request that names its callbacks directly when serialised. Scrapy's to_dict finds each name by listing
    every member of the spider (inspect.getmembers), twice per request, and with the request queue on disk
    (JOBDIR) every request is serialised: that was 3.9 of 113 profiled seconds of an audit."""

    def to_dict(self, *, spider=None):
        callback, errback = self.callback, self.errback
        try:
            self.callback, self.errback = _method_name(spider, callback), _method_name(spider, errback)
            return super().to_dict(spider=spider)
        finally:
            self.callback, self.errback = callback, errback


def _method_name(spider, func):
    """The name of `func` if it is a method of this spider (as Scrapy would find it), else func itself."""
    name = getattr(func, "__name__", None)
    if spider is not None and getattr(func, "__self__", None) is spider and \
            getattr(getattr(spider, name, None), "__func__", None) is getattr(func, "__func__", None):
        return name
    return func


class SiteSpider(scrapy.Spider):
    name = "site"
    # Statuses the spider records itself (others arrive as HttpError in the errback); redirects stay automatic.
    handle_httpstatus_list = [304, 400, 401, 403, 404, 405, 410, 412, 429, 500, 501, 502, 503, 504, 521]

    def __init__(self, sites: list[Site] | str | None = None, targets: dict[str, list[str]] | None = None, **kwargs):
        """targets (gkaudit recheck): per site, the only URLs to fetch again; nothing is followed."""
        super().__init__(**kwargs)
        self.targets = targets
        if isinstance(sites, str):  # `scrapy crawl site -a sites=config/sites.example.yaml`
            sites = load_sites(sites).sites
        self.sites: list[Site] = list(sites or [])
        self.netlocs = {urlsplit(s.url).netloc: s.id for s in self.sites}
        self.seen: dict[str, set[str]] = {s.id: set() for s in self.sites}
        self.budget_exhausted: set[str] = set()
        self.answered: dict[str, int] = {}  # per site: URLs answered so far (progress)
        self.errors: dict[str, int] = {}  # per site: first answers that were an error (progress)
        self.external_seen: set[str] = set()  # external targets are checked once per run, across sites
        self.confirms_pending = 0  # second attempts scheduled but not yet sent
        self.previous = None  # crawler.revalidate.PreviousAudits: validators of the sites' previous audits
        # per site: the wording library with the site's sites-file additions (WORD-02), compiled once per list
        self.terms = {s.id: vocabulary((s.settings or {}).get("wording")) for s in self.sites}

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.max_pages = settings.getint("GKAUDIT_MAX_PAGES")
        spider.max_depth = settings.getint("GKAUDIT_MAX_DEPTH")
        spider.max_links = settings.getint("GKAUDIT_MAX_LINKS_PER_PAGE")
        as_of = settings.get("GKAUDIT_AS_OF")
        if as_of is None and settings.get("GKAUDIT_RUN_ID") is not None:
            raise ValueError("GKAUDIT_AS_OF is required with GKAUDIT_RUN_ID: the run decided its audit date")
        # A run carries its audit date; plain `scrapy crawl site -a sites=FILE` is a command of its own: today.
        spider.as_of = resolve_as_of(as_of)
        spider.confirm_delay = settings.getfloat("GKAUDIT_CONFIRM_DELAY")
        spider.external = settings.get("GKAUDIT_EXTERNAL")
        spider.external_sample = settings.getfloat("GKAUDIT_EXTERNAL_SAMPLE")
        spider.sampler = random.Random(0)  # sampling is repeatable run to run
        spider.resume = settings.getbool("GKAUDIT_RESUME")
        spider.db_url, spider.run_id = settings.get("GKAUDIT_DB_URL"), settings.get("GKAUDIT_RUN_ID")
        spider.read_documents = settings.get("GKAUDIT_DOCUMENTS", "on") == "on"
        spider.ocr = OcrSettings.from_options(settings.get("GKAUDIT_OCR", "off"),
                                              settings.getint("GKAUDIT_OCR_MAX_PAGES", 20),
                                              settings.getint("GKAUDIT_OCR_MIN_CONFIDENCE", 60))
        use_nameserver(settings.get("GKAUDIT_NAMESERVER"))  # a Scrapyd argument arrives after the resolver exists
        mode = settings.get("GKAUDIT_REVALIDATE")
        if mode != "off" and spider.targets is None:
            spider.previous = PreviousAudits(spider.db_url, spider.run_id, spider.sites, mode,
                                             settings.getfloat("GKAUDIT_FRESH_MAX_DAYS"), spider.ocr)
        crawler.signals.connect(spider.idle, signal=signals.spider_idle)
        return spider

    async def start(self):
        if self.targets is not None:
            for site in self.sites:
                for url in self.targets.get(site.id, []):
                    self.seen[site.id].add(url)
                    yield self._request(site.id, url, depth=0, referer=None, anchor=None, is_home=url == site.url,
                                        method="HEAD" if is_file(url) else "GET")
            return
        if self.resume:
            for request in self._resumed():
                yield request
            return
        for site in self.sites:
            self.seen[site.id].add(site.url)
            yield self._request(site.id, site.url, depth=0, referer=None, anchor=None, is_home=True)
            yield self._probe(site)

    def _probe(self, site):
        """How does the site answer a page that cannot exist? A 200 here makes soft 404s recognisable."""
        probe = f"{site.url.rstrip('/')}/gkaudit-probe-{random.getrandbits(48):012x}.html"
        return self._request(site.id, probe, depth=0, referer=None, anchor=None, probe=True)

    def _resumed(self):
        """Continue a stored run: what it answered counts as seen; the links of its pages are followed again."""
        stored = load_stored(self.db_url, self.run_id, [s.id for s in self.sites],
                             needs_second_attempt)
        for site in self.sites:
            done = stored[site.id]
            self.seen[site.id].update(done.done)
            self.external_seen.update(done.external)
            self.answered[site.id] = len(done.done)
            if site.url not in done.done:
                self.seen[site.id].add(site.url)
                yield self._request(site.id, site.url, depth=0, referer=None, anchor=None, is_home=True)
            if not done.probed:
                yield self._probe(site)
            for url, status, error in done.unconfirmed:
                first = self._request(site.id, url, depth=done.depth[url], referer=None, anchor=None,
                                      method="HEAD" if is_file(url) else "GET")
                known = self._first_answer(first, status, error)
                if known:
                    yield known
            for page_url, links in done.links.items():
                meta = {"site": site.id, "depth": done.depth.get(page_url, 0)}
                yield from self._follow(meta, page_url, links)

    def _request(self, site_id, url, *, depth, referer, anchor, is_home=False, method="GET", probe=False,
                 external=False, stylesheet=False, document=False, fragment=None):
        meta = {"site": site_id, "link_url": url, "depth": depth, "is_home": is_home, "probe": probe,
                "external": external, "referer_url": referer, "anchor": anchor, "stylesheet": stylesheet,
                "document": document, "dont_cache": not external}  # only external answers are cached across runs
        callback = self.parse if method == "GET" and not external and not stylesheet else self.parse_resource
        if document and method == "GET":
            callback = self.parse_document
            meta["download_maxsize"] = MAX_DOCUMENT_BYTES
        if fragment:
            meta["fragment"] = fragment
        if fragment == "script":
            callback = self.parse_fragment
        headers = None
        if self.previous is not None and callback in (self.parse, self.parse_document, self.parse_fragment) and not probe:
            conditional = self.previous.headers(site_id, url)
            if conditional:
                meta["previous_run"], headers = conditional
        return SiteRequest(url, method=method, callback=callback, errback=self.failed, meta=meta, dont_filter=True,
                           headers=headers)

    def _item(self, meta, **fields) -> PageItem:
        if not meta.get("probe"):
            self._answered(meta["site"])
        return PageItem(site=meta["site"], url=meta["link_url"], depth=meta.get("depth", 0),
                        is_home=meta.get("is_home", False), referer=meta.get("referer_url"),
                        anchor=meta.get("anchor"), fetched_at=now(), probe=meta.get("probe", False),
                        external=meta.get("external", False), **fields)

    def _answered(self, site_id: str) -> None:
        """One more URL of the site has its answer (the progress lines count them)."""
        self.answered[site_id] = self.answered.get(site_id, 0) + 1

    def _first_answer(self, request, status, error) -> ConfirmItem | None:
        """A URL whose first answer looks broken is asked again GKAUDIT_CONFIRM_DELAY later — unless the site's
        previous audit found it broken twice with the same answer: then this answer is its confirmation, returned
        for the caller to yield after the page."""
        meta = request.meta
        if meta.get("confirm") or meta.get("probe") or not needs_second_attempt(status, error):
            return None
        if self.previous is not None and self.previous.broken_before(meta["site"], meta["link_url"], status, error):
            return ConfirmItem(site=meta["site"], url=meta["link_url"], status=status, error=error)
        again = request.replace(dont_filter=True, meta=dict(meta, confirm=True),
                                callback=self.confirmed, errback=self.confirm_failed)
        # Sent GKAUDIT_CONFIRM_DELAY later while the crawl goes on, so confirming adds no wait at its end.
        # The installed reactor (asyncio): importing it at module level would install another.
        from twisted.internet import reactor

        self.confirms_pending += 1
        reactor.callLater(self.confirm_delay, self._confirm, again)
        return None

    def _confirm(self, request):
        self.confirms_pending -= 1
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None and engine.running:
            engine.crawl(request)

    def idle(self, spider):
        """Keep the crawl open while second attempts of URLs that looked broken are still to be sent."""
        if self.confirms_pending:
            raise DontCloseSpider

    def confirmed(self, response):
        yield ConfirmItem(site=response.meta["site"], url=response.meta["link_url"], status=response.status, error=None)

    def confirm_failed(self, failure):
        meta = failure.request.meta
        if failure.check(HttpError):
            yield ConfirmItem(site=meta["site"], url=meta["link_url"], status=failure.value.response.status, error=None)
        else:
            yield ConfirmItem(site=meta["site"], url=meta["link_url"], status=None, error=_error_name(failure))

    def parse(self, response):
        meta = response.meta
        if response.status == 304 and meta.get("previous_run"):
            yield from self._unchanged(meta)
            return
        known = self._first_answer(response.request, response.status, None)
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        facts = None
        if _is_html(content_type, response.body):
            facts = extract(response.body, response.url, content_type, as_of=self.as_of,
                            wording_terms=self.terms.get(meta["site"]))
            if meta.get("fragment"):  # part of the pages that load it, never judged as a page (checks/fragments.py)
                facts.extra["fragment"] = meta["fragment"]
            _cap_links(facts, self.max_links)
        validators = _validators(response) if facts is not None and response.status == 200 else {}
        body = response.body
        if facts is not None and response.status == 200 and not meta.get("probe") and not meta.get("fragment"):
            # a homepage that refreshes to another page hands that page its role (_refresh_home), its checks too
            refreshes = meta.get("is_home") and any(lk.tag == "meta" for lk in facts.links)
            if meta.get("is_home") and not refreshes and (middleware := self._render_middleware()) is not None:
                middleware.choose_a11y_pages(meta["site"], response.url, facts.links)  # GUIDE-12a/b's sample
            if meta.get("render"):  # the second pass: the page as chromium showed it, or why it could not
                facts, body, content_type, validators = self._rendered(response, facts, content_type, validators)
            elif (render := self._render(response, facts, content_type, validators)
                   or (None if refreshes else self._a11y(response, facts))) is not None:
                yield render  # judged when rendered or checked in chromium (or, failing that, fetched again)
                if not facts.challenge:  # its header and footer files first: followed as links they would be pages
                    yield from self._fragments(meta, response.url, facts)
                if self.targets is None:  # the crawl goes on meanwhile: the static links are links of the page too
                    yield from self._follow(meta, response.url, facts.links)
                return
        if facts is not None and response.status == 200 and isinstance(meta.get("a11y"), dict):
            facts.extra["a11y"] = meta["a11y"]  # GUIDE-12a/b, measured in chromium (crawler/render/a11y.py)
        home = self._refresh_home(meta, facts.links) if facts is not None and response.status == 200 else None
        yield self._item(dict(meta, is_home=False) if home else meta, final_url=response.url, status=response.status,
                         error=None, content_type=content_type, length=len(body), facts=facts,
                         body=body if facts is not None else None, **validators)
        if known:
            yield known
        if facts is not None and response.status == 200 and not facts.challenge and not meta.get("probe"):
            yield from self._fragments(meta, response.url, facts)  # a recheck needs the footer a page loads too
        if facts is None or response.status != 200 or facts.challenge or meta.get("probe") or \
                self.targets is not None:
            return
        if home:
            yield home
        yield from self._follow(meta, response.url, facts.links)

    def _render(self, response, facts, content_type, validators) -> SiteRequest | None:
        """The same page again, marked for chromium, when its static DOM lacks what its scripts could supply
        (crawler/render/need.py) and the site's render budget allows; else None, with the reason it was not
        rendered in extra "rendered" (GUIDE-13 says so)."""
        meta = response.meta
        why = why_render(facts, meta.get("is_home", False))
        if why is None or len(response.body) > MAX_RENDER_BODY:
            return None
        middleware = self._render_middleware()
        refusal = "off" if middleware is None else middleware.refusal(meta["site"])
        if refusal:
            facts.extra["rendered"] = {"why": why, "error": refusal}
            return None
        again = _again(meta)
        if middleware.wants_a11y(meta, meta.get("link_url", response.url)):
            again["a11y"] = None  # checked in chromium too, before it is rendered
        again.update(render=why, static={"body": response.body, "content_type": content_type, "url": response.url,
                                         "validators": validators})
        return SiteRequest(response.url, callback=self.parse, errback=self.failed, meta=again, dont_filter=True,
                          priority=AGAIN_PRIORITY)

    def _a11y(self, response, facts) -> SiteRequest | None:
        """The same page again, to be checked in chromium first (GUIDE-12a/b), when it is the homepage or one of the
        sampled 二级 pages (RenderMiddleware.wants_a11y); else None. The page is judged, its facts read again from
        the second download, when the check is done: meanwhile the crawl follows its links."""
        meta = response.meta
        middleware = self._render_middleware()
        if "a11y" in meta or facts.challenge or facts.soft_404 or middleware is None \
                or not middleware.wants_a11y(meta, meta.get("link_url", response.url)):
            return None
        again = _again(meta)
        again["a11y"] = None  # due: the middleware fills it in
        return SiteRequest(response.url, callback=self.parse, errback=self.failed, meta=again, dont_filter=True,
                          priority=AGAIN_PRIORITY)

    def _render_middleware(self) -> RenderMiddleware | None:
        engine = self.crawler.engine
        return next((m for m in engine.downloader.middleware.middlewares if isinstance(m, RenderMiddleware)), None)

    def _rendered(self, response, facts, content_type, validators):
        """(facts, body, content type, validators) of a page marked for rendering. The rendered DOM goes through
        the same extractor; its facts replace the static ones only where it shows more (need.added), and the body
        stored is what the server sent."""
        meta, static = response.meta, response.meta["static"]
        if not meta.get("rendered"):  # not rendered: the static page fetched again
            facts.extra["rendered"] = {"why": meta["render"], "error": meta.get("render_error") or "failed"}
            return facts, response.body, content_type, validators
        plain = extract(static["body"], static["url"], static["content_type"], as_of=self.as_of,
                        wording_terms=self.terms.get(meta["site"]))
        shown = added(plain, facts) if not facts.challenge else []
        chosen = facts if shown else plain
        chosen.url = plain.url
        chosen.extra["rendered"] = {"why": meta["render"], "added": shown}
        return chosen, static["body"], static["content_type"], static["validators"]

    def _fragments(self, meta, page_url, facts):
        """The header, footer and menu files the page's scripts load (crawler.facts.fragments), each once per site:
        an HTML file is read as a page, a script file by the markup it writes (parse_fragment)."""
        site_id = meta["site"]
        seen = self.seen[site_id]
        for fragment in facts.extra.get("fragments") or ():
            url = fragment["url"]
            if url in seen or len(seen) >= self.max_pages or invalid(url) or self.netlocs.get(netloc(url)) != site_id:
                continue
            seen.add(url)
            yield self._request(site_id, url, depth=meta.get("depth", 0) + 1, referer=page_url, anchor=None,
                                fragment=fragment["how"])

    def parse_fragment(self, response):
        """A script file that writes a header, footer or menu: the markup it writes is read as a page of its own,
        whose facts (identifiers, links) the checks merge into the pages that load it (checks/fragments.py)."""
        meta = response.meta
        if response.status == 304 and meta.get("previous_run"):
            yield from self._unchanged(meta)
            return
        known = self._first_answer(response.request, response.status, None)
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        facts = None
        if response.status == 200 and response.body:
            markup = written_markup(decode(response.body, content_type)[0])
            if markup:
                facts = extract(f"<html><body>{markup}</body></html>".encode(), response.url,
                                "text/html; charset=utf-8", as_of=self.as_of)
                facts.extra["fragment"] = "script"
        validators = _validators(response) if response.status == 200 else {}
        yield self._item(meta, final_url=response.url, status=response.status, error=None, content_type=content_type,
                         length=len(response.body), facts=facts, **validators)
        if known:
            yield known
        if facts is not None and self.targets is None:
            yield from self._follow(meta, response.url, facts.links)

    def _refresh_home(self, meta, links) -> SiteRequest | None:
        """A homepage that refreshes (<meta http-equiv=refresh>) to another page of the same site hands its role to
        that page, as an HTTP redirect would: the site's footer and columns are there. The refresh page stays a
        page of its own (its links are its own); a refresh to another host is only a link."""
        if not meta.get("is_home") or self.targets is not None:
            return None
        site_id = meta["site"]
        target = next((lk.url for lk in links if lk.tag == "meta"), None)
        if target is None or invalid(target) or self.netlocs.get(netloc(target)) != site_id \
                or target in self.seen[site_id]:
            return None
        self.seen[site_id].add(target)
        return self._request(site_id, target, depth=0, referer=meta["link_url"], anchor=None, is_home=True)

    def _unchanged(self, meta):
        """304: the previous audit's observations of the page hold; follow the links it stored."""
        site_id, url, previous = meta["site"], meta["link_url"], meta["previous_run"]
        self._answered(site_id)
        yield UnchangedItem(site=site_id, urls=[url], previous_run=previous, validated=True)
        links = self.previous.links(previous, site_id, url)
        home = self._refresh_home(meta, links)
        if home:
            yield home
        yield from self._follow(meta, url, links, unchanged_list=url)

    def closed(self, reason):
        if self.previous is not None:
            self.previous.close()

    def parse_resource(self, response):
        """A resource checked without being parsed (images, scripts, attachments)."""
        meta = response.meta
        if response.request.method == "HEAD" and response.status in (405, 501):
            if looks_unsafe(response.request.url):  # /admin/delete?id=1: a GET might do what it says
                yield self._item(meta, final_url=response.url, status=None, error="unsafe-get", content_type=None,
                                 length=None, facts=None)
                return
            yield response.request.replace(method="GET", callback=self.parse_resource)
            return
        known = self._first_answer(response.request, response.status, None)
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        length = response.headers.get(b"Content-Length")
        validators = _validators(response) if response.status == 200 and not meta.get("external") else {}
        facts = _stylesheet_facts(response) if meta.get("stylesheet") and response.status == 200 else None
        yield self._item(meta, final_url=response.url, status=response.status, error=None, content_type=content_type,
                         length=int(length) if length and length.isdigit() else len(response.body), facts=facts,
                         **validators)
        if known:
            yield known
        if facts is not None and self.targets is None:
            yield from self._follow(meta, response.url, facts.links)

    async def parse_document(self, response):
        """An attachment read for the rules: its bytes go to a bounded reader in another process (a hostile or
        broken file ends as `unreadable`, never stops the crawl); a document unchanged since the previous audit
        (304, or the same bytes) is not read again."""
        meta = response.meta
        if response.status == 304 and meta.get("previous_run"):
            for item in self._unchanged(meta):
                yield item
            return
        known = self._first_answer(response.request, response.status, None)
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        document = None
        if response.status == 200 and response.body and not (content_type and "html" in content_type.lower()):
            document = self.previous and self.previous.document(meta["site"], meta["link_url"], response.body)
            if not document:  # the same bytes as the previous audit's copy are not read again
                document = await asyncio.to_thread(read_document, response.body, response.url, content_type,
                                                   self.as_of, self.ocr)
        validators = _validators(response) if response.status == 200 else {}
        yield self._item(meta, final_url=response.url, status=response.status, error=None, content_type=content_type,
                         length=len(response.body), facts=None, document=document, **validators)
        if known:
            yield known
        if document and document.get("link_urls"):  # links inside the document are checked like a page's
            for request in self._follow(meta, response.url, document_links(response.url, document)):
                yield request

    def _follow(self, meta, page_url, links, reused: list[str] | None = None, unchanged_list: str | None = None):
        """Requests for the new link targets of a page. Pages still fresh since the previous audit are not asked:
        their stored links are followed at once, and one UnchangedItem carries all of them (one item, not one each).
        unchanged_list: a list page that answered 304, whose further pages are reused too (crawler.revalidate)."""
        site_id = meta["site"]
        seen = self.seen[site_id]
        depth = meta.get("depth", 0) + 1
        top, reused = reused is None, [] if reused is None else reused
        fresh: list[tuple[str, int, str | None]] = []  # reused pages whose stored links are followed next
        for link in links:
            url = link.url
            if url in seen or len(url) > MAX_URL_LENGTH:
                continue
            why = invalid(url)
            if why:  # an address that cannot be fetched as written: judged without asking anyone
                seen.add(url)
                yield self._item({"site": site_id, "link_url": url, "depth": depth, "referer_url": page_url,
                                  "anchor": link.text or None}, final_url=None, status=None, error=why,
                                 content_type=None, length=None, facts=None)
                continue
            owner = self.netlocs.get(netloc(url))
            if owner != site_id:
                if owner is None and self._check_external(url):
                    yield self._request(site_id, url, depth=depth, referer=page_url, anchor=link.text or None,
                                        method="HEAD", external=True)
                continue
            is_page = link.tag in PAGE_TAGS and not is_file(url)
            if is_page and depth > self.max_depth:
                continue
            if len(seen) >= self.max_pages:
                self.budget_exhausted.add(site_id)
                fresh.clear()
                break
            seen.add(url)
            previous, pagination = None, None
            if self.previous is not None:
                previous = self.previous.is_fresh(site_id, url)
                if not previous and unchanged_list:
                    previous = self.previous.is_pagination(site_id, unchanged_list, url)
                    pagination = unchanged_list if previous else None
            if previous:  # still fresh since the previous audit: reuse it without asking the server
                self._answered(site_id)
                reused.append(url)
                if is_page:
                    fresh.append((url, previous, pagination))
                continue
            stylesheet = link.tag in ("link", "css") and urlsplit(url).path.lower().endswith(".css")
            document = self.read_documents and is_document(url)  # read for the rules, not only checked
            yield self._request(site_id, url, depth=depth, referer=page_url, anchor=link.text or None,
                                method="GET" if is_page or stylesheet or document else "HEAD", stylesheet=stylesheet,
                                document=document)
        for url, previous, pagination in fresh:
            yield from self._follow({"site": site_id, "depth": depth}, url, self.previous.links(previous, site_id, url),
                                    reused, pagination)
        if top and reused:
            yield UnchangedItem(site=site_id, urls=reused, previous_run=self.previous.sites[site_id].run_id,
                                validated=False)

    def _check_external(self, url: str) -> bool:
        """External targets: off, on, or a repeatable sample; each at most once per run across all sites."""
        if self.external == "off" or url in self.external_seen or urlsplit(url).scheme not in ("http", "https"):
            return False
        self.external_seen.add(url)
        return self.external == "on" or self.sampler.random() < self.external_sample

    def failed(self, failure):
        meta = failure.request.meta
        self.errors[meta["site"]] = self.errors.get(meta["site"], 0) + 1
        if failure.check(HttpError):
            response = failure.value.response
            target, error = _off_web_redirect(response)
            known = None if error else self._first_answer(failure.request, response.status, None)
            yield self._item(meta, final_url=target or response.url, status=response.status, error=error,
                             content_type=None, length=len(response.body), facts=None)
        else:
            error = _error_name(failure)
            known = self._first_answer(failure.request, None, error)
            # final_url: the host that failed (a redirect may have left the site), which decides own or foreign
            yield self._item(meta, final_url=failure.request.url, status=None, error=error, content_type=None,
                             length=None, facts=None)
        if known:
            yield known


def _validators(response) -> dict:
    """The answer's HTTP validators, stored so the next audit can ask with If-None-Match / If-Modified-Since."""
    found = {}
    for field, name in (("etag", b"ETag"), ("last_modified", b"Last-Modified")):
        value = response.headers.get(name)
        found[field] = value.decode("latin-1")[:200] if value else None
    return found


def _off_web_redirect(response) -> tuple[str | None, str | None]:
    """A redirect Scrapy did not follow because it leaves the web (ftp:, file:): its target and error name."""
    location = response.headers.get(b"Location") if 300 <= response.status < 400 else None
    if not location:
        return None, None
    try:
        target = urljoin(response.url, location.decode("latin-1").strip())
    except ValueError:
        return None, "invalid-url"
    scheme = urlsplit(target).scheme.lower()
    if scheme in ("http", "https"):
        return target, None
    return target, invalid(target) or f"redirect:{scheme or '?'}"


def _stylesheet_facts(response) -> PageFacts | None:
    """The url() and @import references of a stylesheet of the site, as the links of a page (tag "css"), and the
    selectors it hides (extra "hiding": a page's link farm with one of them is hidden by the site's own styles)."""
    if response.request.method != "GET" or not response.body:
        return None
    resolve = Resolver(response.url)
    text = response.body[:DOWNLOAD_CSS_MAX].decode("utf-8", "replace")
    links = [Link(url=t[0], tag="css") for ref in css_refs(text) if (t := resolve(ref)) and t[0] != resolve.page]
    facts = PageFacts(url=response.url, links=links)
    if hidden := stylesheet_hiding(text):
        facts.extra["hiding"] = hidden
    return facts


def _cap_links(facts: PageFacts, cap: int) -> None:
    """At most `cap` links of one page are stored and followed (crawl option max_links_per_page): a page of a
    million links would otherwise fill the database. The overflow is counted on the page (extra links_over_cap)."""
    if cap and len(facts.links) > cap:
        facts.extra["links_over_cap"] = len(facts.links) - cap
        facts.links = facts.links[:cap]


def _again(meta: dict) -> dict:
    """The meta of a page asked for a second time (rendered, or checked in chromium): Scrapy's own keys dropped, and
    no conditional request (the page must be answered in full)."""
    return {k: v for k, v in meta.items() if k != "previous_run" and not k.startswith(_SCRAPY_META)}


def _is_html(content_type: str | None, body: bytes) -> bool:
    if content_type:
        ct = content_type.lower()
        return "html" in ct or "xml" in ct and b"<html" in body[:2048].lower()
    head = body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"\xef\xbb\xbf<", b"\xff\xfe", b"\xfe\xff"))


def _error_name(failure) -> str:
    if failure.check(PrivateAddressRefused):
        return "private-address"
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
    ("too-large", (DownloadCancelledError, CancelledError)),  # larger than DOWNLOAD_MAXSIZE (a document: MAX_DOCUMENT_BYTES)
    ("failed", (DownloadFailedError,)),
]
