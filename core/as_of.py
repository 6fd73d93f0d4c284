"""The audit date (as_of): every time-dependent rule is judged against it, never against the clock.

It is decided once, where a command starts (the command line, a scheduled job, a worker that registers a
run), stored on the run, and passed down as a required argument from there.
"""
from __future__ import annotations

from datetime import date, timedelta

EARLIEST = date(2000, 1, 1)  # no rule's deadline or window reaches back further
LATEST_AHEAD = timedelta(days=366)  # an audit may be dated ahead (a planned one), not into another era


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


def as_of_problem(value: date, today: date | None = None) -> str | None:
    """Why an audit date is outside the sane range (2000-01-01 .. a year from today), in Chinese, or None: dates
    far away overflow the working-day calendar and every deadline after the whole crawl."""
    latest = (today or date.today()) + LATEST_AHEAD
    if not EARLIEST <= value <= latest:
        return f"检查基准日期 {value.isoformat()} 超出范围：应在 {EARLIEST.isoformat()} 至 {latest.isoformat()} 之间"
    return None
