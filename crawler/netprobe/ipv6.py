"""IPv6 of a site: its AAAA records, whether the auditing host has a route to them, and what answers over IPv6 —
the homepage and a sample of the second- and third-level pages the crawl reached over IPv4 (二、三级链接).

A route is judged from the source address the kernel would pick (a UDP connect sends nothing): a global AAAA
needs a global source, a loopback one a loopback source (the test fixtures answer on ::1). A host with only a
private or link-local IPv6 address cannot reach the sites' global addresses, and says so instead of reporting
every site unreachable.
"""
from __future__ import annotations

import ipaddress
import random
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from crawler.netprobe.fetch import get
from store.network import Crawled

HTML = ("text/html", "application/xhtml")


@dataclass
class Route:
    ok: bool
    address: str | None = None  # the AAAA address routed to
    source: str | None = None  # the local address the kernel picked


def route_to(addresses: list[str]) -> Route:
    """The first AAAA address this host can route to, judged by the scope of the source address."""
    tried = None
    for address in addresses:
        try:
            with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as probe:
                probe.connect((address, 80))
                source = probe.getsockname()[0]
        except OSError:
            continue
        tried = tried or Route(False, address, source)
        if routable(address, source):
            return Route(True, address, source)
    return tried or Route(False)


def routable(target: str, source: str) -> bool:
    """Whether a packet from `source` can reach `target`: a loopback target from a loopback source, a global one from
    a global source (an fd00::/8 or link-local address has no route to the internet), a private one from anything
    but loopback."""
    to, local = ipaddress.ip_address(target.split("%", 1)[0]), ipaddress.ip_address(source.split("%", 1)[0])
    if to.is_loopback:
        return local.is_loopback
    if to.is_global:
        return local.is_global
    return not local.is_loopback


def sample_pages(pages: list[Crawled], host: str, size: int, seed: str) -> list[Crawled]:
    """Up to `size` HTML pages of depth 1 and 2 on `host` that answered 200 over IPv4 (二级、三级页面), half of each
    level where the site has them; the same choice every time for the same pages (seeded by the site)."""
    fit = [p for p in pages if p.depth in (1, 2) and p.status == 200 and not p.is_home
           and (p.content_type or "text/html").lower().startswith(HTML)
           and urlsplit(p.final_url or p.url).hostname == host]
    rng = random.Random(seed)
    by_level = {d: sorted({p.final_url or p.url: p for p in fit if p.depth == d}.values(), key=lambda p: p.url)
                for d in (1, 2)}
    chosen: list[Crawled] = []
    half = (size + 1) // 2
    for depth, want in ((1, half), (2, size - half)):
        pool = by_level[depth]
        chosen += rng.sample(pool, min(want, len(pool)))
    rest = [p for d in (1, 2) for p in by_level[d] if p not in chosen]
    chosen += rng.sample(rest, min(size - len(chosen), len(rest)))
    return sorted(chosen, key=lambda p: (p.depth, p.url))


def ask(url: str, address: str, timeout: float, retry_after: float) -> dict:
    """GET over IPv6; a failure is asked once more (a dropped packet is not a missing IPv6 service)."""
    answer = get(url, address, timeout)
    if answer.status is None or answer.status >= 500:
        time.sleep(retry_after)
        answer = get(url, address, timeout)
    return {"url": url, "address": address, **answer.contract()}
