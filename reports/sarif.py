"""SARIF 2.1.0 (out_dir/gkaudit.sarif): findings for code-scanning UIs, located by URL.

One run. ``tool.driver``: name gkaudit, and ``rules`` (``result.rules``, every rule judged): id, name (the kind,
else the id), shortDescription (title), fullDescription (why), help (fix), defaultConfiguration.level, properties
(basis, severity, evidence tag, kind). Each problem (checks.problems: the findings of every rule about one thing)
is a result: ruleId/ruleIndex of its most severe rule, ``properties.rules`` all of them, level (veto → error, deduct → warning, advice → note),
message, ``locations[0].physicalLocation.artifactLocation.uri`` = the URL (non-ASCII percent-encoded),
the 父页面 as a relatedLocation, ``partialFingerprints["gkauditFindingId/v1"]`` = the problem id (the finding id when one rule finds it), and
``baselineState`` from the lifecycle (new/reopened → new, open → unchanged). A waived finding carries an
accepted external suppression. Not-tested items are ``toolExecutionNotifications`` of the invocation.
"""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path
from urllib.parse import quote

from checks.result import AuditResult, Problem, RuleInfo, SiteVerdict

from .labels import WHOLE_SITE
from .text import clean_json, clean_text

NAME = "gkaudit.sarif"
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
VERSION = "2.1.0"
INFO_URI = "https://github.com/gkaudit/gkaudit"
LEVEL = {"veto": "error", "deduct": "warning", "advice": "note"}
BASELINE = {"new": "new", "reopened": "new", "open": "unchanged", "waived": "unchanged"}
FINGERPRINT = "gkauditFindingId/v1"
_URI_SAFE = ":/?#[]@!$&'()*+,;=%~-._"


def uri(url: str) -> str:
    """A URI reference: non-ASCII, spaces and other unsafe characters percent-encoded, % kept."""
    return quote(url.strip(), safe=_URI_SAFE)


def _text(value) -> dict:
    return {"text": clean_text(value)}


def driver_rule(rule: RuleInfo) -> dict:
    out: dict = {"id": rule.id, "name": rule.kind or rule.id}
    out["shortDescription"] = _text(rule.title or rule.id)
    if rule.why:
        out["fullDescription"] = _text(rule.why)
    if rule.fix:
        out["help"] = _text(rule.fix)
    if rule.severity in LEVEL:
        out["defaultConfiguration"] = {"level": LEVEL[rule.severity]}
    props = {k: getattr(rule, k) for k in ("basis", "severity", "evidence", "kind") if getattr(rule, k) is not None}
    tags = [t for t in (rule.kind, rule.severity) if t]
    if tags:
        props["tags"] = tags
    if props:
        out["properties"] = props
    return out


def sarif_result(f: Problem, index: dict[str, int], site: SiteVerdict) -> dict:
    rule = f.rules[0]
    res: dict = {"ruleId": rule, "ruleIndex": index[rule], "level": LEVEL.get(f.severity, "warning"),
                 "message": _text(f.message or f.rule)}
    target = f.url or site.url
    if target:
        res["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": uri(target)}}}]
    if f.parent_url:
        res["relatedLocations"] = [{"id": 1, "message": _text("父页面"),
                                    "physicalLocation": {"artifactLocation": {"uri": uri(f.parent_url)}}}]
    res["partialFingerprints"] = {FINGERPRINT: f.id}
    if f.status in BASELINE:
        res["baselineState"] = BASELINE[f.status]
    if f.status == "waived":
        res["suppressions"] = [{"kind": "external", "status": "accepted", "justification": "已豁免（gkaudit waive）"}]
    props = {"site": f.site, "rules": list(f.rules), "kind": f.kind, "severity": f.severity, "status": f.status, "points": f.points,
             "shortId": f.short_id, "firstSeen": f.first_seen.isoformat(timespec="seconds") if f.first_seen else None,
             "evidence": f.evidence or {}}
    res["properties"] = {k: v for k, v in props.items() if v is not None}
    return res


def _version() -> str | None:
    try:
        return metadata.version("gkaudit")
    except metadata.PackageNotFoundError:
        return None


def build(result: AuditResult) -> dict:
    rules = result.rules
    index = {r.id: i for i, r in enumerate(rules)}
    results, notes = [], []
    for site in result.sites:
        results += [sarif_result(f, index, site) for f in result.problems_of(site.site)]
        for n in site.not_tested:
            note = {"level": "note", "message": _text(
                f"{site.site} {n.rule or WHOLE_SITE} 未检测：{n.reason_label}" + (f"（{n.detail}）" if n.detail else "")),
                "properties": {"site": site.site, "reason": n.reason}}
            if n.rule in index:
                note["associatedRule"] = {"id": n.rule, "index": index[n.rule]}
            notes.append(note)
    run = result.run
    invocation = {"executionSuccessful": run.complete}
    if notes:
        invocation["toolExecutionNotifications"] = notes
    return {
        "$schema": SCHEMA,
        "version": VERSION,
        "runs": [{
            "tool": {"driver": {"name": "gkaudit", "informationUri": INFO_URI,
                                **({"semanticVersion": v} if (v := _version()) else {}),
                                "rules": [driver_rule(r) for r in rules]}},
            "automationDetails": {"id": f"gkaudit/{result.as_of.isoformat()}/{run.id}"},
            "invocations": [invocation],
            "results": results,
            "properties": {"asOf": result.as_of.isoformat(), "run": run.id,
                           "sites": [{"site": s.site, "verdict": s.verdict, "score": s.score} for s in result.sites]},
        }],
    }


def write(out_dir: Path, result: AuditResult) -> Path:
    path = out_dir / NAME
    path.write_text(json.dumps(clean_json(build(result)), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
