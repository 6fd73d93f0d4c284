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

from checks.rules import check_site_rules, load_rules
from core import options as crawl_options
from core.sites import SitesFile
from checks.result import AuditResult
from core.vocab import JOB_KINDS
from crawler.runner import crawl as run_crawl
from gkaudit import scrapyd
from gkaudit.audit import run_audit
from gkaudit.locks import site_locks
from gkaudit.pipeline import judge_and_render
from gkaudit.probe import probe
from gkaudit.schedules import FRESHNESS_CRAWL, FRESHNESS_KINDS, Job, Schedules
from store import connect, resolve_db_url
from store.runs import finish_run, forget_judgement, site_crawls, start_run

log = logging.getLogger("gkaudit.scheduler")
EXIT_OK, EXIT_FAILED, EXIT_ALL_BUSY = 0, 1, 75  # 75: EX_TEMPFAIL, every site was being crawled by another job


def tag(job: Job) -> str:
    return f"[任务 {job.id}/{job.kind}]"


def run_job(schedules: Schedules, job: Job, *, db_url: str, out_dir: Path, rules_dir: str | Path,
            scrapyd_url: str | None = None, stop: threading.Event | None = None) -> int:
    db_url = resolve_db_url(db_url)
    engine = connect(db_url)
    sites = schedules.sites_of(job)
    started = datetime.now(schedules.timezone)
    log.info("%s 开始（%s）：%d 个站点 %s", tag(job), JOB_KINDS[job.kind], len(sites), ", ".join(s.id for s in sites))
    if job.kind == "probe":
        return _probe(engine, job, sites)
    rules = load_rules(rules_dir)
    check_site_rules(schedules.sites_file, rules)
    with site_locks(engine, [s.id for s in sites]) as (got, busy):
        for sid in busy:
            log.warning("%s 站点 %s：另一个检查正在抓取该站点，本次跳过", tag(job), sid)
        if not got:
            return EXIT_ALL_BUSY
        chosen = SitesFile(schedules.sites_file.path, [s for s in sites if s.id in got], schedules.sites_file.crawl)
        out = Path(out_dir) / job.id / started.strftime("%Y%m%d-%H%M%S")
        options = dict(chosen.crawl) | (FRESHNESS_CRAWL if job.kind == "freshness" else {}) | job.crawl
        if job.kind == "freshness":
            rules = [r for r in rules if r.kind in FRESHNESS_KINDS]
        as_of = started.date()  # a scheduled job's audit date is the day it starts
        if scrapyd_url:
            run_id, result = _via_scrapyd(engine, db_url, scrapyd_url, job, chosen, rules, as_of, options, out, stop)
        elif job.kind == "audit":
            audited = run_audit(chosen, rules, out, db_url=db_url, as_of=as_of, options=options | {"progress": 0})
            run_id, result = audited.run_id, audited.result
        else:
            run_id, result = _freshness(engine, db_url, job, chosen, rules, as_of, options, out)
    for s in result.sites:
        score = "" if s.score is None else f"，得分 {s.score:g}"
        log.info("%s 站点 %s：%s%s，否决 %d，扣分 %d，提示 %d", tag(job), s.site, s.verdict_label, score,
                 s.counts.veto, s.counts.deduct, s.counts.advice)
    complete = result.run.complete
    log.info("%s 结束：运行 %s%s，报告 %s", tag(job), run_id, "" if complete else "（抓取未完成）", out / "index.html")
    return EXIT_OK if complete else EXIT_FAILED


def _probe(engine, job: Job, sites) -> int:
    taken = probe(engine, sites, job.count, 0.0, job.timeout)
    for site in sites:
        mine = [s for s in taken if s.site == site.id]
        up, blocked = sum(s.ok for s in mine), sum(s.blocked for s in mine)
        level = logging.INFO if up == len(mine) else logging.WARNING
        log.log(level, "%s 站点 %s：%d 次采样，正常 %d，无法访问 %d，被拦截 %d", tag(job), site.id, len(mine), up,
                len(mine) - up - blocked, blocked)
    return EXIT_OK


def _judge(engine, run_id: int, job: Job, rules, out: Path) -> AuditResult:
    rendered = judge_and_render(engine, run_id, rules, out, keep_ledger=job.kind != "freshness")
    if job.kind == "freshness":  # only the update rules were judged: not an audit, history stays audit to audit
        forget_judgement(engine, run_id, "freshness")
    return rendered.result


def _freshness(engine, db_url, job, sites_file, rules, as_of, options, out) -> tuple[int, AuditResult]:
    run_id = start_run(engine, sites_file.sites, as_of, None, f"schedule {job.id} ({job.kind})")
    reason = "store_error"
    try:
        reason = run_crawl(sites_file.sites, run_id=run_id, db_url=db_url, as_of=as_of,
                           options=options | {"progress": 0})
    finally:
        finish_run(engine, run_id, reason)
    return run_id, _judge(engine, run_id, job, rules, out)


def _via_scrapyd(engine, db_url, base, job, sites_file, rules, as_of, options, out, stop) -> tuple[int, AuditResult]:
    """Register the run here, let Scrapyd crawl it (schedule.json), then judge and report here."""
    run_id = start_run(engine, sites_file.sites, as_of, None, f"schedule {job.id} ({job.kind}) via scrapyd")
    jobid = scrapyd.schedule(base, scrapyd_arguments(db_url, run_id, options))
    log.info("%s 运行 %d 已交给 Scrapyd %s（作业 %s）：%s", tag(job), run_id, base, jobid,
             ", ".join(s.id for s in sites_file.sites))
    state = scrapyd.wait(base, jobid, stop=stop)
    crawls = site_crawls(engine, run_id)
    for site, pages, done in crawls:
        log.info("%s 站点 %s：Scrapyd 抓取 %d 个网址%s", tag(job), site, pages, "" if done else "（未完成）")
    finished = state == "finished" and all(done for _, _, done in crawls)
    finish_run(engine, run_id, "finished" if finished else f"scrapyd-{state}")
    return run_id, _judge(engine, run_id, job, rules, out)


def scrapyd_arguments(db_url: str, run_id: int, options: dict) -> dict[str, str]:
    """The spider arguments of a crawl handed to Scrapyd (crawler/spiders/remote.py reads them back)."""
    return {"db": absolute_db_url(db_url), "run_id": str(run_id), **crawl_options.to_arguments(options)}


def absolute_db_url(url: str) -> str:
    """A relative SQLite path would be resolved in Scrapyd's working directory: make it absolute."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////") and url != "sqlite:///:memory:":
        return "sqlite:///" + str(Path(url.removeprefix("sqlite:///")).resolve())
    return url
