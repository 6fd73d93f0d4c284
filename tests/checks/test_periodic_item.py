"""periodic_item: a report of a given period is online by its due date (OGI-49 年报 by 1月31日, BUD-01a/b 预算 and
决算)."""
from __future__ import annotations

from datetime import date

import pytest

from tests.builders import BASE


@pytest.mark.parametrize("reports, expected", [
    ({}, [("OGI-49", "item-missing")]),
    ({"测试局2025年政府信息公开工作年度报告": date(2026, 2, 3)}, [("OGI-49", "item-late")]),
    ({"测试局2025年度政府信息公开工作年度报告": date(2026, 1, 31)}, []),
    ({"测试局2024年政府信息公开工作年度报告": date(2025, 1, 20)}, [("OGI-49", "item-missing")]),
])
def test_previous_years_annual_report_by_january_31(site, reports, expected):
    site.annual_reports = reports
    result = site.judge()
    assert [(f.rule, f.kind) for f in result.findings] == expected


def test_annual_report_hidden_by_robots_is_not_tested(site):
    site.annual_reports = {}
    site.extra_pages.append({"url": f"{BASE}ndbg/", "error": "robots", "column_type": "ogi_annual_report"})
    result = site.judge()
    assert result.findings == ()
    assert ("OGI-49", "robots") in {(n.rule, n.reason) for n in result.sites[0].not_tested}


def test_budget_of_this_year_and_final_accounts_of_last_year(site):
    site.budgets = {"测试局2026年部门预算执行情况": date(2026, 3, 20), "测试局2025年部门决算": date(2026, 10, 9)}
    result = site.judge()
    assert sorted((f.rule, f.kind) for f in result.findings) == [("BUD-01a", "item-missing"),
                                                                         ("BUD-01b", "item-late")]


def test_annual_report_behind_a_blocked_disclosure_link_is_not_tested(site):
    site.annual_reports = {}
    site.extra_pages.append({"url": f"{BASE}xxgk/", "status": 521, "anchor": "政府信息公开", "column_type": "ogi",
                             "referer": BASE})
    result = site.judge()
    assert result.findings == ()
    assert ("OGI-49", "blocked") in {(n.rule, n.reason) for n in result.sites[0].not_tested}
    site.extra_pages[0]["status"] = 200  # near miss: the disclosure column answered, and has no 年报
    assert [f.rule for f in site.judge().findings] == ["OGI-49"]
