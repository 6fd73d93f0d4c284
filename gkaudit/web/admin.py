"""The users page (管理员 only): accounts with their role and scope, add one, disable one, the audit log."""
from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from gkaudit.web.security import client_address, require
from store.users import UserError, add_user, audit_log, disable_user, list_users

router = APIRouter()


def _page(request: Request, who, status: int = 200, error: str = "", done: str = ""):
    engine = request.app.state.engine
    return request.app.state.templates.TemplateResponse(
        request, "users.html", {"viewer": who, "csrf": who.csrf, "users": list_users(engine),
                                "log": audit_log(engine), "error": error, "done": done}, status_code=status)


def _lines(text: str) -> list[str]:
    return [v.strip() for v in text.replace("，", ",").replace("\n", ",").split(",") if v.strip()]


@router.get("/users")
def users_page(request: Request):
    return _page(request, require(request, "users.manage"))


@router.post("/users")
def users_add(request: Request, name: str = Form(""), display: str = Form(""), role: str = Form(""),
              password: str = Form(""), sites: str = Form(""), supervisors: str = Form("")):
    who = require(request, "users.manage")
    try:
        add_user(request.app.state.engine, name, role, password, display, _lines(sites), _lines(supervisors),
                 actor=who.account.name, address=client_address(request))
    except UserError as exc:
        return _page(request, who, 400, error=str(exc))
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{name}/disable")
def users_disable(request: Request, name: str):
    who = require(request, "users.manage")
    try:
        account = disable_user(request.app.state.engine, name, actor=who.account.name,
                               address=client_address(request))
    except UserError as exc:
        return _page(request, who, 404, error=str(exc))
    if request.headers.get("hx-request") == "true":  # htmx swaps just this account's row
        return request.app.state.templates.TemplateResponse(
            request, "user_row.html", {"u": account, "csrf": who.csrf, "viewer": who})
    return RedirectResponse("/users", status_code=303)
