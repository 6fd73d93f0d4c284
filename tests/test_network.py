"""HTTPS (GUIDE-14a/b) and IPv6 (GUIDE-10) with real components on loopback: a trustme CA whose certificates the
fixture server presents (valid, expired, for another name), the fixture DNS server answering A and AAAA, and the
sites listening on ::1 beside their 127.0.20.x addresses (tests/network/sites).

- secure-dual: valid certificate, http:// → https://, HSTS, IPv6 for every page: every network rule passes;
- expired-v4: an expired certificate, http:// served as is, mixed content, no AAAA: GUIDE-14a, GUIDE-14b, GUIDE-10;
- partial-v6: plain http, only the homepage answers over IPv6: GUIDE-10 (share), GUIDE-14 not_tested (no_https);
- wrong-host, expiring: a certificate for another name (GUIDE-14a), one ending in 10 days (GUIDE-14b advice only).
"""
from __future__ import annotations

import json
import sqlite3
import ssl
from pathlib import Path

import pytest

from crawler.netprobe.fetch import get
from crawler.netprobe.ipv6 import routable, route_to, sample_pages
from crawler.netprobe.resolve import ipv4_of, lookup
from crawler.netprobe.tls import follow_http, probe_https
from fixtures.server import serve
from store.network import Crawled
from tests.conftest import AS_OF, gkaudit

SITES = Path(__file__).resolve().parent / "network" / "sites"
NETWORK_RULES = ("GUIDE-14a", "GUIDE-14b", "GUIDE-10")


@pytest.fixture(scope="module")
def fx():
    with serve(sites_dir=SITES, access_log=True) as server:
        yield server


def https_url(fx, site_id: str) -> str:
    return fx.urls[site_id].replace("http://", "https://")


# ---- the probes, one by one ------------------------------------------------------------------------------

def test_the_fixture_dns_server_answers_a_aaaa_nodata_and_nxdomain(fx):
    assert lookup("secure-dual.jiangnan.test", "A", fx.nameserver, 3).addresses == ["127.0.20.2"]
    assert lookup("secure-dual.jiangnan.test", "AAAA", fx.nameserver, 3).addresses == ["::1"]
    assert lookup("expired-v4.jiangnan.test", "AAAA", fx.nameserver, 3).status == "nodata"
    assert lookup("nowhere.jiangnan.test", "AAAA", fx.nameserver, 3).status == "nxdomain"
    assert ipv4_of("partial-v6.jiangnan.test", fx.nameserver, 3) == "127.0.20.4"


def test_a_valid_certificate_of_the_given_ca_with_its_hsts(fx):
    result = probe_https(fx.urls["secure-dual"], "127.0.20.2", 5, str(fx.ca_file))
    assert (result.tls, result.hsts, result.subject) == ("valid", "max-age=31536000", "secure-dual.jiangnan.test")
    assert result.issuer == "gkaudit fixtures CA" and result.not_after is not None


def test_the_same_certificate_without_the_ca_bundle_is_untrusted(fx):
    result = probe_https(fx.urls["secure-dual"], "127.0.20.2", 5, None)
    assert (result.tls, result.reason) == ("invalid", "untrusted")


def test_an_expired_certificate_is_invalid_with_its_expiry(fx):
    result = probe_https(fx.urls["expired-v4"], "127.0.20.3", 5, str(fx.ca_file))
    assert (result.tls, result.reason) == ("invalid", "expired") and "expired" in result.error
    assert result.not_after is not None and result.subject == "expired-v4.jiangnan.test"


def test_a_certificate_for_another_name_and_one_ending_soon(fx):
    wrong = probe_https(fx.urls["wrong-host"], "127.0.20.5", 5, str(fx.ca_file))
    assert (wrong.tls, wrong.reason, wrong.subject) == ("invalid", "hostname", "other-wrong-host.jiangnan.test")
    soon = probe_https(fx.urls["expiring"], "127.0.20.6", 5, str(fx.ca_file))
    assert soon.tls == "valid" and 8 <= (soon.not_after - soon.not_after.now(soon.not_after.tzinfo)).days <= 10


