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
