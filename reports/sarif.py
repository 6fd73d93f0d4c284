"""SARIF 2.1.0 (out_dir/gkaudit.sarif): findings for code-scanning UIs, located by URL.

One run. ``tool.driver``: name gkaudit, and ``rules`` from ``result["rules"]`` (else derived from the
findings, see ``rows.rule_catalog``): id, name (the kind, else the id), shortDescription (title),
fullDescription (why), help (fix), defaultConfiguration.level, properties (basis, severity, evidence tag,
kind). Each finding is a result: ruleId/ruleIndex, level (veto → error, deduct → warning, advice → note),
message, ``locations[0].physicalLocation.artifactLocation.uri`` = the URL (non-ASCII percent-encoded),
the 父页面 as a relatedLocation, ``partialFingerprints["gkauditFindingId/v1"]`` = the finding id, and
``baselineState`` from the lifecycle (new/reopened → new, open → unchanged). A waived finding carries an
accepted external suppression. Not-tested items are ``toolExecutionNotifications`` of the invocation.
"""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path
from urllib.parse import quote

from . import labels as L
from .rows import findings_by_site, rule_catalog, short_id

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
    return {"text": str(value)}


def driver_rule(rule: dict) -> dict:
    out: dict = {"id": rule["id"], "name": rule.get("kind") or rule["id"]}
    out["shortDescription"] = _text(rule.get("title") or rule["id"])
    if rule.get("why"):
        out["fullDescription"] = _text(rule["why"])
    if rule.get("fix"):
        out["help"] = _text(rule["fix"])
    if rule.get("severity") in LEVEL:
        out["defaultConfiguration"] = {"level": LEVEL[rule["severity"]]}
    props = {k: rule[k] for k in ("basis", "severity", "evidence", "kind") if rule.get(k) is not None}
    tags = [t for t in (rule.get("kind"), rule.get("severity")) if t]
    if tags:
        props["tags"] = tags
    if props:
        out["properties"] = props
    return out


def sarif_result(f: dict, index: dict[str, int], site: dict) -> dict:
    res: dict = {"ruleId": f["rule"], "ruleIndex": index[f["rule"]], "level": LEVEL.get(f.get("severity"), "warning"),
                 "message": _text(f.get("message") or f["rule"])}
    target = f.get("url") or site.get("url")
    if target:
        res["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": uri(target)}}}]
    if f.get("parent_url"):
        res["relatedLocations"] = [{"id": 1, "message": _text("父页面"),
                                    "physicalLocation": {"artifactLocation": {"uri": uri(f["parent_url"])}}}]
    if f.get("id"):
        res["partialFingerprints"] = {FINGERPRINT: str(f["id"])}
    if f.get("status") in BASELINE:
        res["baselineState"] = BASELINE[f["status"]]
    if f.get("status") == "waived":
        res["suppressions"] = [{"kind": "external", "status": "accepted", "justification": "已豁免（gkaudit waive）"}]
    props = {"site": f.get("site"), "kind": f.get("kind"), "severity": f.get("severity"), "status": f.get("status"),
             "points": f.get("points"), "shortId": short_id(f) or None, "firstSeen": f.get("first_seen"),
             "evidence": f.get("evidence") or {}}
    res["properties"] = {k: v for k, v in props.items() if v is not None}
    return res


def _version() -> str | None:
    try:
        return metadata.version("gkaudit")
    except metadata.PackageNotFoundError:
        return None


def build(result: dict) -> dict:
    rules = rule_catalog(result)
    index = {r["id"]: i for i, r in enumerate(rules)}
    per_site = findings_by_site(result)
    results, notes = [], []
    for site in result.get("sites") or []:
        results += [sarif_result(f, index, site) for f in per_site[site["site"]]]
        for n in site.get("not_tested") or []:
            note = {"level": "note", "message": _text(
                f"{site['site']} {n.get('rule') or '整站'} 未检测：{L.label(L.NOT_TESTED_REASON, n.get('reason'))}"
                + (f"（{n['detail']}）" if n.get("detail") else "")),
                "properties": {"site": site["site"], "reason": n.get("reason")}}
            if n.get("rule") in index:
                note["associatedRule"] = {"id": n["rule"], "index": index[n["rule"]]}
            notes.append(note)
    run = result.get("run") or {}
    invocation = {"executionSuccessful": bool(run.get("complete", True))}
    if notes:
        invocation["toolExecutionNotifications"] = notes
    return {
        "$schema": SCHEMA,
        "version": VERSION,
        "runs": [{
            "tool": {"driver": {"name": "gkaudit", "informationUri": INFO_URI,
                                **({"semanticVersion": v} if (v := _version()) else {}),
                                "rules": [driver_rule(r) for r in rules]}},
            "automationDetails": {"id": f"gkaudit/{result.get('as_of') or ''}/{run.get('id') or ''}"},
            "invocations": [invocation],
            "results": results,
            "properties": {"asOf": result.get("as_of"), "run": run.get("id"),
                           "sites": [{"site": s["site"], "verdict": s.get("verdict"), "score": s.get("score")}
                                     for s in result.get("sites") or []]},
        }],
    }


def write_sarif(out_dir: Path, result: dict) -> Path:
    path = Path(out_dir) / "gkaudit.sarif"
    path.write_text(json.dumps(build(result), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