def test_plain_http_on_the_port_and_a_closed_port_are_no_https(fx):
    plain = probe_https(https_url(fx, "partial-v6"), "127.0.20.4", 5, str(fx.ca_file))
    assert plain.tls == "absent" and plain.error
    closed = probe_https("https://partial-v6.jiangnan.test:9/", "127.0.20.4", 5, str(fx.ca_file))
    assert (closed.tls, closed.error) == ("absent", "refused")


def test_where_http_leads(fx):
    def address(host):
        return ipv4_of(host, fx.nameserver, 3)

    secure = fx.urls["secure-dual"].replace("https://", "http://")
    assert follow_http(secure, address, 5) == (fx.urls["secure-dual"], None)
    expired = fx.urls["expired-v4"].replace("https://", "http://")
    assert follow_http(expired, address, 5) == (None, None)  # answers 200 over http://


def test_ipv6_fetches_on_loopback_use_the_sites_host_header(fx):
    home = get(fx.urls["partial-v6"], "::1", 3)
    column = get(fx.urls["partial-v6"] + "xwdt/index.html", "::1", 3)
    assert (home.status, column.status) == (200, 502)  # its IPv6 front end serves the homepage only
    assert get(fx.urls["expired-v4"], "::1", 3).error == "refused"  # not on ::1 at all


def test_routes_are_judged_by_the_source_address():
    assert route_to(["::1"]).ok
    assert routable("::1", "::1")
    assert not routable("240c::6666", "fd00::2")  # a private address has no route to the internet
    assert routable("240c::6666", "2408:8000::5")
    assert routable("fd12::80", "fd00::2") and not routable("fd12::80", "::1")


def test_the_ipv6_sample_takes_both_levels_and_is_repeatable():
    pages = [Crawled(f"http://h/{d}/{i}.html", None, d, 200, "text/html", False) for d in (1, 2, 3) for i in range(30)]
    pages += [Crawled("http://h/a.pdf", None, 1, 200, "application/pdf", False),
              Crawled("http://other/x.html", None, 1, 200, "text/html", False)]
    chosen = sample_pages(pages, "h", 20, "s")
    assert [p.depth for p in chosen].count(1) == 10 and [p.depth for p in chosen].count(2) == 10
    assert chosen == sample_pages(list(reversed(pages)), "h", 20, "s")
    assert all(p.url.endswith(".html") and "//h/" in p.url for p in chosen)


# ---- whole audits ----------------------------------------------------------------------------------------

def outcomes_of(db: Path) -> dict:
    rows = sqlite3.connect(db).execute("select run_id, site, rule, outcome, reason from ruleoutcome "
                                       "where rule in ('GUIDE-14a', 'GUIDE-14b', 'GUIDE-10') order by run_id")
    return {(site, rule): (outcome, reason) for _, site, rule, outcome, reason in rows}  # the last run's


def audit(fx, tmp_path, *flags) -> tuple[dict, dict]:
    db = tmp_path / "gk.db"
    proc = gkaudit("audit", "--sites", fx.sites_file, "--as-of", AS_OF, "--out", tmp_path / "out", "--db",
                   f"sqlite:///{db}", "--delay", "0", "--confirm-delay", "0", "--timeout", "5", "--progress", "0",
                   "--nameserver", fx.nameserver, *flags)
    assert proc.returncode == 0, proc.stderr[-3000:]
    found = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    return found, outcomes_of(db)


def network_findings(found: dict, site: str) -> list[tuple[str, str]]:
    return sorted((f["rule"], f["severity"]) for f in found["findings"] if f["site"] == site
                  and f["rule"] in NETWORK_RULES)


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("network-audit")


@pytest.fixture(scope="module")
def audited(fx, work):
    return audit(fx, work, "--ca-bundle", fx.ca_file)


def test_a_valid_dual_stack_site_passes_every_network_rule(audited):
    found, outcomes = audited
    assert network_findings(found, "secure-dual") == []
    assert [outcomes[("secure-dual", r)] for r in NETWORK_RULES] == [("pass", None)] * 3


