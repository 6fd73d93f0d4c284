"""Repeat audits ask less: HTTP caching rules applied to the pages of each site's previous complete audit.

- `all`: a page the previous audit stored with an ETag or Last-Modified is requested with If-None-Match /
  If-Modified-Since; a 304 answer means its observations still hold: the pipeline copies them (no parse) and
  the spider follows the links stored with it.
- `fresh` (default): as `all`, and a page, attachment or image that is still fresh by HTTP's heuristic (RFC 9111
  §4.2.2: 10 % of the time since its Last-Modified when it was fetched, capped by GKAUDIT_FRESH_MAX_DAYS) is not
  requested at all.
  Never the homepage or a list's first page (栏目): those are what freshness checks read, so they are always asked.
  A list's further pages (index_1.html …, ?page=2) are reused without asking when its first page answered 304
  and they were fetched less than GKAUDIT_FRESH_MAX_DAYS ago: a static CMS regenerates all of a column's pages
  when it publishes into it, so page 1 unchanged means no article was added. (An edit that only touches a later
  page, such as a retitled old article, is seen within the cap.)
- `off`: every page is downloaded and parsed again.

An attachment with scanned pages read under other OCR settings (`--ocr` on one audit and not the other, or
another page bound or confidence) is downloaded and read again: what it says depends on them. Every other
attachment is reused as above.

In `fresh` and `all`, a URL the previous audit confirmed broken (the same status twice) that answers the same
again is not asked a third time: two audits agreeing is stronger evidence than a second attempt seconds later.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

from sqlalchemy import func, select

from core.attachments import is_document
from core.clock import now
from core.columns import column_key
from crawler.documents.ocr import OcrSettings, reusable
from crawler.documents.stored import body_digest
from crawler.facts.model import Link as FoundLink
from crawler.facts.version import FACTS_VERSION
from store import connect
from store.models import Page, Run, SiteRun


@dataclass
class Previous:
    run_id: int
    validators: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # url → (etag, last-modified)
    fresh: set[str] = field(default_factory=set)  # URLs that need no request now
    columns: dict[str, tuple] = field(default_factory=dict)  # list page → its column's key (column_key)
    first_pages: dict[tuple, str] = field(default_factory=dict)  # column key → its first page (always asked)
    recent_lists: set[str] = field(default_factory=set)  # list pages fetched within the cap
    broken: dict[str, tuple[int | None, str | None]] = field(default_factory=dict)  # url → confirmed broken answer
    reread: set[str] = field(default_factory=set)  # scanned attachments read under other OCR settings


class PreviousAudits:
    """Per site: the previous complete audit whose answers may be reused, and the links it stored."""

    def __init__(self, db_url: str, run_id: int | None, sites, mode: str = "fresh", fresh_max_days: float = 7.0,
                 ocr: OcrSettings | None = None):
        self.engine = connect(db_url)
        self.sites: dict[str, Previous] = {}
        self.ocr = ocr
        cap, at = timedelta(days=fresh_max_days), now()
        with self.engine.connect() as conn:
            for site in sites:
                prev, options, settings = conn.execute(
                    select(SiteRun.run_id, Run.crawl_options, SiteRun.settings).join(Run, Run.id == SiteRun.run_id)
                    .where(SiteRun.site == site.id, SiteRun.url == site.url, SiteRun.crawl_finished,
                           Run.status == "complete", Run.id != (run_id or 0))
                    .order_by(SiteRun.run_id.desc()).limit(1)).first() or (None, None, None)
                if prev is None or (options or {}).get("facts_version") != FACTS_VERSION:
                    continue  # nothing to reuse, or facts made by another extractor: parse everything again
                if (settings or {}).get("wording") != (site.settings or {}).get("wording"):
                    continue  # the site's wording list changed (sites file): its pages' terms must be read again
                found = Previous(prev)
                if _ocr_of(options) != ocr:
                    found.reread = self._reread(conn, prev, site.id)
                rows = conn.execute(select(Page.url, Page.etag, Page.last_modified, Page.fetched_at, Page.is_list,
                                           Page.is_home, Page.encoding.is_not(None), Page.extra.is_not(None),
                                           func.coalesce(Page.column_type, Page.column_name)).where(
                    Page.run_id == prev, Page.site == site.id, Page.status == 200, ~Page.external, ~Page.probe,
                    (Page.etag.is_not(None)) | (Page.last_modified.is_not(None))))
                for url, etag, last_modified, fetched_at, is_list, is_home, is_html, has_extra, column in rows:
                    # an attachment the previous audit read (page.extra["document"]) is asked like a page: a 304
                    # reuses what was read; one it only checked with HEAD is fetched and read now
                    document = not is_html and is_document(url)
                    if url in found.reread:
                        continue  # downloaded again (no conditional request), then read again
                    read = is_html or (has_extra and document)
                    if read:  # images and unread attachments are checked with HEAD: fresh or asked again
                        found.validators[url] = (etag, last_modified)
                    if mode != "fresh" or is_home or (document and not read):
                        continue
                    if not is_list and _fresh(last_modified, fetched_at, cap, at):
                        found.fresh.add(url)
                    elif is_list and is_html:
                        key = found.columns[url] = column_key(url, column)
                        first = found.first_pages.get(key)
                        if first is None or len(url) < len(first):
                            found.first_pages[key] = url
                        if _recent(fetched_at, cap, at):
                            found.recent_lists.add(url)
                found.broken = {url: (status, error) for url, status, error in conn.execute(
                    select(Page.url, Page.confirm_status, Page.confirm_error).where(
                        Page.run_id == prev, Page.site == site.id, Page.confirmed, ~Page.probe,
                        (Page.confirm_status.is_not(None)) | (Page.confirm_error.is_not(None))))}
                self.sites[site.id] = found
        # One DB-API connection for the link look-ups of the whole crawl: one indexed query per reused page,
        # without SQLAlchemy's per-statement overhead (it was half the cost of a reused page).
        self.raw = self.engine.raw_connection()
        if self.engine.dialect.name == "postgresql":
            self.raw.driver_connection.autocommit = True  # reads only: no transaction left open all crawl
        mark = "?" if self.engine.dialect.paramstyle == "qmark" else "%s"
        self.links_sql = (f"SELECT target_url, tag, text FROM link WHERE run_id = {mark} AND site = {mark} "
                          f"AND page_url = {mark} ORDER BY id")
        self.extra_sql = (f"SELECT extra FROM page WHERE run_id = {mark} AND site = {mark} AND url = {mark} "
                          "AND status = 200 AND NOT external AND NOT probe LIMIT 1")

    def is_fresh(self, site_id: str, url: str) -> int | None:
        """The previous run whose copy of this page may be used without asking, if any."""
        prev = self.sites.get(site_id)
        return prev.run_id if prev and url in prev.fresh else None

    def is_pagination(self, site_id: str, list_url: str, url: str) -> int | None:
        """The previous run whose copy of `url` may be used without asking, when `url` is a further page (not the
        first) of the column whose list page `list_url` answered 304 — same column as the checks fold them (core.columns.column_key)."""
        prev = self.sites.get(site_id)
        key = prev.columns.get(url) if prev else None
        further = key is not None and prev.first_pages[key] != url and prev.columns.get(list_url) == key
        return prev.run_id if further and url in prev.recent_lists else None

    def broken_before(self, site_id: str, url: str, status: int | None, error: str | None) -> bool:
        """Did the previous audit confirm this URL broken with this same answer (status, or error if no status)?"""
        prev = self.sites.get(site_id)
        return bool(prev) and prev.broken.get(url) == (status, error)

    def headers(self, site_id: str, url: str) -> tuple[int, dict] | None:
        """(previous run, conditional request headers) for a page the previous audit stored with validators."""
        prev = self.sites.get(site_id)
        found = prev and prev.validators.get(url)
        if not found:
            return None
        etag, last_modified = found
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return prev.run_id, headers

    def document(self, site_id: str, url: str, body: bytes) -> dict | None:
        """The previous audit's reading of an attachment, if these are the same bytes (a server that sends no
        validators, or answers 200 to a conditional request, still costs no second parse)."""
        prev = self.sites.get(site_id)
        if prev is None:
            return None
        cursor = self.raw.cursor()
        try:
            cursor.execute(self.extra_sql, (prev.run_id, site_id, url))
            row = cursor.fetchone()
        finally:
            cursor.close()
        extra = row and row[0]
        if isinstance(extra, str):  # SQLite hands JSON back as text
            extra = json.loads(extra)
        document = (extra or {}).get("document")
        if document and document.get("sha1") == body_digest(body) and reusable(document, self.ocr):
            return document | {"reused_from": prev.run_id}  # inspectable: which audit read these bytes
        return None

    def _reread(self, conn, run_id: int, site_id: str) -> set[str]:
        """The attachments of a previous audit read under other OCR settings whose reading depends on them."""
        out = set()
        for url, extra in conn.execute(select(Page.url, Page.extra).where(
                Page.run_id == run_id, Page.site == site_id, Page.status == 200, Page.encoding.is_(None),
                Page.extra.is_not(None), ~Page.external, ~Page.probe)):
            if isinstance(extra, str):
                extra = json.loads(extra)
            document = (extra or {}).get("document")
            if document and not reusable(document, self.ocr):
                out.add(url)
        return out

    def links(self, run_id: int, site_id: str, url: str) -> list[FoundLink]:
        cursor = self.raw.cursor()
        try:
            cursor.execute(self.links_sql, (run_id, site_id, url))
            return [FoundLink(target, tag, text or "") for target, tag, text in cursor.fetchall()]
        finally:
            cursor.close()

    def close(self):
        self.raw.close()
        self.engine.dispose()


def _ocr_of(options: dict | None) -> OcrSettings | None:
    """The OCR settings a run crawled with (its stored crawl options; the defaults where not given)."""
    options = options or {}
    return OcrSettings.from_options(options.get("ocr"), options.get("ocr_pages"), options.get("ocr_confidence"))


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; the store writes local aware ones."""
    return moment.astimezone() if moment.tzinfo is None else moment


def _recent(fetched_at: datetime | None, cap: timedelta, at: datetime) -> bool:
    return fetched_at is not None and at - _aware(fetched_at) < cap


def _fresh(last_modified: str | None, fetched_at: datetime, cap: timedelta, at: datetime) -> bool:
    """RFC 9111 heuristic freshness: fresh for 10 % of the page's age when fetched, at most `cap`."""
    if not last_modified or fetched_at is None:
        return False
    try:
        modified = parsedate_to_datetime(last_modified)
    except (TypeError, ValueError):
        return False
    fetched_at = _aware(fetched_at)
    lifetime = min(cap, (fetched_at - modified) / 10)
    return at - fetched_at < lifetime
