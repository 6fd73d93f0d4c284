"""What the web service shows of stored runs (gkaudit serve): the sites known, each site's latest complete audit
and its trend, a run's findings of a site, the runs. Read-only; the queries take the sites a user may see, so a
page never loads what its reader may not see.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, text
from sqlmodel import Session, select

from core.vocab import SEVERITY_RANK
from store.models import Finding, Run, SiteResult, SiteRun
from store.runs import RECHECK_LABEL


@dataclass(frozen=True)
class SiteInfo:
    """A site as its newest run registered it."""

    site: str
    name: str
    url: str
    level: str
    supervisor: str | None


@dataclass(frozen=True)
class SiteRunResult:
    """A site's verdict in one complete run."""

    run_id: int
    started_at: datetime
    as_of: date
    recheck: bool
    verdict: str
    score: float | None
    counts: dict = field(default_factory=dict)

    @property
    def findings(self) -> int:
        return sum(int(self.counts.get(s, 0)) for s in SEVERITY_RANK)


@dataclass(frozen=True)
class RunLine:
    id: int
    started_at: datetime
    as_of: date
    status: str
    finish_reason: str | None
    label: str | None
    sites: tuple[str, ...]

    @property
    def recheck(self) -> bool:
        return (self.label or "").startswith(RECHECK_LABEL)


def _is_recheck(label: str | None) -> bool:
    return (label or "").startswith(RECHECK_LABEL)


# Changes whenever anything the pages show could change: a run starts, completes or loses its verdicts, a site
# result is written, a ledger step is recorded (every change of an item is one), a waiver is added.
_VERSION = text("SELECT (SELECT max(id) FROM run), (SELECT count(*) FROM run WHERE status = 'complete'), "
                "(SELECT max(id) FROM siteresult), (SELECT count(*) FROM siteresult), (SELECT max(id) FROM ledgerevent), "
                "(SELECT max(id) FROM waiver)")


def data_version(engine) -> tuple:
    """A token of the stored data the web pages show: equal tokens, equal pages (a few indexed lookups)."""
    with engine.connect() as conn:
        return tuple(conn.execute(_VERSION).one())


def sites(engine) -> dict[str, SiteInfo]:
    """Every site of any run, as its newest run registered it (name, address, supervising unit)."""
    with Session(engine) as session:  # the five columns, not whole rows: every page asks for this
        newest = select(func.max(SiteRun.id)).group_by(SiteRun.site)
        rows = session.exec(select(SiteRun.site, SiteRun.name, SiteRun.url, SiteRun.level, SiteRun.supervisor)
                            .where(SiteRun.id.in_(newest)).order_by(SiteRun.site)).all()
        return {r[0]: SiteInfo(*r) for r in rows}


def site(engine, site_id: str) -> SiteInfo | None:
    """One site as its newest run registered it (None when no run has it): one indexed row, not every site's."""
    with Session(engine) as session:
        row = session.exec(select(SiteRun).where(SiteRun.site == site_id).order_by(SiteRun.id.desc()).limit(1)).first()
        return SiteInfo(row.site, row.name, row.url, row.level, row.supervisor) if row else None


def site_settings(engine, site_id: str) -> dict:
    """A site's settings as its newest run registered them (rule parameters, exemptions, wording additions)."""
    with Session(engine) as session:
        found = session.exec(select(SiteRun.settings).where(SiteRun.site == site_id).order_by(SiteRun.id.desc())
                             .limit(1)).first()
        return found or {}


def results(engine, site_ids, per_site: int | None = None) -> dict[str, list[SiteRunResult]]:
    """site → its verdicts in complete runs, newest first (at most per_site of them)."""
    site_ids = list(site_ids)
    if not site_ids:
        return {}
    with Session(engine) as session:
        rows = session.exec(
            select(SiteResult.site, Run.id, Run.started_at, Run.as_of, Run.sites_file, SiteResult.verdict,
                   SiteResult.score, SiteResult.counts)
            .join(Run, Run.id == SiteResult.run_id)
            .where(Run.status == "complete", SiteResult.site.in_(site_ids))
            .order_by(SiteResult.site, Run.id.desc())).all()
    out: dict[str, list[SiteRunResult]] = defaultdict(list)
    for site, run_id, started, as_of, label, verdict, score, counts in rows:
        if per_site is None or len(out[site]) < per_site:
            out[site].append(SiteRunResult(run_id, started, as_of, _is_recheck(label), verdict, score, counts or {}))
    return dict(out)


def findings(engine, run_id: int, site: str) -> list[Finding]:
    """A site's findings in one run, most severe first."""
    with Session(engine) as session:
        rows = session.exec(select(Finding).where(Finding.run_id == run_id, Finding.site == site)
                            .order_by(Finding.id)).all()
    return sorted(rows, key=lambda f: (SEVERITY_RANK.get(f.severity, 9), f.rule, f.url))


def runs(engine, limit: int = 50) -> list[RunLine]:
    """The newest runs first, each with the ids of its sites."""
    with Session(engine) as session:
        found = session.exec(select(Run).order_by(Run.id.desc()).limit(limit)).all()
        by_run: dict[int, list[str]] = defaultdict(list)
        if found:
            for run_id, site in session.exec(select(SiteRun.run_id, SiteRun.site)
                                             .where(SiteRun.run_id.in_([r.id for r in found]))
                                             .order_by(SiteRun.id)).all():
                by_run[run_id].append(site)
    return [RunLine(r.id, r.started_at, r.as_of, r.status, r.finish_reason, r.sites_file, tuple(by_run[r.id]))
            for r in found]
