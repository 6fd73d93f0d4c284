"""The supervisor's summary: why a site failed outright, and the not-tested reasons folded into one legend.

Ten sites that all lack availability samples say so once, as 注1, instead of ten times; each site's row names its
notes. A note carries the supervisor's next step (a tool command is fine here: only the supervisor reads the
summary; the bureau's documents never show one).
"""

from __future__ import annotations

from dataclasses import dataclass

from checks.result import AuditResult, SiteVerdict
from core.vocab import NOT_TESTED_REASONS, label

from .labels import WHOLE_SITE

# What the supervisor can do about a reason.
SUPERVISOR_HINTS = {
    "probes": "用 gkaudit probe 每天定时监测首页（README“可用性监测”），积累 7 天样本后再检测",
    "blocked": "请网站把检测程序的 User-Agent（gkaudit/…）和检测主机地址加入访问白名单，再申请复查",
    "robots": "请网站在 robots.txt 中允许检测程序访问相关栏目",
    "unreachable": "确认网址正确、网站可从检测主机访问后复查",
    "timeout": "网站响应过慢：可加大 --timeout 后复查",
    "budget": "页面超过抓取上限：可加大 --max-pages 后复查",
    "interrupted": "检测中断：用 gkaudit audit --resume 继续",
    "not_probed": "网络检测未运行：检测时使用 --network on",
    "no_ipv6_route": "在有 IPv6 出口的主机上检测",
    "ip_address": "在网站清单中登记网站域名",
    "no_https": "网站未启用 HTTPS：仅当本省标准要求 HTTPS 时设置 require_https",
}


@dataclass(frozen=True)
class Note:
    number: int
    text: str  # 「检测项：原因」
    hint: str  # the supervisor's next step, or ""
    sites: int  # how many sites it concerns


def veto_text(result: AuditResult, site: SiteVerdict) -> str:
    """「GWS-V4a 空白栏目」 for each rule that failed the site outright, joined with 、."""
    return "、".join(f"{r.id} {r.title}".strip() for r in result.veto_rules(site.site))


def not_tested_notes(result: AuditResult, sites: list[SiteVerdict]) -> tuple[list[Note], dict[str, list[int]]]:
    """The distinct (rule, reason) pairs of the sites' not-tested entries as numbered notes (first seen first), and
    per site id the numbers of its notes."""
    titles = {r.id: r.title for r in result.rules}
    numbers: dict[tuple, int] = {}
    counts: dict[tuple, set] = {}
    refs: dict[str, list[int]] = {}
    for site in sites:
        for n in site.not_tested:
            key = (n.rule, n.reason)
            number = numbers.setdefault(key, len(numbers) + 1)
            counts.setdefault(key, set()).add(site.site)
            if number not in refs.setdefault(site.site, []):
                refs[site.site].append(number)
    notes = []
    for (rule, reason), number in numbers.items():
        what = f"{rule} {titles.get(rule, '')}".strip() if rule else WHOLE_SITE
        notes.append(Note(number, f"{what}：{label(NOT_TESTED_REASONS, reason)}", SUPERVISOR_HINTS.get(reason, ""),
                          len(counts[(rule, reason)])))
    return notes, refs


def refs_text(numbers: list[int]) -> str:
    return "、".join(f"注{n}" for n in numbers)
