"""https: the site's HTTPS as the network probe saw it after the crawl (GUIDE-14), and mixed content on its pages."""
from __future__ import annotations

import re
from datetime import date, timezone

from checks.base import CheckResult, CheckType, Hit
from checks.rule import Rule
from checks.snapshot import SiteSnapshot

ASPECTS = ("certificate", "expiry", "https", "redirect", "hsts", "mixed_content")
# What a certificate's failed verification means to a webmaster (crawler/netprobe/tls.py reasons)
REASONS = {"expired": "已过期", "not_yet_valid": "尚未生效", "untrusted": "不受信任（签发机构不在可信 CA 列表中，或为自签名证书）",
           "hostname": "与网站域名不符", "protocol": "握手失败：服务器只支持已淘汰的 TLS 协议或加密套件", "other": "无效"}
# Subresources a browser loads into the page (an <a href> to http:// is only a link, not mixed content)
MIXED_TAGS = {"script": "脚本", "iframe": "框架", "frame": "框架", "embed": "插件", "object": "插件", "img": "图片",
              "source": "媒体", "video": "媒体", "audio": "媒体", "track": "媒体", "css": "样式中的图片或字体",
              "link": "样式表"}
# Why nothing spoke TLS there, in a webmaster's words (crawler/netprobe: error names and OpenSSL reasons)
NO_SERVICE = {"refused": "连接被拒绝", "unreachable": "地址不可达", "timeout": "连接超时", "reset": "连接被重置",
              "WRONG_VERSION_NUMBER": "该端口是普通 HTTP 服务", "HTTP_REQUEST": "该端口是普通 HTTP 服务",
              "RECORD_LAYER_FAILURE": "该端口不是 HTTPS 服务", "UNEXPECTED_EOF_WHILE_READING": "握手时连接被关闭",
              "EOF": "握手时连接被关闭"}
MAX_AGE = re.compile(r"max-age\s*=\s*\"?(\d+)", re.I)
EXAMPLES = 10


