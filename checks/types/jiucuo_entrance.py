"""jiucuo_entrance: the homepage embeds 「我为政府网站找错」 with the site's own 网站标识码."""
from __future__ import annotations

from datetime import date

from checks.base import CheckResult, CheckType, Hit
from checks.rule import Rule
from checks.snapshot import SiteSnapshot


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
