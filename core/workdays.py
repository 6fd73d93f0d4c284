"""Working days on the PRC official calendar (holidays and 调休 make-up days), for the N-工作日 rules."""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar


@lru_cache(maxsize=4096)  # the same few hundred days are asked for every notice of every site
def is_workday(day: date) -> tuple[bool, bool]:
    """(is a working day, calendar known). Years the calendar package does not cover yet fall back to Mon–Fri."""
    try:
        return chinese_calendar.is_workday(day), True
    except NotImplementedError:
        return day.weekday() < 5, False


def workdays_between(start: date, end: date) -> tuple[int, bool]:
    """Working days after `start` up to and including `end` (the starting day itself does not count).

    Returns (count, exact): exact is False when part of the span lies outside the official calendar data.
    """
    count, exact, day = 0, True, start
    while day < end:
        day += timedelta(days=1)
        work, known = is_workday(day)
        count += work
        exact &= known
    return count, exact


def add_workdays(start: date, n: int) -> date:
    """The date that is n working days after start (a deadline such as 「20个工作日内」)."""
    day = start
    while n > 0:
        day += timedelta(days=1)
        n -= is_workday(day)[0]
    return day


def workdays_in(start: date, end: date) -> tuple[int, bool]:
    """Working days from start to end, both included (a 公示期 「3月2日至3月13日」 counts its first day).

    Returns (count, exact) as workdays_between does."""
    return workdays_between(start - timedelta(days=1), end)


def rectification_deadline(found: date, days: int | None) -> date | None:
    """整改时限: `days` working days after the audit date on which a problem was first found. Anchored there, it
    never moves with later audits or rechecks (the ledger keeps it; the reports print it)."""
    return add_workdays(found, days) if days else None
