"""整改台账 (the rectification ledger): one item per problem of a site, from its first detection to 销号, across
audits, resumes and rechecks, with every step recorded (全过程留痕).

The loop: a run finds a problem → item `open` with a deadline fixed at first detection; the bureau reports it
fixed → `feedback_received`; a recheck (or a full audit) that tested it and no longer finds it → `closed`
(销号), one that finds it again → `open`; a closed item that comes back → `open` (reopened). A 误报申诉 makes it
`disputed` until a supervisor accepts (→ `waived`, with a waiver so reports stop scoring it) or rejects it
(→ `open`). An incomplete run, or a site that could not be audited (blocked, unreachable), never closes anything.

Every function takes an engine and returns plain dataclasses, so the command line and a web service share them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, insert, or_, update
from sqlmodel import Session, select

from core.clock import aware, now
from core.vocab import LEDGER_EVENTS, LEDGER_STATUSES, OVERDUE, label
from store.bulk import insert_rows
from store.models import (Finding, LedgerEvent, LedgerItem, LedgerRun, Page, Run, RuleOutcome, SiteResult, SiteRun,
                          Waiver)
from store.runs import RECHECK_LABEL

REOPENING = ("detected", "reopened", "recheck_failed", "dispute_rejected")  # events after which an item is open anew
ACTIVE = ("open", "feedback_received", "disputed")  # not closed and not waived: still to be rectified
CLOSABLE = ACTIVE  # a run that tested it and no longer finds it closes it


class LedgerError(ValueError):
    """An action that does not fit the item's state (feedback on a closed item …); the message says why."""


@dataclass(frozen=True)
class Seen:
    """A problem as one judged run found it (one row of its 整改清单), built by the application."""

    problem: str  # the problem id the 整改清单 prints
    fingerprints: tuple[str, ...]  # its findings, one per rule
    site: str
    rules: tuple[str, ...]  # most severe first
    kind: str
    severity: str
    message: str
    url: str
    deadline: date | None  # 整改时限 as the run computed it: kept for a new item, ignored for a known one
    waived: bool = False  # every finding of it is under an active waiver


@dataclass(frozen=True)
class Item:
    """A ledger item as read: its state, and whether it is overdue on the day asked about."""

    id: int
    key: str
    problem: str
    site: str
    rules: tuple[str, ...]
    kind: str
    severity: str
    message: str
    url: str
    first_run: int
    first_found: date
    deadline: date | None
    last_run: int
    status: str
    updated_at: datetime
    overdue: bool = False
    fingerprints: tuple[str, ...] = ()

    @property
    def status_label(self) -> str:
        """逾期 for an open item past its deadline; a reported one past it keeps its state: 已整改待复查（逾期）."""
        if self.overdue:
            return OVERDUE if self.status == "open" else f"{label(LEDGER_STATUSES, self.status)}（{OVERDUE}）"
        return label(LEDGER_STATUSES, self.status)

    def contract(self) -> dict:
        """The item as `gkaudit ledger list --json` and an API print it."""
        return {"id": self.id, "problem": self.problem, "site": self.site, "rules": list(self.rules),
                "kind": self.kind, "severity": self.severity, "message": self.message, "url": self.url,
                "first_run": self.first_run, "first_found": self.first_found.isoformat(),
                "deadline": self.deadline.isoformat() if self.deadline else None, "status": self.status,
                "overdue": self.overdue, "status_label": self.status_label}


@dataclass(frozen=True)
class Event:
    id: int
    item_id: int
    at: datetime
    kind: str
    run_id: int | None
    note: str | None
    by: str | None
    data: dict

    @property
    def kind_label(self) -> str:
        return label(LEDGER_EVENTS, self.kind)


@dataclass
class Applied:
    """What one run changed in the ledger (counts of items)."""

    detected: int = 0
    closed: int = 0
    reopened: int = 0
    failed: int = 0  # reported fixed, found again
    skipped_sites: list[str] = field(default_factory=list)  # a newer run of the site was already taken in


