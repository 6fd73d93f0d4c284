"""Turn the checks' result dict into rows and groups both writers share.

Ordering and numbering live here, once, so 序号 7 in the HTML is 序号 7 in the XLSX. Nothing here
judges compliance: verdicts, scores, severities and points are copied from the result as given.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from . import labels as L


@dataclass
class Row:
    """One 整改清单 line (one finding), with display strings resolved."""

    seq: int
    finding: dict
    site: dict
    type: str  # 问题类型
    severity: str
    extras: list[tuple[str, Any]] = field(default_factory=list)  # kind-specific columns

    @property
    def kind(self) -> str:
        return self.finding.get("kind") or ""


def safe_href(url: Any) -> str | None:
    """The URL if it is safe to link to (http/https); page content is untrusted."""
    if not isinstance(url, str):
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def type_label(finding: dict) -> str:
    """问题类型 shown for a finding: the checks' label, else ours, else the raw kind."""
    return finding.get("kind_label") or L.KIND.get(finding.get("kind"), "") or finding.get("title") \
        or finding.get("kind") or "其他"


def _extras(finding: dict) -> list[tuple[str, Any]]:
    ev = finding.get("evidence") or {}
    kind = finding.get("kind")
    if kind == "link-broken":
        return [("链接标题", ev.get("anchor")), ("错误描述", L.error_text(ev))]
    if kind == "column-stale":
        return [("栏目名称", ev.get("column_name")), ("最后更新日期", ev.get("newest_date")),
                ("未更新天数", ev.get("days"))]
    return []


def _severity_rank(sev: str) -> int:
    return L.SEVERITY_ORDER.index(sev) if sev in L.SEVERITY_ORDER else len(L.SEVERITY_ORDER)


def site_rows(site: dict, findings: list[dict]) -> list[Row]:
    """The site's findings ordered veto → deduct → advice, grouped by 问题类型, then numbered.

    Inside a group the checks' order is kept (stable sort), so reruns list rows the same way.
    """
    def key(f: dict):
        return (_severity_rank(f.get("severity")), L.KIND_ORDER.get(f.get("kind"), len(L.KIND_ORDER)),
                type_label(f))

    ordered = sorted(findings, key=key)
    return [Row(seq=i, finding=f, site=site, type=type_label(f), severity=f.get("severity") or "",
                extras=_extras(f)) for i, f in enumerate(ordered, 1)]


def sections(rows: list[Row]) -> list[dict]:
    """Rows as [{severity, label, count, groups: [{type, rows}]}] for the HTML headings."""
    out: list[dict] = []
    for row in rows:
        if not out or out[-1]["severity"] != row.severity:
            out.append({"severity": row.severity, "label": L.label(L.SEVERITY, row.severity), "groups": [],
                        "count": 0})
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


SITE_DEFAULTS = {"name": "", "url": None, "level": None, "site_id_code": None, "supervisor": None,
                 "verdict": None, "score": None, "counts": {}, "not_tested": [], "pages": None,
                 "history": [], "resolved": None}
NO_SUPERVISOR = "未填写主管单位"
ID_CHARS = 8  # a finding id prefix is enough for `gkaudit waive ID`


def short_id(finding: dict) -> str:
    """The finding id as shown to people (first 8 characters), '' when the checks gave none."""
    return str(finding.get("id") or "")[:ID_CHARS]


def with_defaults(result: dict) -> dict:
    """A shallow copy whose sites carry every optional key, so templates need no guards."""
    gone = result.get("resolved") or []
    sites = []
    for s in result.get("sites") or []:
        n = s.get("resolved")
        if not isinstance(n, int) or isinstance(n, bool):  # the checks' count; else count the list
            n = sum(1 for f in gone if f.get("site") == s.get("site"))
        sites.append({**SITE_DEFAULTS, **s, "counts": s.get("counts") or {}, "not_tested": s.get("not_tested") or [],
                      "history": s.get("history") or [], "resolved": n})
    return {**result, "sites": sites, "findings": result.get("findings") or [], "run": result.get("run") or {},
            "resolved": result.get("resolved") or []}


