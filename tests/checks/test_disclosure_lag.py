"""disclosure_lag: documents are published within N working days of their 成文日期 (OGI-26: 20; EIA-05 环评批复: 7)."""
from __future__ import annotations

from datetime import date

import pytest

from tests.builders import ACCEPT, BASE, article, found


def test_disclosure_later_than_twenty_working_days(site):
    site.extra_pages += [
        article("w1.html", title="关于印发方案的通知", written=date(2026, 9, 30), published=date(2026, 11, 3)),  # 20 (National Day week off)
        article("w2.html", title="关于开展检查的通知", written=date(2026, 9, 30), published=date(2026, 11, 4)),  # 21
    ]
    result = site.judge()
    assert found(result) == [("OGI-26", "deduct", f"{BASE}w2.html")]
    assert result.findings[0].evidence["workdays"] == 21


@pytest.mark.parametrize("published, rules", [
    (date(2026, 10, 19), []),                # 7 working days after 2026-10-09 (the 10-10 调休 Saturday counts)
    (date(2026, 10, 20), ["EIA-05"]),        # 8
    (date(2026, 11, 9), ["OGI-26"]),         # 21: the 20-day rule's finding, not deducted twice
])
def test_approval_published_within_seven_working_days(site, published, rules):
    site.items = {ACCEPT: date(2026, 8, 1), "青川化工项目环境影响报告书拟批复公示": date(2026, 8, 20)}  # ENV-01 stages
    site.extra_pages.append(article("pf.html", title="关于青川化工项目环境影响报告书的批复",
                                    written=date(2026, 10, 9), published=published))
    assert [r for r, _, _ in found(site.judge())] == rules


def test_an_approval_notice_before_the_decision_is_not_the_decision(site):
    site.extra_pages.append(article("nsp.html", title="青川化工项目环境影响报告书拟批复公示",
                                    written=date(2026, 9, 1), published=date(2026, 10, 20)))
    assert found(site.judge(), "EIA-05") == []
