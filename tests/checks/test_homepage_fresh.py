"""homepage_fresh: the homepage is updated within two weeks (GWS-V3)."""
from __future__ import annotations

from datetime import date

from tests.builders import BASE, found


def test_homepage_not_updated_for_two_weeks_is_a_veto(site):
    for i, day in enumerate([date(2026, 11, 5), date(2026, 10, 1)]):
        url = f"{BASE}art/{i}.html"
        site.extra_pages.append({"url": url, "status": 200, "published": day})
        site.links.append((BASE, url, f"新闻{i}"))
    result = site.judge()
    assert found(result) == [("GWS-V3", "veto", BASE)]
    assert result.findings[0].evidence["days"] == 15
    assert result.sites[0].verdict == "fail"


def test_homepage_updated_within_two_weeks_passes(site):
    url = f"{BASE}art/new.html"
    site.extra_pages.append({"url": url, "status": 200, "published": date(2026, 11, 6)})
    site.links.append((BASE, url, "新闻"))
    assert found(site.judge()) == []


def test_navigation_only_homepage_is_judged_by_its_columns(site):
    site.columns = {name: date(2026, 10, 1) for name in site.columns}  # every column stale too
    result = site.judge()
    v3 = [f for f in result.findings if f.rule == "GWS-V3"]
    assert len(v3) == 1 and "二级栏目" in v3[0].message
