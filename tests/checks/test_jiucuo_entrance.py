"""jiucuo_entrance: the homepage embeds 「我为政府网站找错」 with the site's own 网站标识码 (GUIDE-07)."""
from __future__ import annotations

from tests.builders import BASE, SiteBuilder, found


def test_jiucuo_entrance_missing_or_pointing_at_another_site(site):
    site.home["jiucuo_sitecode"] = None
    assert found(site.judge(), "GUIDE-07") == [("GUIDE-07", "deduct", BASE)]


def test_jiucuo_sitecode_must_be_the_sites_own(tmp_path):
    site = SiteBuilder(tmp_path)
    site.home["jiucuo_sitecode"] = "3200000099"
    result = site.judge()
    assert found(result) == [("GUIDE-07", "deduct", BASE)]
    assert "3200000099" in result.findings[0].message and "3200000001" in result.findings[0].message


def test_jiucuo_entrance_with_the_sites_own_sitecode_passes(site):
    site.home.update(site_id_code="3201000042", jiucuo_sitecode="3201000042")
    assert found(site.judge()) == []


def test_jiucuo_sitecode_is_not_compared_with_a_missing_site_code(site):
    """No 网站标识码 in the footer: GUIDE-05 reports it; the 找错 entrance itself is there and is not a second finding."""
    site.home["site_id_code"] = None
    result = site.judge()
    assert found(result) == [("GUIDE-05", "deduct", BASE)]
    assert result.findings[0].message == "首页底部未标注政府网站标识码"