class Https(CheckType):
    """Judge the site's HTTPS from the network probe of the crawl (crawl option `network`, `store.SiteNetwork`)
    and the links of its crawled pages.

    `params.aspects` chooses what a rule judges: `certificate` (the handshake failed verification — expired, not
    yet valid, untrusted issuer, wrong host name, only outdated protocols), `expiry` (a valid certificate ends
    within `params.expiry_days` of the probe), `https` (no HTTPS at all: a finding only with
    `params.require_https: true`), `redirect` (http:// answers without leading to https://), `hsts` (the HTTPS
    homepage of a site served over HTTPS sends no Strict-Transport-Security with a max-age) and `mixed_content`
    (an https page loads a script, style sheet, frame, image or media over http://; links and forms are not
    mixed content). A site with no HTTPS service (refused, or a plain-HTTP answer to a TLS handshake) is
    `not_tested` (`no_https`) unless HTTPS is required; without a probe (network off, an interrupted crawl) the
    rule is `not_tested` (`not_probed`, `interrupted`).
    """

    def validate(self, params):
        aspects = params.get("aspects")
        if not aspects or not isinstance(aspects, list) or any(a not in ASPECTS for a in aspects):
            return f"params.aspects 必须是 {'/'.join(ASPECTS)} 中的若干项"
        if "expiry" in aspects and not (isinstance(params.get("expiry_days"), int) and params["expiry_days"] > 0):
            return "params.expiry_days 必须是正整数"
        if not isinstance(params.get("require_https", False), bool):
            return "params.require_https 必须是 true 或 false"
        return None

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        net, aspects = snap.network, rule.params["aspects"]
        if net is None or net.tls is None:
            return CheckResult(not_tested=[snap.unprobed()])
        home = snap.home
        on_https = bool(net.http_redirect) or bool(home and (home.final_url or home.url).startswith("https://"))
        if not on_https and net.tls in ("absent", "error"):
            said = NO_SERVICE.get(net.tls_error or "", net.tls_error or "无应答")
            why = f"{net.https_url} 没有 HTTPS 服务（{said}）"
            if "https" in aspects and rule.params.get("require_https"):
                return CheckResult([Hit(net.https_url or snap.site.url, f"网站未启用 HTTPS：{why}",
                                        {"https_url": net.https_url, "error": net.tls_error}, locator="https-absent")])
            return CheckResult(not_tested=[("no_https", f"网站未启用 HTTPS，证书和 HTTPS 配置无从检查：{why}")])
        if net.tls in ("absent", "error"):  # the crawl read its pages over HTTPS: the probe did not get through
            reason = "timeout" if net.tls_error == "timeout" else "unreachable"
            said = NO_SERVICE.get(net.tls_error or "", net.tls_error)
            return CheckResult(not_tested=[(reason, f"HTTPS 检测未完成：{net.https_url}（{said}）")])
        hits = []
        for aspect in aspects:
            hit = getattr(self, f"_{aspect}")(rule, snap, net, on_https)
            if hit:
                hits.append(hit)
        return CheckResult(hits)

    def _certificate(self, rule, snap, net, on_https):
        if net.tls != "invalid":
            return None
        said = [f"到期时间 {_day(net.cert_not_after)}"] if net.cert_not_after else []
        if net.tls_reason in (None, "other", "protocol"):  # no plainer words for it: the handshake's own
            said.insert(0, str(net.tls_error))
        detail = f"（{'，'.join(said)}）" if said else ""
        return Hit(net.https_url, f"HTTPS 证书{REASONS.get(net.tls_reason, '无效')}：{net.https_url}{detail}",
                   _cert_evidence(net), locator="https-certificate")

    def _expiry(self, rule, snap, net, on_https):
        if net.tls != "valid" or net.cert_not_after is None:
            return None
        left = (_utc(net.cert_not_after) - _utc(net.probed_at)).days
        if left >= rule.params["expiry_days"]:
            return None
        return Hit(net.https_url, f"HTTPS 证书将于 {_day(net.cert_not_after)} 到期（检测时剩余 {left} 天，不足 "
                                  f"{rule.params['expiry_days']} 天），请及时更换", _cert_evidence(net) | {"days_left": left},
                   locator="https-expiry")

    def _https(self, rule, snap, net, on_https):
        return None  # an HTTPS service answered (its absence is decided in run())

    def _redirect(self, rule, snap, net, on_https):
        if net.http_redirect or not net.http_url or net.http_error:
            return None  # led to https://, or http:// serves nothing to be led from
        return Hit(net.http_url, f"以 http:// 访问 {net.http_url} 时没有跳转到 HTTPS 地址（{net.https_url} 可用）",
                   {"http_url": net.http_url, "https_url": net.https_url}, locator="https-redirect")

    def _hsts(self, rule, snap, net, on_https):
        if net.tls != "valid" or not on_https:
            return None
        age = MAX_AGE.search(net.hsts or "")
        if age and int(age.group(1)) > 0:
            return None
        said = f"（收到 {net.hsts!r}）" if net.hsts else ""
        return Hit(net.https_url, f"HTTPS 首页没有设置有效的 Strict-Transport-Security（HSTS）响应头{said}",
                   {"https_url": net.https_url, "hsts": net.hsts}, locator="https-hsts")

    def _mixed_content(self, rule, snap, net, on_https):
        found: dict[str, list] = {}
        for link in snap.links:
            if not link.target_url.startswith("http://") or link.tag not in MIXED_TAGS:
                continue
            if link.tag == "link" and not link.target_url.split("?", 1)[0].lower().endswith(".css"):
                continue  # <link rel=canonical|alternate> is no resource the page loads
            page = snap.pages.get(link.page_url)
            if page is None or page.status != 200 or not (page.final_url or page.url).startswith("https://"):
                continue
            found.setdefault(link.page_url, []).append(link)
        if not found:
            return None
        targets = {lk.target_url: lk.tag for links in found.values() for lk in links}
        kinds: dict[str, int] = {}
        for tag in targets.values():
            kinds[MIXED_TAGS[tag]] = kinds.get(MIXED_TAGS[tag], 0) + 1
        what = "、".join(f"{kind} {n} 个" for kind, n in kinds.items())
        first = next(iter(found))
        return Hit(first, f"{len(found)} 个 HTTPS 页面通过 http:// 加载了 {len(targets)} 个资源（{what}），浏览器会提示"
                          f"不安全或拦截脚本、样式表和框架", {
                       "https_pages": len(found), "resources": len(targets),
                       "examples": [{"page": page, "resource": lk.target_url, "tag": lk.tag}
                                    for page, links in list(found.items())[:EXAMPLES] for lk in links[:1]]},
                   locator="https-mixed-content")


def _utc(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _day(moment) -> str:
    return _utc(moment).date().isoformat()


def _cert_evidence(net) -> dict:
    return {"https_url": net.https_url, "reason": net.tls_reason, "error": net.tls_error,
            "not_after": _utc(net.cert_not_after).isoformat() if net.cert_not_after else None,
            "subject": net.cert_subject, "issuer": net.cert_issuer}
