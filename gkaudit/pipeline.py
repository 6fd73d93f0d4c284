"""After a crawl, one way to judge and write: `judge_and_render` serves audit, resume, recheck, scheduled jobs
and `gkaudit report`, so every path stores the same verdicts and writes the same files."""
from __future__ import annotations

import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from checks.engine import judge
from checks.result import AuditResult
from checks.rule import Rule
from reports import write_outputs
from store import snapshots


@dataclass
class Rendered:
    """What judging and writing one run gave: the result, the files written, and where the time went."""

    result: AuditResult
    files: list[Path]
    judge_seconds: float
    report_seconds: float


def judge_and_render(engine, run_id: int, rules: list[Rule], out_dir: Path) -> Rendered:
    """Judge the stored run with these rules (on its own audit date), keep the HTML only of pages that findings
    rest on, write findings.json and the reports into out_dir."""
    started = time.monotonic()
    result = judge(engine, run_id, rules)
    snapshots.prune(engine)
    judged = time.monotonic()
    files = write_outputs(Path(out_dir), result, partial(snapshots.load, engine))
    return Rendered(result, files, judged - started, time.monotonic() - judged)
