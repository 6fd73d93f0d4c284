"""homepage_fresh: the homepage is updated within its window (GWS-V3)."""
from __future__ import annotations

from datetime import date

from checks.base import CheckResult, CheckType, Hit
from checks.rule import Rule
from checks.snapshot import SiteSnapshot


class HomepageFresh(CheckType):
    """The newest dated item linked from the homepage is within the window (GWS-V3).

    A navigation-only homepage (no dated item linked) is judged by its second-level pages: the columns'
    newest items. Nothing dated at all counts as not updated (未注明发布时间的视为不更新).
    """

    needs_full_crawl = True

    def validate(self, params):
        window = params.get("window_days")
        return None if isinstance(window, int) and window > 0 else "params.window_days 必须是正整数"

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        window = rule.params["window_days"]
        home = snap.home
        linked = {link.target_url for link in snap.home_links()}
        dated = [(p.published, p.url) for p in snap.ok_pages()
                 if p.url in linked and p.published and not p.is_list and p.published <= as_of]
        source = "首页链接的信息"
        if not dated:
            dated = [(c.newest_date, c.url) for c in snap.columns if c.newest_date and c.newest_date <= as_of]
            source = "首页仅为栏目导航，二级栏目中的信息"
        if not dated:
            return CheckResult([Hit(home.url, f"{source}均未标注发布时间，视为首页未更新",
                                    {"window_days": window, "newest_date": None}, locator="homepage")])
        newest, newest_url = max(dated)
        days = (as_of - newest).days
        if days <= window:
            return CheckResult()
        return CheckResult([Hit(home.url, f"{source}最新发布于 {newest.isoformat()}，首页已 {days} 天未更新（应在 {window} 天内更新）",
                                {"newest_date": newest.isoformat(), "days": days, "window_days": window,
                                 "newest_url": newest_url}, locator="homepage")])
