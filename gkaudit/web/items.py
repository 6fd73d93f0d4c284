"""The 整改台账 in the web service: the list (what is open, what is 逾期), an item's page (problem, evidence,
snapshot, deadline, timeline, comments) and what people do on it — the webmaster's 「已整改，申请复查」 and
「误报申诉」, the supervisor's decision on a dispute and 豁免. Every change goes through store/ledger.py, every
permission through the policy, and each is written to the audit log.
"""
from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from gkaudit.web.cache import cached, known_sites, render_part
from gkaudit.web.policy import Decision, decide, visible
from gkaudit.web.security import client_address, require
from reports import snapshot_html
from reports.labels import evidence_pairs
from reports.rows import safe_href
from store import ledger, overview
from store.snapshots import load as load_snapshots
from store.users import log_action

router = APIRouter()
ITEM_ACTIONS = ("item.comment", "item.feedback", "item.dispute", "item.decide", "item.waive")
MAX_NOTE = 2000  # characters of a note, reason or comment
LIST_LIMIT = 200  # items on one page of the ledger list (a province holds ~100,000)
VIEWS = {"active": "待整改（含已整改待复查、申诉中）", "overdue": "逾期", "feedback_received": "已整改待复查",
         "disputed": "误报申诉中", "closed": "已销号", "waived": "已豁免"}
# A snapshot is the audited site's own HTML: sandboxed, nothing may load or run (reports/snapshot_html also strips it).
SNAPSHOT_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"


def _item_and_site(request: Request, item_id: int, action: str):
    """(viewer, item, site) when the policy allows `action` on the item's site; 404 for an item that does not
    exist or lies outside the user's scope (alike), 403 for an action the role never does."""
    engine = request.app.state.engine
    item = ledger.get_item(engine, item_id)
    site = overview.site(engine, item.site) if item else None
    who = require(request, action, site)
    return who, item, site


def _page(request: Request, item_id: int, status: int = 200, error: str = ""):
    who, item, site = _item_and_site(request, item_id, "item.view")
    engine = request.app.state.engine
    evidence = [{"e": e, "href": safe_href(e.url), "parent_href": safe_href(e.parent_url),
                 "pairs": evidence_pairs(e.evidence)} for e in ledger.item_evidence(engine, item)]
    can = {action.split(".")[1]: decide(who.account, action, site) is Decision.ALLOW for action in ITEM_ACTIONS}
    return request.app.state.templates.TemplateResponse(
        request, "item.html", {"viewer": who, "csrf": who.csrf, "item": item, "site": site, "evidence": evidence,
                               "events": ledger.timeline(engine, item.id), "can": can, "error": error,
                               "today": date.today(), "href": safe_href(item.url)}, status_code=status)


@router.get("/ledger")
def ledger_page(request: Request, view: str = "active", page: int = 1):
    who = require(request, "ledger.view")
    view = view if view in VIEWS else "active"
    sites = visible(who.account, known_sites(request))
    scope = {"sites": list(sites), "statuses": ledger.ACTIVE if view == "active" else (),
             "overdue": view == "overdue", "status": view if view not in ("active", "overdue") else None}
    body = cached(request, ("ledger", tuple(sites), view, max(page, 1)),
                                       lambda: _ledger_list(request, sites, view, scope, max(page, 1)))
    return request.app.state.templates.TemplateResponse(
        request, "ledger.html", {"viewer": who, "csrf": who.csrf, "body": body})


