"""Persistence: SQLModel tables, the engine (SQLite by default, PostgreSQL through a URL), run bookkeeping."""
from store.db import DEFAULT_DB_URL, connect, resolve_db_url

__all__ = ["DEFAULT_DB_URL", "connect", "resolve_db_url"]
