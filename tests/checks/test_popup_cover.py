"""GUIDE-12b: a pop-up covering the homepage at load, as measured in chromium (page.extra["a11y"]["popups"],
tests/test_a11y_render.py measures them), is advice with its text and size. Near misses: a bar under min_share, an
absolute wrapper below the page (z-index 0). Not checked in a browser: not_tested."""
from __future__ import annotations

from tests.builders import BASE, found, not_tested

RULE = "GUIDE-12b"


def popup(share, z, text="热烈庆祝<script>x</script>", width=820, height=461):
    return {"text": text, "share": share, "z": z, "width": width, "height": height, "position": "fixed",
            "tag": "div", "id": "ad"}


def with_popups(site, popups):
    site.home["extra"] = dict(site.home["extra"], a11y={"violations": [], "popups": popups})


def test_a_popup_covering_the_homepage_is_advice_with_its_text_and_size(site):
    with_popups(site, [popup(0.36, 9999)])
    result = site.judge()
    assert found(result, RULE) == [(RULE, "advice", BASE)]
    finding = next(f for f in result.findings if f.rule == RULE)
    assert finding.message == "首页打开时有浮层遮挡页面「热烈庆祝<script>x</script>」，820×461 像素，占窗口的 36%"
    assert finding.evidence["z_index"] == 9999 and finding.evidence["share"] == 0.36


def test_a_small_bar_or_a_wrapper_below_the_page_is_no_finding(site):
    with_popups(site, [popup(0.25, 9999, "本站使用 Cookie"), popup(1.0, 0, "")])
    assert found(site.judge(), RULE) == []
    site.settings = {"rules": {RULE: {"min_share": 0.2}}}  # a province stricter than the default
    assert found(site.judge(), RULE) == [(RULE, "advice", BASE)]


def test_a_homepage_not_checked_in_a_browser_is_not_tested(site):
    site.home["extra"] = None
    result = site.judge()
    assert found(result, RULE) == [] and not_tested(result, RULE) == ["not_browser_checked"]
