"""`gkaudit audit`: observe (crawl and store) → judge (rules on the stored run) → render (reports)."""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from checks.result import AuditResult
from checks.rule import Rule
from core import options as crawl_options
from core.sites import SitesFile
from crawler.facts import FACTS_VERSION
from crawler.runner import crawl
from gkaudit.pipeline import Rendered, judge_and_render
from store import connect, resolve_db_url
from store.runs import finish_run, reopen_run, start_run

EXPORT_DIR = "export_dir"  # kept in run.crawl_options beside the crawl options: a resumed export reads it again


@dataclass
class Audited:
    """One audit: its run, what judging and writing gave, and how long the crawl took."""

    run_id: int
    rendered: Rendered
    crawl_seconds: float

    @property
    def result(self) -> AuditResult:
        return self.rendered.result

    @property
    def files(self) -> list[Path]:
        return self.rendered.files


def run_audit(sites_file: SitesFile | None, rules: list[Rule], out_dir: Path, *, db_url: str | None,
              as_of: date | None, options: dict | None = None, export_dir: str | None = None,
              resume: int | None = None, log_level: str = "WARNING") -> Audited:
    """Crawl, judge and write; the run is stored even when the crawl was interrupted.

    options: crawl options by name (core.options), given on the command line: they win over the sites file's
    `crawl:` section. resume: an incomplete run to continue with its own sites, audit date and crawl options
    (sites_file and as_of are then ignored; options given now still win).
    """
    db_url = resolve_db_url(db_url)
    engine = connect(db_url)
    given = crawl_options.given(options or {})
    if resume is not None:
        run, sites_file = reopen_run(engine, resume)
        run_id, as_of = run.id, run.as_of
        kept = sites_file.crawl  # what the run stored: its crawl options, the export folder, the facts version
        export_dir = kept.get(EXPORT_DIR)
        chosen = {k: v for k, v in kept.items() if k in crawl_options.BY_NAME} | given
    else:
        if as_of is None:
            raise ValueError("as_of is decided by the command that starts the audit")
        chosen = sites_file.crawl | given
        kept = crawl_options.stored(chosen) | {"facts_version": FACTS_VERSION}
        if export_dir:
            kept[EXPORT_DIR] = export_dir
        run_id = start_run(engine, sites_file.sites, as_of, kept, str(sites_file.path))
    reason = "store_error"
    started = time.monotonic()
    try:
        reason = crawl(sites_file.sites, run_id=run_id, db_url=db_url, as_of=as_of, options=chosen,
                       export_dir=export_dir, resume=resume is not None, log_level=log_level)
    except BaseException:  # StoreError, or anything else the crawl raised
        _mark_failed(engine, run_id)
        raise
    finish_run(engine, run_id, reason)
    crawled = time.monotonic() - started
    return Audited(run_id, judge_and_render(engine, run_id, rules, out_dir), crawled)


def _mark_failed(engine, run_id: int) -> None:
    """Best effort after a failed crawl: the database may still be unreachable or full. If the mark cannot be
    written, the run stays `running` until the next command finds its process gone (store.runs)."""
    try:
        finish_run(engine, run_id, "store_error")
    except Exception:
        pass
