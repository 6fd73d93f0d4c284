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


def test_column_behind_a_blocked_link_is_not_tested_and_the_link_is_named(site):
    """Blocked is not missing: 财政预决算 may sit behind the 政府信息公开 link that answered 403."""
    del site.columns["财政预决算"]
    site.budgets = {}
    site.extra_pages.append({"url": f"{BASE}xxgk/", "status": 403, "column_type": "ogi", "anchor": "信息公开",
                             "referer": BASE})
    result = site.judge()
    assert found(result, "OGI-20") == []
    detail = next(n.detail for n in result.sites[0].not_tested if n.rule == "OGI-20")
    assert ("OGI-20", "blocked") in reasons(result) and f"「信息公开」{BASE}xxgk/（HTTP 403）" in detail
    site.extra_pages[0]["status"] = 404  # near miss: a link that is gone hides nothing
    assert found(site.judge(), "OGI-20") == [("OGI-20", "deduct", BASE)]


def test_column_link_answering_a_challenge_or_timing_out_is_not_tested(site):
    del site.columns["领导信息"]
    site.extra_pages.append({"url": f"{BASE}ldxx/", "status": 200, "challenge": "__jsl_clearance", "anchor": "领导信息",
                             "column_type": "leaders", "referer": f"{BASE}col0/index.html"})
    result = site.judge()
    assert found(result, "GWS-D4") == [] and ("GWS-D4", "blocked") in reasons(result)
    site.extra_pages[0] |= {"status": None, "challenge": None, "error": "timeout"}
    result = site.judge()
    assert found(result, "GWS-D4") == [] and ("GWS-D4", "timeout") in reasons(result)


def test_unclassified_navigation_link_blocked_hides_columns_but_a_blocked_article_does_not(site):
    del site.columns["监督检查"]
    site.extra_pages.append({"url": f"{BASE}zfjg/", "status": 412, "anchor": "执法专栏", "referer": BASE})
    result = site.judge()
    assert found(result, "OGI-20") == [] and ("OGI-20", "blocked") in reasons(result)
    # near miss: the blocked page is an item of a list (an article), not a way to a column
    site.extra_pages[0] |= {"url": f"{BASE}ndbg/2026-01-20.html", "referer": f"{BASE}col6/index.html"}
    assert found(site.judge(), "OGI-20") == [("OGI-20", "deduct", BASE)]


def test_statutory_content_published_under_another_column_covers_it(site):
    """Coverage means content: 预决算 and 处罚决定书 published under 法定主动公开内容 cover 财政预决算 and 行政处罚."""
    del site.columns["财政预决算"], site.columns["行政处罚"]
    site.items = {"测试局行政处罚决定书（测环罚〔2026〕12号）": date(2026, 10, 9)}
    assert found(site.judge()) == []  # the site's 部门预算/决算 (site.budgets) cover 财政预决算
    site.budgets = {}  # near miss: no 预决算 document, and a title that only mentions 行政处罚
    site.items = {"关于开展行政处罚案卷评查的通知": date(2026, 10, 9)}
    result = site.judge()
    assert {("OGI-20", "deduct"), ("ENV-05", "deduct")} <= {(r, s) for r, s, _ in found(result)}
    assert "均未找到该栏目及其信息" in next(f.message for f in result.findings if f.rule == "ENV-05")
