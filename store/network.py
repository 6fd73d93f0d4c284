"""What the network probes (crawler.netprobe) read of a crawled run and how they store what they saw."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, insert, select

from store.models import Page, SiteNetwork


@dataclass(frozen=True)
class Crawled:
    """A page of the site as the crawl answered it: enough to ask it again over IPv6."""

    url: str
    final_url: str | None
    depth: int
    status: int | None
    content_type: str | None
    is_home: bool


def crawled_pages(engine, run_id: int, site: str, max_depth: int) -> list[Crawled]:
    """The site's own pages up to max_depth (the homepage is depth 0), in crawl order."""
    query = (select(Page.url, Page.final_url, Page.depth, Page.status, Page.content_type, Page.is_home)
             .where(Page.run_id == run_id, Page.site == site, Page.depth <= max_depth, Page.external.is_(False),
                    Page.probe.is_(False), Page.challenge.is_(None))
             .order_by(Page.id))
    with engine.connect() as conn:
        return [Crawled(*row) for row in conn.execute(query)]


def save_network(engine, run_id: int, rows: list[dict]) -> None:
    """Store one observation per site of the run, replacing an earlier one (a resumed run, a recheck's copy)."""
    if not rows:
        return
    with engine.begin() as conn:
        conn.execute(delete(SiteNetwork).where(SiteNetwork.run_id == run_id,
                                               SiteNetwork.site.in_([r["site"] for r in rows])))
        columns = [c.name for c in SiteNetwork.__table__.columns if c.name != "id"]  # executemany: the same keys
        conn.execute(insert(SiteNetwork), [{c: r.get(c) for c in columns} | {"run_id": run_id} for r in rows])
