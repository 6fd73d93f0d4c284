"""footer_identifiers: the homepage shows 网站标识码, ICP备案, 公安机关备案 (and the badges asked for)."""
from __future__ import annotations

from datetime import date

from checks.base import CheckResult, CheckType, Hit
from checks.rule import Rule
from checks.snapshot import SiteSnapshot

IDENTIFIERS = {
    "site_id_code": "政府网站标识码",
    "icp": "ICP备案编号",
    "police_record": "公安机关备案编号",
    "jiucuo_sitecode": "「我为政府网站找错」入口",
    "conac": "党政机关网站标识",
}


class FooterIdentifiers(CheckType):
    """The homepage shows each of `identifiers` (政府网站标识码, ICP备案编号, 公安机关备案编号, the 党政机关网站标识
    conac badge): one finding per identifier missing, at the homepage."""

    def validate(self, params):
        wanted = params.get("identifiers")
        if not wanted or any(i not in IDENTIFIERS for i in wanted):
            return f"params.identifiers 必须取自 {', '.join(IDENTIFIERS)}"
        return None

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        home = snap.home
        result = CheckResult()
        for key in rule.params["identifiers"]:
            if not getattr(home, key):
                label = IDENTIFIERS[key]
                result.hits.append(Hit(home.url, f"首页底部未标注{label}", {"identifier": label, "page_title": home.title},
                                       locator=f"identifier:{key}"))
        return result
