"""homepage_replaced: the homepage was not swapped for another page since the previous audit (GWS-V1 (4) 内容被篡改)."""
from __future__ import annotations

import re
from datetime import date
from difflib import SequenceMatcher

from checks.base import CheckResult, CheckType, Hit
from checks.rule import Rule
from checks.snapshot import SiteSnapshot
from checks.types.date_future import crawl_day
from core.urls import host

MAX_HOSTS = 5


class HomepageReplaced(CheckType):
    """The homepage compared with the site's previous complete audit in the same database: a defaced homepage is
    another page — its title no longer the site's (no common run of `min_common` characters with the earlier title,
    and not containing the site's name) and its internal links mostly gone (fewer than `max_links_share` of the
    earlier count, which had at least `min_links_before`). A redesign keeps the site's name in the title or its
    navigation; a title that announces maintenance (`maintenance`, a regex) is an outage, not a defacement. The
    evidence is the earlier and the current title, the link counts and the other sites the homepage now links that
    it did not before. Without an earlier audit, or a homepage that was not read both times, nothing is compared."""

    def validate(self, params):
        for name in ("min_common", "min_links_before"):
            if not isinstance(params.get(name), int) or params[name] < 1:
                return f"params.{name} 必须是正整数"
        share = params.get("max_links_share")
        if not isinstance(share, (int, float)) or not 0 < share < 1:
            return "params.max_links_share 必须是 0 与 1 之间的小数"
        try:
            re.compile(params.get("maintenance") or "")
        except re.error as e:
            return f"params.maintenance 不是有效的正则表达式：{e}"
        return None

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        result = CheckResult()
        home = snap.home
        before = snap.previous_pages.get(home.url) if home else None
        if (before is None or before.status != 200 or not before.title or home not in snap.ok_pages()
                or before.internal_links < rule.params["min_links_before"]):
            return result
        now_title = (home.title or "").strip()
        if (now_title == before.title.strip() or snap.site.name and snap.site.name in now_title
                or _common(before.title, now_title) >= rule.params["min_common"]
                or rule.params.get("maintenance") and re.search(rule.params["maintenance"], now_title)):
            return result
        links = [lk for lk in snap.links if lk.page_url == home.url]
        internal = sum(1 for lk in links if lk.internal)
        if internal >= before.internal_links * rule.params["max_links_share"]:
            return result
        new_hosts = sorted({host(lk.target_url) for lk in links if not lk.internal} - before.outbound_hosts)
        day = crawl_day(before.fetched_at, date.min).isoformat() if before.fetched_at else "日期不详"
        shown = now_title or "（无标题）"
        result.hits.append(Hit(
            home.url,
            f"首页与上次检查（{day}）时相比已被整体替换：标题由“{before.title.strip()}”变为“{shown}”，"
            f"站内链接由 {before.internal_links} 个减少到 {internal} 个"
            + (f"，新出现指向 {'、'.join(new_hosts[:MAX_HOSTS])} 的链接" if new_hosts else ""),
            {"title_before": before.title.strip(), "title_after": shown, "previous_check": day,
             "internal_links_before": before.internal_links, "internal_links_after": internal,
             "new_hosts": new_hosts[:MAX_HOSTS]},
            locator=f"replaced:{now_title}"))
        return result


def _common(a: str, b: str) -> int:
    """The longest run of characters the two titles share (site names survive a redesign)."""
    match = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return match.size
