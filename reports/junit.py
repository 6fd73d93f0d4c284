"""JUnit XML (out_dir/junit.xml) for CI dashboards: a testsuite per site, a testcase per site × rule.

- The rules are ``result["rules"]`` when present (a rule may carry ``levels``; a site whose level is not
  listed gets no testcase for it), else the rules named by the findings and the not_tested entries — the
  same list for every site, so the matrix is complete.
- A testcase has a ``<failure>`` per finding (message = the finding's message, type = its severity; the
  text gives URL, 父页面, kind, evidence and the finding id). Waived findings are not failures: they are listed
  in ``<system-out>``.
- A testcase without findings whose rule (or the whole site) is in ``not_tested`` gets ``<skipped>`` with the
  reason. When a rule has findings *and* a not_tested entry (e.g. some links could not be verified), the
  failures stand and the not_tested note goes to ``<system-out>``.
- A site that could not be audited and has no rules to list gets one skipped testcase, ``整站``.

The exit code is the CLI's business (``--fail-on``); every finding, advice included, is a failure here.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from . import labels as L
from .rows import findings_by_site, rule_catalog, short_id

_ILLEGAL_XML = {c for c in range(32) if c not in (9, 10, 13)}


def _x(value) -> str:
    """Text safe for XML 1.0 (page text may carry control characters)."""
    text = "" if value is None else str(value)
    return "".join(ch for ch in text if ord(ch) not in _ILLEGAL_XML and not 0xD800 <= ord(ch) <= 0xDFFF
                   and ch not in "\ufffe\uffff")


def _reason(n: dict) -> str:
    return f"{L.label(L.NOT_TESTED_REASON, n.get('reason'))}（{n.get('reason')}）" + (
        f"：{n['detail']}" if n.get("detail") else "")


def _failure_text(f: dict) -> str:
    lines = [f"URL: {f.get('url') or '—'}"]
    if f.get("parent_url"):
        lines.append(f"父页面: {f['parent_url']}")
    lines.append(f"问题类型: {f.get('kind_label') or L.label(L.KIND, f.get('kind'))} ({f.get('kind')})")
    lines.append(f"严重程度: {L.label(L.SEVERITY, f.get('severity'))}"
                 + (f"，扣 {L.value_text(f['points'])} 分" if f.get("severity") == "deduct" and f.get("points") else ""))
    if f.get("status"):
        lines.append(f"状态: {L.label(L.STATUS, f['status'])}")
    if f.get("id"):
        lines.append(f"编号: {short_id(f)} ({f['id']})")
    lines += [f"{k}: {v}" for k, v in L.evidence_pairs(f.get("evidence"))]
    return "\n".join(lines)


def _applies(rule: dict, site: dict) -> bool:
    levels = rule.get("levels")
    return not levels or site.get("level") is None or site.get("level") in levels


def build(result: dict) -> ET.Element:
    rules = rule_catalog(result)
    per_site = findings_by_site(result)
    root = ET.Element("testsuites", name="gkaudit")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for site in result.get("sites") or []:
        sid = site["site"]
        suite = ET.SubElement(root, "testsuite", name=_x(sid), timestamp=_x(result.get("generated_at") or ""))
        props = ET.SubElement(suite, "properties")
        for key, value in (("name", site.get("name")), ("url", site.get("url")), ("as_of", result.get("as_of")),
                           ("verdict", site.get("verdict")), ("score", site.get("score"))):
            if value is not None:
                ET.SubElement(props, "property", name=key, value=_x(L.value_text(value)))
        whole = [n for n in site.get("not_tested") or [] if n.get("rule") is None]
        by_rule_nt: dict[str, list[dict]] = {}
        for n in site.get("not_tested") or []:
            if n.get("rule"):
                by_rule_nt.setdefault(n["rule"], []).append(n)
        by_rule: dict[str, list[dict]] = {}
        for f in per_site[sid]:
            by_rule.setdefault(f.get("rule") or "", []).append(f)
        cases = [r for r in rules if _applies(r, site) or r["id"] in by_rule]
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        if not cases and whole:
            case = ET.SubElement(suite, "testcase", classname=_x(f"gkaudit.{sid}"), name="整站", time="0")
            ET.SubElement(case, "skipped", message=_x("；".join(_reason(n) for n in whole)))
            counts["tests"] += 1
            counts["skipped"] += 1
        for rule in cases:
            rid = rule["id"]
            name = f"{rid} {rule['title']}" if rule.get("title") else rid
            case = ET.SubElement(suite, "testcase", classname=_x(f"gkaudit.{sid}"), name=_x(name), time="0")
            counts["tests"] += 1
            found = by_rule.get(rid, [])
            active = [f for f in found if f.get("status") != "waived"]
            notes = [f"已豁免: {f.get('message')} ({f.get('url')}) 编号 {short_id(f)}" for f in found
                     if f.get("status") == "waived"]
            untested = by_rule_nt.get(rid, []) + whole
            for f in active:
                failure = ET.SubElement(case, "failure", message=_x(f.get("message") or rid),
                                        type=_x(f.get("severity") or "finding"))
                failure.text = _x(_failure_text(f))
            counts["failures"] += bool(active)  # failed testcases, as JUnit counts them
            if not active and untested:
                ET.SubElement(case, "skipped", message=_x("；".join(_reason(n) for n in untested)))
                counts["skipped"] += 1
            elif untested:
                notes += [f"未检测: {_reason(n)}" for n in untested]
            if notes:
                ET.SubElement(case, "system-out").text = _x("\n".join(notes))
        for k, v in counts.items():
            suite.set(k, str(v))
            totals[k] += v
        suite.set("errors", "0")
        suite.set("time", "0")
    for k, v in totals.items():
        root.set(k, str(v))
    root.set("errors", "0")
    return root


def write_junit(out_dir: Path, result: dict) -> Path:
    path = Path(out_dir) / "junit.xml"
    root = build(result)
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return path
