"""Waivers (gkaudit waive): a finding accepted for now, found by the first characters of its id (or of its
problem's id: a row of the 整改清单 that several rules share is waived as a whole)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, or_, select

from core.clock import now
from store.models import Finding, Waiver


@dataclass
class Matched:
    """The finding a waiver is for (its newest occurrence)."""

    fingerprint: str
    site: str
    rule: str
    message: str
    problem: str = ""


def findings_with_prefix(engine, prefix: str) -> list[Matched]:
    """One entry per distinct finding whose id, or whose problem's id, starts with `prefix` (a finding recurs in
    many runs)."""
    with Session(engine) as session:
        found = session.exec(select(Finding).where(or_(Finding.fingerprint.startswith(prefix),
                                                       Finding.problem.startswith(prefix)))
                             .order_by(Finding.run_id.desc())).all()
    out: dict[str, Matched] = {}
    for f in found:
        out.setdefault(f.fingerprint, Matched(f.fingerprint, f.site, f.rule, f.message, f.problem))
    return list(out.values())


def one_problem(found: list[Matched], prefix: str) -> bool:
    """The matches are the findings of one problem whose id starts with prefix: waive them together."""
    return len({m.problem for m in found}) == 1 and found[0].problem.startswith(prefix)


def add_waiver(engine, finding: Matched, reason: str, expires: date | None) -> None:
    with Session(engine) as session:
        session.add(Waiver(fingerprint=finding.fingerprint, site=finding.site, rule=finding.rule, reason=reason,
                           expires=expires, created_at=now()))
        session.commit()


@dataclass
class Waived:
    """A stored waiver as `gkaudit waivers list` shows it."""

    id: int
    fingerprint: str
    site: str
    rule: str
    reason: str
    expires: date | None
    created_at: datetime
    message: str = ""

    def active(self, today: date) -> bool:
        return self.expires is None or self.expires >= today


def list_waivers(engine, site: str | None = None) -> list[Waived]:
    """Every waiver, newest first, with the message of the finding it is for."""
    with Session(engine) as session:
        query = select(Waiver).order_by(Waiver.id.desc())
        if site:
            query = query.where(Waiver.site == site)
        rows = session.exec(query).all()
        messages = dict(session.exec(select(Finding.fingerprint, Finding.message).where(
            Finding.fingerprint.in_([w.fingerprint for w in rows]))).all()) if rows else {}
    return [Waived(w.id, w.fingerprint, w.site, w.rule, w.reason, w.expires, w.created_at,
                   messages.get(w.fingerprint, "")) for w in rows]


def revoke_waiver(engine, waiver_id: int) -> Waived | None:
    """Remove a waiver: the finding scores again from the next judgement (gkaudit report or audit). None when
    there is no such waiver. The 整改台账 item it waived, if any, reopens with the step recorded (store.ledger)."""
    with Session(engine) as session:
        row = session.get(Waiver, waiver_id)
        if row is None:
            return None
        gone = Waived(row.id, row.fingerprint, row.site, row.rule, row.reason, row.expires, row.created_at)
        session.delete(row)
        session.commit()
    return gone
