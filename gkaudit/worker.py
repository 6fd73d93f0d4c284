"""The recheck worker: a bureau's 「已整改」 queues its items (ledger status 已整改待复查); the worker rechecks each
queued site and the ledger closes (销号) or reopens the items by itself.

One site at a time, each in its own `gkaudit recheck --site` process (Scrapy's reactor runs once per process),
under the one-crawl-per-site lock (gkaudit.locks, held here while the child crawls: a site another audit is
crawling waits for the next round). The recheck keeps the politeness the site was audited with (gkaudit.recheck
INHERITED). A recheck that could not decide an item (the site unreachable or blocked, the crawl interrupted)
never closes it: the ledger's record_run closes only after a complete run that judged the site, and the worker
records 「复查未完成」 on the items still waiting, so the site is tried again after `retry_minutes`.

`gkaudit serve` runs a Worker in a thread; `gkaudit worker` runs the same rounds from cron (--once) or a loop.
Given the schedules file (`gkaudit serve --schedules`), the worker also runs a job of it now when the audits page
asks (「立即运行」): a child `gkaudit schedule run JOB`, exactly as the scheduler runs it, site locks included.
"""
from __future__ import annotations

import logging
import re
import subprocess
import sys
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from core.clock import now
from gkaudit.jobs import absolute_db_url
from gkaudit.locks import site_locks
from store import connect, ledger
from store.runs import site_outcome

log = logging.getLogger("gkaudit.worker")
RETRY_MINUTES = 30  # a site whose recheck could not decide its items is tried again after this long
INTERVAL_SECONDS = 60.0  # how often the service's worker looks at the queue (a request wakes it at once)
STATES = {"done": "复查完成", "incomplete": "复查未完成", "busy": "站点正被其他检查抓取，下一轮再试",
          "error": "复查出错"}


@dataclass
class Outcome:
    """One site's recheck as the worker saw it (the audits page lists the latest ones)."""

    site: str
    state: str  # STATES
    started: datetime
    run_id: int | None = None
    closed: list[int] = field(default_factory=list)  # queued items closed (销号)
    reopened: list[int] = field(default_factory=list)  # queued items found again (复查未通过)
    waiting: list[int] = field(default_factory=list)  # queued items the recheck could not decide
    note: str = ""

    @property
    def state_label(self) -> str:
        return STATES.get(self.state, self.state)

    def summary(self) -> str:
        if self.state in ("busy", "error"):
            return f"站点 {self.site}：{self.state_label}" + (f"（{self.note}）" if self.note else "")
        run = f"复查运行 {self.run_id}" if self.run_id else "复查"
        return (f"站点 {self.site}：{run}，销号 {len(self.closed)} 项，复查未通过 {len(self.reopened)} 项，"
                f"仍待复查 {len(self.waiting)} 项" + (f"（{self.note}）" if self.note else ""))


JOB_BUSY = 75  # gkaudit schedule run: every site of the job was being crawled by another audit


@dataclass
class JobOutcome:
    """A job of the schedules file run now from the audits page."""

    job: str
    started: datetime
    code: int | None = None
    note: str = ""

    def summary(self) -> str:
        if self.code == 0:
            return f"任务 {self.job}：已完成" + (f"（{self.note}）" if self.note else "")
        if self.code == JOB_BUSY:
            return f"任务 {self.job}：所有站点都正被其他检查抓取，未运行"
        return f"任务 {self.job}：运行出错（退出码 {self.code}）" + (f"：{self.note}" if self.note else "")


def due_sites(queue: list[ledger.QueuedSite], retry: timedelta, at: datetime) -> list[str]:
    """Queued sites, oldest request first, leaving out those whose last attempt failed less than `retry` ago."""
    return [q.site for q in queue if q.last_attempt is None or q.last_attempt <= at - retry]


