"""Date facts for GWS-V1e1/e2: the text fingerprint without the page's own date, and a publish date stated after the
audit date."""
from __future__ import annotations

from datetime import date

from crawler.facts import extract

AS_OF = date(2026, 11, 20)

ARTICLE = """<html><head><meta charset="utf-8"><title>关于印发大气污染防治实施方案的通知</title>{meta}</head><body>
<div class="nav"><a href="/">首页</a> 今天是{today}</div>
<div class="article"><h1>关于印发大气污染防治实施方案的通知</h1>
<div class="info">发布时间：{date} 10:32 来源：市生态环境局 浏览次数：{views}</div>
<div class="TRS_Editor"><p>各县（区）生态环境分局：现将《大气污染防治实施方案》印发给你们，请认真贯彻落实。方案自2026年3月1日起施行，{body}</p>
<p>市生态环境局</p><p>{date_cn}</p></div></div>
<div class="footer">版权所有 2026 某市生态环境局</div></body></html>"""


def page(date_s="2026-03-02", date_cn="2026年3月2日", views=35, body="有关情况及时报告。", meta="", today="2026年11月20日"):
    html = ARTICLE.format(date=date_s, date_cn=date_cn, views=views, body=body, meta=meta, today=today)
    return extract(html.encode(), "http://x.gov.cn/a.html", as_of=AS_OF)


def test_the_same_text_redated_keeps_its_fingerprint_and_counters_do_not_count():
    first = page()
    assert first.published == date(2026, 3, 2) and "text_hash" in first.extra
    redated = page("2026-11-16", "2026年11月16日")
    assert redated.published == date(2026, 11, 16)
    assert redated.extra["text_hash"] == first.extra["text_hash"]
    assert page(views=4021, today="2026年12月4日").extra["text_hash"] == first.extra["text_hash"]


def test_a_changed_text_or_a_changed_date_inside_a_sentence_changes_it():
    first = page()
    assert page("2026-11-16", "2026年11月16日", body="有关情况每周报告。").extra["text_hash"] != first.extra["text_hash"]
    moved = page(body="方案自2026年4月1日起施行。").extra["text_hash"]
    assert moved != page(body="方案自2026年5月1日起施行。").extra["text_hash"]


def test_lists_have_no_fingerprint_and_no_claim():
    from pathlib import Path

    body = (Path(__file__).parent / "pages" / "trs_list.html").read_bytes()
    facts = extract(body, "http://x.gov.cn/tzgg/", as_of=date(2024, 3, 1))  # a list dated after the audit date
    assert facts.is_list and "text_hash" not in facts.extra and "future_date" not in facts.extra


def test_a_publish_date_after_the_audit_date_is_kept_as_a_claim():
    meta = page(meta='<meta name="PubDate" content="2027-01-05 09:00">')
    assert meta.extra["future_date"] == {"date": "2027-01-05", "source": "meta:PubDate"}
    shown = page("2026-12-25", "2026年12月25日")
    assert shown.published is None or shown.published <= AS_OF
    assert shown.extra["future_date"] == {"date": "2026-12-25", "source": "text:发布时间"}
    assert "future_date" not in page().extra


def test_other_dates_after_the_audit_date_are_no_claim():
    """成绩公布时间 (another label), a 时间： in a notice (an event), a label after the first sentence."""
    for text in ("<p>考试成绩公布时间：2027年1月10日</p><p>请考生及时查询。</p>",
                 "<p>一、时间：2027年1月5日 二、地点：市政府</p>",
                 "<p>为做好年度工作，现通知如下。发布时间：2027年1月5日</p>"):
        html = f"<html><head><meta charset='utf-8'><title>关于召开会议的通知</title></head><body>{text}</body></html>"
        assert "future_date" not in extract(html.encode(), "http://x.gov.cn/n.html", as_of=AS_OF).extra
