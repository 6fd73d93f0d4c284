"""One scheduled job, run once: `gkaudit schedule run JOB`, and what `gkaudit scheduler` runs on its calendar.

- audit: `gkaudit.audit.run_audit` on the job's sites (crawl, judge, reports), like `gkaudit audit`.
- freshness: a shallow crawl (schedules.FRESHNESS_CRAWL: homepage, columns and their first list pages) judged
  only by the update rules (homepage-stale, column-stale, column-blank). Its report goes to the output folder,
  but it is not an audit: its verdicts are removed from the database afterwards, so the next audit compares
  with the previous audit, and `recheck` never starts from it (the run is marked incomplete, reason freshness).
- probe: `gkaudit.probe.probe`, `count` samples per site, stored for GWS-V2.

audit and freshness lock each site (gkaudit.locks) for the whole job: a site that another crawl holds is
skipped, with a warning naming site and job. With a Scrapyd URL the crawl runs on Scrapyd (spider site-run);
the lock is held here while it runs, and judging happens here.
"""
from __future__ import annotations

import logging
import threading
from datetime import datetime
from pathlib import Path

from gkaudit.schedules import FRESHNESS_CRAWL, FRESHNESS_KINDS, KINDS, Job, Schedules
from gkaudit.sites import SitesFile

log = logging.getLogger("gkaudit.scheduler")
EXIT_OK, EXIT_FAILED, EXIT_ALL_BUSY = 0, 1, 75  # 75: EX_TEMPFAIL, every site was being crawled by another job


def tag(job: Job) -> str:
    return f"[任务 {job.id}/{job.kind}]"


def run_job(schedules: Schedules, job: Job, *, db_url: str, out_dir: Path, rules_dir: str | Path,
            scrapyd: str | None = None, stop: threading.Event | None = None) -> int:
    from store import connect, resolve_db_url

    db_url = resolve_db_url(db_url)
    engine = connect(db_url)
    sites = schedules.sites_of(job)
    started = datetime.now(schedules.timezone)
    log.info("%s 开始（%s）：%d 个站点 %s", tag(job), KINDS[job.kind], len(sites), ", ".join(s.id for s in sites))
    if job.kind == "probe":
        return _probe(engine, job, sites)

    from checks.rules import load_rules
    from gkaudit.locks import site_locks
    from gkaudit.sites import check_site_rules

    rules = load_rules(rules_dir)
    check_site_rules(schedules.sites_file, rules)
    with site_locks(engine, [s.id for s in sites]) as (got, busy):
        for sid in busy:
            log.warning("%s 站点 %s：另一个检查正在抓取该站点，本次跳过", tag(job), sid)
        if not got:
            return EXIT_ALL_BUSY
        chosen = SitesFile(schedules.sites_file.path, [s for s in sites if s.id in got], schedules.sites_file.crawl)
        out = Path(out_dir) / job.id / started.strftime("%Y%m%d-%H%M%S")
        crawl = dict(chosen.crawl) | (FRESHNESS_CRAWL if job.kind == "freshness" else {}) | job.crawl
        if job.kind == "freshness":
            rules = [r for r in rules if r.kind in FRESHNESS_KINDS]
        as_of = started.date()
        if scrapyd:
            run_id, result = _via_scrapyd(engine, db_url, scrapyd, job, chosen, rules, as_of, crawl, out, stop)
        elif job.kind == "audit":
            from gkaudit.audit import run_audit

            run_id, result, _ = run_audit(chosen, rules, out, db_url=db_url, as_of=as_of,
                                          crawl_options=crawl | {"progress": 0})
        else:
            run_id, result = _freshness(engine, db_url, job, chosen, rules, as_of, crawl, out)
    for s in result["sites"]:
        score = "" if s["score"] is None else f"，得分 {s['score']:g}"
        log.info("%s 站点 %s：%s%s，否决 %d，扣分 %d，提示 %d", tag(job), s["site"], _VERDICTS[s["verdict"]], score,
                 s["counts"]["veto"], s["counts"]["deduct"], s["counts"]["advice"])
    complete = result["run"]["complete"]
    log.info("%s 结束：运行 %s%s，报告 %s", tag(job), run_id, "" if complete else "（抓取未完成）", out / "index.html")
    return EXIT_OK if complete else EXIT_FAILED


_VERDICTS = {"pass": "合格", "fail": "不合格", "not_tested": "未检测"}


