"""messages_answered: no valid message left unanswered for more than 3 months (GWS-V5b, a veto), read from
page.extra["messages"]."""
from __future__ import annotations

from datetime import date

import pytest

from tests.builders import BASE, add_column, article, col_url, found, message, not_tested


def letters(site, *msgs, name="领导信箱"):
    """The 领导信箱 column page shows these messages (a 信件查询 table)."""
    site.column_extra[name] = {"messages": list(msgs)}


def test_messages_answered_in_time_pass(site):
    result = site.judge()  # 留言选登: asked 11-03, answered 11-10
    assert found(result, "GWS-V5b") == [] and not_tested(result, "GWS-V5b") == []


@pytest.mark.parametrize("asked, vetoed", [(date(2026, 8, 20), False),  # 3 months end on the audit day
                                           (date(2026, 8, 19), True)])
def test_message_pending_for_more_than_three_months_is_a_veto(site, asked, vetoed):
    letters(site, message("关于化工园区异味问题的来信", asked, state="pending"))
    result = site.judge()
    assert found(result, "GWS-V5b") == ([("GWS-V5b", "veto", col_url(site, "领导信箱"))] if vetoed else [])
    if vetoed:
        f = result.findings[0]
        assert result.sites[0].verdict == "fail" and f.kind == "interaction-unanswered"
        assert "关于化工园区异味问题的来信" in f.message and "2026-08-19" in f.message and "仍未答复" in f.message
        assert f.evidence["deadline"] == "2026-11-19" and f.evidence["how"] == "表格列「来信时间」、「回复时间」"


@pytest.mark.parametrize("answered, late", [(date(2026, 4, 5), False), (date(2026, 4, 6), True)])
def test_message_answered_after_three_months(site, answered, late):
    letters(site, message("关于排污口整治进度的咨询", date(2026, 1, 5), answered))
    result = site.judge()
    assert [r for r, _, _ in found(result)] == (["GWS-V5b"] if late else [])
    if late:
        assert "2026-04-06 才答复" in result.findings[0].message and result.findings[0].evidence["days"] == 91


def test_late_reply_before_the_year_under_review_is_not_judged(site):
    letters(site, message("关于旧事的咨询", date(2025, 1, 2), date(2025, 6, 1)))
    assert found(site.judge(), "GWS-V5b") == []


def test_invalid_messages_and_other_channels_are_not_judged(site):
    letters(site, message("广告信息", date(2026, 2, 1), state="invalid"))  # 不予受理: not a 有效留言
    site.types["在线访谈"] = "interview"
    add_column(site, "在线访谈", date(2026, 10, 1))
    letters(site, message("网友提问：垃圾分类怎么做", date(2026, 2, 1), state="pending"), name="在线访谈")
    result = site.judge()
    assert found(result, "GWS-V5b") == [] and not_tested(result, "GWS-V5b") == []


def test_a_list_row_and_its_detail_page_are_one_message(site):
    """The list cuts the title and still says 办理中; the detail page shows the reply: answered in time."""
    letters(site, message("关于临江化工园区异味问题…", date(2026, 6, 1), state="pending"))
    site.extra_pages.append(article("xj/1.html", title="关于临江化工园区异味问题的来信", column_type="interaction",
                                    extra={"messages": [message("关于临江化工园区异味问题的来信", date(2026, 6, 1),
                                                                date(2026, 6, 12), source="label:留言时间|回复时间")]}))
    assert found(site.judge(), "GWS-V5b") == []


def test_no_message_dates_anywhere_is_not_tested(site):
    site.column_extra = {}
    result = site.judge()
    assert found(result, "GWS-V5b") == [] and not_tested(result, "GWS-V5b") == ["no_evidence"]
    site.extra_pages.append({"url": f"{BASE}hdjl/lyxd/", "error": "robots", "column_type": "messages"})
    assert not_tested(site.judge(), "GWS-V5b") == ["robots"]


def test_interrupted_crawl_is_not_a_pass_for_messages(site):
    site.finished = False
    assert not_tested(site.judge(), "GWS-V5b") == ["interrupted"]
    letters(site, message("关于化工园区异味问题的来信", date(2026, 3, 1), state="pending"))
    assert [r for r, _, _ in found(site.judge(), "GWS-V5b")] == ["GWS-V5b"]  # what was seen still proves it
