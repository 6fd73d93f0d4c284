"""Which addresses the crawler may ask (core/addresses.py) and which URLs are never retried with GET (core/urls)."""
from __future__ import annotations

import ipaddress

import pytest

from core.addresses import AddressPolicy, allow_list_problem, host_address, is_public, parse_allow_list
from core.urls import looks_unsafe
from crawler.netprobe.probe import ProbeSettings, https_of


@pytest.mark.parametrize("host, address", [
    ("2130706583", "127.0.0.151"), ("0x7f000097", "127.0.0.151"), ("0177.0.0.1", "127.0.0.1"),
    ("127.1", "127.0.0.1"), ("[::1]", "::1"), ("::ffff:127.0.0.1", "::ffff:7f00:1"), ("www.gov.cn", None),
    ("cafe.be", None), ("1.2.3.4.5", None)])
def test_numeric_host_forms_name_their_address(host, address):
    found = host_address(host)
    assert (str(found) if found else None) == address


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.1", "172.16.0.1", "192.168.1.1", "100.64.0.1",
                                     "169.254.169.254", "224.0.0.1", "0.0.0.0", "240.0.0.1", "::1", "fe80::1",
                                     "fc00::1", "::ffff:10.0.0.1", "2002:7f00:1::", "64:ff9b::a00:1"])
def test_private_and_special_addresses_are_not_public(address):
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["8.8.8.8", "202.108.22.5", "2400:3200::1"])
def test_public_addresses_are(address):
    assert is_public(ipaddress.ip_address(address))


def test_a_declared_site_address_is_allowed_its_neighbour_is_not():
    policy = AddressPolicy(["127.0.0.150", "www.example.gov.cn"], parse_allow_list("10.1.0.0/16, fd00::/8"))
    allowed = lambda a: policy.allowed(ipaddress.ip_address(a))  # noqa: E731
    assert allowed("127.0.0.150") and not allowed("127.0.0.151")
    assert allowed("10.1.2.3") and allowed("::ffff:10.1.2.3") and not allowed("10.2.0.1") and allowed("fd00::5")
    assert policy.declared_host("WWW.example.gov.cn.") and not policy.declared_host("example.gov.cn")


def test_an_allow_list_entry_that_is_no_address_is_named():
    assert allow_list_problem("10.0.0.0/8, intranet") == "'intranet' 不是 IP 地址或网段（如 10.1.0.0/16、192.168.1.5、fd00::/8）"
    assert allow_list_problem("10.0.0.0/8 192.168.1.5") is None


@pytest.mark.parametrize("url", ["http://a/admin/delete?id=1", "http://a/user/logout", "http://a/x.do?action=remove",
                                 "http://a/doDelete.do?id=3", "http://a/api/rm?id=2", "http://a/sign-out"])
def test_action_addresses_look_unsafe(url):
    assert looks_unsafe(url)


@pytest.mark.parametrize("url", ["http://a/model.html", "http://a/delivery.html", "http://a/xxgk/index.html",
                                 "http://a/report.html?id=1"])
def test_ordinary_addresses_do_not(url):
    assert not looks_unsafe(url)


def test_the_network_probe_never_asks_an_undeclared_private_address():
    """The HTTPS probe starts where the homepage landed; an address the crawl may not ask, the probe may not either."""
    settings = ProbeSettings(1.0, 0, 0, None, None, 0)
    policy = AddressPolicy(["www.example.gov.cn"])
    row = https_of("http://www.example.gov.cn/", "http://127.0.0.160:9/", settings, policy)
    assert row["tls"] == "error" and row["tls_error"] == "目标地址为内网地址，未访问（127.0.0.160）"
    declared = https_of("http://127.0.0.160:9/", "http://127.0.0.160:9/", settings, AddressPolicy(["127.0.0.160"]))
    assert "内网" not in (declared["tls_error"] or "")  # near miss: the site's own address is asked (nothing there)
