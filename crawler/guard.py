"""Requests only to public addresses and the audit's declared targets (core/addresses.py, README "安全 / 网络").

A downloader middleware placed before everything that sends (robots.txt included): every request — a link, a
robots.txt, each hop of a redirect (RedirectMiddleware sends each hop through the chain again) — has its host
checked before a connection exists. A host name is resolved with the crawl's own cached resolver, so the address
checked is the address the download connects to. A refused request never leaves the machine: its errback gets
PrivateAddressRefused, stored as the error `private-address` (「目标地址为内网地址，未访问」, unverified).
"""
from __future__ import annotations

import ipaddress
import logging

from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached

from core.addresses import AddressPolicy, host_address, parse_allow_list

log = logging.getLogger(__name__)


class PrivateAddressRefused(IgnoreRequest):
    """The request's host is (or resolves to) an address that is neither public nor declared."""


class AddressGuardMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.allow = parse_allow_list(crawler.settings.get("GKAUDIT_ALLOW_ADDRESSES") or "")
        self._policy: AddressPolicy | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def policy(self) -> AddressPolicy:
        """Built at the first request: the spider's sites are known only once it exists."""
        if self._policy is None:
            sites = getattr(self.crawler.spider, "sites", None) or []
            self._policy = AddressPolicy([s.host for s in sites], self.allow)
        return self._policy

    async def process_request(self, request, spider=None):
        host = urlparse_cached(request).hostname or ""
        policy = self.policy()
        if not host or policy.declared_host(host):
            return None
        address = host_address(host)
        if address is None:
            from twisted.internet import reactor  # the installed reactor (see CONTRIBUTING)

            try:
                resolved = await maybe_deferred_to_future(reactor.resolve(host))
            except Exception:  # noqa: BLE001 — the download itself reports the name as unresolvable
                return None
            address = ipaddress.ip_address(resolved)
        if policy.allowed(address):
            return None
        self.crawler.stats.inc_value("gkaudit/private_address_refused")
        log.info("未访问内网地址 %s（%s）", request.url, address)
        raise PrivateAddressRefused(f"private address {address}")
