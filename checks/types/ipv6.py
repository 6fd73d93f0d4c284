"""ipv6: the site's IPv6 as the network probe saw it after the crawl (GUIDE-10 / GWS-D7 「已完成IPv6改造」)."""
from __future__ import annotations

from datetime import date

from checks.base import CheckResult, CheckType, Hit
from checks.rule import Rule
from checks.snapshot import SiteSnapshot
from core.vocab import BLOCKING_STATUSES

EXAMPLES = 10


def _reached(answer: dict) -> bool | None:
    """True when IPv6 gave an HTTP answer (below 400), False when it did not, None when a WAF's answer (403, a
    challenge …) neither proves nor disproves it."""
    status = answer.get("status")
    if status in BLOCKING_STATUSES:
        return None
    return status is not None and status < 400


class Ipv6(CheckType):
    """Judge IPv6 from the network probe of the crawl (crawl option `network`, `store.SiteNetwork`): the host's
    AAAA records, then — from an auditing host that can route to them — the homepage and a sample of second- and
    third-level pages (those the crawl reached over IPv4 at depth 1 and 2, `GKAUDIT_IPV6_SAMPLE`) fetched over
    IPv6 with the site's own Host header.

    No AAAA record (the resolver answered that the name has none; NAT64 addresses a DNS64 resolver made up are
    not the site's) is a finding; so is a homepage that does not answer over IPv6, or fewer than
    `params.min_share` of the sampled pages answering (a failed request is asked twice; a WAF's 403/412/429/521
    counts neither way). An auditing host without an IPv6 route to the AAAA addresses (no global IPv6 address
    for a global one) makes the rule `not_tested` (`no_ipv6_route`), never a finding; so do a site registered by
    its IPv4 address (`ip_address`), a failed look-up (`dns`) and a crawl without probes (`not_probed`).
    """

    def validate(self, params):
        share = params.get("min_share")
        if not (isinstance(share, (int, float)) and not isinstance(share, bool) and 0 < share <= 1):
            return "params.min_share 必须是 0 到 1 之间的小数（1 表示全部可访问）"
        return None

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        net = snap.network
        if net is None or net.dns is None:
            return CheckResult(not_tested=[snap.unprobed()])
        host, resolver = net.host, "系统 DNS" if net.nameserver in (None, "system") else f"DNS 服务器 {net.nameserver}"
        if net.dns == "ip":
            return CheckResult(not_tested=[("ip_address", f"网站清单登记的网址以 IPv4 地址 {host} 访问，没有可查询 AAAA "
                                                          "记录的域名；请在网站清单中登记网站域名")])
        if net.dns in ("error", "nxdomain"):
            why = net.dns_error or ("域名不存在" if net.dns == "nxdomain" else "解析失败")
            return CheckResult(not_tested=[("dns", f"查询 {host} 的 AAAA 记录失败（{why}，{resolver}）")])
        if net.dns == "nodata" or not net.aaaa:
            extra = f"；{net.dns_error}，不是网站自己的 IPv6 地址" if net.dns_error else ""
            return CheckResult([Hit(snap.site.url, f"域名 {host} 没有 AAAA 记录，网站不能通过 IPv6 访问（{resolver}{extra}）",
                                    {"host": host, "nameserver": net.nameserver, "dns": net.dns, "note": net.dns_error},
                                    locator="ipv6-aaaa")])
        addresses = ", ".join(net.aaaa)
        if not net.ipv6_route:
            source = f"本机 IPv6 地址 {net.ipv6_source}" if net.ipv6_source else "本机没有可用的 IPv6 地址"
            return CheckResult(not_tested=[("no_ipv6_route", f"{host} 有 AAAA 记录（{addresses}），但审计主机没有通往这些地址"
                                                             f"的 IPv6 路由（{source}），首页和二、三级页面能否通过 IPv6 访问未验证")])
        home = net.ipv6_home or {}
        reached = _reached(home)
        if reached is None:
            return CheckResult(not_tested=[("blocked", f"通过 IPv6 访问首页 {home.get('url')} 被拦截"
                                                       f"（HTTP {home.get('status')}）")])
        if not reached:
            return CheckResult([Hit(home.get("url") or snap.site.url,
                                    f"首页不能通过 IPv6 访问：[{home.get('address')}] {_said(home)}（AAAA：{addresses}）",
                                    {"host": host, "aaaa": net.aaaa, "home": home}, locator="ipv6-home")])
        links = [(lk, _reached(lk)) for lk in net.ipv6_links or []]
        verifiable = [lk for lk, ok in links if ok is not None]
        failed = [lk for lk, ok in links if ok is False]
        if not verifiable:
            return CheckResult()
        share = 1 - len(failed) / len(verifiable)
        if share >= rule.params["min_share"]:
            return CheckResult()
        return CheckResult([Hit(snap.site.url, f"抽查的 {len(verifiable)} 个二、三级页面中有 {len(failed)} 个不能通过 IPv6 访问"
                                               f"（可访问比例 {share:.0%}，要求不低于 {rule.params['min_share']:.0%}）",
                                {"host": host, "aaaa": net.aaaa, "sampled": len(verifiable), "failed": len(failed),
                                 "share": round(share, 4),
                                 "examples": [{"url": lk["url"], "level": lk.get("depth", 0) + 1, "answer": _said(lk)}
                                              for lk in failed[:EXAMPLES]]},
                                locator="ipv6-links")])


def _said(answer: dict) -> str:
    return f"HTTP {answer['status']}" if answer.get("status") is not None else (answer.get("error") or "无应答")