ITEM = LedgerItem.__table__  # read as plain rows: 100,000 ORM objects cost seconds, rows a fraction of that


def _rows(session: Session, query) -> list:
    return session.connection().execute(query).all()


def _is_overdue(row: LedgerItem, today: date) -> bool:
    return row.status in ("open", "feedback_received") and row.deadline is not None and row.deadline < today


def _item(row: LedgerItem, today: date | None = None) -> Item:
    return Item(row.id, row.key, row.problem, row.site, tuple(row.rules or ()), row.kind, row.severity, row.message,
                row.url, row.first_run, row.first_found, row.deadline, row.last_run, row.status, row.updated_at,
                _is_overdue(row, today or date.today()), tuple(row.fingerprints or ()))


def _event(item_id: int, kind: str, at: datetime, run_id: int | None = None, note: str | None = None,
           by: str | None = None, data: dict | None = None) -> dict:
    return {"item_id": item_id, "at": at, "kind": kind, "run_id": run_id, "note": note, "by": by, "data": data}


# ---------------------------------------------------------------- runs → ledger

def record_run(engine, run_id: int, seen: list[Seen]) -> Applied:
    """Take one judged run in: new problems are detected, problems found again stay open (or reopen, or fail
    their recheck), and open problems a complete run tested and no longer found are closed (销号).

    Idempotent: taking the same run in again changes nothing; a run older than one already taken in for a site
    leaves that site alone (`gkaudit report` on an old run)."""
    applied = Applied()
    at = now()
    with Session(engine) as session:
        run = session.get(Run, run_id)
        if run is None:
            raise LedgerError(f"数据库中没有运行 {run_id}")
        label_ = run.sites_file or ""
        how = "复查" if label_.startswith(RECHECK_LABEL) else "检查"
        sites = list(session.exec(select(SiteRun.site).where(SiteRun.run_id == run_id)).all())
        newer = dict(session.exec(select(LedgerRun.site, func.max(LedgerRun.run_id))
                                  .where(LedgerRun.site.in_(sites)).group_by(LedgerRun.site)).all()) if sites else {}
        applied.skipped_sites = sorted(s for s in sites if newer.get(s, 0) > run_id)
        sites = [s for s in sites if newer.get(s, 0) <= run_id]
        if not sites:
            return applied
        judged = dict(session.exec(select(SiteResult.site, SiteResult.verdict)
                                   .where(SiteResult.run_id == run_id)).all())
        tested: dict[str, set[str]] = {}
        for site, rule in session.exec(select(RuleOutcome.site, RuleOutcome.rule).where(
                RuleOutcome.run_id == run_id, RuleOutcome.outcome != "not_tested")).all():
            tested.setdefault(site, set()).add(rule)
        closing = {s for s in sites if run.status == "complete" and judged.get(s, "not_tested") != "not_tested"}
        items = _rows(session, select(ITEM).where(ITEM.c.site.in_(sites)))
        by_id = {row.problem: row for row in items} | {row.key: row for row in items}
        by_fp: dict[str, LedgerItem] = {}
        for row in sorted(items, key=lambda r: r.status == "closed"):  # an active item wins over a closed one
            for fp in row.fingerprints or ():
                by_fp.setdefault(fp, row)
        matched: set[int] = set()
        new_rows, changes, events, closed, first_passed = [], [], [], [], []
        wanted = set(sites)
        for s in seen:
            if s.site not in wanted:
                continue
            row = by_id.get(s.problem)
            if row is None or row.id in matched:
                row = next((by_fp[fp] for fp in s.fingerprints if fp in by_fp and by_fp[fp].id not in matched), None)
            if row is None:
                new_rows.append({"key": s.problem, "problem": s.problem, "fingerprints": list(s.fingerprints),
                                 "site": s.site, "rules": list(s.rules), "kind": s.kind, "severity": s.severity,
                                 "message": s.message, "url": s.url, "first_run": run_id, "first_found": run.as_of,
                                 "deadline": s.deadline, "last_run": run_id, "last_seen": run.as_of,
                                 "status": "waived" if s.waived else "open", "updated_at": at})
                continue
            matched.add(row.id)
            change = _found_again(row, s, run_id, how, at, events)
            if change:
                kinds = {e["kind"] for e in events if e["item_id"] == row.id and e["run_id"] == run_id}
                applied.reopened += "reopened" in kinds
                applied.failed += "recheck_failed" in kinds
                changes.append({"id": row.id, "problem": s.problem, "fingerprints": list(s.fingerprints),
                                "rules": list(s.rules), "severity": s.severity, "message": s.message, "url": s.url,
                                "last_run": run_id, "last_seen": run.as_of, "updated_at": at} | change)
        for row in items:
            if (row.id in matched or row.status not in CLOSABLE or row.site not in closing
                    or not set(row.rules or ()) <= tested.get(row.site, set())):
                continue
            closed.append(row.id)
            if row.status == "feedback_received" and row.first_recheck is None:
                first_passed.append(row.id)
            events.append(_event(row.id, "recheck_passed", at, run_id, f"{how}运行 {run_id} 未再发现，销号"))
            applied.closed += 1
        if new_rows:
            session.execute(insert(LedgerItem), new_rows)
            ids = session.exec(select(LedgerItem.id, LedgerItem.status).where(
                LedgerItem.first_run == run_id, LedgerItem.site.in_(sites))).all()
            for item_id, status in ids:
                events.append(_event(item_id, "detected", at, run_id, f"{how}运行 {run_id} 发现"))
                if status == "waived":
                    events.append(_event(item_id, "waived", at, run_id, "发现时已豁免"))
            applied.detected = len(new_rows)
        for start in range(0, len(closed), 1000):  # one statement per thousand closed items
            session.execute(update(LedgerItem).where(LedgerItem.id.in_(closed[start:start + 1000]))
                            .values(status="closed", last_run=run_id, updated_at=at))
        for start in range(0, len(first_passed), 1000):  # closed at the first recheck after 「已整改」
            session.execute(update(LedgerItem).where(LedgerItem.id.in_(first_passed[start:start + 1000]))
                            .values(first_recheck="passed"))
        if changes:
            for keys in {tuple(sorted(c)) for c in changes}:  # one executemany per shape of change
                session.execute(update(LedgerItem), [c for c in changes if tuple(sorted(c)) == keys])
        insert_rows(session.connection(), LedgerEvent, events)
        insert_rows(session.connection(), LedgerRun, [{"run_id": run_id, "site": s, "applied_at": at}
                                                      for s in sites if s not in newer or newer[s] < run_id])
        session.commit()
    return applied


