"""date_rewritten: no article's publish date changes between two audits while its text stays the same (GWS-V1 (5))."""
from __future__ import annotations

from datetime import date, timedelta

from checks.base import CheckResult, CheckType, Hit
from checks.rule import Rule
from checks.snapshot import SiteSnapshot
from checks.types.date_future import crawl_day


class DateRewritten(CheckType):
    """A page (not a list, not the homepage) whose publish date differs from the one the site's previous complete
    audit read, read the same way (same `published_source`), while the fingerprint of its text without that date
    (`page.extra["text_hash"]`: content text, title, the date where it stands as a field, view counters and
    whitespace left out) is the same: the date was rewritten, earlier or later, without an edit. A page whose text
    changed is an update, never a finding; a page whose date is its own crawl day in both audits shows a clock, not
    a publish date. Needs a previous complete audit of the same site address in the same database (a recheck
    compares with the audit before its base); without one nothing is compared."""

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        result = CheckResult()
        if not snap.previous_dates:
            return result
        for page in snap.ok_pages():
            before = snap.previous_dates.get(page.url)
            now_hash = (page.extra or {}).get("text_hash")
            if (before is None or not now_hash or page.is_list or page.is_home or page.published is None
                    or page.published == before.published or now_hash != before.text_hash
                    or page.published_source != before.source):
                continue
            if (_clock(page.published, crawl_day(page.fetched_at, as_of))
                    and _clock(before.published, crawl_day(before.fetched_at, date.min))):
                continue
            later = "推后" if page.published > before.published else "提前"
            result.hits.append(Hit(
                page.url, f"「{page.title or page.url}」正文未变，发布日期由 {before.published.isoformat()} 改为 "
                          f"{page.published.isoformat()}（{later}）",
                {"title": page.title, "before": before.published.isoformat(), "after": page.published.isoformat(),
                 "source": page.published_source, "previous_run": snap.previous_run,
                 "previous_fetched_at": before.fetched_at.isoformat() if before.fetched_at else None,
                 "fetched_at": page.fetched_at.isoformat() if page.fetched_at else None},
                locator=f"{page.url}\x1f{before.published.isoformat()}\x1f{page.published.isoformat()}",
            ))
        return result


def _clock(published: date, day: date) -> bool:
    """The date is the day the page was fetched (or the day before/after): a page that shows today's date."""
    return abs(published - day) <= timedelta(days=1)
