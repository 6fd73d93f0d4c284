"""Judge one stored run: every applicable rule on every site, tri-state, then score.

Reads observations from the store, writes Finding and RuleOutcome rows, and returns the result dict
that findings.json and the reports render. No network here.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, delete, select

from checks.base import CheckResult, Hit
from checks.kinds import KINDS
from checks.registry import CHECKS
from checks.rules import Rule, for_site
from checks.scoring import deductions, verdict
from checks.snapshot import SiteSnapshot, load_snapshot
from store.models import Finding, Run, RuleOutcome, SiteRun

SEVERITY_ORDER = {"veto": 0, "deduct": 1, "advice": 2}


def judge(engine: Engine, run_id: int, rules: list[Rule], as_of: date | None = None) -> dict:
    with Session(engine) as session:
        run = session.get(Run, run_id)
        as_of = as_of or run.as_of
        session.exec(delete(Finding).where(Finding.run_id == run_id))
        session.exec(delete(RuleOutcome).where(RuleOutcome.run_id == run_id))
        sites = session.exec(select(SiteRun).where(SiteRun.run_id == run_id).order_by(SiteRun.id)).all()
        site_results, findings = [], []
        for site in sites:
            snap = load_snapshot(session, run_id, site)
            site_result, site_findings = _judge_site(session, run_id, snap, rules, as_of)
            site_results.append(site_result)
            findings.extend(site_findings)
        session.commit()
        return {
            "as_of": as_of.isoformat(),
            "generated_at": datetime.now().isoformat(timespec="seconds"),
            "run": {
                "id": run.id,
                "started_at": run.started_at.isoformat(timespec="seconds"),
                "finished_at": run.finished_at.isoformat(timespec="seconds") if run.finished_at else None,
                "complete": run.status == "complete",
            },
            "sites": site_results,
            "findings": sorted(findings, key=lambda f: (f["site"], SEVERITY_ORDER[f["severity"]], f["rule"], f["url"])),
        }


def _judge_site(session: Session, run_id: int, snap: SiteSnapshot, rules: list[Rule], as_of: date):
    site = snap.site
    not_tested, findings = [], []
    if snap.status in ("blocked", "unreachable", "timeout"):
        not_tested.append({"rule": None, "reason": snap.status, "detail": snap.detail})
    applicable = [r for r in rules if site.level in r.levels]
    for rule in applicable:
        rule = for_site(rule, site.settings)
        check = CHECKS[rule.check]
        exempt = (site.settings or {}).get("exempt", {}).get(rule.id)
        if exempt:
            outcome = CheckResult(not_tested=[("exempt", exempt)])
        elif snap.status in ("blocked", "unreachable", "timeout"):
            outcome = CheckResult(not_tested=[(snap.status, snap.detail)])
        elif check.needs_full_crawl and snap.status == "interrupted":
            outcome = CheckResult(not_tested=[("interrupted", snap.detail)])
        else:
            outcome = check.run(rule, snap, as_of)
        severity = rule.severity
        if severity == "veto" and len(outcome.hits) < rule.min_count:
            severity = "advice"  # below the veto count: an early warning (预警), not a veto
        points = deductions(rule, [h.points if h.points is not None else rule.points for h in outcome.hits]) \
            if severity == "deduct" else [0.0] * len(outcome.hits)
        for hit, pts in zip(outcome.hits, points):
            findings.append(_record(session, run_id, site, rule, severity, hit, pts, as_of))
        if snap.status not in ("blocked", "unreachable", "timeout"):
            not_tested += [{"rule": rule.id, "reason": r, "detail": d} for r, d in outcome.not_tested]
        state = "fail" if outcome.hits else ("not_tested" if outcome.not_tested else "pass")
        reason, detail = outcome.not_tested[0] if outcome.not_tested and not outcome.hits else (None, None)
        session.add(RuleOutcome(run_id=run_id, site=site.site, rule=rule.id, outcome=state, reason=reason, detail=detail))
    counts = {sev: sum(1 for f in findings if f["severity"] == sev) for sev in SEVERITY_ORDER}
    testable = snap.status not in ("blocked", "unreachable", "timeout")
    score = round(100.0 - sum(f["points"] for f in findings), 2) if testable else None
    home = snap.home
    return {
        "site": site.site, "name": site.name, "url": site.url, "level": site.level,
        "site_id_code": home.site_id_code if home else None, "supervisor": site.supervisor,
        "verdict": verdict(counts["veto"] > 0, score) if testable else "not_tested",
        "score": max(score, 0.0) if score is not None else None,
        "counts": counts, "not_tested": not_tested, "pages": len(snap.pages),
    }, findings


def _record(session, run_id, site: SiteRun, rule: Rule, severity: str, hit: Hit, points: float, as_of: date) -> dict:
    kind = hit.kind or rule.kind
    session.add(Finding(run_id=run_id, site=site.site, rule=rule.id, kind=kind, severity=severity, url=hit.url,
                        parent_url=hit.parent_url, message=hit.message, evidence=hit.evidence, points=points))
    return {
        "site": site.site, "rule": rule.id, "title": rule.title, "kind": kind, "kind_label": KINDS[kind],
        "severity": severity, "url": hit.url, "parent_url": hit.parent_url, "message": hit.message,
        "evidence": hit.evidence, "points": points, "fix": rule.fix, "basis": rule.basis,
        "deadline": (as_of + timedelta(days=rule.deadline_days)).isoformat() if rule.deadline_days else None,
        "found_at": hit.evidence.get("fetched_at") or as_of.isoformat(), "status": "new",
    }