class Worker:
    """Runs rounds over the recheck queue: in a thread (start/stop, `request` wakes it) or once (run_round)."""

    def __init__(self, db_url: str, rules_dir: str | Path, out_dir: str | Path, interval: float = INTERVAL_SECONDS,
                 retry_minutes: float = RETRY_MINUTES, schedules: str | Path | None = None,
                 jobs_out: str | Path = "out/schedule"):
        self.db_url = absolute_db_url(db_url)
        self.engine = connect(self.db_url)
        self.rules_dir, self.out_dir = str(rules_dir), Path(out_dir)
        self.interval, self.retry = interval, timedelta(minutes=retry_minutes)
        self.requested: list[str] = []  # sites asked for now (the audits page), ahead of the queue
        self.current: tuple[str, datetime] | None = None
        self.history: deque[Outcome] = deque(maxlen=20)
        self.schedules, self.jobs_out = (str(Path(schedules).resolve()) if schedules else None), Path(jobs_out)
        self.requested_jobs: list[str] = []  # jobs of the schedules file asked for now, run before any recheck
        self.current_job: tuple[str, datetime] | None = None
        self.job_history: deque[JobOutcome] = deque(maxlen=20)
        self._lock = threading.Lock()
        self._wake, self._stop = threading.Event(), threading.Event()
        self._child: subprocess.Popen | None = None
        self._thread: threading.Thread | None = None

    # ---- the thread of gkaudit serve

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="gkaudit-recheck-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30) -> None:
        """Stop after the current site; its recheck process is ended (an interrupted recheck closes nothing)."""
        self._stop.set()
        self._wake.set()
        with self._lock:
            if self._child is not None and self._child.poll() is None:
                self._child.terminate()
        if self._thread is not None:
            self._thread.join(timeout)
        self.engine.dispose()

    def request(self, site: str) -> None:
        """Recheck this site now (queued or not), whatever its retry time."""
        with self._lock:
            if site not in self.requested:
                self.requested.append(site)
        self._wake.set()

    def request_job(self, job_id: str) -> None:
        """Run this job of the schedules file now (the audits page's 「立即运行」)."""
        with self._lock:
            if job_id not in self.requested_jobs:
                self.requested_jobs.append(job_id)
        self._wake.set()

    def pending_jobs(self) -> list[str]:
        with self._lock:
            return list(self.requested_jobs)

    def wake(self) -> None:
        """Look at the queue now (a new 「已整改」), not at the next interval."""
        self._wake.set()

    def pending(self) -> list[str]:
        with self._lock:
            return list(self.requested)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_round()
            except Exception:  # a database hiccup must not end the service's worker
                log.exception("复查进程的一轮出错，稍后重试")
            self._wake.wait(self.interval)
            self._wake.clear()

    # ---- one round

    def run_round(self, only: list[str] | None = None) -> list[Outcome]:
        """Recheck the requested sites, then the due queued ones (or exactly `only`); one site at a time."""
        with self._lock:
            asked, self.requested = self.requested, []
            jobs, self.requested_jobs = self.requested_jobs, []
        for job in jobs if only is None else ():
            if not self._stop.is_set():
                outcome = self.run_job(job)
                log.info(outcome.summary())
                self.job_history.appendleft(outcome)
        if only is not None:
            sites = list(dict.fromkeys(only))
        else:
            sites = list(dict.fromkeys(asked + due_sites(ledger.recheck_queue(self.engine), self.retry, now())))
        done = []
        for site in sites:
            if self._stop.is_set():
                break
            outcome = self.recheck_site(site)
            log.info(outcome.summary())
            self.history.appendleft(outcome)
            done.append(outcome)
        return done

    def recheck_site(self, site: str) -> Outcome:
        started = now()
        queued = next((q.items for q in ledger.recheck_queue(self.engine) if q.site == site), ())
        with site_locks(self.engine, [site]) as (got, _busy):
            if not got:
                return Outcome(site, "busy", started)
            self.current = (site, started)
            try:
                out = self.out_dir / _safe(site) / started.strftime("%Y%m%d-%H%M%S")
                code, text = self._run_child(["recheck", "--site", site, "--out", str(out)])
            finally:
                self.current = None
        found = re.search(r"复查运行 (\d+)", text)
        outcome = Outcome(site, "done", started, int(found.group(1)) if found else None)
        statuses = ledger.statuses_of(self.engine, list(queued)) if queued else {}
        outcome.closed = [i for i in queued if statuses.get(i) in ("closed", "waived")]
        outcome.reopened = [i for i in queued if statuses.get(i) == "open"]
        outcome.waiting = [i for i in queued if statuses.get(i) == "feedback_received"]
        if code != 0 and outcome.run_id is None:
            outcome.state = "error"
            outcome.note = _last_line(text) or f"退出码 {code}"
        if outcome.waiting:
            outcome.state = "incomplete" if outcome.state == "done" else outcome.state
            outcome.note = outcome.note or self._why_undecided(outcome.run_id, site, code)
            ledger.recheck_incomplete(self.engine, outcome.waiting, outcome.run_id,
                                      f"{outcome.note}；问题保持「已整改待复查」，约 {int(self.retry.total_seconds() // 60)} 分钟后再次复查")
        return outcome

    def run_job(self, job_id: str) -> JobOutcome:
        """One job of the schedules file, in a child `gkaudit schedule run` (it takes the site locks itself)."""
        started = now()
        cmd = ["schedule", "run", job_id, "--schedules", self.schedules or "", "--out", str(self.jobs_out), "-q",
               "--child"]
        self.current_job = (job_id, started)
        try:
            code, text = self._run_child(cmd)
        finally:
            self.current_job = None
        return JobOutcome(job_id, started, code, "" if code in (0, JOB_BUSY) else _last_line(text))

    def _why_undecided(self, run_id: int | None, site: str, code: int) -> str:
        seen = site_outcome(self.engine, run_id, site) if run_id else None
        if seen is None:
            return f"复查未能完成（退出码 {code}）"
        status, reason, verdict = seen
        if status != "complete":
            return f"复查运行 {run_id} 未完成（{reason or status}）"
        if verdict in (None, "not_tested"):
            return f"复查运行 {run_id}：站点无法访问或被拦截，未能检测"
        return f"复查运行 {run_id} 未能检测这些问题所依据的规则"

    def _run_child(self, args: list[str]) -> tuple[int, str]:
        """A gkaudit command in a child process on the worker's database and rules: (exit code, its stderr)."""
        cmd = [sys.executable, "-c", "from gkaudit.cli import main; main()", *args, "--db", self.db_url,
               "--rules", self.rules_dir]
        with self._lock:
            if self._stop.is_set():
                return 1, "复查进程已停止"
            self._child = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.PIPE, text=True, errors="replace")
        try:
            _, err = self._child.communicate()
            return self._child.returncode, err or ""
        finally:
            with self._lock:
                self._child = None


def _last_line(text: str) -> str:
    """What a child said last on stderr (its error), at most 300 characters; "" when it said nothing."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def _safe(site: str) -> str:
    return re.sub(r"[^\w.-]", "_", site) or "site"