def _found_again(row: LedgerItem, s: Seen, run_id: int, how: str, at: datetime, events: list) -> dict:
    """The status change (and its event) of an item a run found again; {} for an item seen as it was, unless
    its problem id or wording moved (the newest 整改清单's 问题编号 must find it)."""
    note = f"{how}运行 {run_id} 再次发现"
    if row.last_run >= run_id:
        return {}  # this run (or a newer one) already took it in
    if s.waived and row.status != "waived":
        events.append(_event(row.id, "waived", at, run_id, "已豁免（gkaudit waive）"))
        return {"status": "waived"}
    if row.status == "closed" or (row.status == "waived" and not s.waived):
        events.append(_event(row.id, "reopened", at, run_id, note if row.status == "closed" else "豁免已到期，" + note))
        return {"status": "open"}
    if row.status == "feedback_received":
        events.append(_event(row.id, "recheck_failed", at, run_id, note))
        return {"status": "open"} | ({"first_recheck": "failed"} if row.first_recheck is None else {})
    moved = (row.problem != s.problem or list(row.fingerprints or ()) != list(s.fingerprints)
             or row.message != s.message)
    return {"status": row.status} if moved else {}


def deadlines(session: Session, site: str) -> dict[str, date]:
    """Fingerprint → the ledger's fixed deadline, for a site's findings (the engine prints these, so a recheck
    or a later audit never moves a 整改时限)."""
    out: dict[str, date] = {}
    for fps, deadline in session.exec(select(LedgerItem.fingerprints, LedgerItem.deadline).where(
            LedgerItem.site == site, LedgerItem.deadline.is_not(None))).all():
        for fp in fps or ():
            out[fp] = deadline
    return out


