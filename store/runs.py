"""Run bookkeeping: a run is registered with its sites, continued, finished, listed, copied and looked up here.

Every command that crawls or judges goes through these functions, so the state of a run (running, complete,
incomplete with a reason) means the same everywhere, and the application holds no SQL of its own.

Runs whose process is gone: a crawl killed with SIGKILL (or a power loss) cannot mark its own run. Every
batch of observations is one transaction, so what such a run stored is consistent; it only needs its status.
The next gkaudit command on the same machine finds it (`running`, this host, pid not alive) and marks it
incomplete with the reason `abandoned`, which `gkaudit audit --resume RUN` accepts.
"""
from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, update
from sqlmodel import Session, delete, select

from core.clock import now
from core.vocab import REPORT_FAILURES
from core.sites import Site, SitesFile
from store.copy import copy_rows
from store.models import ColumnItem, Finding, Link, Page, RuleOutcome, Run, SiteColumn, SiteNetwork, SiteResult, SiteRun

RECHECK_LABEL = "recheck of run"  # sites_file of a recheck run: "recheck of run N"
# The observations a recheck starts from: a copy of the previous run's rows of its sites (its network probes run
# again when the recheck's crawl option `network` is on, and replace the copied row).
OBSERVED = (SiteRun, Page, Link, SiteColumn, ColumnItem, SiteNetwork)


class ResumeError(ValueError):
    """The run cannot be resumed (unknown, complete, or still running); the message says which."""


def this_process() -> dict:
    return {"host": socket.gethostname(), "pid": os.getpid()}


def start_run(engine, sites: list[Site], as_of: date, crawl_options: dict | None, label: str) -> int:
    """A run row with its sites. crawl_options None: a run that `--resume` and revalidation do not build on
    (freshness crawls, Scrapyd hand-offs, shared frontiers); label names what started it (a sites file …)."""
    with Session(engine) as session:
        run = Run(started_at=now(), as_of=as_of, sites_file=label, crawl_options=crawl_options, **this_process())
        session.add(run)
        session.commit()
        for site in sites:
            session.add(SiteRun(run_id=run.id, site=site.id, name=site.name, url=site.url, level=site.level,
                                supervisor=site.supervisor, settings=site.settings or None))
        session.commit()
        return run.id


def _sites(session: Session, run_id: int, only: list[str] | None = None) -> list[Site]:
    rows = session.exec(select(SiteRun).where(SiteRun.run_id == run_id).order_by(SiteRun.id)).all()
    return [Site(r.site, r.name, r.level, r.url, r.supervisor, settings=r.settings or {})
            for r in rows if only is None or r.site in only]


def run_sites(engine, run_id: int) -> tuple[list[Site], date]:
    """The sites and audit date of a registered run (a Scrapyd or shared-frontier worker crawls it)."""
    with Session(engine) as session:
        run = session.get(Run, run_id)
        if run is None:
            raise ValueError(f"数据库中没有运行 {run_id}")
        return _sites(session, run_id), run.as_of


def reopen_run(engine, run_id: int) -> tuple[Run, SitesFile]:
    """An incomplete run becomes `running` again in this process, with the sites and crawl options it had
    (`crawl` of the SitesFile; its `export_dir`, if any, among them)."""
    with Session(engine) as session:
        run = session.get(Run, run_id)
        if run is None:
            raise ResumeError(f"没有编号为 {run_id} 的运行")
        if run.status == "complete":
            raise ResumeError(f"运行 {run_id} 已完成，无需继续；重新检查请用 gkaudit audit 或 gkaudit recheck")
        if run.status == "running":
            raise ResumeError(f"运行 {run_id} 仍在进行中（{run.host} 上的进程 {run.pid}）")
        if run.crawl_options is None or (run.sites_file or "").startswith(RECHECK_LABEL):
            raise ResumeError(f"运行 {run_id} 不是由 gkaudit audit 开始的，不能继续")
        sites = _sites(session, run_id)
        for key, value in {"status": "running", "finished_at": None, "finish_reason": None, **this_process()}.items():
            setattr(run, key, value)
        session.add(run)
        session.commit()
        session.refresh(run)
        return run, SitesFile(Path(run.sites_file or "."), sites, dict(run.crawl_options))


