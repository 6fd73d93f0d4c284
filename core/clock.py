"""The wall clock, in one form: timezone-aware local time (the store keeps aware datetimes)."""
from __future__ import annotations

from datetime import datetime


def now() -> datetime:
    return datetime.now().astimezone()
