"""date_future: no page states a publish date after the day it was crawled (GWS-V1 (5), 伪造发稿日期)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from checks.base import CheckResult, CheckType, Hit
from checks.rule import Rule
from checks.snapshot import SiteSnapshot

CHINA = timezone(timedelta(hours=8))  # the sites' dates are Beijing time


def crawl_day(fetched_at: datetime | None, as_of: date) -> date:
    """The day a page was fetched, in Beijing time (a naive time is the crawling machine's local time), and never
    before the audit date: a date up to as_of is never in the future, whenever the crawl ran."""
    if fetched_at is None:
        return as_of
    return max(as_of, fetched_at.astimezone(CHINA).date())


class DateFuture(CheckType):
    """A page (not a list) whose publish-date metadata (`PubDate` …) or header label (`发布时间：`) states a date after
    the day the crawl fetched it (Beijing time, and never before the audit date), by more than `slack_days` (default
    1: a page dated tomorrow may be a CMS clock in another time zone). Read by the crawler as
    `page.extra["future_date"]`; a date in a URL, a bare `时间：` or an item of a list is never taken for one."""

    def validate(self, params):
        slack = params.get("slack_days", 1)
        if not isinstance(slack, int) or slack < 0:
            return "params.slack_days 必须是不小于 0 的整数"
        return None

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        slack = timedelta(days=rule.params.get("slack_days", 1))
        result = CheckResult()
        for page in snap.ok_pages():
            claim = (page.extra or {}).get("future_date")
            if not claim or page.is_list:
                continue
            claimed, day = date.fromisoformat(claim["date"]), crawl_day(page.fetched_at, as_of)
            if claimed <= day + slack:
                continue
            where = "元数据" if claim["source"].startswith("meta:") else "页面"
            result.hits.append(Hit(
                page.url, f"「{page.title or page.url}」{where}显示的发布日期 {claimed.isoformat()} 晚于检查抓取该页的日期 "
                          f"{day.isoformat()}",
                {"title": page.title, "published": claimed.isoformat(), "source": claim["source"],
                 "crawled": day.isoformat(), "fetched_at": page.fetched_at.isoformat() if page.fetched_at else None},
            ))
        return result