def finish_run(engine, run_id: int, reason: str) -> None:
    """The crawl of a run ended: complete when Scrapy says `finished`, else incomplete with the reason."""
    with Session(engine) as session:
        session.exec(update(Run).where(Run.id == run_id).values(
            finished_at=now(), finish_reason=reason, status="complete" if reason == "finished" else "incomplete"))
        session.commit()


def reports_failed(engine, run_id: int, reason: str) -> None:
    """Judging or writing a crawled run failed (core.vocab REPORT_FAILURES) or was interrupted: it is not
    complete, whatever its crawl was."""
    with Session(engine) as session:
        session.exec(update(Run).where(Run.id == run_id).values(status="incomplete", finish_reason=reason))
        session.commit()


def retry_reports(engine, run_id: int) -> None:
    """A run incomplete only because its judging or reports failed is complete again while they are retried."""
    with Session(engine) as session:
        session.exec(update(Run).where(Run.id == run_id, Run.finish_reason.in_(REPORT_FAILURES))
                     .values(status="complete", finish_reason="finished"))
        session.commit()


def finish_shared_run(engine, run_id: int, site_ids: list[str], budget: set[str], reason: str, done: bool) -> None:
    """The last worker of a shared frontier: page counts of all workers, then the run's status."""
    with Session(engine) as session:
        counts = dict(session.exec(select(Page.site, func.count()).where(Page.run_id == run_id)
                                   .group_by(Page.site)).all())
        for site in site_ids:
            session.exec(update(SiteRun).where(SiteRun.run_id == run_id, SiteRun.site == site).values(
                pages=counts.get(site, 0), budget_exhausted=site in budget, crawl_finished=done))
        session.exec(update(Run).where(Run.id == run_id).values(
            status="complete" if done else "incomplete", finish_reason=reason, finished_at=now()))
        session.commit()


def site_crawls(engine, run_id: int) -> list[tuple[str, int, bool]]:
    """(site, pages stored, crawl finished) of each site of a run."""
    with Session(engine) as session:
        return [(s.site, s.pages, s.crawl_finished) for s in
                session.exec(select(SiteRun).where(SiteRun.run_id == run_id).order_by(SiteRun.id)).all()]


def run_crawl_options(engine, run_id: int) -> dict:
    """The crawl options a run was started with (empty for runs that keep none)."""
    with Session(engine) as session:
        run = session.get(Run, run_id)
        return dict(run.crawl_options or {}) if run is not None else {}


def run_as_of(engine, run_id: int) -> date | None:
    """The audit date a run was registered with; None when there is no such run."""
    with Session(engine) as session:
        run = session.get(Run, run_id)
        return run.as_of if run else None


def latest_run(engine, *, complete: bool = False) -> int | None:
    """The newest run (the newest complete one with complete=True), or None."""
    with Session(engine) as session:
        query = select(func.max(Run.id))
        if complete:
            query = query.where(Run.status == "complete")
        return session.exec(query).one()


def latest_runs_of(engine, site_ids: list[str]) -> dict[str, int]:
    """Site → the newest complete run holding it (an audit, or a recheck of it): what a recheck of the site
    builds on. A recheck of one site holds only that site, so the newest run overall is not every site's."""
    with Session(engine) as session:
        return dict(session.exec(select(SiteRun.site, func.max(SiteRun.run_id)).join(Run, Run.id == SiteRun.run_id)
                                 .where(Run.status == "complete", SiteRun.site.in_(site_ids))
                                 .group_by(SiteRun.site)).all())


def known_sites(engine) -> list[str]:
    """Every site some complete run holds, sorted (what `recheck --site` accepts)."""
    with Session(engine) as session:
        return list(session.exec(select(SiteRun.site).join(Run, Run.id == SiteRun.run_id)
                                 .where(Run.status == "complete").distinct().order_by(SiteRun.site)).all())


def run_site_ids(engine, run_id: int) -> list[str]:
    """The sites of a run, in its order."""
    with Session(engine) as session:
        return list(session.exec(select(SiteRun.site).where(SiteRun.run_id == run_id).order_by(SiteRun.id)).all())


