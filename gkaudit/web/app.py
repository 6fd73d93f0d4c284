"""The gkaudit serve application: FastAPI, server-rendered Jinja2 pages (autoescaped), htmx and CSS as static files.

`create_app(engine, rules)` wires the guards (gkaudit/web/security.py), the error pages and the routers of
gkaudit/web/auth.py, pages.py and admin.py. A new group of pages is one more router module included here, its
actions added to gkaudit/web/policy.py.
"""
from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from starlette.exceptions import HTTPException as StarletteHTTPException

from checks.rule import Rule
from core.vocab import (AUDIT_ACTIONS, FINDING_KINDS, FINDING_STATUSES, JOB_KINDS, LEDGER_EVENTS, LEDGER_STATUSES,
                        ROLES, RUN_STATUSES, SEVERITIES, SITE_LEVELS, VERDICTS, label)
from gkaudit.web import admin, api, audits, auth, items, pages, tokens
from gkaudit.web.api import ApiError, RateLimit, error_response
from gkaudit.web.cache import PageCache
from gkaudit.web.security import API_PATH, HEADERS, CsrfRefused, LoginRequired, guard, login_redirect_target
from reports.labels import when_text

HERE = Path(__file__).resolve().parent
ERRORS = {400: "请求有误", 403: "没有权限执行此操作", 404: "页面不存在", 405: "不支持此请求方式", 422: "提交的内容不完整或格式不对",
          429: "请求过多，请稍后再试"}


def templates() -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)  # crawled text is escaped
    env.globals.update(label=label, when=when_text, ROLES=ROLES, AUDIT_ACTIONS=AUDIT_ACTIONS, SEVERITIES=SEVERITIES, VERDICTS=VERDICTS,
                       FINDING_KINDS=FINDING_KINDS, FINDING_STATUSES=FINDING_STATUSES, RUN_STATUSES=RUN_STATUSES,
                       SITE_LEVELS=SITE_LEVELS, LEDGER_STATUSES=LEDGER_STATUSES, LEDGER_EVENTS=LEDGER_EVENTS,
                       JOB_KINDS=JOB_KINDS)
    return Jinja2Templates(env=env)


def create_app(engine, rules: list[Rule], worker=None, schedules=None) -> FastAPI:
    """worker: the recheck worker (gkaudit.worker.Worker) that `gkaudit serve` runs beside the app, or None;
    schedules: the loaded schedules file (gkaudit.schedules.Schedules) whose jobs the audits page lists, or None."""
    app = FastAPI(title="gkaudit", docs_url=None, redoc_url=None, openapi_url=None, dependencies=[Depends(guard)])
    app.state.engine = engine
    app.state.templates = templates()
    app.state.cache = PageCache()
    app.state.deadline_days = {r.id: r.deadline_days for r in rules}
    app.state.worker = worker
    app.state.schedules = schedules
    app.state.rules = rules
    app.state.check_rate, app.state.check_limiter = api.CHECK_RATE, RateLimit()
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for module in (auth, pages, items, audits, admin, tokens, api):
        app.include_router(module.router)

    @app.middleware("http")
    async def headers(request: Request, call_next):
        response = await call_next(request)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")  # pages name sites and people: not cached
        return response

    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, _exc):
        return RedirectResponse(login_redirect_target(request), status_code=302)

    @app.exception_handler(CsrfRefused)
    async def csrf_refused(request: Request, _exc):
        return error_page(request, 403, "表单已失效或缺少安全令牌（CSRF），请求被拒绝。请刷新页面后重新提交。")

    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError):
        return error_response(exc.status, exc.message, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith(API_PATH):
            return error_response(exc.status_code, ERRORS.get(exc.status_code, "请求未能完成"))
        return error_page(request, exc.status_code, ERRORS.get(exc.status_code, "请求未能完成"))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, _exc):
        if request.url.path.startswith(API_PATH):
            return error_response(422, ERRORS[422])
        return error_page(request, 422, ERRORS[422])

    return app


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    who = getattr(request.state, "viewer", None)
    return request.app.state.templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message, "viewer": who, "csrf": who.csrf if who else ""},
        status_code=status)
