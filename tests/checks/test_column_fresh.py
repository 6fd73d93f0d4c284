"""column_fresh: a column's newest item within its window (GWS-V4a, GWS-V4c should-update columns, GWS-D1 政策文件,
GWS-D2 办件统计, GWS-D3 留言选登); undated items count as not updated."""
from __future__ import annotations

from datetime import date

import pytest

from tests.builders import BASE, add_column, article, col_url, found, reasons


def test_stale_windows_are_per_column_type(site):
    site.columns["工作动态"] = date(2026, 11, 6)  # 14 days: still fresh
    site.columns["通知公告"] = date(2026, 5, 21)  # 183 days: still fresh
    assert site.judge().findings == ()


def test_one_day_past_the_window_is_stale_advice_below_the_veto_count(site):
    site.columns["工作动态"] = date(2026, 11, 5)  # 15 days
    result = site.judge()
    assert found(result) == [("GWS-V4a", "advice", f"{BASE}col0/index.html")]
    assert result.findings[0].evidence["days"] == 15
    assert result.sites[0].verdict == "pass"


def test_stale_policy_docs_deduct_five_points(site):
    site.columns["政策文件"] = date(2026, 2, 10)
    result = site.judge()
    assert sorted(found(result)) == [("GWS-D1", "deduct", f"{BASE}col2/index.html"),
                                     ("GWS-V4a", "advice", f"{BASE}col2/index.html")]
    assert result.sites[0].score == 95


def _undated_list(site, name, published):
    """The column's list shows no dates; its articles (crawled) state the given publish dates."""
    site.columns[name] = None
    column = col_url(site, name)
    for i, day in enumerate(published):
        url = f"{BASE}{name}/art{i}.html"
        site.list_items.append({"column_url": column, "title": f"文章{i}", "url": url, "date": None})
        site.extra_pages.append(article(f"{name}/art{i}.html", title=f"文章{i}", published=day))


def test_undated_items_count_as_not_updated(site):
    _undated_list(site, "通知公告", [None, None])  # neither the list nor its articles say when
    result = site.judge()
    assert found(result) == [("GWS-V4a", "advice", f"{BASE}col1/index.html")]
    assert "未标注发布时间" in result.findings[0].message


def test_an_undated_list_is_judged_by_its_articles_dates(site):
    _undated_list(site, "通知公告", [date(2026, 11, 2), None])  # the list shows no dates, an article does
    assert site.judge().findings == ()
    site.list_items, site.extra_pages = [], []
    _undated_list(site, "通知公告", [date(2026, 1, 2)])  # the same list, its only article dated January
    result = site.judge()
    assert found(result) == [("GWS-V4a", "advice", f"{BASE}col1/index.html")]
    assert "按文章页的发布时间" in result.findings[0].message and result.findings[0].evidence["days"] == 322


def test_an_undated_list_whose_articles_were_not_read_is_not_judged(site):
    site.columns["通知公告"] = None
    site.list_items.append({"column_url": col_url(site, "通知公告"), "title": "文章", "url": f"{BASE}x.html",
                            "date": None})
    result = site.judge()
    assert found(result) == [] and ("GWS-V4a", "no_evidence") in reasons(result)


def test_should_update_column_within_its_frequency_passes(site):
    add_column(site, "环境监测", date(2026, 5, 21))  # 183 days
    add_column(site, "建议提案办理", date(2025, 11, 20))  # 365 days
    assert found(site.judge()) == []


def test_should_update_column_past_its_frequency_is_advice_below_ten(site):
    add_column(site, "环境监测", date(2026, 5, 20))  # 184 days
    result = site.judge()
    assert found(result) == [("GWS-V4c", "advice", col_url(site, "环境监测"))]
    assert result.findings[0].evidence["window_days"] == 183
    assert result.sites[0].verdict == "pass"


@pytest.mark.parametrize("newest, expected", [(date(2026, 9, 20), []),  # 61 days
                                              (date(2026, 9, 19), [("GWS-D3", "deduct")])])  # 62 days
def test_published_replies_within_two_months(site, newest, expected):
    site.columns["留言选登"] = newest
    result = site.judge()
    assert [(r, s) for r, s, _ in found(result)] == expected
    if expected:
        assert result.sites[0].score == 97


@pytest.mark.parametrize("newest, expected", [(date(2026, 8, 20), []),  # 92 days
                                              (date(2026, 8, 19), [("GWS-D2", "deduct"), ("GWS-V4c", "advice")])])
def test_service_statistics_within_three_months(site, newest, expected):
    add_column(site, "办件统计", newest)
    assert sorted((r, s) for r, s, _ in found(site.judge())) == expected
