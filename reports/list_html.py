"""<site>/整改清单.html: one site's verdict, its numbered findings, what could not be tested, what was fixed.

Prints on A4 landscape: the site's name and code are in the heading, not repeated on every row, and each row's
依据 shows the document's short name with a note number; the full texts follow the table once (依据全文).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from checks.result import AuditResult

from . import labels as L
from . import list_xlsx, notice_docx
from .html import environment
from .rows import SiteReport, sections
from .snapshot_html import FOLDER, file_name

NAME = "整改清单.html"
# The 整改清单 columns as the page shows them: 网站名称 and 网站标识码 are the page's heading.
COLUMNS = [c for c in L.COLUMNS if c not in ("网站名称", "网站标识码")]


def basis_notes(report: SiteReport) -> dict[str, int]:
    """Each distinct 依据 text → its note number, in row order."""
    notes: dict[str, int] = {}
    for row in report.rows:
        if row.finding.basis and row.finding.basis not in notes:
            notes[row.finding.basis] = len(notes) + 1
    return notes


def write(folder: Path, result: AuditResult, report: SiteReport) -> Path:
    path = folder / NAME
    names = (list_xlsx.NAME, notice_docx.NAME) if result.run.complete else (list_xlsx.NAME,)  # no notice: incomplete
    downloads = [(name, quote(name)) for name in names]
    snapshots = {r.finding.snapshot: f"{quote(FOLDER)}/{file_name(r.finding.snapshot)}"
                 for r in report.rows if r.finding.snapshot}
    path.write_text(environment().get_template("rectification.html").render(
        as_of=result.as_of, generated_at=result.generated_at, run=result.run, site=report.site, rows=report.rows,
        sections=sections(report.rows), columns=COLUMNS, resolved=report.resolved, downloads=downloads,
        snapshots=snapshots, basis_notes=basis_notes(report), titles={r.id: r.title for r in result.rules}),
        encoding="utf-8")
    return path
