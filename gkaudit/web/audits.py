"""The audits page (监管员, 管理员): the recheck queue — sites whose items were reported fixed, since when, the last
attempt that could not decide them — what the service's worker is doing, its latest rechecks, and 「立即复查」."""
from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from gkaudit.web.policy import visible
from gkaudit.web.security import client_address, require
from store import ledger, overview
from store.users import log_action

router = APIRouter()


def _page(request: Request, who, status: int = 200, error: str = ""):
    engine = request.app.state.engine
    sites = visible(who.account, overview.sites(engine))
    worker = getattr(request.app.state, "worker", None)
    current = worker.current if worker else None
    return request.app.state.templates.TemplateResponse(
        request, "audits.html",
        {"viewer": who, "csrf": who.csrf, "sites": sites, "error": error, "worker": worker,
         "queue": [q for q in ledger.recheck_queue(engine) if q.site in sites],
         "current": current if current and current[0] in sites else None,
         "pending": [s for s in worker.pending() if s in sites] if worker else [],
         "history": [o for o in worker.history if o.site in sites] if worker else []}, status_code=status)


@router.get("/audits")
def audits_page(request: Request):
    return _page(request, require(request, "audits.view"))


@router.post("/audits/recheck")
def recheck_now(request: Request, site: str = Form("")):
    engine = request.app.state.engine
    who = require(request, "audits.recheck", overview.sites(engine).get(site))
    worker = getattr(request.app.state, "worker", None)
    if worker is None:
        return _page(request, who, 409, "本服务未启动复查进程（gkaudit serve --no-worker）：请在服务器上运行 "
                                        f"gkaudit worker --once --site {site}")
    worker.request(site)
    log_action(engine, who.account.name, "recheck_now", site, client_address(request))
    return RedirectResponse("/audits", status_code=303)