def first_found(engine, sites: list[str]) -> dict[str, dict[str, date]]:
    """Site → problem id (as the 整改清单 prints it) → the day the ledger first found it: the reports' 发现时间."""
    out: dict[str, dict[str, date]] = {}
    with Session(engine) as session:
        for site, problem, day in session.exec(select(LedgerItem.site, LedgerItem.problem, LedgerItem.first_found)
                                               .where(LedgerItem.site.in_(sites))).all():
            out.setdefault(site, {})[problem] = day
    return out


# ---------------------------------------------------------------- reading

def _filtered(query, *, site, status, statuses, overdue, today, sites):
    if site:
        query = query.where(LedgerItem.site == site)
    if sites is not None:
        query = query.where(LedgerItem.site.in_(sites))
    if overdue:
        query = query.where(LedgerItem.status.in_(("open", "feedback_received")), LedgerItem.deadline < today)
    if status:
        query = query.where(LedgerItem.status == status)
    if statuses:
        query = query.where(LedgerItem.status.in_(statuses))
    return query


def list_items(engine, *, site: str | None = None, status: str | None = None, overdue: bool = False,
               today: date | None = None, limit: int | None = None, sites: list[str] | None = None,
               statuses: tuple[str, ...] = (), offset: int = 0) -> list[Item]:
    """Items by site, deadline and id; status filters one state, statuses several; overdue: open or reported
    items past their deadline (the day asked about, default today); sites: only these (a user's scope);
    limit/offset: one page of them (a province holds ~100,000 items: a page never loads them all)."""
    today = today or date.today()
    query = _filtered(select(ITEM), site=site, status=status, statuses=statuses, overdue=overdue, today=today,
                      sites=sites).order_by(LedgerItem.site, LedgerItem.deadline, LedgerItem.id)
    if limit:
        query = query.limit(limit).offset(offset)
    with Session(engine) as session:
        return [_item(row, today) for row in _rows(session, query)]


def count_items(engine, *, site: str | None = None, status: str | None = None, overdue: bool = False,
                today: date | None = None, sites: list[str] | None = None, statuses: tuple[str, ...] = ()) -> int:
    """How many items list_items would return without a limit (one COUNT, no rows read)."""
    query = _filtered(select(func.count()).select_from(LedgerItem), site=site, status=status, statuses=statuses,
                      overdue=overdue, today=today or date.today(), sites=sites)
    with Session(engine) as session:
        return session.exec(query).one()


def get_item(engine, item_id: int, today: date | None = None) -> Item | None:
    with Session(engine) as session:
        row = session.get(LedgerItem, item_id)
        return _item(row, today) if row else None


def find_items(engine, ref: str, site: str | None = None) -> list[Item]:
    """The items a reference names: a ledger number (digits), or the first characters (6 or more) of a problem
    id as the 整改清单 prints it (问题编号), of the id it was first found with, or of one of its findings."""
    ref = ref.strip()
    with Session(engine) as session:
        if ref.isdigit() and len(ref) < 6:
            row = session.get(LedgerItem, int(ref))
            return [_item(row)] if row and (site is None or row.site == site) else []
        query = select(LedgerItem).where(or_(LedgerItem.problem.startswith(ref), LedgerItem.key.startswith(ref)))
        if site:
            query = query.where(LedgerItem.site == site)
        rows = session.exec(query).all()
        if not rows:  # a finding's own id (findings.json): the item holding it
            for row in session.exec(select(LedgerItem).where(*([LedgerItem.site == site] if site else []))).all():
                if any(fp.startswith(ref) for fp in row.fingerprints or ()):
                    rows.append(row)
        return [_item(row) for row in rows]


