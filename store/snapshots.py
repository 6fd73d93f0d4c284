"""Evidence snapshots: the HTML a finding rests on, compressed and de-duplicated by hash, pruned to what is needed."""
from __future__ import annotations

import hashlib
import zlib

from sqlalchemy import delete, select, union
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Connection, Engine

from store.bulk import insert_rows
from store.models import Finding, Page, Snapshot


def digest(body: bytes) -> str:
    return hashlib.sha1(body).hexdigest()[:20]


def save(conn: Connection, bodies: dict[str, bytes]) -> None:
    """Insert the bodies (hash → bytes) that are not stored yet."""
    if not bodies:
        return
    have = set(conn.execute(select(Snapshot.hash).where(Snapshot.hash.in_(list(bodies)))).scalars())
    rows = [{"hash": h, "body": zlib.compress(b, 6), "size": len(b)} for h, b in bodies.items() if h not in have]
    if not rows:
        return
    # another audit may store the same page between the check and the insert: keep the first
    if conn.dialect.name == "postgresql":
        conn.execute(pg_insert(Snapshot).on_conflict_do_nothing(index_elements=["hash"]), rows)
    else:
        insert_rows(conn, Snapshot, rows, prefix="OR IGNORE" if conn.dialect.name == "sqlite" else "")


def prune(engine: Engine) -> int:
    """Delete snapshots no finding rests on (its page, or the parent page of a link); returns how many."""
    # Two index joins (finding → its page, finding → the parent page) computed once, not a scan per snapshot.
    on_page, on_parent = (
        select(Page.snapshot).join(Finding, (Finding.run_id == Page.run_id) & (Finding.site == Page.site)
                                   & (column == Page.url)).where(Page.snapshot.is_not(None))
        for column in (Finding.url, Finding.parent_url))
    with engine.begin() as conn:
        return conn.execute(delete(Snapshot).where(Snapshot.hash.not_in(union(on_page, on_parent)))).rowcount


def load(engine: Engine, hashes: set[str]) -> dict[str, bytes]:
    with engine.connect() as conn:
        rows = conn.execute(select(Snapshot.hash, Snapshot.body).where(Snapshot.hash.in_(list(hashes)))).all()
    return {h: zlib.decompress(b) for h, b in rows}
