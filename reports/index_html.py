"""index.html: the supervisor's summary — every site ranked, its trend, the totals per 主管单位."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from checks.result import AuditResult

from . import list_html, summary_xlsx
from .html import environment
from .legend import not_tested_notes, veto_text
from .trend import sparkline

NAME = "index.html"


def list_href(site_id: str) -> str:
    """Relative link to a site's 整改清单 (percent-encoded, for file:// too)."""
    return f"{quote(site_id)}/{quote(list_html.NAME)}"


def write(out_dir: Path, result: AuditResult) -> Path:
    path = out_dir / NAME
    sites = result.ranked()
    notes, refs = not_tested_notes(result, sites)
    path.write_text(environment().get_template("index.html").render(
        notes=notes, refs=refs, vetoes={s.site: veto_text(result, s) for s in sites},
        as_of=result.as_of, generated_at=result.generated_at, run=result.run, sites=sites,
        links={s.site: list_href(s.site) for s in sites}, trends={s.site: sparkline(s, result.run.id) for s in sites},
        totals=result.verdict_totals, groups=result.groups,
        summary_xlsx=quote(summary_xlsx.NAME)), encoding="utf-8")
    return path
