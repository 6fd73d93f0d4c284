"""The JSON API under /api/v1/: sites, ledger items, runs, and a page checked before it is published.

A request carries `Authorization: Bearer <token>` (gkaudit users token add, or the /tokens page) and acts as the
token's user: the same policy (gkaudit/web/policy.py) decides, so a webmaster's token sees only their sites, and
another site's item is 404 as on the pages. The API reads no cookie, so a browser's session cannot be used against
it and it needs no CSRF token. Errors are JSON: {"error": status, "message": 中文}. Answers are built as plain
JSON-ready dicts and sent as they are (FastAPI's jsonable_encoder walked every value again: most of a site's
item list's time).
"""
from __future__ import annotations

import json
import threading
import time
from collections import deque

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from core.vocab import LEDGER_STATUSES
from gkaudit.page_check import MAX_HTML_BYTES, PageRefused, check_page
from gkaudit.web.cache import cached, known_sites
from gkaudit.web.policy import Decision, decide, visible
from store import ledger, overview
from store.tokens import token_account
from store.users import Account

PREFIX = "/api/v1"
CHECK_RATE = (30, 60.0)  # POST /check: at most 30 pages per token per 60 seconds
MAX_ITEMS = 1000

router = APIRouter(prefix=PREFIX)


class ApiError(Exception):
    """An API request refused: answered as JSON with a Chinese message."""

    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def error_response(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": status, "message": message}, status_code=status, headers=headers)


def caller(request: Request) -> tuple[Account, int]:
    """(account, token id) of the request's bearer token; 401 without a live one."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    found = token_account(request.app.state.engine, token.strip()) if scheme.lower() == "bearer" else None
    if found is None:
        raise ApiError(401, "缺少有效的 API 令牌：请在请求头中使用 Authorization: Bearer <令牌>（令牌可能已吊销或账号已停用）",
                       {"WWW-Authenticate": "Bearer"})
    return found


def allowed(request: Request, action: str, site=None) -> Account:
    """The token's account, when the policy lets it do `action` (on `site`); 403 or 404 as JSON otherwise."""
    account, request.state.token_id = caller(request)
    decision = decide(account, action, site)
    if decision is Decision.FORBIDDEN:
        raise ApiError(403, "该账号的角色无权执行此操作")
    if decision is Decision.NOT_FOUND:
        raise ApiError(404, "没有这个站点或问题，或不在该账号的负责范围内")
    return account


class RateLimit:
    """A sliding window per token, in this process (one gkaudit serve)."""

    def __init__(self):
        self.seen: dict[int, deque] = {}
        self.lock = threading.Lock()

    def take(self, key: int, limit: int, window: float) -> float | None:
        """None when the request may go; else the seconds until it may."""
        at = time.monotonic()
        with self.lock:
            times = self.seen.setdefault(key, deque())
            while times and times[0] <= at - window:
                times.popleft()
            if len(times) >= limit:
                return window - (at - times[0])
            times.append(at)
            return None


def _site_json(site, totals, latest) -> dict:
    return {"id": site.site, "name": site.name, "url": site.url, "level": site.level, "supervisor": site.supervisor,
            "ledger": ({k: getattr(totals, k) for k in ("open", "feedback_received", "overdue", "disputed", "closed",
                                                        "waived")} if totals else None),
            "latest": ({"run_id": latest.run_id, "as_of": latest.as_of.isoformat(), "verdict": latest.verdict,
                        "score": latest.score, "findings": latest.findings, "recheck": latest.recheck}
                       if latest else None)}


@router.get("/sites")
def api_sites(request: Request):
    account = allowed(request, "dashboard.view")
    engine = request.app.state.engine
    sites = visible(account, known_sites(request))
    totals = {t.site: t for t in ledger.site_totals(engine)}
    results = overview.results(engine, sites, per_site=1)
    return JSONResponse({"sites": [_site_json(s, totals.get(k), (results.get(k) or [None])[0])
                                   for k, s in sites.items()]})


@router.get("/sites/{site_id}/items")
def api_site_items(request: Request, site_id: str, status: str | None = None, overdue: bool = False,
                   limit: int = MAX_ITEMS):
    engine = request.app.state.engine
    allowed(request, "site.view", overview.site(engine, site_id))
    if status is not None and status not in LEDGER_STATUSES:
        raise ApiError(400, f"未知状态 {status}（可用：{'、'.join(f'{k}（{v}）' for k, v in LEDGER_STATUSES.items())}）")
    if not 1 <= limit <= MAX_ITEMS:
        raise ApiError(400, f"limit 必须在 1 到 {MAX_ITEMS} 之间")
    body = cached(request, ("api-items", site_id, status, overdue, limit), lambda: JSONResponse(
        {"site": site_id, "items": [i.contract() for i in ledger.list_items(
            engine, site=site_id, status=status, overdue=overdue, limit=limit)]}).body)  # kept per data version
    return Response(body, media_type="application/json")


@router.get("/items/{item_id}")
def api_item(request: Request, item_id: int):
    engine = request.app.state.engine
    item = ledger.get_item(engine, item_id)
    allowed(request, "site.view", overview.site(engine, item.site) if item else None)
    events = [{"at": e.at.isoformat(), "kind": e.kind, "kind_label": e.kind_label, "run_id": e.run_id,
               "note": e.note, "by": e.by} for e in ledger.timeline(engine, item_id)]
    return JSONResponse(item.contract() | {"events": events})


@router.get("/runs")
def api_runs(request: Request):
    account = allowed(request, "runs.view")
    sites = visible(account, known_sites(request))
    out = []
    for run in overview.runs(request.app.state.engine):
        mine = [s for s in run.sites if s in sites]
        if mine or (account.role in ("admin", "readonly") and not run.sites):
            out.append({"id": run.id, "started_at": run.started_at.isoformat(), "as_of": run.as_of.isoformat(),
                        "status": run.status, "finish_reason": run.finish_reason, "recheck": run.recheck,
                        "sites": mine})
    return JSONResponse({"runs": out})


async def _bounded_body(request: Request) -> bytes:
    """The request body, refused (413) past what a page of MAX_HTML_BYTES needs once encoded as JSON."""
    limit = MAX_HTML_BYTES * 2 + 64 * 1024  # JSON escapes (\" \n) may double the page's bytes
    if int(request.headers.get("content-length") or 0) > limit:
        raise ApiError(413, f"请求过大：页面不得超过 {MAX_HTML_BYTES // 1024 // 1024} MB")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, f"请求过大：页面不得超过 {MAX_HTML_BYTES // 1024 // 1024} MB")
        chunks.append(chunk)
    return b"".join(chunks)


