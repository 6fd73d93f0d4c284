"""`gkaudit scheduler`: the long-running service that runs the jobs of a schedules file on their calendar.

- APScheduler 3 with its SQLAlchemy job store in the gkaudit database (table gkaudit_scheduler_jobs): the next
  run time of every job survives a restart.
- Missed runs (scheduler down or busy): coalesced into one run, started late only within the job's
  misfire grace (schedules.MISFIRE_GRACE: audit 3 days, freshness 6 hours, probe 10 minutes; `misfire_grace`
  per job), otherwise skipped with a warning and the job waits for its next time. A stored job keeps its next run
  time across restarts unless its cron, jitter, kind or grace changed (then it is planned afresh).
- One run of a job at a time (max_instances 1), and one crawl of a site at a time across jobs, processes
  and machines (gkaudit.locks).
- audit and freshness run in a child process (`gkaudit schedule run JOB`: a Scrapy crawl needs a process of its
  own); probes run in a thread here.
- SIGTERM or Ctrl-C: no new runs start; running crawls get SIGINT (Scrapy stops cleanly, what was stored
  stays and the run is marked incomplete), then the service exits 0.
"""
from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.engine import make_url

from gkaudit.durations import duration_text
from gkaudit.jobs import EXIT_ALL_BUSY, run_job, tag
from gkaudit.schedules import Schedules, next_runs
from store import connect

log = logging.getLogger("gkaudit.scheduler")
TABLE = "gkaudit_scheduler_jobs"
SHUTDOWN_WAIT = 120.0  # seconds a running crawl gets to stop cleanly after SIGINT


@dataclass
class Context:
    """What the jobs of this process run with (the job store keeps only job ids, never paths or URLs)."""

    schedules: Schedules
    schedules_path: Path
    sites_path: Path
    db_url: str
    out_dir: Path
    rules_dir: Path
    scrapyd: str | None
    stop: threading.Event = field(default_factory=threading.Event)
    children: dict[str, subprocess.Popen] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


_context: Context | None = None


def fire(job_id: str, spec: str = "") -> None:
    """The job store's entry point (gkaudit.scheduler:fire): run the job as the current schedules file says."""
    ctx = _context
    if ctx is None or ctx.stop.is_set():
        return
    job = ctx.schedules.job(job_id)
    if job is None:
        log.warning("[任务 %s] 不在当前的计划文件中，跳过", job_id)
        return
    if job.kind == "probe":
        run_job(ctx.schedules, job, db_url=ctx.db_url, out_dir=ctx.out_dir, rules_dir=ctx.rules_dir)
        return
    cmd = [sys.executable, "-c", "from gkaudit.cli import main; main()", "schedule", "run", job.id,
           "--schedules", str(ctx.schedules_path), "--sites", str(ctx.sites_path), "--db", ctx.db_url,
           "--out", str(ctx.out_dir), "--rules", str(ctx.rules_dir), "--child"]
    if ctx.scrapyd:
        cmd += ["--scrapyd", ctx.scrapyd]
    with ctx.lock:
        if ctx.stop.is_set():
            return
        child = subprocess.Popen(cmd, start_new_session=True)  # our own SIGINT on shutdown, not the terminal's
        ctx.children[job.id] = child
    try:
        code = child.wait()
    finally:
        with ctx.lock:
            ctx.children.pop(job.id, None)
    if code == EXIT_ALL_BUSY:
        log.warning("%s 所有站点都在被其他检查抓取，本次未运行", tag(job))
    elif code != 0 and ctx.stop.is_set():
        log.info("%s 已按停止信号中断（已保存的数据保留，运行标记为未完成）", tag(job))
    elif code != 0:
        log.error("%s 子进程以退出码 %s 结束", tag(job), code)


def sync_jobs(scheduler, schedules: Schedules) -> dict[str, str]:
    """Make the job store match the schedules file; returns job id → kept | added | replaced | removed."""
    changes = {}
    stored = {j.id: j for j in scheduler.get_jobs()}
    for job in schedules.jobs:
        spec = job.spec()
        old = stored.pop(job.id, None)
        if old is not None and old.kwargs.get("spec") == spec and old.next_run_time is not None:
            changes[job.id] = "kept"  # keeps its stored next run time: a run missed while we were down is seen
            continue
        scheduler.add_job(fire, trigger=job.trigger(schedules.timezone), id=job.id, name=f"{job.kind}:{job.id}",
                          kwargs={"job_id": job.id, "spec": spec}, misfire_grace_time=job.misfire_grace,
                          coalesce=True, max_instances=1, replace_existing=True)
        changes[job.id] = "replaced" if old is not None else "added"
    for old in stored.values():
        scheduler.remove_job(old.id)
        changes[old.id] = "removed"
    return changes


