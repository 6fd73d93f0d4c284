"""What an interrupted run already holds, so `gkaudit audit --resume RUN` continues instead of starting over.

The frontier is rebuilt from the database, not from Scrapy's JOBDIR queue: pages and their links are committed
together batch by batch, so after any stop (Ctrl-C, SIGKILL, a lost connection) the stored pages are exactly
the ones done, and every link they hold that is not a stored page is still to do.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from crawler.facts.model import Link as FoundLink
from store import connect
from store.models import Link, Page


@dataclass
class StoredSite:
    done: set[str] = field(default_factory=set)  # URLs of this site with a stored answer
    external: set[str] = field(default_factory=set)  # external targets already checked
    probed: bool = False
    depth: dict[str, int] = field(default_factory=dict)
    links: dict[str, list[FoundLink]] = field(default_factory=dict)  # page URL → its links, in page order
    unconfirmed: list[tuple[str, int | None, str | None]] = field(default_factory=list)  # (url, status, error)


def load_stored(db_url: str, run_id: int, site_ids: list[str], needs_confirm) -> dict[str, StoredSite]:
    """needs_confirm(status, error): whether a first answer still awaits its second attempt."""
    engine = connect(db_url)
    out = {site: StoredSite() for site in site_ids}
    with engine.connect() as conn:
        rows = conn.execute(select(Page.site, Page.url, Page.depth, Page.status, Page.error, Page.probe,
                                   Page.external, Page.confirmed).where(Page.run_id == run_id))
        for site, url, depth, status, error, probe, external, confirmed in rows:
            stored = out.get(site)
            if stored is None:
                continue
            if probe:
                stored.probed = True
            elif external:
                stored.external.add(url)
            else:
                stored.done.add(url)
                stored.depth[url] = depth
                if not confirmed and needs_confirm(status, error):
                    stored.unconfirmed.append((url, status, error))
        rows = conn.execute(select(Link.site, Link.page_url, Link.target_url, Link.tag, Link.text)
                            .where(Link.run_id == run_id).order_by(Link.id))
        for site, page_url, target, tag, text in rows:
            if site in out:
                out[site].links.setdefault(page_url, []).append(FoundLink(target, tag, text or ""))
    engine.dispose()
    return out
