"""fragment_targets: a `page#fragment` link's target page has that anchor (LINK-FRAGMENT)."""
from __future__ import annotations

from tests.builders import BASE, article


def test_fragment_links_to_missing_anchors_are_advice(site):
    target = f"{BASE}guide.html"
    site.extra_pages.append(article("guide.html", anchor_ids=["step1", "step2"]))
    site.links += [(BASE, target, "第一步", "step1"), (BASE, target, "第三步", "step3")]
    result = site.judge()
    assert [(f.rule, f.severity, f.url, f.parent_url) for f in result.findings] == [
        ("LINK-FRAGMENT", "advice", f"{target}#step3", BASE)]


def test_fragments_are_compared_percent_decoded_and_same_page_links_count(site):
    target = f"{BASE}guide.html"
    site.extra_pages.append(article("guide.html", anchor_ids=["Information displays", "第一节"]))
    site.links += [(BASE, target, "说明", "Information%20displays"), (BASE, target, "第一节", "%E7%AC%AC%E4%B8%80%E8%8A%82"),
                   (BASE, target, "路由", "/news"), (BASE, target, "顶部", "TOP"),
                   (target, target, "本页", "missing")]
    result = site.judge()
    assert [(f.url, f.parent_url) for f in result.findings] == [(f"{target}#missing", target)]
