"""What an earlier audit observed of the same pages, for rules that compare two audits (GWS-V1e2: a publish date
rewritten while the text stayed the same; GWS-V1c/d/f: what a hacker changed since then).

The earlier audit is the site's previous complete audit (as crawler.revalidate chooses it: same site id and address,
its crawl finished), never a recheck: a recheck copies its base run's rows, so the comparison of a recheck is the one
its base made (with the audit before the base), and the audit after a recheck compares with the base.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import func, select
from sqlmodel import Session

from core.urls import host
from store.models import Link, Page, Run, SiteRun
from store.runs import RECHECK_LABEL


class DatedPage(NamedTuple):
    """A dated page of the earlier audit: its publish date, how it was read, when, and its text fingerprint."""

    published: date
    source: str | None
    fetched_at: datetime
    text_hash: str


class PriorPage(NamedTuple):
    """A page as the earlier audit saw it: enough to say what changed since (title, injected links and terms, and
    for the homepage its links: how many internal ones, which other hosts)."""

    fetched_at: datetime
    status: int | None
    title: str | None
    injected: dict
    internal_links: int = 0
    outbound_hosts: frozenset = frozenset()


def _base(session: Session, run_id: int) -> int:
    """The audit a recheck (of a recheck …) was made from; the run itself otherwise."""
    for _ in range(20):
        label = session.connection().execute(select(Run.sites_file).where(Run.id == run_id)).scalar()
        if not (label or "").startswith(RECHECK_LABEL):
            return run_id
        try:
            run_id = int(label.removeprefix(RECHECK_LABEL).strip())
        except ValueError:
            return run_id
    return run_id


def previous_audit(session: Session, run_id: int, site: str, url: str) -> int | None:
    """The site's complete audit before this run (before its base, for a recheck), or None."""
    before = _base(session, run_id)
    return session.connection().execute(
        select(SiteRun.run_id).join(Run, Run.id == SiteRun.run_id)
        .where(SiteRun.site == site, SiteRun.url == url, SiteRun.crawl_finished, Run.status == "complete",
               Run.id < before, ~Run.sites_file.startswith(RECHECK_LABEL) | Run.sites_file.is_(None))
        .order_by(SiteRun.run_id.desc()).limit(1)).scalar()


def previous_dates(session: Session, run_id: int, site: str, url: str) -> tuple[int | None, dict[str, DatedPage]]:
    """(previous audit, url → DatedPage of its dated pages that have a text fingerprint); one query for the pages."""
    prev = previous_audit(session, run_id, site, url)
    if prev is None:
        return None, {}
    text_hash = Page.extra["text_hash"].as_string()
    rows = session.connection().execute(
        select(Page.url, Page.published, Page.published_source, Page.fetched_at, text_hash)
        .where(Page.run_id == prev, Page.site == site, Page.status == 200, Page.published.is_not(None),
               ~Page.external, ~Page.probe))
    return prev, {u: DatedPage(published, source, fetched_at, h) for u, published, source, fetched_at, h in rows if h}


def previous_pages(session: Session, prev: int, site: str, urls: list[str], home: str | None) -> dict[str, PriorPage]:
    """url → PriorPage in the earlier audit `prev`, for a few pages (the homepage and pages with injected content
    now): one query for the pages and, for the homepage, two for its links."""
    if not urls:
        return {}
    rows = session.connection().execute(
        select(Page.url, Page.fetched_at, Page.status, Page.title, Page.extra)
        .where(Page.run_id == prev, Page.site == site, Page.url.in_(urls), ~Page.external, ~Page.probe))
    found = {url: PriorPage(fetched_at, status, title, (extra or {}).get("injected") or {})
             for url, fetched_at, status, title, extra in rows}
    if home in found:
        where = (Link.run_id == prev, Link.site == site, Link.page_url == home)
        internal = session.connection().execute(
            select(func.count()).select_from(Link).where(*where, Link.internal)).scalar() or 0
        targets = session.connection().execute(select(Link.target_url).where(*where, ~Link.internal)).scalars()
        found[home] = found[home]._replace(internal_links=internal, outbound_hosts=frozenset(map(host, targets)))
    return found

