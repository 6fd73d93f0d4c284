"""`gkaudit audit`: observe (crawl and store) → judge (rules on the stored run) → render (reports)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlmodel import Session

from checks.engine import judge
from checks.rules import Rule
from gkaudit.sites import SitesFile
from store import connect, now, resolve_db_url, snapshots
from store.models import Run, SiteRun


def start_run(engine, sites_file: SitesFile, as_of: date) -> int:
    with Session(engine) as session:
        run = Run(started_at=now(), as_of=as_of, sites_file=str(sites_file.path))
        session.add(run)
        session.commit()
        for site in sites_file.sites:
            session.add(SiteRun(run_id=run.id, site=site.id, name=site.name, url=site.url, level=site.level,
                                supervisor=site.supervisor, settings=site.settings or None))
        session.commit()
        return run.id


def finish_run(engine, run_id: int, reason: str) -> None:
    with Session(engine) as session:
        run = session.get(Run, run_id)
        run.finished_at = now()
        run.finish_reason = reason
        run.status = "complete" if reason == "finished" else "incomplete"
        session.add(run)
        session.commit()


def run_audit(sites_file: SitesFile, rules: list[Rule], out_dir: Path, *, db_url: str | None, as_of: date,
              crawl_options: dict | None = None, log_level: str = "WARNING") -> tuple[int, dict, list[Path]]:
    """Returns (run id, result dict, files written). The run is stored even when the crawl was interrupted.

    crawl_options: max_pages, max_depth, delay, timeout, external, confirm_delay (gkaudit.sites.CRAWL_KEYS).
    """
    from crawler.runner import crawl

    db_url = resolve_db_url(db_url)
    engine = connect(db_url)
    run_id = start_run(engine, sites_file, as_of)
    # The command line wins over the sites file's `crawl:` section.
    crawl_opts = sites_file.crawl | {k: v for k, v in (crawl_options or {}).items() if v is not None}
    reason = "store_error"
    try:
        reason = crawl(sites_file.sites, run_id=run_id, db_url=db_url, as_of=as_of, log_level=log_level, **crawl_opts)
    finally:
        finish_run(engine, run_id, reason)  # a run that failed is still marked, as incomplete
    result = judge(engine, run_id, rules, as_of)
    snapshots.prune(engine)  # keep the HTML only of pages that findings rest on
    return run_id, result, write_outputs(out_dir, result, engine)


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
