"""Findings across runs: the same problem keeps its fingerprint, so a run can say new, open, reopened, waived, fixed."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, select

from checks.result import HistoryPoint, ResolvedFinding
from store.models import Finding, RuleOutcome, SiteResult, Waiver


def fingerprint(site: str, rule: str, locator: str) -> str:
    return hashlib.sha1(f"{site}\x1f{rule}\x1f{locator}".encode()).hexdigest()[:16]


@dataclass
class SiteHistory:
    """What earlier runs said about one site."""

    previous_run: int | None = None  # the latest earlier run in which the site was audited (not blocked)
    previous: dict[str, Finding] = field(default_factory=dict)  # fingerprint → finding of that run
    first_seen: dict[str, datetime] = field(default_factory=dict)  # fingerprint → first time seen, any run
    waivers: dict[str, Waiver] = field(default_factory=dict)  # active waivers by fingerprint
    runs: list[HistoryPoint] = field(default_factory=list)  # earlier verdicts, oldest first (trend)

    def status(self, fp: str) -> str:
        if fp in self.waivers:
            return "waived"
        if fp in self.previous:
            return "open"
        return "reopened" if fp in self.first_seen else "new"


def load_history(session: Session, run_id: int, site: str, as_of: date) -> SiteHistory:
    history = SiteHistory()
    results = session.exec(select(SiteResult).where(SiteResult.site == site, SiteResult.run_id < run_id)
                           .order_by(SiteResult.run_id)).all()
    history.runs = [HistoryPoint(r.run_id, r.verdict, r.score) for r in results]
    audited = [r.run_id for r in results if r.verdict != "not_tested"]
    if audited:
        history.previous_run = audited[-1]
        history.previous = {f.fingerprint: f for f in session.exec(
            select(Finding).where(Finding.site == site, Finding.run_id == history.previous_run)).all()}
    for fp, seen in session.exec(select(Finding.fingerprint, Finding.first_seen)
                                 .where(Finding.site == site, Finding.run_id < run_id)).all():
        if seen and (fp not in history.first_seen or seen < history.first_seen[fp]):
            history.first_seen[fp] = seen
    for waiver in session.exec(select(Waiver).where(Waiver.site == site)).all():
        if waiver.expires is None or waiver.expires >= as_of:
            history.waivers[waiver.fingerprint] = waiver
    return history


def resolved(session: Session, run_id: int, site: str, history: SiteHistory,
             current: set[str]) -> list[ResolvedFinding]:
    """Findings of the previous run that are gone now, for rules this run actually tested (judged pass or fail:
    a rule not tested, or not run at all, as in a freshness check, never calls anything fixed)."""
    if not history.previous:
        return []
    tested = {o.rule for o in session.exec(select(RuleOutcome).where(
        RuleOutcome.run_id == run_id, RuleOutcome.site == site, RuleOutcome.outcome != "not_tested")).all()}
    return [ResolvedFinding(fp, site, f.rule, f.kind, f.url, f.message, f.first_seen)
            for fp, f in sorted(history.previous.items()) if fp not in current and f.rule in tested]
