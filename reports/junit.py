"""JUnit XML (out_dir/junit.xml) for CI dashboards: a testsuite per site, a testcase per site × rule.

- The rules are the run's (``result.rules``); a site gets a testcase for each rule that applies to its level
  (``RuleInfo.levels``), and for any other rule it has a finding of.
- A testcase has a ``<failure>`` per finding (message = the finding's message, type = its severity; the
  text gives URL, 父页面, kind, evidence and the finding id). A testcase is a rule, so a problem that breaks
  several rules (checks.problems) fails each of their testcases; its failure text names the problem and the other
  rules (the 整改清单 lists it once). Waived findings are not failures: they are listed
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

from checks.result import AuditResult, Finding, NotTested, Problem, RuleInfo, SiteVerdict

from . import labels as L
from .labels import WHOLE_SITE
from .text import clean_text as _x

NAME = "junit.xml"


def _reason(n: NotTested) -> str:
    return f"{n.reason_label}（{n.reason}）" + (f"：{n.detail}" if n.detail else "")


def _failure_text(f: Finding, problem: Problem) -> str:
    lines = [f"URL: {f.url or '—'}"]
    if f.parent_url:
        lines.append(f"父页面: {f.parent_url}")
    lines.append(f"问题类型: {f.kind_label} ({f.kind})")
    lines.append(f"严重程度: {f.severity_label}"
                 + (f"，扣 {L.value_text(f.points)} 分" if f.severity == "deduct" and f.points else ""))
    lines.append(f"状态: {f.status_label}")
    lines.append(f"编号: {f.short_id} ({f.id})")
    if len(problem.findings) > 1:
        others = "、".join(r for r in problem.rules if r != f.rule)
        lines.append(f"同一问题: {problem.short_id}，另见规则 {others}")
    lines += [f"{k}: {v}" for k, v in L.evidence_pairs(f.evidence)]
    return "\n".join(lines)


def _applies(rule: RuleInfo, site: SiteVerdict) -> bool:
    return not rule.levels or site.level in rule.levels


def build(result: AuditResult) -> ET.Element:
    root = ET.Element("testsuites", name="gkaudit")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    timestamp = L.local_time(result.generated_at).isoformat()
    for site in result.sites:
        sid = site.site
        suite = ET.SubElement(root, "testsuite", name=_x(sid), timestamp=timestamp)
        props = ET.SubElement(suite, "properties")
        for key, value in (("name", site.name), ("url", site.url), ("as_of", result.as_of),
                           ("verdict", site.verdict), ("score", site.score)):
            if value is not None:
                ET.SubElement(props, "property", name=key, value=_x(L.value_text(value)))
        whole = [n for n in site.not_tested if n.rule is None]
        by_rule_nt: dict[str, list[NotTested]] = {}
        for n in site.not_tested:
            if n.rule:
                by_rule_nt.setdefault(n.rule, []).append(n)
        by_rule: dict[str, list[Finding]] = {}
        problem_of: dict[str, Problem] = {}
        for p in result.problems_of(sid):
            for f in p.findings:
                by_rule.setdefault(f.rule, []).append(f)
                problem_of[f.id] = p
        cases = [r for r in result.rules if _applies(r, site) or r.id in by_rule]
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        if not cases and whole:
            case = ET.SubElement(suite, "testcase", classname=_x(f"gkaudit.{sid}"), name=WHOLE_SITE, time="0")
            ET.SubElement(case, "skipped", message=_x("；".join(_reason(n) for n in whole)))
            counts["tests"] += 1
            counts["skipped"] += 1
        for rule in cases:
            rid = rule.id
            name = f"{rid} {rule.title}" if rule.title else rid
            case = ET.SubElement(suite, "testcase", classname=_x(f"gkaudit.{sid}"), name=_x(name), time="0")
            counts["tests"] += 1
            found = by_rule.get(rid, [])
            active = [f for f in found if f.status != "waived"]
            notes = [f"已豁免: {f.message} ({f.url}) 编号 {f.short_id}" for f in found if f.status == "waived"]
            untested = by_rule_nt.get(rid, []) + whole
            for f in active:
                failure = ET.SubElement(case, "failure", message=_x(f.message or rid), type=f.severity)
                failure.text = _x(_failure_text(f, problem_of[f.id]))
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


def write(out_dir: Path, result: AuditResult) -> Path:
    path = out_dir / NAME
    root = build(result)
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return path
