"""Human reports and CI outputs: render the checks' result; compute no verdicts.

``write_reports(out_dir, result)`` writes the supervisor's ``index.html`` and ``汇总.xlsx``, per site
``<site_id>/整改清单.html``, ``整改清单.xlsx`` and ``整改通知.docx``, and for CI ``junit.xml`` and
``gkaudit.sarif``. The result dict is the checks' output (as_of, run, sites with verdict/score/counts/
not_tested/history/resolved, findings, resolved, optional rules); see README.
"""

from __future__ import annotations

from pathlib import Path

from core.parallel import ordered_map

from .docx_notice import write_notice_docx
from .findings_json import write_findings_json
from .html import (
    LIST_NAME,
    NOTICE_NAME,
    SUMMARY_XLSX,
    environment,
    render_index,
    render_list,
)
from .junit import write_junit
from .rows import findings_by_site, resolved_by_site, site_rows, with_defaults
from .sarif import write_sarif
from .summary_xlsx import write_summary_xlsx
from .xlsx import write_site_xlsx

__all__ = ["write_outputs", "write_reports", "LIST_NAME", "NOTICE_NAME", "SUMMARY_XLSX"]


def write_outputs(out_dir: Path, result: dict, load_snapshots) -> list[Path]:
    """findings.json first, then the human reports, then the snapshots the reports link to.

    load_snapshots(hashes) → {hash: HTML bytes}: the stored evidence snapshots (store.snapshots.load)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = [write_findings_json(out_dir, result), *write_reports(out_dir, result)]
    wanted = {f["snapshot"] for f in result["findings"] if f.get("snapshot")}
    if wanted:
        (out_dir / "snapshots").mkdir(exist_ok=True)
        for digest, body in load_snapshots(wanted).items():
            path = out_dir / "snapshots" / f"{digest}.html"
            path.write_bytes(body)
            files.append(path)
    return files


def _site_dir(out_dir: Path, site_id: str) -> Path:
    """The site's folder; the id becomes a path component, so refuse anything that escapes out_dir."""
    if not site_id or site_id in (".", "..") or any(c in site_id for c in "/\\\0") or ":" in site_id:
        raise ValueError(f"site id {site_id!r} cannot be used as a directory name")
    return out_dir / site_id


def write_reports(out_dir: Path, result: dict) -> list[Path]:
    """Write every report; return the paths written (see README for the order)."""
    out_dir = Path(out_dir)
    result = with_defaults(result)
    per_site = findings_by_site(result)  # validate everything before writing anything
    fixed = resolved_by_site(result)
    folders = [_site_dir(out_dir, s["site"]) for s in result.get("sites", [])]
    if len(set(folders)) != len(folders):
        raise ValueError("duplicate site ids in result")
    out_dir.mkdir(parents=True, exist_ok=True)
    env = environment()
    written: list[Path] = []
    # The per-site folders are written by worker processes (gkaudit.parallel) while this one writes the rest.
    with ordered_map(_write_site, (env, result, per_site, fixed), list(zip(result.get("sites", []), folders))) \
            as site_files:
        index = out_dir / "index.html"
        index.write_text(render_index(env, result), encoding="utf-8")
        written += [index, write_summary_xlsx(out_dir / SUMMARY_XLSX, result)]
        tail = [write_junit(out_dir, result), write_sarif(out_dir, result)]
        for files in site_files:
            written += files
    return written + tail


def _write_site(context, task) -> list[Path]:
    """One site's folder: 整改清单.html, 整改清单.xlsx and 整改通知.docx."""
    env, result, per_site, fixed = context
    site, folder = task
    folder.mkdir(exist_ok=True)
    rows = site_rows(site, per_site[site["site"]])
    gone = fixed[site["site"]]
    page = folder / f"{LIST_NAME}.html"
    page.write_text(render_list(env, result, site, rows, gone), encoding="utf-8")
    return [page, write_site_xlsx(folder / f"{LIST_NAME}.xlsx", site, rows, gone),
            write_notice_docx(folder / f"{NOTICE_NAME}.docx", result, site, rows)]
