"""HTML reports: the supervisor's summary and each site's 整改清单.

Jinja2 with autoescape always on: finding messages, anchors and snippets are text copied from the
audited pages, so they are untrusted and must never reach the output as markup.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2

from . import labels as L
from .rows import (
    Row,
    group_totals,
    has_supervisors,
    ranked_sites,
    safe_href,
    sections,
    short_id,
    supervisor_groups,
)
from .trend import sparkline

TEMPLATES = Path(__file__).with_name("templates")
LIST_NAME = "整改清单"
NOTICE_NAME = "整改通知"
SUMMARY_XLSX = "汇总.xlsx"


def _blank(value: Any) -> bool:
    return value is None or value == "" or isinstance(value, jinja2.Undefined)


def _num(value: Any) -> str:
    return "—" if _blank(value) else L.value_text(value)


def _dt(value: Any) -> str:
    """ISO timestamp for people: minutes, no 'T', no UTC offset."""
    if _blank(value):
        return "—"
    try:
        return datetime.fromisoformat(str(value)).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return str(value)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        verdict=lambda v: L.label(L.VERDICT, v),
        level=lambda v: L.label(L.LEVEL, v),
        reason=lambda v: L.label(L.NOT_TESTED_REASON, v),
        status=lambda v: L.label(L.STATUS, v) or "—",
        points=L.points_text,
        evidence=L.evidence_pairs,
        href=safe_href,
        num=_num,
        dt=_dt,
        kind=lambda v: L.label(L.KIND, v) or "—",
        short_id=lambda f: short_id(f) or "—",
    )
    return env


def list_href(site_id: str) -> str:
    """Relative link from index.html to a site's 整改清单 (percent-encoded, for file:// too)."""
    return f"{quote(site_id)}/{quote(LIST_NAME)}.html"


def render_index(env: jinja2.Environment, result: dict) -> str:
    run = result.get("run") or {}
    sites = [{**s, "list_href": list_href(s["site"]), "trend": sparkline(s, run.get("id"))}
             for s in ranked_sites(result.get("sites", []))]
    totals = {v: sum(1 for s in sites if s.get("verdict") == v) for v in ("pass", "fail", "not_tested")}
    groups = [{"name": name, **group_totals(members)} for name, members in supervisor_groups(sites)] \
        if has_supervisors(sites) else []
    return env.get_template("index.html").render(
        as_of=result.get("as_of"), generated_at=result.get("generated_at"), run=run,
        sites=sites, totals=totals, groups=groups, summary_xlsx=quote(SUMMARY_XLSX))


def render_list(env: jinja2.Environment, result: dict, site: dict, rows: list[Row],
                resolved: list[dict] | None = None) -> str:
    return env.get_template("rectification.html").render(
        as_of=result.get("as_of"), generated_at=result.get("generated_at"), run=result.get("run") or {},
        site=site, rows=rows, sections=sections(rows), columns=L.COLUMNS, resolved=resolved or [],
        downloads=[(f"{LIST_NAME}.xlsx", quote(f"{LIST_NAME}.xlsx")), (f"{NOTICE_NAME}.docx", quote(f"{NOTICE_NAME}.docx"))])