def resolved_by_site(result: dict) -> dict[str, list[dict]]:
    """Fixed findings (result["resolved"]) per site id, in the checks' order."""
    ids = {s["site"] for s in result.get("sites", [])}
    out: dict[str, list[dict]] = {i: [] for i in ids}
    for f in result.get("resolved") or []:
        if f.get("site") not in ids:
            raise ValueError(f"resolved finding for unknown site {f.get('site')!r} (rule {f.get('rule')!r})")
        out[f["site"]].append(f)
    return out


def has_supervisors(sites: list[dict]) -> bool:
    return any(s.get("supervisor") for s in sites)


def supervisor_groups(sites: list[dict]) -> list[tuple[str, list[dict]]]:
    """Sites per 主管单位, first appearance first; sites without one go last under NO_SUPERVISOR."""
    groups: dict[str, list[dict]] = {}
    for s in sites:
        if s.get("supervisor"):
            groups.setdefault(str(s["supervisor"]), []).append(s)
    rest = [s for s in sites if not s.get("supervisor")]
    out = list(groups.items())
    return out + ([(NO_SUPERVISOR, rest)] if rest else [])


def group_totals(sites: list[dict]) -> dict:
    """Counts for one group of sites: how many sites per verdict and findings per severity (sums only)."""
    def total(key: str) -> int:
        return sum((s.get("counts") or {}).get(key, 0) or 0 for s in sites)

    return {
        "sites": len(sites),
        **{v: sum(1 for s in sites if s.get("verdict") == v) for v in ("pass", "fail", "not_tested")},
        **{k: total(k) for k in ("veto", "deduct", "advice", "new", "waived")},
        "resolved": sum(s.get("resolved") or 0 for s in sites),
    }


def findings_by_site(result: dict) -> dict[str, list[dict]]:
    """Findings per site id; a finding for an unknown site is a bug upstream, so say so."""
    ids = {s["site"] for s in result.get("sites", [])}
    out: dict[str, list[dict]] = {i: [] for i in ids}
    for f in result.get("findings", []):
        if f.get("site") not in ids:
            raise ValueError(f"finding for unknown site {f.get('site')!r} (rule {f.get('rule')!r})")
        out[f["site"]].append(f)
    return out


def ranked_sites(sites: list[dict]) -> list[dict]:
    """Sites by score, best first; not-tested (or unscored) sites last. Adds rank (ties share it)."""
    def tested(s: dict) -> bool:
        return s.get("verdict") != "not_tested" and s.get("score") is not None

    order = sorted(sites, key=lambda s: (not tested(s), -(s.get("score") or 0), s.get("site", "")))
    out, prev, rank = [], None, 0
    for i, s in enumerate(order, 1):
        if tested(s):
            if s["score"] != prev:
                rank, prev = i, s["score"]
            out.append({**s, "rank": rank})
        else:
            out.append({**s, "rank": None})
    return out


RULE_KEYS = ("id", "title", "kind", "severity", "why", "fix", "basis", "evidence")


def rule_catalog(result: dict) -> list[dict]:
    """The rules the CI outputs report on, each with RULE_KEYS (None when unknown).

    ``result["rules"]`` when the CLI gives it; a rule that a finding or a not_tested entry names but the
    list lacks is appended, so nothing is dropped. Without the list, the rules come from the findings
    (title, kind, severity, fix, basis of the first finding of that rule) and the not_tested entries,
    first appearance first.
    """
    out: dict[str, dict] = {}
    for r in result.get("rules") or []:
        if r.get("id") and r["id"] not in out:
            out[str(r["id"])] = {**{k: None for k in RULE_KEYS}, **r, "id": str(r["id"])}
    for f in result.get("findings") or []:
        rid = f.get("rule")
        if rid and rid not in out:
            out[rid] = {**{k: None for k in RULE_KEYS}, "id": rid, "title": f.get("title") or f.get("kind_label"),
                        "kind": f.get("kind"), "severity": f.get("severity"), "fix": f.get("fix"),
                        "basis": f.get("basis")}
    for s in result.get("sites") or []:
        for n in s.get("not_tested") or []:
            rid = n.get("rule")
            if rid and rid not in out:
                out[rid] = {**{k: None for k in RULE_KEYS}, "id": rid}
    return list(out.values())
