"""care_entrance: the homepage offers a 无障碍/适老化 entrance (GUIDE-12)."""
from __future__ import annotations

import re
from datetime import date

from checks.base import CheckResult, CheckType, Hit
from checks.rule import Rule
from checks.snapshot import SiteSnapshot

# the toolbar scripts of the common 无障碍 services insert their button themselves
TOOLBAR_SCRIPT = re.compile(r"wza|wuzhangai|shilaohua|cniil|assist(?:ant)?\.js|aria\.js|slh\.js|toolbar\.js", re.I)


class CareEntrance(CheckType):
    """The homepage offers an entrance to an accessible or elder-friendly mode: a link or button labelled
    无障碍(浏览)、关怀版、长者模式、适老化(服务) … by its text, title, aria-label, alt or value
    (crawler/facts/care.py; a headline such as 「无障碍环境建设」 is no entrance), or loads a 无障碍 toolbar script
    (wza, cniil, assist.js …) that inserts the button itself."""

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        home = snap.home
        if (home.extra or {}).get("care_entrance"):
            return CheckResult()
        if any(lk.tag == "script" and TOOLBAR_SCRIPT.search(lk.target_url) for lk in snap.home_links()):
            return CheckResult()
        return CheckResult([Hit(home.url, "首页未提供无障碍或适老化（关怀版、长者模式）入口",
                                {"identifier": "无障碍/适老化入口", "page_title": home.title}, locator="care")])
