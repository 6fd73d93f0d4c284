"""One problem, one row (checks/problems.py): the findings of several rules about one thing share a problem id,
the site counts it once, and each rule keeps its own finding, score and 依据; distinct problems stay distinct."""
from __future__ import annotations

from datetime import date

from checks.result import problems
from tests.builders import ACCEPT, BASE, article, col_url, found


def _rows(result):
    return problems(result.findings)


def test_a_stale_policy_column_is_one_problem_of_two_rules(site):
    site.columns["政策文件"] = date(2026, 2, 10)
    result = site.judge()
    assert sorted(r for r, _, _ in found(result)) == ["GWS-D1", "GWS-V4a"]  # each rule keeps its entry
    [row] = _rows(result)
    assert row.rules == ("GWS-D1", "GWS-V4a") and row.rule == "GWS-D1、GWS-V4a"  # the deducting rule first
    assert row.severity == "deduct" and row.points == 5 and row.url == col_url(site, "政策文件")
    assert {f.problem for f in result.findings} == {row.id}
    assert all(f.basis in row.basis and f.fix in row.fix for f in result.findings)  # every rule's 依据 and 整改要求
    counts = result.sites[0].counts
    assert (counts.veto, counts.deduct, counts.advice) == (0, 1, 0)  # counted as the list shows it: once
    contract = result.contract()["findings"]
    assert len(contract) == 2 and {f["problem"] for f in contract} == {row.id}


def test_a_broken_full_text_is_one_problem_of_eia02_and_the_broken_link(site):
    site.extra_pages += [article("sl.html", title=ACCEPT),
                         {"url": f"{BASE}qb.pdf", "status": 404, "confirmed": True, "confirm_status": 404}]
    site.links.append((f"{BASE}sl.html", f"{BASE}qb.pdf", "报告书全本"))
    result = site.judge()
    [row] = _rows(result)
    assert set(row.rules) == {"EIA-02", "GWS-DLINK"} and row.rules[0] == "GWS-DLINK"  # the one that deducts
    assert row.url == f"{BASE}qb.pdf" and row.points == 0.1
    assert "无法下载" in row.message and "无法访问" in row.message  # each rule's words, once


def test_a_missing_annual_report_column_is_one_problem_of_ogi04_and_ogi49(site):
    del site.columns["政府信息公开年报"]
    site.annual_reports = {}
    result = site.judge()
    assert {"OGI-04", "OGI-49"} <= {r for r, _, _ in found(result)}
    annual = [row for row in _rows(result) if {"OGI-04", "OGI-49"} & set(row.rules)]
    assert len(annual) == 1 and set(annual[0].rules) == {"OGI-04", "OGI-49"}


def test_different_problems_on_one_page_stay_different_rows(site):
    site.columns["工作动态"] = date(2026, 11, 1)  # stale (advice), another column than 政策文件
    site.columns["政策文件"] = date(2026, 2, 10)
    site.home["icp"] = None  # GUIDE-05 at the homepage
    del site.columns["政府信息公开年报"]  # OGI-04 at the homepage too
    site.annual_reports = {}
    result = site.judge()
    rows = _rows(result)
    by_rules = sorted(tuple(sorted(r.rules)) for r in rows)
    assert ("GWS-V4a",) in by_rules and ("GWS-D1", "GWS-V4a") in by_rules
    assert ("GUIDE-05",) in by_rules and ("OGI-04", "OGI-49") in by_rules
    alone = next(r for r in rows if r.rules == ("GUIDE-05",))
    assert alone.id == alone.primary.id  # a problem of one rule keeps the finding's own id
    assert sum(1 for f in result.findings if f.problem == alone.id) == 1
