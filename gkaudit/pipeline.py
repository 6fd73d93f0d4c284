"""After a crawl, one way to judge and write: `judge_and_render` serves audit, resume, recheck, scheduled jobs
and `gkaudit report`, so every path stores the same verdicts, writes the same files and keeps the 整改台账
(store.ledger) up to date.

A run whose judging or reports failed is never left `complete` (issue 22): it is marked incomplete with the reason
(core.vocab FINISH_REASONS) and the failure is raised as a ReportError in words; Ctrl-C or SIGTERM meanwhile marks
it interrupted. `gkaudit audit --resume RUN` (or `gkaudit report`) writes it again."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from sqlalchemy.exc import OperationalError

from checks.engine import judge
from checks.result import AuditResult
from checks.rule import Rule
from core.parallel import WorkerError
from core.vocab import FINISH_REASONS
from reports import write_outputs
from store import ledger, snapshots
from store.runs import reports_failed, retry_reports


class ReportError(RuntimeError):
    """Judging or writing a stored run failed; the run is marked incomplete with `reason`. The message is Chinese;
    `detail` is the worker's traceback when the failure happened in one (shown with -v)."""

    def __init__(self, run_id: int, reason: str, cause: BaseException):
        self.run_id, self.reason = run_id, reason
        self.detail = getattr(cause, "remote_traceback", "")
        what = str(cause) if isinstance(cause, WorkerError) else f"{type(cause).__name__}: {cause}"
        super().__init__(f"运行 {run_id} {FINISH_REASONS[reason]}：{what}")


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
    retry_reports(engine, run_id)
    started = time.monotonic()
    step = "judge_error"
    try:
        result = judge(engine, run_id, rules)
        snapshots.prune(engine)
        applied = ledger.record_run(engine, run_id, seen(result)) if keep_ledger else ledger.Applied()
        judged = time.monotonic()
        found = ledger.first_found(engine, [s.site for s in result.sites]) if keep_ledger else None
        step = "report_error"
        files = write_outputs(Path(out_dir), result, partial(snapshots.load, engine), first_found=found)
    except KeyboardInterrupt:
        _mark(engine, run_id, "shutdown")
        raise
    except OperationalError:  # the database itself failed: the command says so (marking may fail too)
        _mark(engine, run_id, step)
        raise
    except Exception as exc:
        _mark(engine, run_id, step)
        raise ReportError(run_id, step, exc) from exc
    return Rendered(result, files, judged - started, time.monotonic() - judged, applied)


def _mark(engine, run_id: int, reason: str) -> None:
    """Best effort: the failure may be the database's own."""
    try:
        reports_failed(engine, run_id, reason)
    except Exception:  # noqa: BLE001
        pass


def seen(result: AuditResult) -> list[ledger.Seen]:
    """Each row of each site's 整改清单 (a problem), as the ledger takes it in."""
    return [ledger.Seen(p.id, tuple(f.id for f in p.findings), p.site, p.rules, p.kind, p.severity, p.message,
                        p.url, p.deadline, p.status == "waived")
            for site in result.sites for p in result.problems_of(site.site)]
