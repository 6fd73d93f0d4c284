"""Judge one stored run: every applicable rule on every site, tri-state, then score.

Reads observations from the store, writes Finding, RuleOutcome and SiteResult rows, and returns the typed
result (checks.result) that findings.json and the reports render. No network here.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, delete, select

from checks.base import CheckResult, Hit
from checks.lifecycle import SiteHistory, fingerprint, load_history, resolved
from checks.problems import problem_ids, subject
from checks.registry import CHECKS
from checks.result import AuditResult, Counts, NotTested, RuleInfo, RunInfo, SiteVerdict, problems, rank
from checks.result import supervisor_groups
from checks.result import Finding as ResultFinding
from checks.rule import Rule, for_site
from checks.scoring import deductions, verdict
from checks.snapshot import SiteSnapshot, load_external, load_snapshot
from core.clock import now
from core.parallel import ordered_map
from core.vocab import SEVERITY_RANK
from core.workdays import rectification_deadline
from store import ledger
from store.models import Finding, RuleOutcome, Run, SiteResult, SiteRun


def judge(engine: Engine, run_id: int, rules: list[Rule]) -> AuditResult:
    """Judge the stored run on the audit date it was registered with (run.as_of); store and return the verdicts."""
    with Session(engine) as session:
        run = session.get(Run, run_id)
        as_of = run.as_of
        sites = session.exec(select(SiteRun).where(SiteRun.run_id == run_id).order_by(SiteRun.id)).all()
        external = load_external(session, run_id)
    # An in-memory database lives in this process only; any other is read by forked workers (core.parallel),
    # and no pooled connection may cross the fork.
    forked = not (engine.url.get_backend_name() == "sqlite" and engine.url.database in (None, "", ":memory:"))
    if forked:
        engine.dispose()
    context = (engine, run_id, rules, as_of, {site.id: site for site in sites}, external)
    with ordered_map(_check_stored_site, context, [site.id for site in sites], processes=forked,
                     on_exit=engine.dispose) as checked, Session(engine) as session:
        for table in (Finding, RuleOutcome, SiteResult):  # judging again (a waiver, new rules) replaces the verdict
            session.exec(delete(table).where(table.run_id == run_id))
        verdicts, findings, gone = [], [], []
        for site, found in zip(sites, checked):
            history = load_history(session, run_id, site.site, as_of)
            site_findings, not_tested = _record_site(session, run_id, site, found, as_of, history,
                                                     ledger.deadlines(session, site.site))
            session.flush()
            site_gone = resolved(session, run_id, site.site, history, {f.id for f in site_findings})
            verdict = _verdict(site, found, site_findings, not_tested, history, len(site_gone))
            session.add(SiteResult(run_id=run_id, site=site.site, verdict=verdict.verdict, score=verdict.score,
                                   counts=asdict(verdict.counts)))
            verdicts.append(verdict)
            findings.extend(site_findings)
            gone.extend(site_gone)
        session.commit()
        run = session.get(Run, run_id)
        ranks = rank(verdicts)
        verdicts = [replace(v, rank=ranks.get(v.site)) for v in verdicts]
        return AuditResult(
            as_of=as_of, generated_at=now(),
            run=RunInfo(run.id, run.started_at, run.finished_at, run.status == "complete"),
            sites=tuple(verdicts),
            findings=tuple(sorted(findings, key=lambda f: (f.site, SEVERITY_RANK[f.severity], f.rule, f.url))),
            resolved=tuple(gone),
            rules=tuple(RuleInfo(r.id, r.title, r.kind, r.severity, r.why, r.fix, r.basis, r.evidence, r.levels)
                        for r in rules),
            groups=tuple(supervisor_groups(verdicts)),
        )


@dataclass
class SiteChecks:
    """What the checks found on one site: all that recording it needs (it crosses from a worker process)."""

    status: str
    detail: str
    auditable: bool
    pages: int
    site_id_code: str | None
    # per applicable rule: the rule as the site sees it, its result, the snapshot (body digest) each hit rests on
    outcomes: list[tuple[Rule, CheckResult, list[str | None]]]


def _check_stored_site(context, site_run_id: int) -> SiteChecks:
    """Worker side: load one site's snapshot and run every applicable rule on it. Reads only."""
    engine, run_id, rules, as_of, sites, external = context
    with Session(engine) as session:
        return check_site(load_snapshot(session, run_id, sites[site_run_id], external), rules, as_of)


def check_site(snap: SiteSnapshot, rules: list[Rule], as_of: date) -> SiteChecks:
    site = snap.site
    outcomes = []
    for rule in (r for r in rules if site.level in r.levels):
        rule = for_site(rule, site.settings)
        check = CHECKS[rule.check]
        exempt = (site.settings or {}).get("exempt", {}).get(rule.id)
        if exempt:
            outcome = CheckResult(not_tested=[("exempt", exempt)])
        elif not snap.auditable:
            outcome = CheckResult(not_tested=[(snap.status, snap.detail)])
        elif check.needs_full_crawl and snap.status == "interrupted":
            outcome = CheckResult(not_tested=[("interrupted", snap.detail)])
        else:
            outcome = check.run(rule, snap, as_of)
        rests_on = [snap.pages.get(hit.parent_url or hit.url) or snap.pages.get(hit.url) for hit in outcome.hits]
        outcomes.append((rule, outcome, [page.snapshot if page else None for page in rests_on]))
    home = snap.home
    return SiteChecks(snap.status, snap.detail, snap.auditable, len(snap.pages),
                      home.site_id_code if home else None, outcomes)


