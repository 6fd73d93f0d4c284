"""stages_present: an 环评 published in stages has every stage once it has one (ENV-01)."""
from __future__ import annotations

from datetime import date

from tests.builders import ACCEPT, article, col_url, found


def test_eia_stages_missing_when_another_stage_is_published(site):
    site.items = {"关于青川化工项目环境影响报告书的批复": date(2026, 9, 1)}
    result = site.judge()
    assert sorted(f.evidence["missing_stage"] for f in result.findings) == ["受理情况公示", "拟审批公示"]
    assert {(f.rule, f.url) for f in result.findings} == {("ENV-01", col_url(site, "环评审批"))}


def test_eia_stages_complete_or_none_pass(site):
    assert found(site.judge()) == []
    site.items = {ACCEPT: date(2026, 8, 1), "青川化工项目环境影响报告书拟批复公示": date(2026, 8, 20),
                  "关于青川化工项目环境影响报告书的批复": date(2026, 9, 1),
                  "关于旧项目环境影响报告书的批复": date(2025, 6, 1)}
    assert found(site.judge()) == []
    site.items = {"关于旧项目环境影响报告书的批复": date(2025, 6, 1)}  # outside the 365-day window
    assert found(site.judge()) == []


def test_later_stages_are_due_only_after_the_review_period(site):
    """《环境影响评价法》第二十二条: 报告书 60 days, 报告表 30 days from 受理; a younger project owes nothing yet."""
    site.items = {ACCEPT: date(2026, 10, 1)}  # 报告书, 50 days old
    assert found(site.judge()) == []
    site.items = {ACCEPT: date(2026, 9, 1)}  # 80 days: 拟审批 and 批复 are due
    result = site.judge()
    assert sorted(f.evidence["missing_stage"] for f in result.findings) == ["审批决定（环评批复）", "拟审批公示"]
    assert "审批期限 2026-10-31 已届满" in result.findings[0].message
    site.items = {"关于东湖仓储项目环境影响报告表受理情况的公示": date(2026, 10, 1)}  # 报告表: 30 days
    assert len(found(site.judge())) == 2
    site.items = {"关于东湖仓储项目环评文件受理情况的公示": date(2026, 10, 1)}  # type unknown: the longer, 60 days
    assert found(site.judge()) == []


def test_stages_are_matched_per_project_and_a_project_listed_twice_is_one(site):
    site.items = {"青川化工项目环境影响报告书受理情况公示": date(2026, 6, 1),
                  "青川化工项目环境影响报告书拟批复公示": date(2026, 7, 20),
                  "关于青川化工项目环境影响报告书的批复": date(2026, 8, 1),
                  "关于东湖仓储项目环境影响报告书受理情况的公示": date(2026, 6, 10)}
    site.extra_pages.append(article("dh.html", title="关于东湖仓储项目环境影响报告书受理情况的公示",  # its article
                                    published=date(2026, 6, 11)))
    env01 = [f for f in site.judge().findings if f.rule == "ENV-01"]
    assert sorted(f.evidence["missing_stage"] for f in env01) == ["审批决定（环评批复）", "拟审批公示"]
    assert {f.evidence["projects"] for f in env01} == {1}
    assert all("东湖仓储" in f.message and "青川化工" not in f.message for f in env01)
    # near miss: 东湖仓储's later stages published too
    site.items |= {"东湖仓储项目环评拟审批公示": date(2026, 8, 1), "关于东湖仓储项目环评的批复": date(2026, 8, 20)}
    assert found(site.judge(), "ENV-01") == []


def test_a_notice_naming_no_project_stands_for_any_project(site):
    """A batch 受理 notice answers the 受理 of the projects approved after it, and is answered by their later stages."""
    site.items = {"2026年第3批建设项目环境影响评价文件受理情况公示": date(2026, 6, 1),
                  "东湖仓储项目环评拟审批公示": date(2026, 7, 20), "关于东湖仓储项目环境影响报告书的批复": date(2026, 8, 1)}
    assert found(site.judge()) == []
    generic = "江南省生态环境厅关于受理建设项目环境影响评价文件的公示"
    site.items = {generic: date(2026, 6, 1)}  # near miss: nothing after it, listed and as its article: one notice
    site.extra_pages.append(article("sl.html", title=generic, published=date(2026, 6, 1)))
    env01 = [f for f in site.judge().findings if f.rule == "ENV-01"]
    assert sorted(f.evidence["missing_stage"] for f in env01) == ["审批决定（环评批复）", "拟审批公示"]
    assert {f.evidence["projects"] for f in env01} == {1}


def test_a_notice_naming_no_project_is_not_asked_for_its_earlier_stages(site):
    """A 拟审批 notice naming no project may follow a 受理 older than anything crawled: not a finding; its 批复 is
    still due (and missing) once the review period has passed."""
    site.items = {"关于建设项目环境影响评价文件拟审批的通知": date(2026, 11, 2)}  # its 批复 not due yet
    assert found(site.judge(), "ENV-01") == []
    site.items = {"关于建设项目环境影响评价文件拟审批的通知": date(2025, 12, 17)}
    env01 = [f for f in site.judge().findings if f.rule == "ENV-01"]
    assert [f.evidence["missing_stage"] for f in env01] == ["审批决定（环评批复）"]


def test_a_notice_naming_no_project_is_answered_by_any_notice_of_its_later_stage(site):
    """Which project a generic 拟审批 notice concerns cannot be told: any 批复 in the window answers it."""
    site.items = {"关于青川化工项目环境影响报告书受理情况的公示": date(2026, 3, 1),
                  "关于青川化工项目环境影响报告书拟审批的公示": date(2026, 3, 20),
                  "关于青川化工项目环境影响报告书的批复": date(2026, 4, 10),
                  "关于建设项目环境影响评价文件拟审批的通知": date(2026, 7, 17)}  # 批复 due 09-15, none after it
    assert found(site.judge(), "ENV-01") == []
