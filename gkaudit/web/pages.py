"""The pages everyone signed in reads: the province dashboard, a site's page, the run list.

Each route asks the policy (gkaudit/web/security.require) and loads only the sites the user may see.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from fastapi import APIRouter, Request

from core.vocab import SEVERITY_RANK
from gkaudit.web.cache import cached, known_sites, render_part
from gkaudit.web.policy import visible
from gkaudit.web.security import require
from gkaudit.web.trend import findings_trend, sparkline
from reports.labels import evidence_pairs
from reports.rows import safe_href
from store import ledger, overview
from store.overview import SiteInfo

router = APIRouter()
TREND_RUNS = 12
FINDINGS_PAGE = 100  # findings of the latest audit on one site page (a site may have 500)


def _render(request: Request, template: str, who, **context):
    return request.app.state.templates.TemplateResponse(
        request, template, {"viewer": who, "csrf": who.csrf, **context})


def _rate(right: int, rechecked: int) -> str:
    return f"{right / rechecked:.0%}" if rechecked else "—"


@router.get("/")
def dashboard(request: Request):
    who = require(request, "dashboard.view")
    sites = visible(who.account, known_sites(request))
    body = cached(request, ("dashboard", tuple(sites)), lambda: _dashboard(request, sites))
    return _render(request, "dashboard.html", who, body=body)


def _dashboard(request: Request, sites: dict) -> str:
    """The province at a glance: by supervising unit, then by site (latest audit, trend, ledger)."""
    engine = request.app.state.engine
    results = overview.results(engine, sites, per_site=TREND_RUNS)
    totals = {t.site: t for t in ledger.site_totals(engine)}
    counted = ("unsettled", "overdue", "closed_this_month", "rechecked", "first_time_right")
    rows, units = [], defaultdict(lambda: dict.fromkeys(("sites", "audited", "failing", "findings", "veto",
                                                         *counted), 0))
    province = dict.fromkeys(counted, 0)
    for site in sites.values():
        mine = results.get(site.site, [])
        latest = mine[0] if mine else None
        t = totals.get(site.site)
        ledger_counts = {"unsettled": t.open + t.feedback_received + t.disputed, "overdue": t.overdue,
                         "closed_this_month": t.closed_this_month, "rechecked": t.rechecked,
                         "first_time_right": t.first_time_right} if t else dict.fromkeys(counted, 0)
        rows.append({"site": site, "latest": latest, "trend": sparkline(findings_trend(mine)), **ledger_counts,
                     "first_time_rate": _rate(ledger_counts["first_time_right"], ledger_counts["rechecked"])})
        unit = units[site.supervisor or "（未填写主管单位）"]
        for key in counted:
            unit[key] += ledger_counts[key]
            province[key] += ledger_counts[key]
        unit["sites"] += 1
        if latest:
            unit["audited"] += 1
            unit["failing"] += latest.verdict == "fail"
            unit["findings"] += latest.findings
            unit["veto"] += int(latest.counts.get("veto", 0))
    for unit in units.values():
        unit["first_time_rate"] = _rate(unit["first_time_right"], unit["rechecked"])
    province["first_time_rate"] = _rate(province["first_time_right"], province["rechecked"])
    return render_part(request, "dashboard_part.html", rows=rows, units=sorted(units.items()), province=province,
                 severities=list(SEVERITY_RANK))


@router.get("/sites/{site_id}")
def site_page(request: Request, site_id: str, page: int = 1):
    site = known_sites(request).get(site_id)
    who = require(request, "site.view", site)
    body = cached(request, ("site", site_id, max(page, 1)), lambda: _site(request, site, max(page, 1)))
    return _render(request, "site.html", who, site=site, body=body)


def _site(request: Request, site: SiteInfo, page: int) -> str:
    """A site's open ledger items, its latest audit's findings (FINDINGS_PAGE at a time) and its audits."""
    engine = request.app.state.engine
    history = overview.results(engine, [site.site]).get(site.site, [])
    latest = history[0] if history else None
    findings, pages, total = [], 1, 0
    if latest:
        days = request.app.state.deadline_days
        every = overview.findings(engine, latest.run_id, site.site)
        total = len(every)
        pages = max(1, -(-total // FINDINGS_PAGE))
        page = min(page, pages)
        for f in every[(page - 1) * FINDINGS_PAGE:page * FINDINGS_PAGE]:
            due = latest.as_of + timedelta(days=days[f.rule]) if days.get(f.rule) else None
            findings.append({"f": f, "href": safe_href(f.url), "evidence": evidence_pairs(f.evidence), "due": due})
    return render_part(request, "site_part.html", site=site, latest=latest, findings=findings, history=history,
                       trend=sparkline(findings_trend(history[:TREND_RUNS])),
                       items=ledger.list_items(engine, site=site.site, statuses=ledger.ACTIVE),
                       settled=ledger.count_items(engine, site=site.site, statuses=("closed", "waived")),
                       page=page, pages=pages, total=total, first=(page - 1) * FINDINGS_PAGE + 1)


@router.get("/runs")
def runs_page(request: Request):
    who = require(request, "runs.view")
    sites = visible(who.account, known_sites(request))
    lines = []
    for run in overview.runs(request.app.state.engine):
        mine = [sites[s] for s in run.sites if s in sites]
        if mine or (who.account.role in ("admin", "readonly") and not run.sites):
            lines.append({"run": run, "sites": mine})
    return _render(request, "runs.html", who, lines=lines)