def build_scheduler(db_url: str, schedules: Schedules, workers: int = 8):
    return BackgroundScheduler(jobstores={"default": SQLAlchemyJobStore(url=db_url, tablename=TABLE)},
                               executors={"default": ThreadPoolExecutor(workers)},
                               job_defaults={"coalesce": True, "max_instances": 1}, timezone=schedules.timezone)


def _listen(scheduler, schedules: Schedules) -> None:
    def on_event(event):
        job = schedules.job(event.job_id)
        name = tag(job) if job else f"[任务 {event.job_id}]"
        if event.code == EVENT_JOB_MISSED:
            grace = duration_text(job.misfire_grace) if job else "?"
            log.warning("%s 错过了计划时间 %s（超过宽限 %s），按策略不补跑，等待下次", name,
                        event.scheduled_run_time.isoformat(timespec="minutes"), grace)
        elif event.code == EVENT_JOB_MAX_INSTANCES:
            log.warning("%s 上一次运行尚未结束，本次跳过", name)
        elif event.code == EVENT_JOB_ERROR:
            log.error("%s 运行出错: %s", name, event.exception, exc_info=event.exception)

    scheduler.add_listener(on_event, EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES | EVENT_JOB_ERROR)


def serve(ctx: Context) -> None:
    """Run until SIGTERM / SIGINT, then stop cleanly."""
    global _context
    connect(ctx.db_url)  # gkaudit's schema first (migrated); the job store adds its own table beside it
    _context = ctx
    scheduler = build_scheduler(ctx.db_url, ctx.schedules)
    _listen(scheduler, ctx.schedules)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: ctx.stop.set())
    scheduler.start(paused=True)
    changes = sync_jobs(scheduler, ctx.schedules)
    for job in ctx.schedules.jobs:
        stored = scheduler.get_job(job.id)
        planned = stored.next_run_time if stored else None
        upcoming = planned or next(iter(next_runs(job, ctx.schedules.timezone, 1)), None)
        log.info("%s %s，%d 个站点，cron %r，下次 %s（计划%s）", tag(job), _CHANGES[changes[job.id]], len(job.site_ids),
                 job.cron, upcoming.isoformat(timespec="minutes") if upcoming else "无", "已保存" if changes[job.id] == "kept" else "新建")
    scheduler.resume()  # runs missed within their grace now (once each), skips the others with a warning
    log.info("调度器已启动：%d 个任务，数据库 %s；SIGTERM 或 Ctrl-C 停止", len(ctx.schedules.jobs), _safe(ctx.db_url))
    while not ctx.stop.wait(1.0):
        pass
    log.info("收到停止信号：不再启动新的运行，正在停止进行中的抓取…")
    scheduler.pause()
    with ctx.lock:
        children = dict(ctx.children)
    for job_id, child in children.items():
        log.info("[任务 %s] 停止进行中的抓取（进程 %d）", job_id, child.pid)
        child.send_signal(signal.SIGINT)
    for job_id, child in children.items():
        try:
            child.wait(SHUTDOWN_WAIT)
        except subprocess.TimeoutExpired:
            log.warning("[任务 %s] %d 秒内未停止，强制结束", job_id, SHUTDOWN_WAIT)
            child.kill()
    scheduler.shutdown(wait=True)
    _context = None
    log.info("调度器已停止")


_CHANGES = {"kept": "沿用已保存的计划", "added": "新任务", "replaced": "计划已修改，重新计划"}


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def setup_logging(quiet: bool = False) -> None:
    """Timestamps and levels on stderr; every message names its job (and site, where there is one)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    logger = logging.getLogger("gkaudit.scheduler")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.propagate = False
    logging.getLogger("apscheduler").setLevel(logging.ERROR)  # its missed-run notices are logged here, in Chinese