def _record_site(session: Session, run_id: int, site: SiteRun, found: SiteChecks, as_of: date,
                 history: SiteHistory, deadlines: dict[str, date]) -> tuple[list[ResultFinding], list[NotTested]]:
    """Severity, points and history status of each hit; the stored Finding / RuleOutcome rows of one site.
    deadlines: the ledger's fixed 整改时限 of problems found before (a new one counts from this audit)."""
    not_tested, hits = [], []
    if not found.auditable:
        not_tested.append(NotTested(None, found.status, found.detail))
    for rule, outcome, snapshots in found.outcomes:
        severity = rule.severity
        if severity == "veto" and len(outcome.hits) < rule.min_count:
            severity = "advice"  # below the veto count: an early warning (预警), not a veto
        fps = [fingerprint(site.site, rule.id, hit.locator or hit.url) for hit in outcome.hits]
        statuses = [history.status(fp) for fp in fps]
        scored = [h.points if h.points is not None else rule.points
                  for h, st in zip(outcome.hits, statuses) if st != "waived"]
        applied = iter(deductions(rule, scored) if severity == "deduct" else [0.0] * len(scored))
        for hit, fp, st, snapshot in zip(outcome.hits, fps, statuses, snapshots):
            pts = 0.0 if st == "waived" else next(applied)
            hits.append((rule, severity, hit, pts, fp, st, snapshot))
        if found.auditable:  # a site that could not be audited has one whole-site entry instead
            not_tested += [NotTested(rule.id, r, d) for r, d in outcome.not_tested]
        state = "fail" if outcome.hits else ("not_tested" if outcome.not_tested else "pass")
        reason, detail = outcome.not_tested[0] if outcome.not_tested and not outcome.hits else (None, None)
        session.add(RuleOutcome(run_id=run_id, site=site.site, rule=rule.id, outcome=state, reason=reason, detail=detail))
    subjects = [subject(rule, hit.kind or rule.kind, hit.url, hit.evidence, hit.locator or hit.url)
                for rule, _, hit, *_ in hits]
    problem = problem_ids(site.site, subjects, [fp for *_, fp, _, _ in hits])
    findings = [_record(session, run_id, site, rule, severity, hit, pts,
                        deadlines.get(fp) or rectification_deadline(as_of, rule.deadline_days), as_of, fp, st,
                        history.first_seen.get(fp), snapshot, pid)
                for (rule, severity, hit, pts, fp, st, snapshot), pid in zip(hits, problem)]
    return findings, not_tested


def _verdict(site: SiteRun, found: SiteChecks, findings: list[ResultFinding], not_tested: list[NotTested],
             history: SiteHistory, resolved_count: int) -> SiteVerdict:
    """The site's verdict and score (国办秘函〔2019〕19号: any veto fails; else 100 minus the deductions, < 60
    fails); not_tested when the homepage itself could not be verified."""
    rows = problems(findings)  # counted as the 整改清单 lists them: one problem, one row
    active = [p for p in rows if p.status != "waived"]
    counts = Counts(**{sev: sum(1 for p in active if p.severity == sev) for sev in SEVERITY_RANK},
                    new=sum(1 for p in rows if p.status == "new"), waived=len(rows) - len(active))
    score = round(100.0 - sum(f.points for f in findings), 2) if found.auditable else None
    return SiteVerdict(
        site=site.site, name=site.name, url=site.url, level=site.level, site_id_code=found.site_id_code,
        supervisor=site.supervisor, verdict=verdict(counts.veto > 0, score) if found.auditable else "not_tested",
        score=max(score, 0.0) if score is not None else None, counts=counts, not_tested=tuple(not_tested),
        pages=found.pages, resolved=resolved_count, history=tuple(history.runs))


def _record(session, run_id, site: SiteRun, rule: Rule, severity: str, hit: Hit, points: float,
            deadline: date | None, as_of: date, fp: str, status: str, first_seen, snapshot: str | None, problem: str) -> ResultFinding:
    kind = hit.kind or rule.kind
    first_seen = first_seen or now()
    session.add(Finding(run_id=run_id, site=site.site, rule=rule.id, kind=kind, severity=severity, url=hit.url,
                        parent_url=hit.parent_url, message=hit.message, evidence=hit.evidence, points=points,
                        fingerprint=fp, problem=problem, status=status, first_seen=first_seen))
    fetched = hit.evidence.get("fetched_at")
    return ResultFinding(
        id=fp, site=site.site, rule=rule.id, title=rule.title, kind=kind, severity=severity, url=hit.url,
        parent_url=hit.parent_url, message=hit.message, evidence=hit.evidence, points=points, fix=rule.fix,
        basis=rule.basis, deadline=deadline,
        found_at=datetime.fromisoformat(fetched) if fetched else as_of, status=status, first_seen=first_seen,
        snapshot=snapshot, problem=problem)
