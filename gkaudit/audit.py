"""`gkaudit audit`: observe (crawl and store) → judge (rules on the stored run) → render (reports)."""
from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from checks.engine import judge
from checks.rules import Rule
from crawler.facts.version import FACTS_VERSION
from gkaudit.sites import CRAWL_KEYS, Site, SitesFile
from store import connect, now, resolve_db_url, snapshots
from store.models import Run, SiteRun
from store.runs import this_process


def start_run(engine, sites_file: SitesFile, as_of: date, crawl_options: dict | None, label: str | None = None) -> int:
    """A run row with its sites. crawl_options None: a run `--resume` and revalidation do not build on
    (freshness crawls, Scrapyd hand-offs); label names it instead of the sites file."""
    options = None if crawl_options is None else {**crawl_options, "facts_version": FACTS_VERSION}
    with Session(engine) as session:
        run = Run(started_at=now(), as_of=as_of, sites_file=label or str(sites_file.path), crawl_options=options,
                  **this_process())
        session.add(run)
        session.commit()
        for site in sites_file.sites:
            session.add(SiteRun(run_id=run.id, site=site.id, name=site.name, url=site.url, level=site.level,
                                supervisor=site.supervisor, settings=site.settings or None))
        session.commit()
        return run.id


class ResumeError(ValueError):
    """The run cannot be resumed (unknown, complete, or still running); the message says which."""


def reopen_run(engine, run_id: int) -> tuple[Run, SitesFile]:
    """An incomplete run becomes `running` again in this process, with the sites and crawl options it had."""
    with Session(engine) as session:
        run = session.get(Run, run_id)
        if run is None:
            raise ResumeError(f"没有编号为 {run_id} 的运行")
        if run.status == "complete":
            raise ResumeError(f"运行 {run_id} 已完成，无需继续；重新检查请用 gkaudit audit 或 gkaudit recheck")
        if run.status == "running":
            raise ResumeError(f"运行 {run_id} 仍在进行中（{run.host} 上的进程 {run.pid}）")
        if run.crawl_options is None or run.sites_file and run.sites_file.startswith("recheck of run"):
            raise ResumeError(f"运行 {run_id} 不是由 gkaudit audit 开始的，不能继续")
        site_runs = session.exec(select(SiteRun).where(SiteRun.run_id == run_id).order_by(SiteRun.id)).all()
        sites = [Site(s.site, s.name, s.level, s.url, s.supervisor, settings=s.settings or {}) for s in site_runs]
        for key, value in {"status": "running", "finished_at": None, "finish_reason": None, **this_process()}.items():
            setattr(run, key, value)
        session.add(run)
        session.commit()
        session.refresh(run)
        crawl = {k: v for k, v in run.crawl_options.items() if k in CRAWL_KEYS or k == "export_dir"}
        return run, SitesFile(Path(run.sites_file or "."), sites, crawl)


def finish_run(engine, run_id: int, reason: str) -> None:
    with Session(engine) as session:
        run = session.get(Run, run_id)
        run.finished_at = now()
        run.finish_reason = reason
        run.status = "complete" if reason == "finished" else "incomplete"
        session.add(run)
        session.commit()


def run_audit(sites_file: SitesFile | None, rules: list[Rule], out_dir: Path, *, db_url: str | None,
              as_of: date | None, crawl_options: dict | None = None, resume: int | None = None,
              log_level: str = "WARNING") -> tuple[int, dict, list[Path]]:
    """Returns (run id, result dict, files written). The run is stored even when the crawl was interrupted.

    crawl_options: max_pages, max_depth, delay, timeout, external, confirm_delay (gkaudit.sites.CRAWL_KEYS).
    resume: an incomplete run to continue (its sites, as-of date and crawl options; sites_file is ignored).
    """
    from crawler.runner import crawl

    db_url = resolve_db_url(db_url)
    engine = connect(db_url)
    given = {k: v for k, v in (crawl_options or {}).items() if v is not None}
    if resume is not None:
        run, sites_file = reopen_run(engine, resume)
        run_id, as_of, crawl_opts = run.id, run.as_of, sites_file.crawl | given
    else:
        crawl_opts = sites_file.crawl | given  # the command line wins over the sites file's `crawl:` section
        stored = {k: v for k, v in crawl_opts.items() if k != "progress"}  # display, not crawl
        run_id = start_run(engine, sites_file, as_of, stored)
    reason = "store_error"
    started = time.monotonic()
    try:
        reason = crawl(sites_file.sites, run_id=run_id, db_url=db_url, as_of=as_of, log_level=log_level,
                       resume=resume is not None, **crawl_opts)
    except BaseException:  # StoreError, or anything else the crawl raised
        _mark_failed(engine, run_id)
        raise
    finish_run(engine, run_id, reason)
    crawled = time.monotonic()
    result = judge(engine, run_id, rules, as_of)
    snapshots.prune(engine)  # keep the HTML only of pages that findings rest on
    judged = time.monotonic()
    files = write_outputs(out_dir, result, engine)
    result["timings"] = {"crawl": crawled - started, "judge": judged - crawled, "reports": time.monotonic() - judged}
    return run_id, result, files


def _mark_failed(engine, run_id: int) -> None:
    """Best effort after a failed crawl: the database may still be unreachable or full. If the mark cannot be
    written, the run stays `running` until the next command finds its process gone (store.runs)."""
    try:
        finish_run(engine, run_id, "store_error")
    except Exception:
        pass


def write_outputs(out_dir: Path, result: dict, engine) -> list[Path]:
    """findings.json first, then the human reports, then the snapshots the reports link to."""
    from reports import write_reports
    from reports.findings_json import write_findings_json

    out_dir.mkdir(parents=True, exist_ok=True)
    files = [write_findings_json(out_dir, result), *write_reports(out_dir, result)]
    wanted = {f["snapshot"] for f in result["findings"] if f.get("snapshot")}
    if wanted:
        (out_dir / "snapshots").mkdir(exist_ok=True)
        for digest, body in snapshots.load(engine, wanted).items():
            path = out_dir / "snapshots" / f"{digest}.html"
            path.write_bytes(body)
            files.append(path)
    return files

