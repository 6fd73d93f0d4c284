"""notice_timely: a 受理情况公示 is made public within 1 working day of the 受理日期 it states (EIA-03a)."""
from __future__ import annotations

from datetime import date

import pytest

from tests.builders import BASE, accept_notice, found, not_tested


@pytest.mark.parametrize("accepted, published, late", [
    (date(2026, 6, 12), date(2026, 6, 15), False),   # Friday → Monday: 1 working day
    (date(2026, 9, 30), date(2026, 10, 8), False),   # across 国庆: 10-08 is the first working day after
    (date(2026, 9, 30), date(2026, 10, 9), True),    # 2 working days
])
def test_acceptance_notice_within_one_working_day(site, accepted, published, late):
    accept_notice(site, published, accepted=[accepted], days=10, documents=["报告书"])
    result = site.judge()
    assert found(result, "EIA-03a") == ([("EIA-03a", "deduct", f"{BASE}sl.html")] if late else [])
    assert not_tested(result, "EIA-03a") == [] and found(result, "EIA-03b") == []
    if late:
        f = next(f for f in result.findings if f.rule == "EIA-03a")
        assert f.kind == "item-late" and f.evidence["workdays"] == 2 and f.points == 0.5


def test_acceptance_notice_without_its_date_is_not_tested(site):
    accept_notice(site, date(2026, 6, 12), days=10, documents=["报告书"])
    assert not_tested(site.judge(), "EIA-03a") == ["no_evidence"]
