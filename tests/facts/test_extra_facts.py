"""page.extra facts: messages with their dates (GWS-V5b) and what a 公示 states about itself (EIA-03, EIA-04),
on pages written the way TRS, Hanweb and gkmlpt sites show them (tests/facts/pages)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from crawler.facts import extract

PAGES = Path(__file__).parent / "pages"
AS_OF = date(2026, 11, 20)


def facts(name: str, as_of: date = AS_OF):
    return extract((PAGES / name).read_bytes(), f"http://www.example.gov.cn/a/{name}", as_of=as_of)


def html(body: str, title: str = "页面") -> bytes:
    return (f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<div class='article-content'>{body}</div></body></html>").encode()


def brief(msgs):
    return [(m["title"], m["asked"], m["answered"], m["state"]) for m in msgs]


# --- messages ------------------------------------------------------------------------------------------

def test_trs_letter_table_with_status_and_reply_columns():
    f = facts("messages_trs_table.html")
    assert f.is_list  # still the column's list (GWS-D3 reads its item dates)
    assert brief(f.extra["messages"]) == [
        ("关于长沙县某小区地下车库噪声扰民的投诉", "2026-11-03", "2026-11-10", "replied"),
        ("关于湘江某排口夜间偷排的举报", "2026-05-12", None, "pending"),     # 办理中, empty 回复时间
        ("推广某品牌净水器", "2026-04-01", None, "invalid"),                 # 不予受理: not a 有效留言
        ("关于排污许可证延续办理时限的咨询", "2026-01-05", "2026-04-20", "replied"),
    ]
    assert {m["source"] for m in f.extra["messages"]} == {"table:来信时间|回复时间|办理状态"}
    assert "2026-05-12 | 办理中" in f.extra["messages"][1]["snippet"]


def test_hanweb_span_list_takes_the_whole_title_from_the_link():
    assert brief(facts("messages_hanweb_spans.html").extra["messages"]) == [
        ("关于城西工业园异味扰民问题的反映", "2026-07-28", None, "pending"),  # 正在办理; the cell shows 反…
        ("咨询建设项目环评审批办理时限", "2026-10-30", None, "replied"),       # 已回复, no date shown
    ]


def test_gkmlpt_detail_page_key_value_table():
    f = facts("message_gkmlpt_detail.html")
    assert brief(f.extra["messages"]) == [("关于东湖排污口整治进度的咨询", "2026-09-28", "2026-10-13", "replied")]
    assert f.extra["messages"][0]["source"] == "label:留言时间|答复时间"
    assert "notice" not in f.extra


def test_labelled_rows_each_one_message_with_its_own_title():
    assert brief(facts("message_labelled_list.html").extra["messages"]) == [
        ("关于白石河死鱼现象的反映", "2026-08-02", "2026-08-06", "replied"),
        ("关于石化厂火炬夜间燃烧的咨询", "2026-06-15", None, "pending"),  # 回复时间： empty, 办理状态：未回复
    ]


@pytest.mark.parametrize("body, state", [
    ("<p>留言时间：2026-03-01</p><p>回复内容：暂未回复</p>", "pending"),
    ("<p>留言时间：2026-03-01</p><p>回复内容：您好，已转交属地执法大队核查。</p>", "replied"),
    ("<p>留言时间：2026-03-01</p><p>留言内容：请问如何办理排污许可？</p>", "unknown"),  # the page says nothing of a reply
    ("<p>留言时间：2026-03-01</p><p>回复时间：2026-02-20</p>", "unknown"),  # a reply before the message is no reply date
])
def test_what_a_detail_page_says_about_the_reply(body, state):
    msgs = extract(html(body, "关于某事的咨询"), "http://x.gov.cn/a.html", as_of=AS_OF).extra["messages"]
    assert [(m["title"], m["answered"], m["state"]) for m in msgs] == [("关于某事的咨询", None, state)]


def test_pages_without_message_labels_have_no_messages():
    for name in ("trs_list.html", "service_guide.html", "gkmlpt_article.html", "ogi_guide.html", "home.html"):
        assert "messages" not in facts(name).extra, name
    # an office-hours line is a label without a date, a grid header without rows is no message
    body = "<p>咨询时间：工作日9:00-17:00</p><table><tr><th>信件标题</th><th>来信时间</th></tr></table>"
    assert extract(html(body), "http://x.gov.cn/a.html", as_of=AS_OF).extra == {}


def test_a_message_dated_after_as_of_is_not_read():
    body = "<p>留言时间：2026-12-01</p><p>回复时间：2026-12-03</p>"
    assert "messages" not in extract(html(body), "http://x.gov.cn/a.html", as_of=AS_OF).extra


# --- notices -------------------------------------------------------------------------------------------

def test_acceptance_notice_period_accepted_date_and_document():
    n = facts("notice_acceptance.html").extra["notice"]
    assert (n["period"]["start"], n["period"]["end"], n["period"]["label"]) == ("2026-03-03", "2026-03-16", "公示期")
    assert n["accepted"] == ["2026-03-02"] and n["documents"] == ["报告书"]  # 「报告书（表）」 names neither
    assert "2026年3月2日受理" in n["accepted_snippet"]
    assert "hearing" not in n


def test_approval_notice_in_chinese_numerals_with_hearing():
    n = facts("notice_approval.html").extra["notice"]
    assert (n["period"]["start"], n["period"]["end"]) == ("2026-10-10", "2026-10-15")  # the end takes the start's year
    assert "要求听证" in n["hearing"] and n["documents"] == ["报告表"]
    assert "days" not in n  # the 5 working days of the 听证 sentence are not the period


@pytest.mark.parametrize("body, expected", [
    ("<p>公示时间：2026-03-02—03-13</p>", {"period": ("2026-03-02", "2026-03-13")}),
    ("<p>公示期限为2026年12月28日至2027年1月8日。</p>", {"period": ("2026-12-28", "2027-01-08")}),
    ("<p>公示期为2026年3月2日至13日。</p>", {"period": ("2026-03-02", "2026-03-13")}),
    ("<p>征求意见时间：2026年3月2日起至2026年3月13日止。</p>", {"period": ("2026-03-02", "2026-03-13")}),
    ("<p>公示期限为五个工作日。</p>", {"days": (5, "工作日")}),
    ("<p>现予公示，公示期10天。</p>", {"days": (10, "日")}),
    ("<p>公示期满后60日内作出审批决定。</p>", {}),                      # not the period's length
    ("<p>公示期为2026年3月2日。申请期为2026年4月1日至2026年4月3日</p>", {}),  # a range in another sentence
])
def test_period_forms(body, expected):
    n = extract(html(body, "关于某项目的公示"), "http://x.gov.cn/a.html", as_of=AS_OF).extra["notice"]
    got = {}
    if "period" in n:
        got["period"] = (n["period"]["start"], n["period"]["end"])
    if "days" in n:
        got["days"] = (n["days"]["n"], n["days"]["unit"])
    assert got == expected


def test_accepted_dates_from_a_project_table_column():
    body = ("<p>现将我局受理的建设项目环境影响评价文件予以公示。</p><table><tr><th>项目名称</th><th>受理日期</th></tr>"
            "<tr><td>甲项目环境影响报告表</td><td>2026-05-06</td></tr><tr><td>乙项目环境影响报告表</td><td>2026-05-08</td></tr></table>")
    n = extract(html(body, "受理情况公示"), "http://x.gov.cn/a.html", as_of=AS_OF).extra["notice"]
    assert n["accepted"] == ["2026-05-06", "2026-05-08"] and n["documents"] == ["报告表"]
    assert n["accepted_snippet"].startswith("受理日期：")


def test_only_notice_pages_carry_notice_facts():
    assert "notice" not in facts("trs_article.html").extra
    assert "notice" not in facts("ogi_guide.html").extra  # 政府信息公开指南 is no notice
    assert "notice" not in facts("messages_trs_table.html").extra  # list pages never
    # a notice that states nothing is still read as one (a check can then say what it lacks)
    assert extract(html("<p>详见附件。</p>", "关于某项目的公示"), "http://x.gov.cn/a.html", as_of=AS_OF).extra == {"notice": {}}
