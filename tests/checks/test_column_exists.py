"""column_exists: each required column is reachable (GWS-D4 basic columns, OGI-04 年报, GWS-V5a consultation channel,
GWS-D6 published replies and statistics, OGI-20 statutory coverage, ENV-05/06 penalty decisions)."""
from __future__ import annotations

from datetime import date

from tests.builders import BASE, add_column, found, reasons


def test_missing_columns_are_reported_on_the_homepage(site):
    del site.columns["政府信息公开年报"], site.columns["通知公告"]
    result = site.judge()
    assert sorted(found(result)) == [("GWS-D4", "deduct", BASE), ("OGI-04", "deduct", BASE)]
    assert "通知公告" in next(f.message for f in result.findings if f.rule == "GWS-D4")


def test_column_hidden_by_robots_is_not_tested_not_missing(site):
    del site.columns["政府信息公开年报"]
    site.extra_pages.append({"url": f"{BASE}ndbg/", "error": "robots", "column_type": "ogi_annual_report"})
    result = site.judge()
    assert found(result) == []
    assert [(n.rule, n.reason) for n in result.sites[0].not_tested] == [("OGI-04", "robots")]


def test_no_consultation_channel_is_a_veto(site):
    del site.columns["领导信箱"]
    result = site.judge()
    assert found(result) == [("GWS-V5a", "veto", BASE)]
    assert result.sites[0].verdict == "fail"
    assert "「互动交流」" in result.findings[0].message


def test_channel_behind_robots_is_not_tested(site):
    del site.columns["领导信箱"]
    site.extra_pages.append({"url": f"{BASE}hdjl/", "error": "robots", "column_type": "interaction"})
    result = site.judge()
    assert found(result) == [] and ("GWS-V5a", "robots") in reasons(result)


def test_published_replies_and_statistics_missing(site):
    del site.columns["留言选登"], site.columns["留言统计"]
    result = site.judge()
    assert sorted(f.message[:13] for f in result.findings) == ["网站未设置「留言统计」栏目", "网站未设置「留言选登」栏目"]
    assert {f.rule for f in result.findings} == {"GWS-D6"} and result.sites[0].score == 98


def test_leader_column_missing_is_a_basic_column_deduction(site):
    del site.columns["领导信息"]
    result = site.judge()
    assert found(result) == [("GWS-D4", "deduct", BASE)]
    assert "「领导信息」" in result.findings[0].message


def test_statutory_disclosure_coverage_one_finding_per_missing_item(site):
    del site.columns["政府采购"], site.columns["应急管理"]
    result = site.judge()
    assert sorted(f.message.split("」")[0] for f in result.findings) == ["网站未设置「（九）政府采购",
                                                                             "网站未设置「（十二）突发环境事件应对"]
    assert {f.rule for f in result.findings} == {"OGI-20"}


def test_an_item_is_covered_by_any_of_its_column_types(site):
    del site.columns["环评审批"]
    add_column(site, "行政许可", date(2026, 11, 1))
    site.types["行政许可"] = "licensing"
    assert found(site.judge()) == []
    del site.columns["行政许可"]
    result = site.judge()
    assert found(result) == [("OGI-20", "deduct", BASE)]
    assert "（「行政许可」、「环评审批」）" in result.findings[0].message


def test_penalty_decisions_missing(site):
    del site.columns["行政处罚"]
    assert sorted(found(site.judge())) == [("ENV-05", "deduct", BASE), ("ENV-06", "advice", BASE)]


def test_coercion_decisions_in_their_own_column(site):
    add_column(site, "查封扣押", date(2026, 10, 1))
    site.types["查封扣押"] = "coercion"
    del site.columns["行政处罚"]
    assert found(site.judge()) == [("ENV-05", "deduct", BASE)]
