"""Persistence: SQLModel tables and the engine (SQLite by default, PostgreSQL through a URL)."""
from store.db import DEFAULT_DB_URL, connect, now, resolve_db_url
from store.models import ColumnItem, Finding, Link, Page, Run, RuleOutcome, SiteColumn, SiteResult, SiteRun, Waiver

__all__ = [
    "DEFAULT_DB_URL", "connect", "now", "resolve_db_url",
    "Run", "SiteRun", "Page", "Link", "SiteColumn", "ColumnItem", "Finding", "RuleOutcome", "SiteResult", "Waiver",
]
