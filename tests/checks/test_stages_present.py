"""stages_present: an 环评 published in stages has every stage once it has one (ENV-01)."""
from __future__ import annotations

from datetime import date

from tests.builders import ACCEPT, col_url, found


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