def timeline(engine, item_id: int) -> list[Event]:
    with Session(engine) as session:
        return [Event(e.id, e.item_id, e.at, e.kind, e.run_id, e.note, e.by, e.data or {}) for e in session.exec(
            select(LedgerEvent).where(LedgerEvent.item_id == item_id).order_by(LedgerEvent.id)).all()]


@dataclass(frozen=True)
class SiteTotals:
    """One site's ledger on a day: what the dashboard and `gkaudit ledger list` totals show."""

    site: str
    open: int
    feedback_received: int
    overdue: int
    disputed: int
    closed: int
    waived: int
    closed_this_month: int = 0  # closed (销号) since the first day of the month asked about
    rechecked: int = 0  # items reported fixed (已整改) whose recheck has decided them
    first_time_right: int = 0  # of those, the ones the first recheck after the report closed (一次整改通过)

    @property
    def first_time_rate(self) -> float | None:
        """一次整改通过率: None before any reported item was rechecked."""
        return self.first_time_right / self.rechecked if self.rechecked else None


def site_totals(engine, today: date | None = None) -> list[SiteTotals]:
    """Per site, items by status, how many are overdue, closed this month and decided by their first recheck
    after 「已整改」 (one grouped query)."""
    today = today or date.today()
    month = datetime.combine(today.replace(day=1), datetime.min.time()).astimezone()
    late = (LedgerItem.status.in_(("open", "feedback_received")) & (LedgerItem.deadline < today))
    this_month = (LedgerItem.status == "closed") & (LedgerItem.updated_at >= month)
    with Session(engine) as session:
        rows = session.exec(select(LedgerItem.site, LedgerItem.status, late.label("late"),
                                   this_month.label("this_month"), LedgerItem.first_recheck, func.count())
                            .group_by(LedgerItem.site, LedgerItem.status, late, this_month,
                                      LedgerItem.first_recheck)).all()
    fields = [f for f in SiteTotals.__dataclass_fields__ if f != "site"]
    sums: dict[str, dict[str, int]] = {}
    for site, status, is_late, in_month, first_recheck, count in rows:
        mine = sums.setdefault(site, dict.fromkeys(fields, 0))
        if status in mine:
            mine[status] += count
        mine["overdue"] += count if is_late else 0
        mine["closed_this_month"] += count if in_month else 0
        mine["rechecked"] += count if first_recheck else 0
        mine["first_time_right"] += count if first_recheck == "passed" else 0
    return [SiteTotals(site, **counts) for site, counts in sorted(sums.items())]


def dispute_outcomes(engine) -> dict[str, tuple[int, int]]:
    """Rule → (disputes accepted, disputes rejected): an accepted dispute is a false finding, counted against the
    rule's precision."""
    out: dict[str, list[int]] = {}
    with Session(engine) as session:
        for rules, kind in session.exec(select(LedgerItem.rules, LedgerEvent.kind).join(
                LedgerEvent, LedgerEvent.item_id == LedgerItem.id).where(
                LedgerEvent.kind.in_(("dispute_accepted", "dispute_rejected")))).all():
            for rule in rules or ():
                counts = out.setdefault(rule, [0, 0])
                counts[kind == "dispute_rejected"] += 1
    return {rule: (a, r) for rule, (a, r) in sorted(out.items())}


@dataclass(frozen=True)
class QueuedSite:
    """A site with items reported fixed and waiting for their recheck: since when, and the last attempt that
    could not decide them (the site unreachable or blocked), if any."""

    site: str
    items: tuple[int, ...]
    since: datetime  # the oldest of its items' recheck requests
    last_attempt: datetime | None = None
    last_note: str | None = None


