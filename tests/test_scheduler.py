"""`gkaudit scheduler` / `gkaudit schedule run`: site locks across processes, jobs on fixture sites, the job store
across restarts (missed runs: coalesced, within the grace only) and a clean stop on SIGTERM."""
from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta

import pytest

from fixtures.server import serve
from gkaudit.locks import SiteLock
from store import connect
from tests.conftest import GKAUDIT, gkaudit, private_pg_database

HOLD = ("import sys, time\nfrom store import connect\nfrom gkaudit.locks import SiteLock\n"
        "lock = SiteLock(connect(sys.argv[1]))\nassert lock.acquire(sys.argv[2])\nprint('locked', flush=True)\n"
        "time.sleep(600)\n")


@pytest.fixture(params=["sqlite", "postgresql"])
def lock_db(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'gk.db'}"
        return
    with private_pg_database("gkaudit_locks") as url:  # our own database: other suites recreate theirs
        yield url


def test_site_lock_holds_across_processes_and_dies_with_its_holder(lock_db):
    engine = connect(lock_db)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, lock_db, "sthjt-trs"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        mine = SiteLock(engine)
        assert not mine.acquire("sthjt-trs")  # another process crawls it
        assert mine.acquire("clean-gkmlpt")  # other sites are free
        assert not SiteLock(engine).acquire("clean-gkmlpt")  # …and locked against this process's other jobs too
        holder.send_signal(signal.SIGKILL)  # a killed holder leaves no stale lock
        holder.wait(10)
        deadline = time.monotonic() + 10
        while not mine.acquire("sthjt-trs"):
            assert time.monotonic() < deadline, "lock not released after its holder died"
            time.sleep(0.1)
        mine.release_all()
        assert SiteLock(engine).acquire("sthjt-trs")
    finally:
        holder.kill()
        holder.wait()


SITES = ["clean-gkmlpt", "blocked-jsl"]


@pytest.fixture(scope="module")
def fixture_sites():
    with serve(only=SITES) as fx:
        yield fx


def schedules(tmp_path, body: str):
    path = tmp_path / "schedules.yaml"
    path.write_text("groups:\n  clean: {ids: [clean-gkmlpt]}\n  blocked: {ids: [blocked-jsl]}\njobs:\n" + body,
                    encoding="utf-8")
    return path


def test_scheduled_audit_skips_a_site_another_crawl_holds(tmp_path, fixture_sites):
    path = schedules(tmp_path, '  - {id: aud, kind: audit, cron: "0 2 1 * *", crawl: {delay: 0, timeout: 3}}\n')
    db = f"sqlite:///{tmp_path / 'gk.db'}"
    lock = SiteLock(connect(db))
    assert lock.acquire("clean-gkmlpt")  # e.g. the daily freshness check still crawling it
    args = ["schedule", "run", "aud", "--schedules", path, "--sites", fixture_sites.sites_file, "--db", db,
            "--out", tmp_path / "out"]
    proc = gkaudit(*args)
    assert proc.returncode == 0, proc.stderr
    assert "[任务 aud/audit] 站点 clean-gkmlpt：另一个检查正在抓取该站点，本次跳过" in proc.stderr
    result = json.loads(next((tmp_path / "out" / "aud").glob("*/findings.json")).read_text("utf-8"))
    assert [s["site"] for s in result["sites"]] == ["blocked-jsl"]
    assert "[任务 aud/audit] 站点 blocked-jsl：未检测" in proc.stderr  # logs name job and site
    lock.acquire("blocked-jsl")
    proc = gkaudit(*args)
    assert proc.returncode == 75, proc.stderr  # nothing to do: every site busy
    lock.release_all()


def test_freshness_reports_update_rules_and_stays_out_of_the_audit_history(tmp_path, fixture_sites):
    path = schedules(tmp_path, '  - {id: fresh, kind: freshness, cron: "30 6 * * *", group: clean,'
                               ' crawl: {delay: 0, timeout: 3}}\n')
    db = tmp_path / "gk.db"
    proc = gkaudit("schedule", "run", "fresh", "--schedules", path, "--sites", fixture_sites.sites_file,
                   "--db", f"sqlite:///{db}", "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(next((tmp_path / "out" / "fresh").glob("*/findings.json")).read_text("utf-8"))
    assert result["sites"][0]["site"] == "clean-gkmlpt" and result["sites"][0]["verdict"] in ("pass", "fail")
    assert {f["kind"] for f in result["findings"]} <= {"homepage-stale", "column-stale", "column-blank"}
    con = sqlite3.connect(db)
    depth, = con.execute("SELECT max(depth) FROM page WHERE encoding IS NOT NULL").fetchone()  # parsed pages
    assert depth == 2  # a shallow crawl: homepage, columns, their list pages
    assert con.execute("SELECT status, finish_reason FROM run").fetchone() == ("incomplete", "freshness")
    for table in ("finding", "siteresult", "ruleoutcome"):  # the next audit compares with the previous audit
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)


