"""The footer a homepage's scripts load is the homepage's (checks/fragments.py): its identifiers count for GUIDE-05/
06/07 and its links are the homepage's links (GUIDE-09's search box); a fragment that was not fetched adds nothing,
and a fragment is never judged as a page of its own."""
from __future__ import annotations

from tests.builders import BASE, FOOTER, found

FRAGMENT = f"{BASE}inc/footer.html"


def scripted_footer(site, status=200):
    site.home = {"extra": {"fragments": [{"url": FRAGMENT, "how": "jquery.load", "into": "#footer"}]}}
    site.extra_pages.append({"url": FRAGMENT, "status": status, "encoding": "utf-8" if status == 200 else None,
                             "extra": {"fragment": "jquery.load"}} | (FOOTER if status == 200 else {}))


def test_a_footer_loaded_by_a_script_counts_as_the_homepage_s(site):
    scripted_footer(site)
    result = site.judge()
    assert [f for f in found(result) if f[0].startswith("GUIDE-0")] == []


def test_links_in_a_loaded_fragment_are_the_homepage_s(site):
    site.links = [(FRAGMENT, f"{BASE}search.html", "站内搜索")]  # the search box is in the loaded header
    scripted_footer(site)
    assert found(site.judge(), "GUIDE-09") == []


def test_a_fragment_that_was_not_fetched_adds_nothing(site):
    scripted_footer(site, status=404)
    result = site.judge()
    assert ("GUIDE-05", "deduct", BASE) in found(result)


def test_a_care_entrance_in_a_loaded_header_is_the_homepage_s(site):
    site.home = {"extra": {"fragments": [{"url": FRAGMENT, "how": "jquery.load", "into": "#header"}]}}
    site.extra_pages.append({"url": FRAGMENT, "status": 200, "encoding": "utf-8",
                             "extra": {"fragment": "jquery.load", "care_entrance": {"label": "长者模式", "tag": "a"}}})
    assert found(site.judge(), "GUIDE-12") == []