def recheck_queue(engine) -> list[QueuedSite]:
    """The recheck worker's queue, oldest request first: every item 已整改待复查, with when it was asked for (its
    latest recheck_queued event, else when it changed) and the attempts since that could not decide it."""
    with Session(engine) as session:
        items = session.exec(select(LedgerItem.id, LedgerItem.site, LedgerItem.updated_at)
                             .where(LedgerItem.status == "feedback_received")).all()
        rows = session.exec(select(LedgerEvent.item_id, LedgerEvent.kind, LedgerEvent.at, LedgerEvent.note)
                            .join(LedgerItem, LedgerEvent.item_id == LedgerItem.id)
                            .where(LedgerItem.status == "feedback_received",
                                   LedgerEvent.kind.in_(("recheck_queued", "recheck_incomplete")))
                            .order_by(LedgerEvent.id)).all()
    queued = {item_id: aware(at) for item_id, _site, at in items}  # item → its latest request
    attempts: dict[int, tuple[datetime, str | None]] = {}  # item → the last undecided attempt after that request
    for item_id, kind, at, note in rows:
        if kind == "recheck_queued":
            queued[item_id] = aware(at)
            attempts.pop(item_id, None)
        else:
            attempts[item_id] = (aware(at), note)
    by_site: dict[str, list[int]] = {}
    for item_id, site, _at in items:
        by_site.setdefault(site, []).append(item_id)
    out = []
    for site, ids in by_site.items():
        tried = [attempts[i] for i in ids if i in attempts]
        last = max(tried, key=lambda t: t[0]) if len(tried) == len(ids) else (None, None)
        out.append(QueuedSite(site, tuple(sorted(ids)), min(queued[i] for i in ids), *last))
    return sorted(out, key=lambda q: (q.since, q.site))


def recheck_incomplete(engine, item_ids: list[int], run_id: int | None, note: str) -> None:
    """A recheck ran but could not decide these items (the site unreachable, blocked, the crawl interrupted):
    they stay 已整改待复查 and the worker tries again later. Never closes anything."""
    at = now()
    with Session(engine) as session:
        insert_rows(session.connection(), LedgerEvent,
                    [_event(i, "recheck_incomplete", at, run_id, note) for i in item_ids])
        session.commit()


def queued_rechecks(engine) -> dict[str, list[int]]:
    """Site → items reported fixed and waiting for their recheck (`gkaudit recheck --queued`), by site."""
    return {q.site: list(q.items) for q in sorted(recheck_queue(engine), key=lambda q: q.site)}


# ---------------------------------------------------------------- what people do

def _load(session: Session, item_id: int) -> LedgerItem:
    row = session.get(LedgerItem, item_id)
    if row is None:
        raise LedgerError(f"整改台账中没有编号为 {item_id} 的问题")
    return row


def _refuse(row: LedgerItem, allowed: tuple[str, ...], what: str) -> None:
    if row.status not in allowed:
        raise LedgerError(f"问题 {row.id}（{row.problem[:8]}）当前状态为「{label(LEDGER_STATUSES, row.status)}」，不能{what}")


def feedback(engine, item_id: int, note: str, by: str | None = None, done: date | None = None,
             source: str | None = None) -> bool:
    """The bureau says 已整改: record it (with who and when it was done) and queue the item for its recheck.
    False when the same feedback was already recorded since the item last (re)opened (a file imported twice)."""
    at = now()
    with Session(engine) as session:
        row = _load(session, item_id)
        data = {"done": done.isoformat() if done else None} | ({"source": source} if source else {})
        if _same_feedback_since_open(session, row.id, note, by, data["done"]):
            return False
        _refuse(row, ("open", "feedback_received"), "反馈已整改")
        row.status, row.updated_at = "feedback_received", at
        session.add(row)
        session.add(LedgerEvent(**_event(row.id, "feedback", at, None, note, by, data)))
        session.add(LedgerEvent(**_event(row.id, "recheck_queued", at, None, "等待复查", by)))
        session.commit()
    return True


