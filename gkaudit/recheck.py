"""`gkaudit recheck`: fetch again only what the open findings of a run rest on, then judge the updated snapshot.

The new run starts as a copy of the previous run's observations of those sites; the pages, links, columns and
items of every re-fetched URL are replaced, everything else is carried over. Judging it against the previous run
then says which findings are fixed (resolved) and which are still open, in seconds instead of a full crawl.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from checks.rule import Rule
from crawler.runner import crawl
from gkaudit.pipeline import Rendered, judge_and_render
from store.runs import finish_run, recheck_targets, run_crawl_options, start_recheck

# What a recheck keeps of the rechecked run unless given again: how it reached the sites, verified them and read
# their scanned attachments (a 批复 read by OCR is read so again, or its finding would seem fixed), and the
# politeness it was audited with (a site asked for a slow crawl is rechecked as slowly, by the worker too).
INHERITED = ("network", "ca_bundle", "nameserver", "ocr", "ocr_pages", "ocr_confidence", "delay", "timeout",
             "confirm_delay")


@dataclass
class Rechecked:
    run_id: int
    base: int
    rendered: Rendered
    fetched: int  # URLs fetched again


def recheck(engine, db_url: str, base: int, site_ids: list[str] | None, rules: list[Rule], as_of: date,
            out_dir: Path, options: dict, log_level: str = "WARNING") -> Rechecked:
    """Re-fetch what the open findings of run `base` rest on (for these sites, or all), judge, write."""
    kept = run_crawl_options(engine, base)
    options = {k: kept[k] for k in INHERITED if k in kept} | {k: v for k, v in options.items() if v is not None}
    run_id, sites = start_recheck(engine, base, site_ids, as_of)
    wanted = recheck_targets(engine, base, [s.id for s in sites])
    reason = "store_error"
    try:
        reason = crawl(sites, run_id=run_id, db_url=db_url, as_of=as_of, options=options, targets=wanted,
                       log_level=log_level)
    finally:
        finish_run(engine, run_id, reason)
    return Rechecked(run_id, base, judge_and_render(engine, run_id, rules, out_dir),
                     sum(len(v) for v in wanted.values()))
