"""https (GUIDE-14a certificate, GUIDE-14b expiry/redirect/HSTS/mixed content): judged from the stored network
probe and the crawled pages' links, each with a case that fires and a near miss that must not."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.builders import BASE, article, network, not_tested

HTTPS = BASE.replace("http://", "https://")


def found(result, rule):
    return [(f.rule, f.severity, f.evidence.get("reason")) for f in result.findings if f.rule == rule]


def test_a_valid_certificate_with_redirect_and_hsts_passes_both_rules(site):
    result = site.judge()
    assert [f.rule for f in result.findings if f.rule.startswith("GUIDE-14")] == []
    assert not_tested(result, "GUIDE-14a") == not_tested(result, "GUIDE-14b") == []


@pytest.mark.parametrize("reason, words", [("expired", "已过期"), ("untrusted", "不受信任"), ("hostname", "与网站域名不符")])
def test_guide_14a_an_invalid_certificate_is_a_deduction(site, reason, words):
    site.network = network(tls="invalid", tls_reason=reason, tls_error="certificate verify failed",
                           cert_not_after=network()["probed_at"] - timedelta(days=3), hsts=None)
    result = site.judge()
    assert found(result, "GUIDE-14a") == [("GUIDE-14a", "deduct", reason)]
    finding = next(f for f in result.findings if f.rule == "GUIDE-14a")
    assert words in finding.message and finding.points == 1.0 and finding.url == HTTPS
    assert found(result, "GUIDE-14b") == []  # an invalid certificate is not also an HSTS or expiry prompt


def test_guide_14b_a_certificate_ending_within_30_days_is_advice_not_a_deduction(site):
    site.network = network(cert_not_after=network()["probed_at"] + timedelta(days=12))
    result = site.judge()
    assert found(result, "GUIDE-14a") == []
    assert [(f.rule, f.severity) for f in result.findings] == [("GUIDE-14b", "advice")]
    assert "剩余 12 天" in result.findings[0].message


def test_guide_14b_near_miss_31_days_left_is_fine(site):
    site.network = network(cert_not_after=network()["probed_at"] + timedelta(days=31, hours=1))
    assert site.judge().findings == ()


def test_guide_14b_http_that_does_not_lead_to_https_and_no_hsts(site):
    site.network = network(http_redirect=None, hsts=None)
    result = site.judge()
    messages = [f.message for f in result.findings if f.rule == "GUIDE-14b"]
    assert len(messages) == 1 and "没有跳转到 HTTPS" in messages[0]  # not on HTTPS: HSTS is not asked for yet
    site.network = network(hsts="max-age=0")
    result = site.judge()
    assert [f.evidence.get("hsts") for f in result.findings if f.rule == "GUIDE-14b"] == ["max-age=0"]


def test_guide_14b_near_miss_an_https_only_site_whose_http_is_closed(site):
    site.network = network(http_redirect=None, http_error="refused")
    assert site.judge().findings == ()


def test_guide_14b_mixed_content_on_https_pages(site):
    page = f"{HTTPS}a.html"
    site.extra_pages.append(article("a.html", final_url=page))
    site.extra_pages[-1]["url"] = page
    site.links += [(page, "http://cdn.example.com/jquery.js", "", None, "script"),
                   (page, "http://127.0.0.9/logo.png", "", None, "img"),
                   (page, "http://127.0.0.9/a.css", "", None, "link")]
    result = site.judge()
    mixed = [f for f in result.findings if f.rule == "GUIDE-14b"]
    assert len(mixed) == 1 and mixed[0].evidence["resources"] == 3 and mixed[0].url == page
    assert "脚本 1 个" in mixed[0].message


def test_guide_14b_near_miss_links_canonical_and_http_pages_are_not_mixed_content(site):
    page = f"{HTTPS}a.html"
    site.extra_pages.append(article("a.html", final_url=page))
    site.extra_pages[-1]["url"] = page
    site.extra_pages.append(article("b.html"))  # an http:// page may load http:// resources
    site.links += [(page, "http://www.gov.cn/", "中国政府网", None, "a"),
                   (page, "http://127.0.0.9/a.html", "", None, "link"),  # <link rel=canonical>
                   (page, "http://127.0.0.9/search.do", "搜索", None, "form"),
                   (f"{BASE}b.html", "http://127.0.0.9/logo.png", "", None, "img")]
    assert site.judge().findings == ()


def test_a_site_without_https_is_not_tested_unless_the_province_requires_https(site):
    site.network = network(tls="absent", tls_error="WRONG_VERSION_NUMBER", http_redirect=None, hsts=None,
                           cert_not_after=None)
    result = site.judge()
    assert result.findings == ()
    assert not_tested(result, "GUIDE-14a") == not_tested(result, "GUIDE-14b") == ["no_https"]
    site.settings = {"rules": {"GUIDE-14b": {"require_https": True}}}
    result = site.judge()
    assert [(f.rule, f.severity) for f in result.findings] == [("GUIDE-14b", "advice")]
    assert "未启用 HTTPS" in result.findings[0].message


def test_without_a_probe_the_rules_are_not_tested(site):
    site.network = None
    result = site.judge()
    assert not_tested(result, "GUIDE-14a") == not_tested(result, "GUIDE-14b") == ["not_probed"]
    site.network, site.finished = None, False
    assert not_tested(site.judge(), "GUIDE-14a") == ["interrupted"]


def test_a_failed_handshake_of_a_site_the_crawl_read_over_https_is_not_a_finding(site):
    site.network = network(tls="error", tls_error="timeout", cert_not_after=None)
    result = site.judge()
    assert result.findings == () and not_tested(result, "GUIDE-14a") == ["timeout"]
    site.network = network(tls="absent", tls_error="reset", cert_not_after=None)  # it did answer the crawl
    result = site.judge()
    assert result.findings == () and not_tested(result, "GUIDE-14b") == ["unreachable"]
