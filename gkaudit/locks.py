"""One crawl of a site at a time, across threads, processes and (with PostgreSQL) machines.

PostgreSQL: a session advisory lock per site, on a connection held while the crawl runs. SQLite (one machine by
nature): an exclusive flock on a file beside the database. Both are released by the operating system or the
server when the holder dies, so a killed scheduler never leaves a site locked.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

NAMESPACE = "gkaudit-site:"


def lock_key(site_id: str) -> int:
    """A signed 64-bit advisory-lock key for the site (collisions are negligible at 10^4 sites)."""
    return int.from_bytes(hashlib.sha1((NAMESPACE + site_id).encode()).digest()[:8], "big", signed=True)


class SiteLock:
    """Holds the locks of some sites; `acquire` is non-blocking and reports which sites it got."""

    def __init__(self, engine):
        self.engine = engine
        self.held: dict[str, object] = {}  # site → connection (PostgreSQL) or open file (SQLite)

    def acquire(self, site_id: str) -> bool:
        if site_id in self.held:
            return True
        if self.engine.dialect.name == "postgresql":
            conn = self.engine.connect()
            got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": lock_key(site_id)}).scalar()
            conn.commit()  # the lock is held by the session, not the transaction
            if not got:
                conn.close()
                return False
            self.held[site_id] = conn
            return True
        path = _lock_dir(self.engine) / (re.sub(r"[^\w.-]", "_", site_id) + f"-{lock_key(site_id) & 0xffffffff:08x}.lock")
        handle = open(path, "a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self.held[site_id] = handle
        return True

    def release(self, site_id: str) -> None:
        holder = self.held.pop(site_id, None)
        if holder is None:
            return
        if self.engine.dialect.name == "postgresql":
            try:
                holder.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": lock_key(site_id)})
                holder.commit()
            except Exception:
                holder.invalidate()  # drop the session (and its lock) rather than pool a connection holding it
                raise
            finally:
                holder.close()
        else:
            fcntl.flock(holder, fcntl.LOCK_UN)
            holder.close()

    def release_all(self) -> None:
        for site_id in list(self.held):
            self.release(site_id)


@contextmanager
def site_locks(engine, site_ids: list[str]):
    """Lock what can be locked now; yields (locked ids, ids another crawl holds). Released on exit."""
    lock = SiteLock(engine)
    got, busy = [], []
    try:
        for sid in site_ids:
            (got if lock.acquire(sid) else busy).append(sid)
        yield got, busy
    finally:
        lock.release_all()


def _lock_dir(engine) -> Path:
    database = engine.url.database
    if database and database != ":memory:":
        folder = Path(database).expanduser().resolve().parent / (Path(database).name + ".locks")
    else:
        folder = Path(tempfile.gettempdir()) / "gkaudit-locks"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
