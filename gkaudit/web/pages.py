"""The pages everyone signed in reads: the province dashboard, a site's page, the run list.

Each route asks the policy (gkaudit/web/security.require) and loads only the sites the user may see.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from fastapi import APIRouter, Request

from core.vocab import SEVERITY_RANK
from gkaudit.web.policy import visible
from gkaudit.web.security import require
from gkaudit.web.trend import findings_trend
from reports.labels import evidence_pairs
from reports.rows import safe_href
from store import ledger, overview

router = APIRouter()
TREND_RUNS = 12


def _render(request: Request, template: str, who, **context):
    return request.app.state.templates.TemplateResponse(
        request, template, {"viewer": who, "csrf": who.csrf, **context})


@router.get("/")
def dashboard(request: Request):
    who = require(request, "dashboard.view")
    sites = visible(who.account, overview.sites(request.app.state.engine))
    results = overview.results(request.app.state.engine, sites, per_site=TREND_RUNS)
    totals = {t.site: t for t in ledger.site_totals(request.app.state.engine)}
    rows, units = [], defaultdict(lambda: {"sites": 0, "audited": 0, "failing": 0, "findings": 0, "veto": 0,
                                           "unsettled": 0, "overdue": 0})
    for site in sites.values():
        mine = results.get(site.site, [])
        latest = mine[0] if mine else None
        t = totals.get(site.site)
        unsettled = t.open + t.feedback_received + t.disputed if t else 0
        rows.append({"site": site, "latest": latest, "trend": findings_trend(mine), "unsettled": unsettled,
                     "overdue": t.overdue if t else 0})
        unit = units[site.supervisor or "（未填写主管单位）"]
        unit["unsettled"] += unsettled
        unit["overdue"] += t.overdue if t else 0
        unit["sites"] += 1
        if latest:
            unit["audited"] += 1
            unit["failing"] += latest.verdict == "fail"
            unit["findings"] += latest.findings
            unit["veto"] += int(latest.counts.get("veto", 0))
    return _render(request, "dashboard.html", who, rows=rows, units=sorted(units.items()),
                   severities=list(SEVERITY_RANK))


@router.get("/sites/{site_id}")
def site_page(request: Request, site_id: str):
    engine = request.app.state.engine
    who = require(request, "site.view", overview.sites(engine).get(site_id))
    site = overview.sites(engine)[site_id]
    history = overview.results(engine, [site_id]).get(site_id, [])
    latest = history[0] if history else None
    findings = []
    if latest:
        days = request.app.state.deadline_days
        for f in overview.findings(engine, latest.run_id, site_id):
            due = latest.as_of + timedelta(days=days[f.rule]) if days.get(f.rule) else None
            findings.append({"f": f, "href": safe_href(f.url), "evidence": evidence_pairs(f.evidence), "due": due})
    items = ledger.list_items(engine, site=site_id)
    return _render(request, "site.html", who, site=site, latest=latest, findings=findings, history=history,
                   trend=findings_trend(history[:TREND_RUNS]),
                   items=[i for i in items if i.status in ledger.ACTIVE],
                   settled=sum(i.status in ("closed", "waived") for i in items))


@router.get("/runs")
def runs_page(request: Request):
    who = require(request, "runs.view")
    sites = visible(who.account, overview.sites(request.app.state.engine))
    lines = []
    for run in overview.runs(request.app.state.engine):
        mine = [sites[s] for s in run.sites if s in sites]
        if mine or (who.account.role in ("admin", "readonly") and not run.sites):
            lines.append({"run": run, "sites": mine})
    return _render(request, "runs.html", who, lines=lines)
