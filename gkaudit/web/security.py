"""The web service's guards: who is asking (the session cookie), CSRF on every POST, the response headers.

Every request passes `guard` (a dependency of the whole application): it loads the session, and refuses an unsafe
method whose form (or X-CSRF-Token header, for htmx) lacks the session's CSRF token — or, on the login form, the
login cookie's — with 403. Pages then ask `require(request, action, site)`, which goes through the policy.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import quote

from fastapi import HTTPException, Request

from gkaudit.web.policy import Decision, decide
from store.overview import SiteInfo
from store.users import Account, session_account

SESSION_COOKIE = "gk_session"
LOGIN_COOKIE = "gk_login"  # the CSRF token of the login form (no session yet): double-submitted
API_PATH = "/api/"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "same-origin", "Cross-Origin-Opener-Policy": "same-origin"}


@dataclass(frozen=True)
class Viewer:
    account: Account
    csrf: str


class LoginRequired(Exception):
    """No live session: a page sends the browser to the login form."""


class CsrfRefused(Exception):
    """A POST without the right CSRF token."""


async def guard(request: Request) -> None:
    if request.url.path.startswith(API_PATH):  # bearer tokens only (gkaudit/web/api.py): no cookie, so no CSRF
        request.state.viewer = None
        return
    engine = request.app.state.engine
    found = session_account(engine, request.cookies.get(SESSION_COOKIE))
    request.state.viewer = Viewer(*found) if found else None
    if request.method in SAFE_METHODS:
        return
    expected = request.state.viewer.csrf if found else None
    if request.url.path == "/login" and not found:
        expected = request.cookies.get(LOGIN_COOKIE)
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        sent = (await request.form()).get("csrf")
    if not expected or not isinstance(sent, str) or not secrets.compare_digest(sent, expected):
        raise CsrfRefused()


def viewer(request: Request) -> Viewer:
    """The signed-in user; a page without one goes to the login form."""
    found = getattr(request.state, "viewer", None)
    if found is None:
        raise LoginRequired()
    return found


def require(request: Request, action: str, site: SiteInfo | None = None) -> Viewer:
    """The signed-in user, when the policy lets them do `action` (on `site`); 403 or 404 otherwise."""
    who = viewer(request)
    decision = decide(who.account, action, site)
    if decision is not Decision.ALLOW:
        raise HTTPException(decision.value)
    return who


def login_redirect_target(request: Request) -> str:
    return "/login?next=" + quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))


def safe_next(target: str | None) -> str:
    """Only a path of this service (never //host or a scheme): after login the browser goes nowhere else."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def is_https(request: Request) -> bool:
    """HTTPS as the client sees it (uvicorn applies X-Forwarded-Proto of the trusted proxies): cookies get Secure."""
    return request.url.scheme == "https"


def set_cookie(response, request: Request, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite="lax",
                        secure=is_https(request))


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""
