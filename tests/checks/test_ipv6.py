"""ipv6 (GUIDE-10): AAAA, the homepage and the share of sampled second/third-level pages over IPv6, from the stored
network probe; a host without an IPv6 route never makes a finding."""
from __future__ import annotations

from tests.builders import network, not_tested


def rule_findings(result):
    return [f for f in result.findings if f.rule == "GUIDE-10"]


def links(ok: int, failed: int = 0, blocked: int = 0) -> list[dict]:
    out = [{"url": f"https://127.0.0.9/p{i}.html", "status": 200, "error": None, "depth": 1} for i in range(ok)]
    out += [{"url": f"https://127.0.0.9/f{i}.html", "status": None, "error": "timeout", "depth": 2}
            for i in range(failed)]
    out += [{"url": f"https://127.0.0.9/b{i}.html", "status": 403, "error": None, "depth": 2} for i in range(blocked)]
    return out


def test_a_dual_stack_site_passes(site):
    result = site.judge()
    assert rule_findings(result) == [] and not_tested(result, "GUIDE-10") == []


def test_guide_10_no_aaaa_record_is_a_deduction_from_any_host(site):
    site.network = network(dns="nodata", aaaa=None, ipv6_route=None, ipv6_home=None, ipv6_links=None)
    result = site.judge()
    [finding] = rule_findings(result)
    assert finding.severity == "deduct" and finding.points == 1.0 and "没有 AAAA 记录" in finding.message


def test_guide_10_dns64_addresses_are_not_the_sites(site):
    site.network = network(dns="nodata", aaaa=None, dns_error="DNS64 合成地址 64:ff9b::7f00:9", ipv6_route=None,
                           ipv6_home=None, ipv6_links=None)
    assert "DNS64" in rule_findings(site.judge())[0].message


def test_guide_10_near_miss_no_route_on_the_auditing_host_is_not_tested(site):
    site.network = network(ipv6_route=False, ipv6_source="fd00::2", ipv6_home=None, ipv6_links=None)
    result = site.judge()
    assert rule_findings(result) == [] and not_tested(result, "GUIDE-10") == ["no_ipv6_route"]


def test_guide_10_a_homepage_that_does_not_answer_over_ipv6(site):
    site.network = network(ipv6_home={"url": "https://127.0.0.9/", "address": "2001:db8::9", "status": None,
                                      "error": "refused"}, ipv6_links=links(0, 4))
    [finding] = rule_findings(site.judge())
    assert "首页不能通过 IPv6 访问" in finding.message and "refused" in finding.message


def test_guide_10_too_few_sampled_pages_over_ipv6(site):
    site.network = network(ipv6_links=links(9, 1))
    [finding] = rule_findings(site.judge())
    assert finding.evidence["failed"] == 1 and finding.evidence["sampled"] == 10 and "90%" in finding.message
    assert finding.evidence["examples"][0]["level"] == 3  # depth 2: a third-level page


def test_guide_10_near_miss_blocked_answers_count_neither_way_and_a_lower_threshold(site):
    site.network = network(ipv6_links=links(8, 0, blocked=5))
    assert rule_findings(site.judge()) == []
    site.network = network(ipv6_links=links(9, 1))
    site.settings = {"rules": {"GUIDE-10": {"min_share": 0.9}}}
    assert rule_findings(site.judge()) == []


def test_guide_10_ip_address_failed_lookup_and_no_probe_are_not_tested(site):
    for row, reason in ((network(dns="ip", aaaa=None), "ip_address"),
                        (network(dns="error", aaaa=None, dns_error="timeout"), "dns"),
                        (None, "not_probed")):
        site.network = row
        result = site.judge()
        assert rule_findings(result) == [] and not_tested(result, "GUIDE-10") == [reason]