def _same_feedback_since_open(session: Session, item_id: int, note: str, by: str | None, done: str | None) -> bool:
    events = session.exec(select(LedgerEvent).where(LedgerEvent.item_id == item_id)
                          .order_by(LedgerEvent.id.desc())).all()
    for e in events:
        if e.kind in REOPENING:
            return False
        if e.kind == "feedback" and e.note == note and e.by == by and (e.data or {}).get("done") == done:
            return True
    return False


def dispute(engine, item_id: int, reason: str, by: str | None = None) -> None:
    """误报申诉: the bureau says the finding is wrong; the item waits for a supervisor's decision."""
    at = now()
    with Session(engine) as session:
        row = _load(session, item_id)
        _refuse(row, ("open", "feedback_received"), "申诉")
        row.status, row.updated_at = "disputed", at
        session.add(row)
        session.add(LedgerEvent(**_event(row.id, "disputed", at, None, reason, by)))
        session.commit()


def decide(engine, item_id: int, accept: bool, by: str | None = None, note: str | None = None) -> None:
    """A supervisor decides a dispute: accepted → waived (a false finding: reports stop scoring it, and it
    counts against the rule's precision); rejected → open again, deadline unchanged."""
    at = now()
    with Session(engine) as session:
        row = _load(session, item_id)
        _refuse(row, ("disputed",), "裁决申诉（没有待裁决的申诉）")
        reason = next((e.note for e in session.exec(select(LedgerEvent).where(
            LedgerEvent.item_id == row.id, LedgerEvent.kind == "disputed").order_by(LedgerEvent.id.desc())).all()), "")
        row.status, row.updated_at = ("waived" if accept else "open"), at
        session.add(row)
        session.add(LedgerEvent(**_event(row.id, "dispute_accepted" if accept else "dispute_rejected", at, None,
                                         note, by)))
        if accept:
            _add_waivers(session, row, f"误报申诉成立：{reason}", None, at)
        session.commit()


def waive(engine, item_id: int, reason: str, expires: date | None = None, by: str | None = None,
          with_waivers: bool = True) -> None:
    """豁免: accepted for now (until expires); reports keep showing it but stop scoring it. with_waivers False
    when the caller (gkaudit waive) has already added the waiver rows."""
    at = now()
    with Session(engine) as session:
        row = _load(session, item_id)
        _refuse(row, ACTIVE, "豁免")
        row.status, row.updated_at = "waived", at
        session.add(row)
        session.add(LedgerEvent(**_event(row.id, "waived", at, None, reason, by,
                                         {"expires": expires.isoformat() if expires else None})))
        if with_waivers:
            _add_waivers(session, row, reason, expires, at)
        session.commit()


def unwaive(engine, fingerprint: str, note: str, by: str | None = None) -> list[int]:
    """A waiver revoked (gkaudit waivers revoke): the waived items holding that finding are to be rectified
    again (`open`), the step recorded. Returns their numbers."""
    at = now()
    with Session(engine) as session:
        rows = [r for r in session.exec(select(LedgerItem).where(LedgerItem.status == "waived")).all()
                if fingerprint in (r.fingerprints or ())]
        for row in rows:
            row.status, row.updated_at = "open", at
            session.add(row)
            session.add(LedgerEvent(**_event(row.id, "waiver_revoked", at, None, note, by)))
        session.commit()
        return [row.id for row in rows]


def _add_waivers(session: Session, row: LedgerItem, reason: str, expires: date | None, at: datetime) -> None:
    for fp, rule in zip(row.fingerprints or (), _rules_of(session, row)):
        session.add(Waiver(fingerprint=fp, site=row.site, rule=rule, reason=reason, expires=expires, created_at=at))


def _rules_of(session: Session, row: LedgerItem) -> list[str]:
    """The rule of each of the item's findings, in the order of its fingerprints."""
    found = dict(session.exec(select(Finding.fingerprint, Finding.rule).where(
        Finding.fingerprint.in_(list(row.fingerprints or ())))).all())
    rules = list(row.rules or ())
    return [found.get(fp) or (rules[i] if i < len(rules) else rules[0]) for i, fp in enumerate(row.fingerprints or ())]


