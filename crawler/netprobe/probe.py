"""Probe every site of a crawled run, in parallel, and store one SiteNetwork row per site."""
from __future__ import annotations

import ipaddress
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

from core.addresses import AddressPolicy, host_address, parse_allow_list
from core.clock import now
from core.sites import Site
from crawler.netprobe.ipv6 import ask, route_to, sample_pages
from crawler.netprobe.resolve import Answer, ipv4_of, is_ip, lookup
from crawler.netprobe.tls import TlsResult, counterpart, follow_http, probe_https
from store import connect
from store.network import Crawled, crawled_pages, save_network

log = logging.getLogger(__name__)
MAX_WORKERS = 16


@dataclass(frozen=True)
class ProbeSettings:
    timeout: float  # per connection, as the crawl's
    delay: float  # between two IPv6 requests to one site, as the crawl's
    retry_after: float  # before asking a failed IPv6 request again (the crawl's confirm_delay)
    cafile: str | None  # crawl option ca_bundle
    nameserver: str | None  # crawl option nameserver
    sample: int  # second- and third-level pages asked over IPv6 (GKAUDIT_IPV6_SAMPLE)
    allow: str = ""  # crawl option allow_addresses (core/addresses.py: which addresses may be asked)

    @classmethod
    def from_settings(cls, settings) -> ProbeSettings:
        return cls(settings.getfloat("DOWNLOAD_TIMEOUT"), settings.getfloat("DOWNLOAD_DELAY"),
                   settings.getfloat("GKAUDIT_CONFIRM_DELAY"), settings.get("GKAUDIT_CA_BUNDLE") or None,
                   settings.get("GKAUDIT_NAMESERVER") or None, settings.getint("GKAUDIT_IPV6_SAMPLE"),
                   settings.get("GKAUDIT_ALLOW_ADDRESSES") or "")


def probe_run(db_url: str, run_id: int, sites: list[Site], settings: ProbeSettings) -> list[dict]:
    """Probe the sites of a run (after its crawl: the IPv6 sample comes from the pages it stored) and store them."""
    if not sites:
        return []
    engine = connect(db_url)
    policy = AddressPolicy([s.host for s in sites], parse_allow_list(settings.allow))
    try:
        def one(site: Site) -> dict:
            try:
                return probe_site(site, crawled_pages(engine, run_id, site.id, 2), settings, policy)
            except Exception as exc:  # a probe's failure must not lose the crawl: the rules say not_tested
                log.warning("网络检测失败（站点 %s）：%s", site.id, exc, exc_info=True)
                return {"site": site.id, "probed_at": now(), "tls": "error", "tls_error": str(exc)[:300]}

        with ThreadPoolExecutor(min(MAX_WORKERS, len(sites)), thread_name_prefix="gkaudit-netprobe") as pool:
            rows = list(pool.map(one, sites))
        save_network(engine, run_id, rows)
        return rows
    finally:
        engine.dispose()


def probe_site(site: Site, pages: list[Crawled], settings: ProbeSettings, policy: AddressPolicy | None = None) -> dict:
    """HTTPS and IPv6 of one site, starting from where its homepage answered in the crawl."""
    home = next((p for p in pages if p.is_home and p.status is not None), None)
    landed = (home.final_url or home.url) if home else site.url
    row = {"site": site.id, "probed_at": now()}
    policy = policy or AddressPolicy([site.host], parse_allow_list(settings.allow))
    row.update(https_of(site.url, landed, settings, policy))
    row.update(ipv6_of(site, landed, pages, settings, policy))
    log.info("网络检测 %s：HTTPS %s，AAAA %s，IPv6 路由 %s", site.id, row.get("tls"), row.get("aaaa") or row.get("dns"),
             row.get("ipv6_route"))
    return row


def https_of(start: str, landed: str, settings: ProbeSettings, policy: AddressPolicy) -> dict:
    """The HTTPS address of the site (where the crawl landed, else the https:// twin of its http:// address),
    its handshake, and where http:// leads. A redirect hop to an address that may not be asked ends the walk."""
    def address_of(host: str) -> str:
        address = ipv4_of(host, settings.nameserver, settings.timeout)
        if not policy.declared_host(host) and not policy.allowed(host_address(address)):
            raise OSError(f"目标地址为内网地址，未访问（{host}）")
        return address

    if landed.startswith("https://"):
        https_url = landed
        if start.startswith("http://"):  # the crawl followed http:// to https://: nothing more to ask
            http_url, redirect, http_error = start, landed, None
        else:
            http_url = counterpart(start, "http")
            redirect, http_error = follow_http(http_url, address_of, settings.timeout)
    else:
        https_url = counterpart(landed, "https")
        http_url, redirect, http_error = start, None, None
    try:
        address = address_of(urlsplit(https_url).hostname)
    except OSError as exc:
        tls = TlsResult(https_url, "error", error=str(exc)[:300])
    else:
        tls = probe_https(https_url, address, settings.timeout, settings.cafile)
    return {**tls.row(), "http_url": http_url, "http_redirect": redirect, "http_error": http_error}


def ipv6_of(site: Site, landed: str, pages: list[Crawled], settings: ProbeSettings, policy: AddressPolicy) -> dict:
    """AAAA of the host the homepage answered on; with a route, the homepage and the sample over IPv6."""
    host = urlsplit(landed).hostname or ""
    row: dict = {"host": host, "nameserver": settings.nameserver or "system"}
    if is_ip(host):
        if ipaddress.ip_address(host).version == 4:
            return row | {"dns": "ip"}
        answer = Answer("ok", [host])
    else:
        answer = lookup(host, "AAAA", settings.nameserver, settings.timeout)
        if not policy.declared_host(host):  # a host the homepage redirected to: only addresses that may be asked
            answer.addresses = [a for a in answer.addresses if policy.allowed(host_address(a))]
    row |= {"dns": answer.status, "aaaa": answer.addresses or None,
            "dns_error": answer.error or (f"DNS64 合成地址 {', '.join(answer.synthesised)}" if answer.synthesised
                                          else None)}
    if not answer.addresses:
        return row
    route = route_to(answer.addresses)
    row |= {"ipv6_route": route.ok, "ipv6_source": route.source}
    if not route.ok:
        return row
    row["ipv6_home"] = ask(landed, route.address, settings.timeout, settings.retry_after)
    links = []
    for page in sample_pages(pages, host, settings.sample, site.id):
        time.sleep(settings.delay)
        links.append({**ask(page.final_url or page.url, route.address, settings.timeout, settings.retry_after),
                      "depth": page.depth})
    row["ipv6_links"] = links
    return row
