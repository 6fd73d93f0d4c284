"""date_future: GWS-V1e1, a publish date the page states after the day it was crawled (one day of slack)."""
from __future__ import annotations

from datetime import date, timedelta

from checks.types.date_future import CHINA, crawl_day
from core.clock import now
from tests.builders import AS_OF, BASE, article, found


def _claim(day: date, source: str = "meta:PubDate") -> dict:
    return {"future_date": {"date": day.isoformat(), "source": source}}


def test_a_date_after_the_crawl_day_is_reported_with_both_dates(site):
    crawled = now().astimezone(CHINA).date()
    site.extra_pages.append(article("f1.html", title="关于开展执法检查的通知", extra=_claim(crawled + timedelta(days=30))))
    result = site.judge()
    assert found(result, "GWS-V1e1") == [("GWS-V1e1", "advice", f"{BASE}f1.html")]
    evidence = result.findings[0].evidence
    assert evidence["published"] == (crawled + timedelta(days=30)).isoformat()
    assert evidence["crawled"] == crawled.isoformat() and evidence["source"] == "meta:PubDate"
    assert "晚于检查抓取该页的日期" in result.findings[0].message


def test_near_misses_tomorrow_after_the_audit_date_but_not_the_crawl_and_lists(site):
    """A page dated the day after its crawl (a CMS clock eight hours ahead), a page dated after --as-of but before
    the crawl (an audit judged on an earlier date), and a list page are not findings."""
    crawled = now().astimezone(CHINA).date()
    site.extra_pages += [
        article("t1.html", extra=_claim(crawled + timedelta(days=1), "text:发布时间")),
        article("t2.html", extra=_claim(max(AS_OF + timedelta(days=1), crawled - timedelta(days=1)))),
        article("t3.html", is_list=True, extra=_claim(crawled + timedelta(days=30))),
    ]
    assert found(site.judge(), "GWS-V1e1") == []


def test_the_crawl_day_is_beijing_time_and_never_before_the_audit_date():
    from datetime import datetime, timezone

    late_utc = datetime(2026, 12, 4, 20, 30, tzinfo=timezone.utc)  # 04:30 on 5 December in Beijing
    assert crawl_day(late_utc, date(2026, 11, 20)) == date(2026, 12, 5)
    assert crawl_day(late_utc, date(2026, 12, 31)) == date(2026, 12, 31)