def comment(engine, item_id: int, note: str, by: str | None = None) -> None:
    """A remark on an item (a question to the bureau, an answer): recorded in its timeline, state unchanged."""
    note = note.strip()
    if not note:
        raise LedgerError("留言内容不能为空")
    with Session(engine) as session:
        row = _load(session, item_id)
        session.add(LedgerEvent(**_event(row.id, "comment", now(), None, note, by)))
        session.commit()


@dataclass(frozen=True)
class Evidence:
    """One finding of an item as its newest run holding it recorded it, and the snapshot of the page it rests on."""

    run_id: int
    rule: str
    message: str
    url: str
    parent_url: str | None
    evidence: dict
    snapshot: str | None  # store.snapshots hash, None when none was kept
    fetched_at: datetime | None


def item_evidence(engine, item: Item) -> list[Evidence]:
    """The item's findings in the newest run that found them (a closed item keeps its last evidence)."""
    if not item.fingerprints:
        return []
    with Session(engine) as session:
        newest = session.exec(select(func.max(Finding.run_id)).where(
            Finding.site == item.site, Finding.fingerprint.in_(list(item.fingerprints)))).one()
        if newest is None:
            return []
        found = session.exec(select(Finding).where(Finding.run_id == newest, Finding.site == item.site,
                                                   Finding.fingerprint.in_(list(item.fingerprints)))
                             .order_by(Finding.id)).all()
        out = []
        for f in found:
            page = session.exec(select(Page.snapshot, Page.fetched_at).where(
                Page.run_id == newest, Page.site == item.site, Page.url == (f.parent_url or f.url))).first()
            out.append(Evidence(newest, f.rule, f.message, f.url, f.parent_url, f.evidence or {},
                                page[0] if page else None, page[1] if page else None))
        return out


def remind(engine, item_ids: list[int], note: str, by: str | None = None, data: dict | None = None) -> None:
    """Record that reminders about these items went out (a digest before a deadline, on the day it passes);
    data["kind"] says which reminder, so it is not sent twice (reminded_since_open)."""
    at = now()
    with Session(engine) as session:
        insert_rows(session.connection(), LedgerEvent,
                    [_event(i, "reminded", at, None, note, by, data) for i in item_ids])
        session.commit()


def reminded_since_open(engine, item_ids: list[int]) -> dict[int, set[str]]:
    """Item → the kinds of reminder sent since it last (re)opened: a reopened item is announced again."""
    out: dict[int, set[str]] = {i: set() for i in item_ids}
    with Session(engine) as session:
        for start in range(0, len(item_ids), 1000):
            for item_id, kind, data in session.exec(select(LedgerEvent.item_id, LedgerEvent.kind, LedgerEvent.data)
                                                    .where(LedgerEvent.item_id.in_(item_ids[start:start + 1000]),
                                                           LedgerEvent.kind.in_(REOPENING + ("reminded",)))
                                                    .order_by(LedgerEvent.id)).all():
                if kind in REOPENING:
                    out[item_id] = set()
                elif (data or {}).get("kind"):
                    out[item_id].add(data["kind"])
    return out


def statuses_of(engine, item_ids: list[int]) -> dict[int, str]:
    with Session(engine) as session:
        return dict(session.exec(select(LedgerItem.id, LedgerItem.status).where(LedgerItem.id.in_(item_ids))).all())


__all__ = ["Applied", "Event", "Evidence", "Item", "LedgerError", "QueuedSite", "Seen", "SiteTotals", "comment",
           "count_items", "decide", "deadlines", "dispute", "dispute_outcomes", "feedback", "find_items", "get_item",
           "item_evidence", "list_items", "queued_rechecks", "recheck_incomplete", "recheck_queue", "record_run",
           "remind", "reminded_since_open", "site_totals", "statuses_of", "timeline", "waive"]