@router.post("/check")
async def api_check(request: Request):
    account = allowed(request, "api.check")
    limit, window = request.app.state.check_rate
    wait = request.app.state.check_limiter.take(request.state.token_id, limit, window)
    if wait is not None:
        raise ApiError(429, f"检查请求过多：每个令牌每 {window:g} 秒最多 {limit} 次，请 {int(wait) + 1} 秒后再试",
                       {"Retry-After": str(int(wait) + 1)})
    try:
        data = json.loads(await _bounded_body(request))
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "请求体必须是 JSON：{\"url\": 页面地址, \"html\": 页面 HTML}") from None
    if not isinstance(data, dict) or not isinstance(data.get("url"), str) or not isinstance(data.get("html"), str):
        raise ApiError(400, "请求体必须包含字符串字段 url（页面发布后的地址）和 html（页面 HTML）")
    html = data["html"].encode("utf-8")
    if len(html) > MAX_HTML_BYTES:
        raise ApiError(413, f"请求过大：页面不得超过 {MAX_HTML_BYTES // 1024 // 1024} MB")
    level, settings = "city", None
    if data.get("site") is not None:  # the site's own wording list, rule parameters and exemptions apply
        engine = request.app.state.engine
        site = overview.site(engine, str(data["site"]))
        allowed(request, "site.view", site)
        level, settings = site.level, overview.site_settings(engine, site.site)
    try:
        found = await run_in_threadpool(check_page, html, data["url"], request.app.state.rules,
                                        home=data.get("home") is True, level=level, settings=settings)
    except PageRefused as exc:
        raise ApiError(400, str(exc)) from None
    return found.contract() | {"checked_by": account.name}  # evidence may hold dates: FastAPI encodes them
