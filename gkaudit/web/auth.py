"""Login and logout: argon2-checked passwords, throttled failures, a new session (and CSRF token) per login."""
from __future__ import annotations

import secrets

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from gkaudit.web.security import (LOGIN_COOKIE, SESSION_COOKIE, client_address, safe_next, set_cookie, viewer)
from store.users import (SESSION_HOURS, THROTTLE_MINUTES, check_password, end_session, log_action, start_session,
                         throttled)

router = APIRouter()


def _form(request: Request, status: int = 200, error: str = "", name: str = "", next_url: str = "/"):
    token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)
    response = request.app.state.templates.TemplateResponse(
        request, "login.html", {"csrf": token, "error": error, "name": name, "next": safe_next(next_url),
                                "viewer": None}, status_code=status)
    set_cookie(response, request, LOGIN_COOKIE, token, max_age=3600)
    return response


@router.get("/login")
def login_form(request: Request, next: str = "/"):
    if getattr(request.state, "viewer", None) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _form(request, next_url=next)


@router.post("/login")
def login(request: Request, name: str = Form(""), password: str = Form(""), next: str = Form("/")):
    engine, address = request.app.state.engine, client_address(request)
    name = name.strip()
    if throttled(engine, name, address):
        log_action(engine, name or "—", "login_throttled", address=address)
        return _form(request, 429, f"登录失败次数过多，请 {THROTTLE_MINUTES} 分钟后再试。", name, next)
    account = check_password(engine, name, password, address)
    if account is None:
        log_action(engine, name or "—", "login_failed", address=address)
        return _form(request, 401, "用户名或密码错误，或账号已停用。", name, next)
    token, _csrf = start_session(engine, account)
    log_action(engine, account.name, "login", address=address)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_cookie(response, request, SESSION_COOKIE, token, max_age=SESSION_HOURS * 3600)
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


@router.post("/logout")
def logout(request: Request):
    who = viewer(request)
    end_session(request.app.state.engine, request.cookies.get(SESSION_COOKIE))
    log_action(request.app.state.engine, who.account.name, "logout", address=client_address(request))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