def _probe(engine, job: Job, sites) -> int:
    from gkaudit.probe import probe

    taken = probe(engine, sites, job.count, 0.0, job.timeout)
    for site in sites:
        mine = [s for s in taken if s.site == site.id]
        up, blocked = sum(s.ok for s in mine), sum(s.blocked for s in mine)
        level = logging.INFO if up == len(mine) else logging.WARNING
        log.log(level, "%s 站点 %s：%d 次采样，正常 %d，无法访问 %d，被拦截 %d", tag(job), site.id, len(mine), up,
                len(mine) - up - blocked, blocked)
    return EXIT_OK


def new_run(engine, sites_file: SitesFile, as_of, label: str) -> int:
    """A run row with its sites, for a crawl that `run_audit` does not start itself (freshness, Scrapyd)."""
    from gkaudit.audit import start_run

    return start_run(engine, sites_file, as_of, None, label)


def _judge_and_write(engine, run_id: int, job: Job, rules, as_of, out: Path) -> dict:
    from checks.engine import judge
    from gkaudit.audit import write_outputs
    from store import snapshots

    result = judge(engine, run_id, rules, as_of)
    if job.kind == "freshness":  # only the update rules were judged: nothing else can be called fixed
        tested = {r.id for r in rules}
        result["resolved"] = [g for g in result["resolved"] if g["rule"] in tested]
        write_outputs(out, result, engine)
        _forget_judgement(engine, run_id)
    else:
        write_outputs(out, result, engine)
    snapshots.prune(engine)
    return result


def _forget_judgement(engine, run_id: int) -> None:
    """A freshness run is not an audit: drop its verdicts (history stays audit to audit) and keep it out of
    `recheck` and `--resume` (status incomplete, reason freshness)."""
    from sqlmodel import Session, delete, update

    from store.models import Finding, Run, RuleOutcome, SiteResult

    with Session(engine) as session:
        for table in (Finding, RuleOutcome, SiteResult):
            session.exec(delete(table).where(table.run_id == run_id))
        session.exec(update(Run).where(Run.id == run_id).values(status="incomplete", finish_reason="freshness"))
        session.commit()


def _freshness(engine, db_url, job, sites_file, rules, as_of, crawl, out) -> tuple[int, dict]:
    from crawler.runner import crawl as run_crawl
    from gkaudit.audit import finish_run

    run_id = new_run(engine, sites_file, as_of, f"schedule {job.id} ({job.kind})")
    reason = "store_error"
    try:
        reason = run_crawl(sites_file.sites, run_id=run_id, db_url=db_url, as_of=as_of,
                           **(crawl | {"progress": 0}))
    finally:
        finish_run(engine, run_id, reason)
    return run_id, _judge_and_write(engine, run_id, job, rules, as_of, out)


def _via_scrapyd(engine, db_url, base, job, sites_file, rules, as_of, crawl, out, stop) -> tuple[int, dict]:
    """Register the run here, let Scrapyd crawl it (schedule.json), then judge and report here."""
    from sqlmodel import Session, select

    from gkaudit import scrapyd
    from gkaudit.audit import finish_run
    from store.models import SiteRun

    run_id = new_run(engine, sites_file, as_of, f"schedule {job.id} ({job.kind}) via scrapyd")
    args = {"db": absolute_db_url(db_url), "run_id": run_id, **{k: v for k, v in crawl.items() if k != "progress"}}
    jobid = scrapyd.schedule(base, args)
    log.info("%s 运行 %d 已交给 Scrapyd %s（作业 %s）：%s", tag(job), run_id, base, jobid,
             ", ".join(s.id for s in sites_file.sites))
    state = scrapyd.wait(base, jobid, stop=stop)
    with Session(engine) as session:
        site_runs = session.exec(select(SiteRun).where(SiteRun.run_id == run_id)).all()
        finished = state == "finished" and all(s.crawl_finished for s in site_runs)
        for s in site_runs:
            log.info("%s 站点 %s：Scrapyd 抓取 %d 个网址%s", tag(job), s.site, s.pages, "" if s.crawl_finished else "（未完成）")
    finish_run(engine, run_id, "finished" if finished else f"scrapyd-{state}")
    return run_id, _judge_and_write(engine, run_id, job, rules, as_of, out)


def absolute_db_url(url: str) -> str:
    """A relative SQLite path would be resolved in Scrapyd's working directory: make it absolute."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////") and url != "sqlite:///:memory:":
        return "sqlite:///" + str(Path(url.removeprefix("sqlite:///")).resolve())
    return url
