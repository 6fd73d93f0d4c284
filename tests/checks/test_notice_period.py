"""notice_period: a notice's stated 公示期 lasts long enough (EIA-03b: 10 working days for a 报告书, 5 for a 报告表;
EIA-04 拟审批公示: 5), and the 拟审批公示 tells of the right to a hearing."""
from __future__ import annotations

from datetime import date

import pytest

from tests.builders import BASE, accept_notice, article, found, not_tested, notice


@pytest.mark.parametrize("facts, short", [
    ({"period": (date(2026, 3, 2), date(2026, 3, 13)), "documents": ["报告书"]}, False),   # 10 working days
    ({"period": (date(2026, 3, 2), date(2026, 3, 12)), "documents": ["报告书"]}, True),    # 9
    ({"period": (date(2026, 3, 2), date(2026, 3, 6)), "documents": ["报告表"]}, False),    # 5 for a 报告表
    ({"period": (date(2026, 3, 2), date(2026, 3, 6)), "documents": ["报告书", "报告表"]}, True),  # the strictest
    ({"period": (date(2026, 3, 2), date(2026, 3, 5))}, True),                              # unnamed: 5 at least
    ({"days": 10, "documents": ["报告书"]}, False),
    ({"days": 7, "documents": ["报告书"]}, True),
    ({"days": 10, "unit": "日", "documents": ["报告书"]}, True),  # 10 calendar days from 09-28: 3 working days
])
def test_comment_period_of_the_acceptance_notice(site, facts, short):
    accept_notice(site, date(2026, 9, 28), **facts)
    result = site.judge()
    assert found(result, "EIA-03b") == ([("EIA-03b", "deduct", f"{BASE}sl.html")] if short else [])
    if short:
        f = next(f for f in result.findings if f.rule == "EIA-03b")
        assert f.kind == "notice-short" and f.evidence["workdays"] < f.evidence["required"]


def test_notice_stated_only_in_its_attachment_is_not_tested(site):
    accept_notice(site, date(2026, 9, 28))
    site.extra_pages.append({"url": f"{BASE}gs.pdf", "status": 200, "content_type": "application/pdf", "length": 9000})
    site.links.append((f"{BASE}sl.html", f"{BASE}gs.pdf", "受理公示.pdf"))
    result = site.judge()
    assert not_tested(result, "EIA-03b") == ["attachment"] and not_tested(result, "EIA-03a") == ["attachment"]


APPROVAL_NOTICE = "关于青川化工项目环境影响报告书拟审批的公示"


def approval_notice(site, published=date(2026, 10, 9), url="nsp.html", **facts):
    site.extra_pages.append(article(url, title=APPROVAL_NOTICE, published=published, extra={"notice": notice(**facts)}))


def test_approval_notice_of_five_working_days_with_hearing_passes(site):
    approval_notice(site, period=(date(2026, 10, 10), date(2026, 10, 15)), hearing=True)  # 10-10 is a 调休 Saturday
    result = site.judge()
    assert found(result, "EIA-04") == [] and not_tested(result, "EIA-04") == []


def test_approval_notice_too_short_and_without_hearing(site):
    approval_notice(site, period=(date(2026, 9, 30), date(2026, 10, 8)))  # 9 days, 2 working days
    result = site.judge()
    eia04 = sorted((f.kind, f.evidence.get("workdays")) for f in result.findings if f.rule == "EIA-04")
    assert eia04 == [("item-missing", None), ("notice-short", 2)]
    assert any("听证" in f.message for f in result.findings if f.kind == "item-missing")
    assert result.sites[0].score == 98 - 1  # two points here, and ENV-01 once (no 受理公示; its 批复 is not due yet)


def test_old_and_undated_notices(site):
    approval_notice(site, published=date(2025, 6, 1), period=(date(2025, 6, 1), date(2025, 6, 2)))  # outside 365 days
    approval_notice(site, published=None, url="nsp2.html", period=(date(2026, 10, 10), date(2026, 10, 15)))
    result = site.judge()
    assert [f.url for f in result.findings if f.rule == "EIA-04"] == [f"{BASE}nsp2.html"]  # no 听证告知
