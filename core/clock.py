"""The wall clock, in one form: timezone-aware local time (the store keeps aware datetimes)."""
from __future__ import annotations

from datetime import datetime


def now() -> datetime:
    return datetime.now().astimezone()


def aware(value: datetime) -> datetime:
    """A stored time with its offset: SQLite hands datetimes back without it (they were written as local time)."""
    return value if value.tzinfo is not None else value.astimezone()
