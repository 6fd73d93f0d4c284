"""Persistence: SQLModel tables, the engine (SQLite by default, PostgreSQL through a URL), run bookkeeping."""
from store.db import DEFAULT_DB_URL, DbUrlError, connect, resolve_db_url, sqlite_file

__all__ = ["DEFAULT_DB_URL", "DbUrlError", "connect", "resolve_db_url", "sqlite_file"]
