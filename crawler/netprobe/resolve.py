"""Name look-ups of the probes and of the crawl: the system's resolver, or the nameserver the audit names.

A province's 政务内网 may resolve its sites through its own DNS server (crawl option `nameserver`); the tests run a
small DNS server on loopback. AAAA records always come from dnspython, so "no AAAA record" (NOERROR without an
answer) is told apart from a resolver that failed.
"""
from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field

import dns.exception
import dns.resolver

from core.options import nameserver_address

# NAT64 prefixes (RFC 6052, RFC 8215): a DNS64 resolver makes these up for IPv4-only names
SYNTHESISED = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


@dataclass
class Answer:
    """What a look-up gave: ok (addresses), nodata (the name exists, no record of that type), nxdomain, error."""

    status: str
    addresses: list[str] = field(default_factory=list)
    error: str | None = None
    synthesised: list[str] = field(default_factory=list)  # AAAA a DNS64 resolver made up (left out of addresses)


def make_resolver(nameserver: str | None, timeout: float) -> dns.resolver.Resolver:
    """dnspython's resolver: the named server, else the system's (/etc/resolv.conf)."""
    if nameserver:
        address, port = nameserver_address(nameserver)
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = [address]
        resolver.port = port
    else:
        resolver = dns.resolver.Resolver()
    resolver.lifetime = timeout
    resolver.timeout = min(timeout, 5.0)
    return resolver


def lookup(host: str, rdtype: str, nameserver: str | None, timeout: float) -> Answer:
    """A or AAAA records of a host, CNAMEs followed."""
    try:
        resolver = make_resolver(nameserver, timeout)
        answer = resolver.resolve(host, rdtype, search=False)
    except dns.resolver.NoAnswer:
        return Answer("nodata")
    except dns.resolver.NXDOMAIN:
        return Answer("nxdomain")
    except dns.exception.Timeout:
        return Answer("error", error="timeout")
    except (dns.exception.DNSException, OSError, ValueError) as exc:
        return Answer("error", error=f"{type(exc).__name__}: {exc}"[:300])
    found = [r.address for r in answer]
    if rdtype != "AAAA":
        return Answer("ok", found)
    synthesised = [a for a in found if any(ipaddress.ip_address(a) in net for net in SYNTHESISED)]
    real = [a for a in found if a not in synthesised]
    return Answer("ok" if real else "nodata", real, synthesised=synthesised)


def ipv4_of(host: str, nameserver: str | None, timeout: float) -> str:
    """The IPv4 address the crawl reaches a host at (OSError when there is none): the system's resolver (hosts file
    included) or the named server."""
    if is_ip(host):
        return host
    if nameserver:
        answer = lookup(host, "A", nameserver, timeout)
        if not answer.addresses:
            raise OSError(f"dns: {host} {answer.error or answer.status}")
        return answer.addresses[0]
    try:
        return socket.getaddrinfo(host, None, socket.AF_INET, socket.SOCK_STREAM)[0][4][0]
    except socket.gaierror as exc:
        raise OSError(f"dns: {host} {exc}") from None


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
