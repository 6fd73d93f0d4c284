"""Human reports and CI outputs: render the checks' typed result (checks.result.AuditResult); compute nothing.

``write_outputs(out_dir, result, load_snapshots)`` writes every output of the writer table below, then in each
site's folder the snapshots of the pages its findings rest on (snapshot_html: inert, with a banner); see README「哪个文件给谁」.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Callable, Mapping

from checks.result import AuditResult, SiteVerdict
from core.parallel import ordered_map

from . import findings_json, index_html, junit, list_html, list_xlsx, notice_docx, sarif, snapshot_html, summary_xlsx
from .rows import site_report

__all__ = ["write_outputs", "RUN_WRITERS", "SITE_WRITERS"]

# Every output, once, in the order write_outputs returns them. A new format is one module with NAME (its file
# name) and write(), and one line here.
#   run writers:  write(out_dir, result) -> Path                    writes out_dir/NAME
#   site writers: write(folder, result, report: SiteReport) -> Path  writes out_dir/<site id>/NAME
RUN_WRITERS = (
    findings_json,  # findings.json: the public contract, first
    index_html,  # index.html
    summary_xlsx,  # 汇总.xlsx
    junit,  # junit.xml
    sarif,  # gkaudit.sarif
)
SITE_WRITERS = (
    list_html,  # 整改清单.html
    list_xlsx,  # 整改清单.xlsx
    notice_docx,  # 整改通知.docx
)


def write_outputs(out_dir: Path, result: AuditResult,
                  load_snapshots: Callable[[set[str]], dict[str, bytes]],
                  first_found: Mapping[str, Mapping[str, date | datetime]] | None = None) -> list[Path]:
    """The run's files (findings.json first), then each site's folder, then <site>/页面快照/<digest>.html of every
    page a finding of the site rests on; return the paths written, in that order.

    load_snapshots(hashes) → {hash: HTML bytes}: the stored evidence snapshots (store.snapshots.load). Raises
    ValueError before writing anything when a site id cannot be a folder name or two sites share one.

    first_found (site id → problem id → date), e.g. the rectification ledger's, gives 发现时间 where the store's
    first sighting is not what counts."""
    out_dir = Path(out_dir)
    folders = [_site_dir(out_dir, s.site) for s in result.sites]
    if len(set(folders)) != len(folders):
        raise ValueError("duplicate site ids in result")
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    # The site folders are written by worker processes (core.parallel) while this one writes the run's files.
    tasks = [(site, folder, dict((first_found or {}).get(site.site) or {}))
             for site, folder in zip(result.sites, folders)]
    with ordered_map(_write_site, result, tasks) as site_files:
        written += [writer.write(out_dir, result) for writer in RUN_WRITERS]
        for files in site_files:
            written += files
    return written + _write_snapshots(result, folders, load_snapshots)


def _site_dir(out_dir: Path, site_id: str) -> Path:
    """The site's folder; the id becomes a path component, so refuse anything that escapes out_dir."""
    if not site_id or site_id in (".", "..") or any(c in site_id for c in "/\\\0") or ":" in site_id:
        raise ValueError(f"site id {site_id!r} cannot be used as a directory name")
    return out_dir / site_id


def _write_site(result: AuditResult, task: tuple[SiteVerdict, Path, dict]) -> list[Path]:
    """The site's documents. An incomplete run (interrupted, or its crawl failed) gets no 整改通知.docx: a
    notice is sent to a bureau as the audit's conclusion, and an unfinished crawl concludes nothing (a notice
    left by an earlier run in the same folder is removed, so it cannot be mistaken for this one's)."""
    site, folder, first_found = task
    folder.mkdir(exist_ok=True)
    report = site_report(result, site, first_found)
    writers = SITE_WRITERS
    if not result.run.complete:
        writers = tuple(w for w in SITE_WRITERS if w is not notice_docx)
        (folder / notice_docx.NAME).unlink(missing_ok=True)
    return [writer.write(folder, result, report) for writer in writers]


def _write_snapshots(result: AuditResult, folders: list[Path], load_snapshots) -> list[Path]:
    """Each site's snapshots in its own folder, inert, with a banner and the evidence of its findings marked."""
    wanted = {f.snapshot for f in result.findings if f.snapshot}
    if not wanted:
        return []
    bodies = load_snapshots(wanted)
    written = []
    for site, folder in zip(result.sites, folders):
        pages: dict[str, list] = {}
        for f in result.findings_of(site.site):
            if f.snapshot in bodies:
                pages.setdefault(f.snapshot, []).append(f)
        if not pages:
            continue
        (folder / snapshot_html.FOLDER).mkdir(exist_ok=True)
        for digest, findings in pages.items():
            first = findings[0]
            url = first.parent_url or first.url  # a link's finding rests on the page that holds the link
            needles = [n for f in findings for n in snapshot_html.needles(f.evidence)]
            # when the page was fetched, if a finding says so (found_at is the as-of date otherwise): else the run
            fetched = next((f.found_at for f in findings if isinstance(f.found_at, datetime)), None)
            path = folder / snapshot_html.FOLDER / snapshot_html.file_name(digest)
            path.write_bytes(snapshot_html.render(bodies[digest], url, fetched or result.run, needles))
            written.append(path)
    return written
