"""<site>/整改清单.html: one site's verdict, its numbered findings, what could not be tested, what was fixed."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from checks.result import AuditResult

from . import labels as L
from . import list_xlsx, notice_docx
from .html import environment
from .rows import SiteReport, sections

NAME = "整改清单.html"


def write(folder: Path, result: AuditResult, report: SiteReport) -> Path:
    path = folder / NAME
    downloads = [(name, quote(name)) for name in (list_xlsx.NAME, notice_docx.NAME)]
    path.write_text(environment().get_template("rectification.html").render(
        as_of=result.as_of, generated_at=result.generated_at, run=result.run, site=report.site, rows=report.rows,
        sections=sections(report.rows), columns=L.COLUMNS, resolved=report.resolved, downloads=downloads),
        encoding="utf-8")
    return path
