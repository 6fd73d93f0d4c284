"""After a crawl, one way to judge and write: `judge_and_render` serves audit, resume, recheck, scheduled jobs
and `gkaudit report`, so every path stores the same verdicts, writes the same files and keeps the 整改台账
(store.ledger) up to date."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from checks.engine import judge
from checks.result import AuditResult
from checks.rule import Rule
from reports import write_outputs
from store import ledger, snapshots


@dataclass
class Rendered:
    """What judging and writing one run gave: the result, the files written, and where the time went."""

    result: AuditResult
    files: list[Path]
    judge_seconds: float
    report_seconds: float
    ledger: ledger.Applied = field(default_factory=ledger.Applied)  # what the run changed in the 整改台账


def judge_and_render(engine, run_id: int, rules: list[Rule], out_dir: Path, *, keep_ledger: bool = True) -> Rendered:
    """Judge the stored run with these rules (on its own audit date), keep the HTML only of pages that findings
    rest on, write findings.json and the reports into out_dir, and take the run into the ledger (unless
    keep_ledger is False: a freshness crawl is not an audit)."""
    started = time.monotonic()
    result = judge(engine, run_id, rules)
    snapshots.prune(engine)
    applied = ledger.record_run(engine, run_id, seen(result)) if keep_ledger else ledger.Applied()
    judged = time.monotonic()
    found = ledger.first_found(engine, [s.site for s in result.sites]) if keep_ledger else None
    files = write_outputs(Path(out_dir), result, partial(snapshots.load, engine), first_found=found)
    return Rendered(result, files, judged - started, time.monotonic() - judged, applied)


def seen(result: AuditResult) -> list[ledger.Seen]:
    """Each row of each site's 整改清单 (a problem), as the ledger takes it in."""
    return [ledger.Seen(p.id, tuple(f.id for f in p.findings), p.site, p.rules, p.kind, p.severity, p.message,
                        p.url, p.deadline, p.status == "waived")
            for site in result.sites for p in result.problems_of(site.site)]
