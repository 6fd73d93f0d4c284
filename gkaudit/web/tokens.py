"""The API tokens page (every signed-in user, for their own tokens): make one (shown once), revoke one."""
from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from gkaudit.web.security import client_address, require
from store.tokens import add_token, list_tokens, revoke_token
from store.users import UserError

router = APIRouter()


def _page(request: Request, who, status: int = 200, error: str = "", made: str = ""):
    return request.app.state.templates.TemplateResponse(
        request, "tokens.html", {"viewer": who, "csrf": who.csrf, "error": error, "made": made,
                                 "tokens": list_tokens(request.app.state.engine, who.account.name)},
        status_code=status)


@router.get("/tokens")
def tokens_page(request: Request):
    return _page(request, require(request, "tokens.manage"))


@router.post("/tokens")
def tokens_add(request: Request, name: str = Form("")):
    who = require(request, "tokens.manage")
    try:
        _, token = add_token(request.app.state.engine, who.account.name, name, actor=who.account.name,
                             address=client_address(request))
    except UserError as exc:
        return _page(request, who, 400, error=str(exc))
    return _page(request, who, made=token)  # shown this once: only its hash is kept


@router.post("/tokens/{token_id}/revoke")
def tokens_revoke(request: Request, token_id: int):
    who = require(request, "tokens.manage")
    try:
        revoke_token(request.app.state.engine, token_id, who.account.name, actor=who.account.name,
                     address=client_address(request))
    except UserError as exc:
        return _page(request, who, 404, error=str(exc))
    return RedirectResponse("/tokens", status_code=303)
