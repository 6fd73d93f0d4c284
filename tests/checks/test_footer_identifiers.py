"""footer_identifiers: the homepage footer shows 网站标识码, ICP备案, 公安机关备案 (GUIDE-05) and the 党政机关网站标识
(GUIDE-06)."""
from __future__ import annotations

from tests.builders import BASE, found


def test_footer_identifiers_one_finding_each(site):
    site.home.update(site_id_code=None, police_record=None)
    result = site.judge()
    messages = sorted(f.message for f in result.findings)
    assert messages == ["首页底部未标注公安机关备案编号", "首页底部未标注政府网站标识码"]
    assert result.sites[0].score == 98


def test_conac_badge_missing(site):
    site.home["conac"] = False
    assert found(site.judge()) == [("GUIDE-06", "deduct", BASE)]


def test_footer_with_its_identifiers_passes_and_the_jiucuo_entrance_is_not_one_of_them(site):
    """Every identifier and the badge shown: no GUIDE-05/06, even when the 找错 entrance is missing (GUIDE-07's)."""
    site.home.update(site_id_code="3200000001", icp="苏ICP备12345678号", police_record="32010202000001", conac=True,
                     jiucuo_sitecode=None)
    result = site.judge()
    assert found(result) == [("GUIDE-07", "deduct", BASE)]
    assert result.findings[0].message == "首页未设置「我为政府网站找错」入口"
