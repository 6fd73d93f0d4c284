"""homepage_replaced: GWS-V1f, a homepage swapped for another page between two audits (defacement)."""
from __future__ import annotations

from tests.builders import BASE, found

NAV = [(BASE, f"{BASE}col{i}/index.html", f"栏目{i}") for i in range(30)]


def _home(site, title, links):
    site.home_title, site.links = title, list(links)


def test_a_homepage_replaced_by_another_page_is_reported_with_both_titles(site):
    _home(site, "测试市生态环境局", NAV)
    assert found(site.judge(), "GWS-V1f") == []  # nothing to compare with yet
    _home(site, "Hacked by Team X", [(BASE, "http://evil.example.com/", "contact", None, "a", False)])
    result = site.judge()
    assert found(result, "GWS-V1f") == [("GWS-V1f", "advice", BASE)]
    f = next(f for f in result.findings if f.rule == "GWS-V1f")
    assert (f.evidence["title_before"], f.evidence["title_after"]) == ("测试市生态环境局", "Hacked by Team X")
    assert (f.evidence["internal_links_before"], f.evidence["internal_links_after"]) == (30, 0)
    assert f.evidence["new_hosts"] == ["evil.example.com"] and "被整体替换" in f.message


def test_near_misses_redesign_maintenance_small_homepage_and_the_same_page(site):
    """A redesign keeps the site's name (or a run of the old title); a maintenance notice is an outage; a homepage
    of few links is not compared; a homepage whose links remain is the same site whatever its title."""
    cases = [("测试市生态环境局", "测试局 - 首页", []),              # the site's name (测试局) is in the new title
             ("测试市生态环境局门户网站", "生态环境局欢迎您", []),       # 5 characters of the old title kept
             ("测试市生态环境局", "系统维护中", []),                   # maintenance notice
             ("测试市生态环境局", "欢迎访问", NAV[:10])]               # a third of the links are still there
    for before, after, links_after in cases:
        _home(site, before, NAV)
        site.judge()
        _home(site, after, links_after)
        assert found(site.judge(), "GWS-V1f") == [], (before, after)
    _home(site, "测试市生态环境局", NAV[:5])  # too small to compare
    site.judge()
    _home(site, "Hacked", [])
    assert found(site.judge(), "GWS-V1f") == []
