"""Links of a page nested deeper than libxml2's default limit (256 levels) are read, not silently lost (issue 22)."""
from __future__ import annotations

from datetime import date

from crawler.facts import extract

AS_OF = date(2026, 11, 20)
URL = "http://www.example.gov.cn/index.html"


def nested(depth: int) -> bytes:
    return ('<html><head><meta charset="utf-8"><title>嵌套</title></head><body>' + "<div>" * depth
            + '<a href="/deep.html">深处</a>' + "</div>" * depth + '<a href="/after.html">之后</a></body></html>').encode()


def test_links_after_depth_256_are_read_from_the_tree():
    facts = extract(nested(300), URL, "text/html; charset=utf-8", as_of=AS_OF)
    assert {lk.url for lk in facts.links} == {"http://www.example.gov.cn/deep.html", "http://www.example.gov.cn/after.html"}
    assert "nesting_too_deep" not in facts.extra


def test_a_page_deeper_than_the_tree_can_hold_has_its_links_read_by_pattern_and_is_reported():
    facts = extract(nested(3000), URL, "text/html; charset=utf-8", as_of=AS_OF)
    assert {lk.url for lk in facts.links} >= {"http://www.example.gov.cn/deep.html", "http://www.example.gov.cn/after.html"}
    assert facts.extra["nesting_too_deep"] is True


def test_a_shallow_page_is_not_reported():
    facts = extract(nested(10), URL, "text/html; charset=utf-8", as_of=AS_OF)
    assert "nesting_too_deep" not in facts.extra and len(facts.links) == 2