def _ledger_list(request: Request, sites: dict, view: str, scope: dict, page: int) -> str:
    """One page (LIST_LIMIT items) of the ledger in one view, with how many there are in all."""
    engine = request.app.state.engine
    total = ledger.count_items(engine, **scope)
    pages = max(1, -(-total // LIST_LIMIT))
    page = min(page, pages)
    items = ledger.list_items(engine, **scope, limit=LIST_LIMIT, offset=(page - 1) * LIST_LIMIT)
    return render_part(request, "ledger_part.html", items=items, total=total, page=page, pages=pages,
                       first=(page - 1) * LIST_LIMIT + 1, sites=sites, view=view, views=VIEWS)


@router.get("/items/{item_id}")
def item_page(request: Request, item_id: int):
    return _page(request, item_id)


@router.get("/items/{item_id}/snapshot/{digest}")
def item_snapshot(request: Request, item_id: int, digest: str):
    """The page an item's finding rests on, as fetched: inert (reports/snapshot_html) and sandboxed."""
    _who, item, _site = _item_and_site(request, item_id, "item.view")
    engine = request.app.state.engine
    mine = [e for e in ledger.item_evidence(engine, item) if e.snapshot == digest]
    body = load_snapshots(engine, {digest}).get(digest) if mine else None
    if body is None:
        raise HTTPException(404)
    first = mine[0]
    needles = [n for e in mine for n in snapshot_html.needles(e.evidence)]
    html = snapshot_html.render(body, first.parent_url or first.url, first.fetched_at, needles)
    return Response(html, media_type="text/html; charset=utf-8", headers={"Content-Security-Policy": SNAPSHOT_CSP})


def _note(text: str, what: str, required: bool = True) -> str:
    text = text.strip()
    if required and not text:
        raise ledger.LedgerError(f"请填写{what}")
    if len(text) > MAX_NOTE:
        raise ledger.LedgerError(f"{what}最多 {MAX_NOTE} 个字符（现在 {len(text)} 个）")
    return text


def _day(text: str, what: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ledger.LedgerError(f"{what}应为 YYYY-MM-DD 格式的日期：{text[:40]}") from None


def _act(request: Request, item_id: int, action: str, audit: str, change) -> Response:
    """Check the policy, apply `change(engine, item, actor)` (a LedgerError is shown on the item page, nothing
    changed), log who did it, back to the item."""
    who, item, site = _item_and_site(request, item_id, action)
    engine = request.app.state.engine
    try:
        detail = change(engine, item, who.account.name)
    except ledger.LedgerError as exc:
        return _page(request, item_id, 400, str(exc))
    log_action(engine, who.account.name, audit, f"问题 {item.id}（{site.name}）{detail or ''}",
               client_address(request))
    return RedirectResponse(f"/items/{item.id}", status_code=303)


@router.post("/items/{item_id}/feedback")
def item_feedback(request: Request, item_id: int, note: str = Form(""), done: str = Form("")):
    def change(engine, item, actor):
        finished = _day(done, "完成时间")
        if finished and finished > date.today():
            raise ledger.LedgerError(f"完成时间 {finished} 晚于今天：整改完成后再申请复查")
        ledger.feedback(engine, item.id, _note(note, "整改情况"), actor, finished, source="网页")
        worker = getattr(request.app.state, "worker", None)
        if worker is not None:
            worker.wake()
    return _act(request, item_id, "item.feedback", "item_feedback", change)


@router.post("/items/{item_id}/dispute")
def item_dispute(request: Request, item_id: int, reason: str = Form("")):
    return _act(request, item_id, "item.dispute", "item_dispute",
                lambda engine, item, actor: ledger.dispute(engine, item.id, _note(reason, "申诉理由"), actor))


@router.post("/items/{item_id}/decide")
def item_decide(request: Request, item_id: int, decision: str = Form(""), note: str = Form("")):
    def change(engine, item, actor):
        if decision not in ("accept", "reject"):
            raise ledger.LedgerError("请选择「申诉成立」或「驳回申诉」")
        ledger.decide(engine, item.id, decision == "accept", actor, _note(note, "裁决说明", required=False) or None)
        return "：申诉成立，豁免" if decision == "accept" else "：驳回申诉"
    return _act(request, item_id, "item.decide", "item_decide", change)


@router.post("/items/{item_id}/waive")
def item_waive(request: Request, item_id: int, reason: str = Form(""), expires: str = Form("")):
    def change(engine, item, actor):
        until = _day(expires, "豁免到期日期")
        if until and until < date.today():
            raise ledger.LedgerError(f"豁免到期日期 {until} 已过")
        ledger.waive(engine, item.id, _note(reason, "豁免原因"), until, actor)
        return f"，至 {until}" if until else "，长期"
    return _act(request, item_id, "item.waive", "item_waive", change)


@router.post("/items/{item_id}/comment")
def item_comment(request: Request, item_id: int, note: str = Form("")):
    return _act(request, item_id, "item.comment", "item_comment",
                lambda engine, item, actor: ledger.comment(engine, item.id, _note(note, "留言内容"), actor))
