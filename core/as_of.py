"""The audit date (as_of): every time-dependent rule is judged against it, never against the clock.

It is decided once, where a command starts (the command line, a scheduled job, a worker that registers a
run), stored on the run, and passed down as a required argument from there.
"""
from __future__ import annotations

from datetime import date


def resolve_as_of(value: str | date | None) -> date:
    """The audit date a command was given (YYYY-MM-DD), or today when none was; ValueError with a Chinese
    message for anything else."""
    if value is None or value == "":
        return date.today()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"日期格式应为 YYYY-MM-DD，而不是 {value!r}") from None
