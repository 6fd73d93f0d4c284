"""The rows of a site's 整改清单, ordered and numbered once for every writer.

序号 7 in the HTML is 序号 7 in the XLSX and in the 整改通知, because all three render the same `SiteReport`.
Nothing here judges compliance: verdicts, scores, severities and points are the result's (checks.result).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Mapping
from urllib.parse import urlsplit

from checks.result import AuditResult, Problem, ResolvedFinding, SiteVerdict
from core.vocab import FINDING_KINDS, SEVERITY_RANK

from . import labels as L

# Inside one severity, the 问题类型 groups follow the vocabulary's order.
KIND_ORDER = {kind: i for i, kind in enumerate(FINDING_KINDS)}


@dataclass(frozen=True)
class Row:
    """One 整改清单 line: a problem (the findings of every rule about one thing) and its number."""

    seq: int
    finding: Problem
    site: SiteVerdict
    extras: tuple[tuple[str, Any], ...] = ()  # kind-specific columns
    first_found: date | datetime | None = None  # 发现时间: when the problem was first found (see SiteReport)

    @property
    def type(self) -> str:  # 问题类型
        return self.finding.kind_label

    @property
    def severity(self) -> str:
        return self.finding.severity


@dataclass(frozen=True)
class SiteReport:
    """What a site's writers render: its verdict, its numbered rows and the findings fixed since last time."""

    site: SiteVerdict
    rows: tuple[Row, ...]
    resolved: tuple[ResolvedFinding, ...]


def site_report(result: AuditResult, site: SiteVerdict,
                first_found: Mapping[str, date | datetime] | None = None) -> SiteReport:
    """The site's rows. 发现时间 is the store's first sighting of the problem (``first_seen``), unless
    ``first_found`` (problem id → date, e.g. from the rectification ledger) says otherwise; never the as-of date."""
    return SiteReport(site, tuple(site_rows(site, result.problems_of(site.site), first_found or {})),
                      tuple(result.resolved_of(site.site)))


def safe_href(url: Any) -> str | None:
    """The URL if it is safe to link to (http/https); page content is untrusted."""
    if not isinstance(url, str):
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def _extras(finding: Problem) -> tuple[tuple[str, Any], ...]:
    ev = finding.evidence or {}
    if finding.kind == "link-broken":
        return ("链接标题", ev.get("anchor")), ("错误描述", L.error_text(ev))
    if finding.kind == "column-stale":
        return ("栏目名称", ev.get("column_name")), ("最后更新日期", ev.get("newest_date")), \
            ("未更新天数", ev.get("days"))
    return ()


def site_rows(site: SiteVerdict, findings: list[Problem],
              first_found: Mapping[str, date | datetime] | None = None) -> list[Row]:
    """The site's problems ordered veto → deduct → advice, grouped by 问题类型, then numbered.

    Inside a group the checks' order is kept (stable sort), so reruns list rows the same way.
    """
    def key(f: Problem):
        return (SEVERITY_RANK.get(f.severity, len(SEVERITY_RANK)), KIND_ORDER.get(f.kind, len(KIND_ORDER)),
                f.kind_label)

    first_found = first_found or {}
    return [Row(seq=i, finding=f, site=site, extras=_extras(f), first_found=first_found.get(f.id, f.first_seen))
            for i, f in enumerate(sorted(findings, key=key), 1)]


def sections(rows: list[Row]) -> list[dict]:
    """Rows as [{severity, label, count, groups: [{type, rows}]}] for the HTML headings."""
    out: list[dict] = []
    for row in rows:
        if not out or out[-1]["severity"] != row.severity:
            out.append({"severity": row.severity, "label": row.finding.severity_label, "groups": [], "count": 0})
        out[-1]["count"] += 1
        groups = out[-1]["groups"]
        if not groups or groups[-1]["type"] != row.type:
            groups.append({"type": row.type, "rows": []})
        groups[-1]["rows"].append(row)
    return out


def by_type(rows: list[Row]) -> dict[str, list[Row]]:
    """Rows per 问题类型 (one XLSX sheet each), first appearance first."""
    out: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        out[row.type].append(row)
    return dict(out)
