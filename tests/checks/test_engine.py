"""The engine rather than one check type: a complete site, the tri-state of a blocked or unreachable homepage, an
interrupted crawl or an exhausted page budget, exemptions and per-site overrides from the sites file, the veto count
(below it a rule's findings are advice), scoring."""
from __future__ import annotations

from datetime import date

import pytest

from tests.builders import BASE, SiteBuilder, add_column, article, found, reasons


def test_complete_fresh_site_has_no_findings(site):
    result = site.judge()
    assert result.findings == ()
    assert result.sites[0].verdict == "pass" and result.sites[0].score == 100


def test_five_stale_columns_are_a_veto(site):
    for i in range(5):
        site.columns[f"工作动态{i}"] = date(2026, 1, 1)
        site.column_items[f"工作动态{i}"] = 2
    site.types.update({f"工作动态{i}": "work_news" for i in range(5)})
    result = site.judge()
    assert {sev for rule, sev, _ in found(result, "GWS-V4a")} == {"veto"}
    assert result.sites[0].verdict == "fail"


def test_ten_should_update_columns_stale_are_a_veto(site):
    for i in range(10):
        add_column(site, f"大气环境管理{i}", date(2025, 1, 1))
        site.types[f"大气环境管理{i}"] = "env_management"
    result = site.judge()
    v4c = found(result, "GWS-V4c")
    assert len(v4c) == 10 and {sev for _, sev, _ in v4c} == {"veto"}
    assert result.sites[0].verdict == "fail"
    assert found(result, "GWS-V4a") == []  # the two counts of 栏目不更新 never count one column twice


def test_missing_column_after_page_budget_is_not_tested(site):
    del site.columns["通知公告"]
    site.budget = True
    result = site.judge()
    assert found(result) == []
    # the 环评 notice rules found no notice to judge either, nor BUD-03 a 预决算 page: they may lie beyond the budget too
    assert sorted((n.rule, n.reason) for n in result.sites[0].not_tested) == [
        ("BUD-03", "budget"), ("EIA-03a", "budget"), ("EIA-03b", "budget"), ("EIA-04", "budget"), ("GWS-D4", "budget")]


def test_interrupted_crawl_never_yields_stale_or_blank_or_missing(site):
    site.finished = False
    site.columns["工作动态"] = date(2025, 1, 1)
    del site.columns["通知公告"]
    site.home["icp"] = None
    result = site.judge()
    assert found(result) == [("GUIDE-05", "deduct", BASE)]  # the footer was seen; columns were not all seen
    reasons = {(n.rule, n.reason) for n in result.sites[0].not_tested}
    assert ("GWS-V4a", "interrupted") in reasons and ("GWS-D4", "interrupted") in reasons


def test_interrupted_crawl_never_reports_should_update_columns_stale(site):
    site.finished = False
    add_column(site, "环境监测", date(2025, 1, 1))
    result = site.judge()
    assert found(result, "GWS-V4c") == [] and ("GWS-V4c", "interrupted") in reasons(result)


@pytest.mark.parametrize("status, challenge, reason", [(521, "jsl", "blocked"), (403, None, "blocked"),
                                                      (200, "acw_sc__v2", "blocked"), (None, None, "unreachable")])
def test_blocked_or_unreachable_site_is_not_tested(site, status, challenge, reason):
    site.home_status, site.challenge = status, challenge
    site.columns["工作动态"] = date(2020, 1, 1)
    result = site.judge()
    assert result.findings == ()
    s = result.sites[0]
    assert s.verdict == "not_tested" and s.score is None
    assert [(n.rule, n.reason) for n in s.not_tested] == [(None, reason)]


def test_site_override_and_exemption_from_the_sites_file(tmp_path):
    site = SiteBuilder(tmp_path)
    hit = [{"term": "环境保护局", "list": "outdated", "snippet": "…"}]
    site.extra_pages += [article("o2.html", published=date(2019, 6, 1), term_hits=hit)]
    del site.columns["通知公告"]
    site.settings = {"rules": {"WORD-01": {"after": "2019-12-31"}}, "exempt": {"GWS-D4": "栏目整合已报备"}}
    result = site.judge()
    assert found(result) == []
    assert ("GWS-D4", "exempt") in {(n.rule, n.reason) for n in result.sites[0].not_tested}
