"""The crawl's host-name resolver: Scrapy's (the system's, cached), or the DNS server the audit names (crawl
option `nameserver`: a 政务内网's own server; the tests' server on loopback), so that the pages and the network
probes resolve a site's name the same way."""
from __future__ import annotations

from scrapy.resolver import CachingThreadedResolver, dnscache
from twisted.internet import defer
from twisted.internet.error import DNSLookupError
from twisted.internet.threads import deferToThreadPool

from crawler.netprobe.resolve import ipv4_of, is_ip

_NAMESERVER: dict[str, str | None] = {"value": None}  # one crawl per process: set from the crawl's settings


def use_nameserver(value: str | None) -> None:
    """The spider sets it from its own settings (a Scrapyd spider argument arrives after the resolver exists)."""
    _NAMESERVER["value"] = value or None


class NameserverResolver(CachingThreadedResolver):
    @classmethod
    def from_crawler(cls, crawler, reactor):
        use_nameserver(crawler.settings.get("GKAUDIT_NAMESERVER"))
        return super().from_crawler(crawler, reactor)

    def getHostByName(self, name: str, timeout=()):
        if ":" in name and is_ip(name):  # an IPv6 literal (http://[2001:db8::1]/) names itself: no look-up
            return defer.succeed(name)
        nameserver = _NAMESERVER["value"]
        if not nameserver:
            return super().getHostByName(name, timeout)
        if name in dnscache:
            return defer.succeed(dnscache[name])
        d = deferToThreadPool(self.reactor, self.reactor.getThreadPool(), ipv4_of, name, nameserver, self.timeout)
        d.addErrback(self._failed, name)
        if dnscache.limit:
            d.addCallback(self._cache_result, name)
        return d

    @staticmethod
    def _failed(failure, name: str):
        failure.trap(OSError)
        raise DNSLookupError(name)
