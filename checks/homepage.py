"""Homepage check types: the homepage is updated, carries the 「我为政府网站找错」 entrance and a site search."""
from __future__ import annotations

import re
from datetime import date

from checks.base import CheckResult, CheckType, Hit
from checks.rules import Rule
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


class JiucuoEntrance(CheckType):
    """The homepage embeds 「我为政府网站找错」 (`_jiucuo_`) with the site's own 网站标识码 as sitecode."""

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        home = snap.home
        if not home.jiucuo_sitecode:
            return CheckResult([Hit(home.url, "首页未设置「我为政府网站找错」入口",
                                    {"identifier": "我为政府网站找错", "page_title": home.title}, locator="jiucuo")])
        if home.site_id_code and home.jiucuo_sitecode != home.site_id_code:
            return CheckResult([Hit(
                home.url,
                f"「我为政府网站找错」入口的 sitecode {home.jiucuo_sitecode} 与网站标识码 {home.site_id_code} 不一致",
                {"jiucuo_sitecode": home.jiucuo_sitecode, "site_id_code": home.site_id_code}, locator="jiucuo",
            )])
        return CheckResult()


SEARCH_URL = re.compile(r"search|jrobot|was5|/igs/|sousuo|(?:^|/)s\.(?:jsp|html?|action)", re.I)
SEARCH_TEXT = re.compile(r"搜索|检索|搜 索|请输入关键")


class SearchEntrance(CheckType):
    """The homepage offers site search (GUIDE-09): a form, or a link to the site's search page.

    Whether a query returns the right results needs a submitted search and is not judged; a search form
    whose target answers 404/410 is reported, since no query can work there.
    """

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        home = snap.home
        own = snap.home_links()
        forms = [lk for lk in own if lk.tag == "form" and (SEARCH_URL.search(lk.target_url) or SEARCH_TEXT.search(lk.text or ""))]
        links = [lk for lk in own if lk.tag in ("a", "area") and (SEARCH_TEXT.search(lk.text or "")
                                                                 or SEARCH_URL.search(lk.target_url.split("?")[0]))]
        entrances = forms + links
        if not entrances:
            return CheckResult([Hit(home.url, "首页未提供站内搜索功能（未找到搜索框或搜索页面入口）",
                                    {"identifier": "站内搜索", "page_title": home.title}, locator="search")])
        for link in entrances:
            target = snap.pages.get(link.target_url)
            if target is None or not (target.status in (404, 410) or (target.confirmed and target.confirm_status in (404, 410))):
                return CheckResult()  # an entrance whose target answers (or was not checked)
        target = snap.pages[entrances[0].target_url]
        linked = any(lk.tag != "form" for lk in entrances)  # a broken <a> is GWS-DLINK's deduction already
        return CheckResult([Hit(home.url, f"首页搜索框指向的搜索页面无法访问（HTTP {target.status}）",
                                {"identifier": "站内搜索", "search_url": target.url, "status": target.status},
                                locator="search", points=0.0 if linked else None)])
