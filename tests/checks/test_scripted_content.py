"""GUIDE-13: a page whose footer identifiers, list or links appear only once chromium runs its scripts is advice;
near misses: a rendered page that showed nothing more than its HTML, a page never marked for rendering. A page that
needed rendering but was not rendered makes the rule not_tested, never a finding."""
from __future__ import annotations

from tests.builders import BASE, article, found, not_tested


def test_content_shown_only_after_rendering_is_advice(site):
    site.home["extra"] = {"rendered": {"why": "footer", "added": ["ICP备案", "公安备案"]}}
    site.extra_pages.append(article("list.html", title="通知公告", extra={
        "rendered": {"why": "list", "added": ["列表条目 4 条"]}}))
    result = site.judge()
    assert found(result, "GUIDE-13") == [("GUIDE-13", "advice", BASE), ("GUIDE-13", "advice", f"{BASE}list.html")]
    home = next(f for f in result.findings if f.rule == "GUIDE-13" and f.url == BASE)
    assert "首页的ICP备案、公安备案只有在浏览器执行脚本后才显示" in home.message
    assert not_tested(result, "GUIDE-13") == []


def test_a_rendered_page_that_showed_nothing_more_is_no_finding(site):
    site.home["extra"] = {"rendered": {"why": "footer", "added": []}}
    result = site.judge()
    assert found(result, "GUIDE-13") == [] and not_tested(result, "GUIDE-13") == []


def test_a_page_that_could_not_be_rendered_is_not_tested(site):
    site.home["extra"] = {"rendered": {"why": "footer", "error": "unavailable"}}
    result = site.judge()
    assert found(result, "GUIDE-13") == []
    assert not_tested(result, "GUIDE-13") == ["not_rendered"]
    note = next(n for n in result.sites[0].not_tested if n.rule == "GUIDE-13")
    assert "chromium" in note.detail