def test_an_expired_ipv4_only_site_fails_every_network_rule(audited):
    found, outcomes = audited
    assert network_findings(found, "expired-v4") == [("GUIDE-10", "deduct"), ("GUIDE-14a", "deduct"),
                                                     ("GUIDE-14b", "advice"), ("GUIDE-14b", "advice")]
    mine = {f["evidence"].get("reason") or f["message"][:12]: f for f in found["findings"]
            if f["site"] == "expired-v4" and f["rule"] in NETWORK_RULES}
    assert "已过期" in mine["expired"]["message"] and mine["expired"]["evidence"]["issuer"] == "gkaudit fixtures CA"
    messages = " ".join(f["message"] for f in found["findings"] if f["site"] == "expired-v4")
    assert "没有 AAAA 记录" in messages and "没有跳转到 HTTPS" in messages and "http:// 加载了 2 个资源" in messages


def test_a_certificate_for_another_host_is_a_deduction_one_ending_soon_advice(audited):
    found, outcomes = audited
    assert network_findings(found, "wrong-host") == [("GUIDE-10", "deduct"), ("GUIDE-14a", "deduct")]
    assert network_findings(found, "expiring") == [("GUIDE-10", "deduct"), ("GUIDE-14b", "advice")]
    [soon] = [f for f in found["findings"] if f["site"] == "expiring" and f["rule"] == "GUIDE-14b"]
    assert "到期" in soon["message"] and 8 <= soon["evidence"]["days_left"] <= 10
    assert outcomes[("expiring", "GUIDE-14a")] == ("pass", None)


def test_a_site_whose_ipv6_serves_only_the_homepage_fails_guide_10(audited):
    found, outcomes = audited
    [finding] = [f for f in found["findings"] if f["site"] == "partial-v6" and f["rule"] == "GUIDE-10"]
    assert finding["evidence"]["failed"] == finding["evidence"]["sampled"] > 0 and "502" in json.dumps(finding)
    assert outcomes[("partial-v6", "GUIDE-14a")] == outcomes[("partial-v6", "GUIDE-14b")] == ("not_tested", "no_https")


def test_one_observation_per_site_and_a_recheck_probes_again_as_the_run_did(audited, fx, work):
    """The recheck inherits the run's --nameserver and --ca-bundle (its crawl must resolve the sites' names, its
    probe trust the same CA) and replaces the copied observation with a new one."""
    db = work / "gk.db"
    rows = sqlite3.connect(db).execute("select run_id, site, probed_at from sitenetwork order by site").fetchall()
    assert [(run, site) for run, site, _ in rows] == [(1, s) for s in sorted(fx.urls)]
    proc = gkaudit("recheck", "--run", "1", "--db", f"sqlite:///{db}", "--as-of", AS_OF, "--out", work / "recheck",
                   "--delay", "0")
    assert proc.returncode == 0, proc.stderr[-3000:]
    again = sqlite3.connect(db).execute("select site, probed_at from sitenetwork where run_id = 2 order by site")
    assert [(site, at > first) for (site, at), (_, _, first) in zip(again, rows)] == \
        [(s, True) for s in sorted(fx.urls)]
    outcomes = outcomes_of(db)
    assert outcomes[("secure-dual", "GUIDE-14a")] == ("pass", None)
    assert outcomes[("expired-v4", "GUIDE-14a")] == outcomes[("partial-v6", "GUIDE-10")] == ("fail", None)


def test_without_the_ca_bundle_the_fixture_certificate_is_untrusted_and_network_off_probes_nothing(fx, tmp_path):
    found, outcomes = audit(fx, tmp_path / "a")
    assert ("GUIDE-14a", "deduct") in network_findings(found, "secure-dual")
    assert next(f for f in found["findings"] if f["site"] == "secure-dual" and f["rule"] == "GUIDE-14a")[
        "evidence"]["reason"] == "untrusted"
    found, outcomes = audit(fx, tmp_path / "b", "--network", "off")
    assert {v for (site, rule), v in outcomes.items()} == {("not_tested", "not_probed")}


def test_probes_check_the_default_context_is_not_weakened():
    """The HTTPS probe verifies as a browser does (the reachability fetches are the ones that do not)."""
    context = ssl.create_default_context()
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
