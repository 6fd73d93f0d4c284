"""`gkaudit recheck`: fetch again only what the open findings of a run rest on, then judge the updated snapshot.

The new run starts as a copy of the previous run's observations of those sites; the pages, links, columns and
items of every re-fetched URL are replaced, everything else is carried over. Judging it against the previous run
then says which findings are fixed (resolved) and which are still open, in seconds instead of a full crawl.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from checks.engine import judge
from checks.rules import Rule
from gkaudit.audit import finish_run, write_outputs
from gkaudit.sites import Site
from store import now, snapshots
from store.copy import copy_rows
from store.models import ColumnItem, Finding, Link, Page, Run, SiteColumn, SiteRun

COPIED = (SiteRun, Page, Link, SiteColumn, ColumnItem)


def latest_run(session: Session) -> int | None:
    return session.exec(select(Run.id).where(Run.status == "complete").order_by(Run.id.desc())).first()


def targets(session: Session, base: int, site_ids: list[str]) -> dict[str, list[str]]:
    """Per site: the homepage and every URL an open finding rests on (its page, or a dead link and its parent)."""
    out: dict[str, list[str]] = {}
    for site in session.exec(select(SiteRun).where(SiteRun.run_id == base, SiteRun.site.in_(site_ids))).all():
        urls = {site.url}
        for f in session.exec(select(Finding).where(Finding.run_id == base, Finding.site == site.site,
                                                    Finding.status != "waived")).all():
            urls.add(f.url.split("#", 1)[0])
            if f.parent_url:
                urls.add(f.parent_url)
        out[site.site] = sorted(urls)
    return out


def copy_run(engine, base: int, site_ids: list[str], as_of: date) -> int:
    """A new run holding the previous run's observations of these sites."""
    with Session(engine) as session:
        run = Run(started_at=now(), as_of=as_of, sites_file=f"recheck of run {base}")
        session.add(run)
        session.commit()
        new = run.id
    with engine.begin() as conn:
        for model in COPIED:
            copy_rows(conn, model, new, model.run_id == base, model.site.in_(site_ids))
    return new


def recheck(engine, db_url: str, base: int, site_ids: list[str] | None, rules: list[Rule], as_of: date,
            out_dir: Path, crawl_options: dict, log_level: str = "WARNING") -> tuple[int, dict, list[Path], int]:
    """Returns (new run id, result, files written, URLs fetched)."""
    from crawler.runner import crawl

    with Session(engine) as session:
        site_runs = session.exec(select(SiteRun).where(SiteRun.run_id == base)).all()
        site_ids = site_ids or [s.site for s in site_runs]
        sites = [Site(s.site, s.name, s.level, s.url, s.supervisor, settings=s.settings or {})
                 for s in site_runs if s.site in site_ids]
        wanted = targets(session, base, site_ids)
    run_id = copy_run(engine, base, site_ids, as_of)
    reason = "store_error"
    try:
        reason = crawl(sites, run_id=run_id, db_url=db_url, as_of=as_of, targets=wanted, log_level=log_level,
                       **crawl_options)
    finally:
        finish_run(engine, run_id, reason)
    result = judge(engine, run_id, rules, as_of)
    result["run"]["recheck_of"] = base
    snapshots.prune(engine)
    return run_id, result, write_outputs(out_dir, result, engine), sum(len(v) for v in wanted.values())
