"""The audits page (监管员, 管理员): the recheck queue — sites whose items were reported fixed, since when, the last
attempt that could not decide them — what the service's worker is doing, its latest rechecks, and 「立即复查」; with a
schedules file (gkaudit serve --schedules), its jobs with their next run and 「立即运行」 (a full audit now)."""
from __future__ import annotations

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse

from gkaudit.schedules import next_runs
from gkaudit.web.cache import known_sites
from gkaudit.web.policy import Decision, decide_job, visible
from gkaudit.web.security import client_address, require
from store import ledger
from store.overview import SiteInfo
from store.users import log_action

router = APIRouter()


def _job_sites(schedules, job) -> list[SiteInfo]:
    return [SiteInfo(s.id, s.name, s.url, s.level, s.supervisor) for s in schedules.sites_of(job)]


def _jobs(request: Request, who) -> list[dict]:
    """The schedules file's jobs this user may run, with their next run time."""
    schedules = getattr(request.app.state, "schedules", None)
    if schedules is None:
        return []
    jobs = [(job, _job_sites(schedules, job)) for job in schedules.jobs]
    return [{"job": job, "sites": sites, "next": next(iter(next_runs(job, schedules.timezone, 1)), None)}
            for job, sites in jobs if decide_job(who.account, sites) is Decision.ALLOW]


def _page(request: Request, who, status: int = 200, error: str = ""):
    engine = request.app.state.engine
    sites = visible(who.account, known_sites(request))
    worker = getattr(request.app.state, "worker", None)
    current = worker.current if worker else None
    jobs = _jobs(request, who)
    names = {j["job"].id for j in jobs}
    return request.app.state.templates.TemplateResponse(
        request, "audits.html",
        {"viewer": who, "csrf": who.csrf, "sites": sites, "error": error, "worker": worker,
         "queue": [q for q in ledger.recheck_queue(engine) if q.site in sites],
         "current": current if current and current[0] in sites else None,
         "pending": [s for s in worker.pending() if s in sites] if worker else [],
         "history": [o for o in worker.history if o.site in sites] if worker else [],
         "schedules": getattr(request.app.state, "schedules", None), "jobs": jobs,
         "current_job": worker.current_job if worker and worker.current_job and worker.current_job[0] in names
         else None,
         "pending_jobs": [j for j in worker.pending_jobs() if j in names] if worker else [],
         "job_history": [o for o in worker.job_history if o.job in names] if worker else []}, status_code=status)


@router.get("/audits")
def audits_page(request: Request):
    return _page(request, require(request, "audits.view"))


@router.post("/audits/recheck")
def recheck_now(request: Request, site: str = Form("")):
    engine = request.app.state.engine
    who = require(request, "audits.recheck", known_sites(request).get(site))
    worker = getattr(request.app.state, "worker", None)
    if worker is None:
        return _page(request, who, 409, "本服务未启动复查进程（gkaudit serve --no-worker）：请在服务器上运行 "
                                        f"gkaudit worker --once --site {site}")
    worker.request(site)
    log_action(engine, who.account.name, "recheck_now", site, client_address(request))
    return RedirectResponse("/audits", status_code=303)


@router.post("/audits/run")
def run_job_now(request: Request, job: str = Form("")):
    """「立即运行」: the worker runs the job next, as the scheduler would (site locks, the job's crawl settings)."""
    who = require(request, "audits.run")
    schedules = getattr(request.app.state, "schedules", None)
    found = schedules.job(job) if schedules else None
    if found is None or decide_job(who.account, _job_sites(schedules, found)) is not Decision.ALLOW:
        raise HTTPException(404)
    worker = getattr(request.app.state, "worker", None)
    if worker is None:
        return _page(request, who, 409, "本服务未启动复查进程（gkaudit serve --no-worker）：请在服务器上运行 "
                                        f"gkaudit schedule run {job} --schedules {schedules.path}")
    worker.request_job(job)
    log_action(request.app.state.engine, who.account.name, "job_run_now", job, client_address(request))
    return RedirectResponse("/audits", status_code=303)
