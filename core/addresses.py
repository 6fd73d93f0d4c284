"""Which network addresses the audit may ask (README "安全 / 网络"): public ones, and the auditor's declared targets.

Anything an audited site links or redirects to is chosen by whoever controls the site; without this rule a hacked
page could make the auditor's machine ask its own loopback services, its intranet or a cloud metadata address and
publish the answers. An address is allowed when it is public, or when it is a declared target: the address of a
site of the audit's sites file (its URL's host written as an IP, or any address its host name resolves to), or
inside the `allow_addresses` list (crawl option: CIDRs or single addresses).
"""
from __future__ import annotations

import ipaddress
import re
import socket

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Neither private nor public in Python's table, but never the open Internet: carrier-grade NAT (RFC 6598).
_SHARED = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# inet_aton's forms of an IPv4 address: 2130706433, 0x7f000001, 0177.0.0.1, 127.1 (what browsers and libc accept)
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}\.?$", re.I)


def host_address(host: str | None) -> IPAddress | None:
    """The IP address a URL's host names by itself — dotted, bracketed IPv6, or a numeric form that resolvers turn
    into an IPv4 address (2130706583, 0x7f000097, 0177.0.0.1, 127.1) — or None for a host name."""
    if not host:
        return None
    text = host.strip().strip("[]").rstrip(".") if host.startswith("[") else host.strip().rstrip(".")
    text = text.split("%", 1)[0]  # fe80::1%eth0: the zone names no other address
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    if _NUMERIC_HOST.match(text):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(text))
        except OSError:
            return None
    return None


def _embedded(ip: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 form carries (::ffff:a.b.c.d, 6to4, NAT64), else the address itself."""
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip.sixtofour is not None:
            return ip.sixtofour
        if ip in _NAT64:
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


def is_public(ip: IPAddress) -> bool:
    """An address of the open Internet: not loopback, private (RFC 1918, fc00::/7), shared (100.64/10), link-local,
    multicast, reserved or unspecified, nor an IPv6 form of one of those."""
    ip = _embedded(ip)
    if ip.version == 4 and ip in _SHARED:
        return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local
                                 or ip.is_unspecified)


def parse_allow_list(text: str) -> list[IPNetwork]:
    """`10.1.0.0/16, 192.168.1.5, fd00::/8` → networks; ValueError naming the first entry that is none."""
    networks = []
    for entry in re.split(r"[,\s]+", text or ""):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(entry) from None
    return networks


def allow_list_problem(text: str) -> str | None:
    """Why a crawl option allow_addresses is not a list of addresses or CIDR networks (Chinese), or None."""
    try:
        parse_allow_list(text)
    except ValueError as exc:
        return f"{exc.args[0]!r} 不是 IP 地址或网段（如 10.1.0.0/16、192.168.1.5、fd00::/8）"
    return None


class AddressPolicy:
    """Decides for one audit whether an address may be asked: public, a declared site's, or allow-listed."""

    def __init__(self, site_hosts: list[str], allow: list[IPNetwork] | None = None):
        self.hosts = {h.lower().rstrip(".") for h in site_hosts if h}  # declared host names and IP literals
        self.addresses: set[IPAddress] = {a for a in (host_address(h) for h in self.hosts) if a is not None}
        self.allow = list(allow or [])

    def declared_host(self, host: str) -> bool:
        """The host of a site of the sites file: asked whatever its name resolves to (the auditor named it)."""
        return host.lower().rstrip(".") in self.hosts

    def allowed(self, ip: IPAddress) -> bool:
        plain = _embedded(ip)
        return (is_public(ip) or ip in self.addresses or plain in self.addresses
                or any(ip in net or plain in net for net in self.allow))