def test_job_store_keeps_plans_and_replaces_changed_ones(tmp_path):
    from gkaudit.scheduler import build_scheduler, sync_jobs
    from gkaudit.schedules import load_schedules

    sites = tmp_path / "sites.yaml"
    sites.write_text('sites:\n  - {id: a, name: 甲, level: city, url: "https://a.example.gov.cn/"}\n', encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'gk.db'}"
    connect(db)

    def sync(body):
        path = tmp_path / "s.yaml"
        path.write_text("jobs:\n" + body, encoding="utf-8")
        loaded = load_schedules(path, sites)
        scheduler = build_scheduler(db, loaded)
        scheduler.start(paused=True)
        try:
            changes = sync_jobs(scheduler, loaded)
            return changes, {j.id: j.next_run_time for j in scheduler.get_jobs()}
        finally:
            scheduler.shutdown(wait=False)

    jobs = '  - {id: m, kind: audit, cron: "0 2 1 * *"}\n  - {id: p, kind: probe, cron: "0 * * * *", jitter: 60}\n'
    first, planned = sync(jobs)
    assert first == {"m": "added", "p": "added"}
    again, replanned = sync(jobs)
    assert again == {"m": "kept", "p": "kept"} and replanned == planned  # the stored plan survives a restart
    changed, _ = sync('  - {id: m, kind: audit, cron: "0 3 1 * *"}\n')
    assert changed == {"m": "replaced", "p": "removed"}


def wait_for(proc, log, needle: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while needle not in log.read_text("utf-8"):
        assert proc.poll() is None, log.read_text("utf-8")
        assert time.monotonic() < deadline, f"{needle!r} not logged:\n{log.read_text('utf-8')}"
        time.sleep(0.2)
    return log.read_text("utf-8")


def start_scheduler(tmp_path, path, fixture_sites, db, name):
    log = tmp_path / f"{name}.log"
    proc = subprocess.Popen([GKAUDIT, "scheduler", "--schedules", str(path), "--sites", str(fixture_sites.sites_file),
                             "--db", db, "--out", str(tmp_path / "out")], stdout=subprocess.DEVNULL,
                            stderr=open(log, "wb"))
    return proc, log


def stop(proc, log) -> str:
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(120) == 0, log.read_text("utf-8")
    out = log.read_text("utf-8")
    assert "调度器已停止" in out
    return out


def test_restart_runs_missed_jobs_within_grace_once_and_stops_cleanly(tmp_path, fixture_sites):
    """Down for three hours: an hourly probe missed three times runs once (coalesced, within its grace); a probe
    missed beyond its grace is skipped; an audit missed by minutes starts at once, and SIGTERM stops it cleanly."""
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

    from gkaudit.scheduler import TABLE, build_scheduler
    from gkaudit.schedules import load_schedules

    now = datetime.now().astimezone()
    if now.minute == 59 and now.second > 20:  # keep clear of the hourly probe's own next run
        time.sleep(60 - now.second + 1)
    path = schedules(tmp_path,
                     '  - {id: hourly, kind: probe, cron: "0 * * * *", group: clean, misfire_grace: 7200}\n'
                     '  - {id: daily, kind: probe, cron: "0 4 * * *", group: blocked, misfire_grace: 60}\n'
                     '  - {id: aud, kind: audit, cron: "0 2 1 * *", group: clean, crawl: {delay: 0.5, timeout: 3}}\n')
    db = f"sqlite:///{tmp_path / 'gk.db'}"
    proc, log = start_scheduler(tmp_path, path, fixture_sites, db, "first")
    wait_for(proc, log, "调度器已启动")
    stop(proc, log)

    # The scheduler was down: move the stored next run times into the past (in the job store itself).
    store = SQLAlchemyJobStore(url=db, tablename=TABLE)
    store.start(build_scheduler(db, load_schedules(path, fixture_sites.sites_file)), "default")
    now = datetime.now().astimezone()
    hour = now.replace(minute=0, second=0, microsecond=0)
    for job_id, when in (("hourly", hour - timedelta(hours=2)),  # missed 3 times, the last < 1 h ago (grace 2 h)
                         ("daily", now - timedelta(hours=2)),  # 2 h late, grace 60 s
                         ("aud", now - timedelta(minutes=5))):  # 5 min late, grace 3 days
        job = store.lookup_job(job_id)
        job.next_run_time = when
        store.update_job(job)
    store.shutdown()

    proc, log = start_scheduler(tmp_path, path, fixture_sites, db, "second")
    out = wait_for(proc, log, "[任务 aud/audit] 开始")
    assert out.count("沿用已保存的计划") == 3
    assert "[任务 daily/probe] 错过了计划时间" in out
    con = sqlite3.connect(tmp_path / "gk.db")
    deadline = time.monotonic() + 60
    while not con.execute("SELECT count(*) FROM page").fetchone()[0]:  # the audit is crawling
        assert time.monotonic() < deadline and proc.poll() is None, log.read_text("utf-8")
        time.sleep(0.2)
    out = stop(proc, log)
    assert "[任务 aud] 停止进行中的抓取" in out
    samples = dict(con.execute("SELECT site, count(*) FROM probesample GROUP BY site").fetchall())
    assert samples == {"clean-gkmlpt": 1}  # hourly: once, not three times; daily: skipped
    status, reason = con.execute("SELECT status, finish_reason FROM run").fetchone()
    assert status == "incomplete", reason  # stopped mid-crawl: what was stored stays, marked incomplete
    planned = dict(con.execute("SELECT id, next_run_time FROM gkaudit_scheduler_jobs").fetchall())
    assert planned["daily"] > time.time() and planned["hourly"] > time.time()  # planned ahead again
