"""search_entrance: the homepage offers a site search whose target exists (GUIDE-09)."""
from __future__ import annotations

import re
from datetime import date

from checks.base import CheckResult, CheckType, Hit
from checks.rule import Rule
from checks.snapshot import SiteSnapshot

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
