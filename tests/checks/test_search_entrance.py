"""search_entrance: the homepage offers a site search whose target exists (GUIDE-09)."""
from __future__ import annotations

import pytest

from tests.builders import BASE, found


def test_no_search_entrance_on_the_homepage(site):
    site.links = []
    result = site.judge()
    assert found(result) == [("GUIDE-09", "deduct", BASE)]


def test_search_form_counts_and_its_missing_target_is_reported_once(site):
    site.links = [(BASE, f"{BASE}was5/web/search", "请输入关键字 搜索", None, "form")]
    site.extra_pages.append({"url": f"{BASE}was5/web/search", "status": 200, "content_type": "text/html"})
    assert found(site.judge()) == []
    site.extra_pages[-1] = {"url": f"{BASE}was5/web/search", "status": 404, "confirmed": True, "confirm_status": 404}
    result = site.judge()
    assert found(result) == [("GUIDE-09", "deduct", BASE)]  # not also GWS-DLINK: a form is not a link
    assert "HTTP 404" in result.findings[0].message


def test_a_login_form_is_not_a_search_entrance(site):
    site.links = [(BASE, f"{BASE}oa/login.do", "用户名 密码 登录", None, "form")]
    assert found(site.judge()) == [("GUIDE-09", "deduct", BASE)]


SEARCH = f"{BASE}was5/web/search"


@pytest.mark.parametrize("answers, expected, words", [
    ({"status": 404, "confirmed": True, "confirm_status": 200}, [], None),  # back on the second attempt: fine
    ({"status": 503, "confirmed": True, "confirm_status": 404}, [("GUIDE-09", "deduct", BASE)], "HTTP 404"),
    ({"status": 500, "confirmed": True, "confirm_status": 500}, [], None),  # an endpoint without a query: not gone
])
def test_a_search_page_is_gone_only_when_the_second_attempt_says_so(site, answers, expected, words):
    site.links = [(BASE, SEARCH, "请输入关键字 搜索", None, "form")]
    site.extra_pages.append({"url": SEARCH, **answers})
    result = site.judge()
    assert found(result, "GUIDE-09") == expected
    if words:
        assert words in result.findings[0].message and result.findings[0].evidence["status"] == 404


def test_a_search_page_never_asked_twice_is_not_tested_not_gone(site):
    site.links = [(BASE, SEARCH, "请输入关键字 搜索", None, "form")]
    site.extra_pages.append({"url": SEARCH, "status": 404})  # the crawl stopped before the second attempt
    result = site.judge()
    assert found(result, "GUIDE-09") == []
    assert ("GUIDE-09", "unverified") in {(n.rule, n.reason) for n in result.sites[0].not_tested}