def latest_audit(engine) -> int | None:
    """The newest complete run that is not a recheck (a recheck holds only the sites it rechecked)."""
    with Session(engine) as session:
        return session.exec(select(func.max(Run.id)).where(
            Run.status == "complete", (Run.sites_file.is_(None)) | ~Run.sites_file.startswith(RECHECK_LABEL))).one()


@dataclass
class RunSummary:
    """One line of `gkaudit runs`."""

    id: int
    started_at: datetime
    as_of: date
    status: str
    finish_reason: str | None
    sites: int
    pages: int
    label: str | None


def list_runs(engine, limit: int) -> list[RunSummary]:
    """The newest runs first, with their site and page counts."""
    with Session(engine) as session:
        out = []
        for run in session.exec(select(Run).order_by(Run.id.desc()).limit(limit)).all():
            sites = session.exec(select(func.count()).select_from(SiteRun).where(SiteRun.run_id == run.id)).one()
            pages = session.exec(select(func.count()).select_from(Page).where(Page.run_id == run.id)).one()
            out.append(RunSummary(run.id, run.started_at, run.as_of, run.status, run.finish_reason, sites, pages,
                                  run.sites_file))
        return out


def recheck_targets(engine, base: int, site_ids: list[str]) -> dict[str, list[str]]:
    """Per site: the homepage and every URL an open finding of run `base` rests on (its page, or a dead link and
    its parent)."""
    out: dict[str, list[str]] = {}
    with Session(engine) as session:
        for site in session.exec(select(SiteRun).where(SiteRun.run_id == base, SiteRun.site.in_(site_ids))).all():
            urls = {site.url}
            for f in session.exec(select(Finding).where(Finding.run_id == base, Finding.site == site.site,
                                                        Finding.status != "waived")).all():
                urls.add(f.url.split("#", 1)[0])
                if f.parent_url:
                    urls.add(f.parent_url)
            out[site.site] = sorted(urls)
    return out


def start_recheck(engine, base: int, site_ids: list[str] | None, as_of: date) -> tuple[int, list[Site]]:
    """A new run holding a copy of run `base`'s observations of these sites (all of them when None)."""
    with Session(engine) as session:
        sites = _sites(session, base, site_ids)
    chosen = [s.id for s in sites]
    run_id = start_run(engine, [], as_of, None, f"{RECHECK_LABEL} {base}")
    with engine.begin() as conn:
        for model in OBSERVED:
            copy_rows(conn, model, run_id, model.run_id == base, model.site.in_(chosen))
    return run_id, sites


def forget_judgement(engine, run_id: int, reason: str) -> None:
    """Drop a run's verdicts and keep it out of `recheck` and `--resume`: a freshness crawl is not an audit, so
    history stays audit to audit (status incomplete, with the reason)."""
    with Session(engine) as session:
        for table in (Finding, RuleOutcome, SiteResult):
            session.exec(delete(table).where(table.run_id == run_id))
        session.exec(update(Run).where(Run.id == run_id).values(status="incomplete", finish_reason=reason))
        session.commit()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def mark_abandoned(engine) -> list[int]:
    """Mark this machine's `running` runs whose process no longer exists as incomplete (abandoned)."""
    host = socket.gethostname()
    with Session(engine) as session:
        running = session.exec(select(Run).where(Run.status == "running", Run.host == host)).all()
        dead = [run.id for run in running if run.pid and not _alive(run.pid)]
        if dead:
            session.exec(update(Run).where(Run.id.in_(dead), Run.status == "running")
                         .values(status="incomplete", finish_reason="abandoned", finished_at=now()))
            session.commit()
    return dead


def site_outcome(engine, run_id: int, site: str) -> tuple[str, str | None, str | None] | None:
    """(run status, finish reason, the site's verdict or None when not judged) of one site in a run; None when
    there is no such run (what the recheck worker tells the ledger about an attempt)."""
    with Session(engine) as session:
        run = session.get(Run, run_id)
        if run is None:
            return None
        verdict = session.exec(select(SiteResult.verdict).where(SiteResult.run_id == run_id,
                                                                SiteResult.site == site)).first()
        return run.status, run.finish_reason, verdict
