"""search_entrance: the homepage offers a site search whose target exists (GUIDE-09)."""
from __future__ import annotations

import re
from datetime import date

from checks.base import CheckResult, CheckType, Hit
from checks.rule import Rule
from checks.snapshot import SiteSnapshot

SEARCH_URL = re.compile(r"search|jrobot|was5|/igs/|sousuo|(?:^|/)s\.(?:jsp|html?|action)", re.I)


SEARCH_TEXT = re.compile(r"搜索|检索|搜 索|请输入关键")


GONE = (404, 410)


def _gone(page) -> bool | None:
    """Is the search page gone? True when it answered 404/410 and the second attempt confirmed it; None when the
    second attempt never happened (an interrupted crawl: not verified); False when it answers anything else (a
    search endpoint asked without a query may well answer an error: only a page that is gone is reported)."""
    if page.status not in GONE and not (page.confirmed and page.confirm_status in GONE):
        return False
    if not page.confirmed:
        return None
    return page.confirm_status in GONE


class SearchEntrance(CheckType):
    """The homepage offers site search (GUIDE-09): a form, or a link to the site's search page.

    Whether a query returns the right results needs a submitted search and is not judged; a search form
    whose target is gone (404/410, confirmed by a second attempt) is reported, since no query can work there.
    A target whose second attempt never happened leaves the rule not tested.
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
        targets = [snap.pages.get(link.target_url) for link in entrances]
        states = [False if page is None else _gone(page) for page in targets]  # not checked: nothing to report
        if False in states:
            return CheckResult()  # an entrance whose target answers (or was not checked)
        if None in states:
            page = targets[states.index(None)]
            return CheckResult(not_tested=[("unverified", f"首页搜索框指向的搜索页面 {page.url} 首次访问返回 HTTP "
                                                          f"{page.status}，未完成复核")])
        target = targets[0]
        status = target.confirm_status
        linked = any(lk.tag != "form" for lk in entrances)  # a broken <a> is GWS-DLINK's deduction already
        return CheckResult([Hit(home.url, f"首页搜索框指向的搜索页面无法访问（HTTP {status}）",
                                {"identifier": "站内搜索", "search_url": target.url, "status": status},
                                locator="search", points=0.0 if linked else None)])
