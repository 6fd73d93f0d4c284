"""Repeat audits ask less: HTTP caching rules applied to the pages of each site's previous complete audit.

- `all`: a page the previous audit stored with an ETag or Last-Modified is requested with If-None-Match /
  If-Modified-Since; a 304 answer means its observations still hold: the pipeline copies them (no parse) and
  the spider follows the links stored with it.
- `fresh` (default): as `all`, and a page, attachment or image that is still fresh by HTTP's heuristic (RFC 9111
  §4.2.2: 10 % of the time since its Last-Modified when it was fetched, capped by GKAUDIT_FRESH_MAX_DAYS) is not
  requested at all.
  Never the homepage or a list page (栏目): those are what freshness checks read, so they are always asked.
- `off`: every page is downloaded and parsed again.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

from sqlalchemy import select

from crawler.facts.model import Link as FoundLink
from crawler.facts.version import FACTS_VERSION
from store import connect, now
from store.models import Page, Run, SiteRun

MODES = ("fresh", "all", "off")


@dataclass
class Previous:
    run_id: int
    validators: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # url → (etag, last-modified)
    fresh: set[str] = field(default_factory=set)  # URLs that need no request now


class PreviousAudits:
    """Per site: the previous complete audit whose answers may be reused, and the links it stored."""

    def __init__(self, db_url: str, run_id: int | None, sites, mode: str = "fresh", fresh_max_days: float = 7.0):
        self.engine = connect(db_url)
        self.sites: dict[str, Previous] = {}
        cap, at = timedelta(days=fresh_max_days), now()
        with self.engine.connect() as conn:
            for site in sites:
                prev, options = conn.execute(
                    select(SiteRun.run_id, Run.crawl_options).join(Run, Run.id == SiteRun.run_id)
                    .where(SiteRun.site == site.id, SiteRun.url == site.url, SiteRun.crawl_finished,
                           Run.status == "complete", Run.id != (run_id or 0))
                    .order_by(SiteRun.run_id.desc()).limit(1)).first() or (None, None)
                if prev is None or (options or {}).get("facts_version") != FACTS_VERSION:
                    continue  # nothing to reuse, or facts made by another extractor: parse everything again
                found = Previous(prev)
                rows = conn.execute(select(Page.url, Page.etag, Page.last_modified, Page.fetched_at, Page.is_list,
                                           Page.is_home, Page.encoding.is_not(None)).where(
                    Page.run_id == prev, Page.site == site.id, Page.status == 200, ~Page.external, ~Page.probe,
                    (Page.etag.is_not(None)) | (Page.last_modified.is_not(None))))
                for url, etag, last_modified, fetched_at, is_list, is_home, is_html in rows:
                    if is_html:  # attachments and images are checked with HEAD: fresh or asked again
                        found.validators[url] = (etag, last_modified)
                    if mode == "fresh" and not (is_list or is_home) and _fresh(last_modified, fetched_at, cap, at):
                        found.fresh.add(url)
                self.sites[site.id] = found
        # One DB-API connection for the link look-ups of the whole crawl: one indexed query per reused page,
        # without SQLAlchemy's per-statement overhead (it was half the cost of a reused page).
        self.raw = self.engine.raw_connection()
        if self.engine.dialect.name == "postgresql":
            self.raw.driver_connection.autocommit = True  # reads only: no transaction left open all crawl
        mark = "?" if self.engine.dialect.paramstyle == "qmark" else "%s"
        self.links_sql = (f"SELECT target_url, tag, text FROM link WHERE run_id = {mark} AND site = {mark} "
                          f"AND page_url = {mark} ORDER BY id")

    def is_fresh(self, site_id: str, url: str) -> int | None:
        """The previous run whose copy of this page may be used without asking, if any."""
        prev = self.sites.get(site_id)
        return prev.run_id if prev and url in prev.fresh else None

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


def _fresh(last_modified: str | None, fetched_at: datetime, cap: timedelta, at: datetime) -> bool:
    """RFC 9111 heuristic freshness: fresh for 10 % of the page's age when fetched, at most `cap`."""
    if not last_modified or fetched_at is None:
        return False
    try:
        modified = parsedate_to_datetime(last_modified)
    except (TypeError, ValueError):
        return False
    if fetched_at.tzinfo is None:  # SQLite returns naive datetimes; the store writes local aware ones
        fetched_at = fetched_at.astimezone()
    lifetime = min(cap, (fetched_at - modified) / 10)
    return at - fetched_at < lifetime
