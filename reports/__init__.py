"""Human reports: render the checks' result; compute no verdicts.

``write_reports(out_dir, result)`` writes the supervisor's ``index.html`` and, per site,
``<site_id>/整改清单.html`` and ``<site_id>/整改清单.xlsx``. The result dict is the checks' output
(as_of, run, sites with verdict/score/counts/not_tested, findings); see README.
"""

from __future__ import annotations

from pathlib import Path

from .html import LIST_NAME, environment, render_index, render_list
from .rows import findings_by_site, site_rows, with_defaults
from .xlsx import write_site_xlsx

__all__ = ["write_reports", "LIST_NAME"]


def _site_dir(out_dir: Path, site_id: str) -> Path:
    """The site's folder; the id becomes a path component, so refuse anything that escapes out_dir."""
    if not site_id or site_id in (".", "..") or any(c in site_id for c in "/\\\0") or ":" in site_id:
        raise ValueError(f"site id {site_id!r} cannot be used as a directory name")
    return out_dir / site_id


def write_reports(out_dir: Path, result: dict) -> list[Path]:
    """Write index.html and each site's 整改清单 (HTML + XLSX); return the paths written."""
    out_dir = Path(out_dir)
    result = with_defaults(result)
    per_site = findings_by_site(result)  # validate everything before writing anything
    folders = [_site_dir(out_dir, s["site"]) for s in result.get("sites", [])]
    if len(set(folders)) != len(folders):
        raise ValueError("duplicate site ids in result")
    out_dir.mkdir(parents=True, exist_ok=True)
    env = environment()
    written: list[Path] = []

    index = out_dir / "index.html"
    index.write_text(render_index(env, result), encoding="utf-8")
    written.append(index)

    for site, folder in zip(result.get("sites", []), folders):
        folder.mkdir(exist_ok=True)
        rows = site_rows(site, per_site[site["site"]])
        page = folder / f"{LIST_NAME}.html"
        page.write_text(render_list(env, result, site, rows), encoding="utf-8")
        written += [page, write_site_xlsx(folder / f"{LIST_NAME}.xlsx", site, rows)]
    return written
