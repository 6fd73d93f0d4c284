"""<site>/整改清单.xlsx: the file a supervisor forwards and a webmaster prints, fills in and sends back.

Sheets: 全部问题 (every problem, numbered as in the HTML list, with the columns the bureau fills in: 整改情况,
责任人, 完成时间; the kinds' own columns only on their sheets, so it prints readably), then one sheet per 问题类型 holding exactly its problems, then 汇总 (the site's verdict and counts,
and below it the problems fixed since the previous audit). Every sheet prints on A4 landscape, fitted to the page
width, its header row repeated on each page. The rectification ledger reads the returned file by the header names
编号, 整改情况, 责任人 and 完成时间, so they are fixed (FILL_IN, ID_COLUMN).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from checks.result import AuditResult, NotTested, ResolvedFinding
from core.vocab import SITE_LEVELS, label

from . import labels as L
from .rows import Row, SiteReport, by_type
from .text import bureau_text
from .xlsx import print_setup, sheet_title, workbook, write_block, write_table

NAME = "整改清单.xlsx"
ALL_SHEET = "全部问题"
SUMMARY_SHEET = "汇总"
SUMMARY_COLUMNS = ["网站名称", "网站标识码", "网址", "层级", "结论", "得分",
                   "单项否决项数", "扣分项数", "提示项数", "本次新发现", "已豁免项数", "较上次已整改",
                   "未检测项数", "未检测项"]
ID_COLUMN = "编号"
FILL_IN = ["整改情况", "责任人", "完成时间"]  # left empty for the bureau
RESOLVED_TITLE = "已整改（上次检测发现、本次已不存在）"
RESOLVED_COLUMNS = ["编号", "规则", "问题类型", "问题描述", "问题页面", "首次发现"]


def _iso_date(value: Any) -> Any:
    """A date the evidence gives as ISO text (最后更新日期) as a date cell; anything else unchanged."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    return value


def finding_headers(rows: list[Row], extras: bool = True) -> list[str]:
    """整改清单 columns, plus 父页面 when any row has one, plus (with extras) the kinds' own columns, then 编号 and the
    columns the bureau fills in."""
    extra = [L.PARENT_COLUMN] if any(r.finding.parent_url for r in rows) else []
    seen: list[str] = []
    for r in rows if extras else ():
        seen += [k for k, _ in r.extras if k not in seen]
    return L.COLUMNS + extra + seen + [ID_COLUMN] + FILL_IN


def finding_values(row: Row, headers: list[str]) -> list[Any]:
    f, site = row.finding, row.site
    base = {
        "序号": row.seq, "网站名称": site.name, "网站标识码": site.site_id_code,
        "问题类型": row.type, "问题描述": f.message, "问题页面": f.url,
        "证据": L.evidence_text(f.evidence), "发现时间": row.first_found,
        "依据": f.basis, "扣分": f.points if f.severity == "deduct" else f.severity_label, "整改要求": f.fix,
        "整改时限": f.deadline, "状态": f.status_label,
        L.PARENT_COLUMN: f.parent_url, ID_COLUMN: f.short_id,
    }
    base.update({k: (_iso_date(v) if k == "最后更新日期" else v) for k, v in row.extras})
    return [base.get(h) for h in headers]


def not_tested_text(items: tuple[NotTested, ...], titles: dict[str, str] | None = None) -> str | None:
    """未检测项 as lines 「检测项：原因（说明）」; kept in 汇总 so every other sheet holds problems only."""
    return "\n".join(L.not_tested_line(n, titles) for n in items) or None


def resolved_values(f: ResolvedFinding) -> list[Any]:
    return [f.short_id, f.rule, f.kind_label, f.message, f.url, f.first_seen]


def write(folder: Path, result: AuditResult, report: SiteReport) -> Path:
    path = folder / NAME
    site = report.site
    wb = workbook()
    wb.properties.title = bureau_text(f"{site.name} 整改清单（{result.as_of}）")
    used: set[str] = set()
    groups = by_type(report.rows)
    title = f"{site.name} 整改清单（评估基准日 {result.as_of}）"
    ws = wb.active
    ws.title = sheet_title(ALL_SHEET, used)
    headers = finding_headers(list(report.rows), extras=False)  # the 证据 column says it all; the page stays narrow
    write_table(ws, headers, [finding_values(r, headers) for r in report.rows], title=title)
    for name, group in groups.items():
        headers = finding_headers(group)
        write_table(wb.create_sheet(sheet_title(name, used)), headers, [finding_values(r, headers) for r in group],
                    title=f"{title}：{name}")
    ws = wb.create_sheet(sheet_title(SUMMARY_SHEET, used))
    c = site.counts
    summary = [site.name, site.site_id_code, site.url, label(SITE_LEVELS, site.level), site.verdict_label,
               site.score, c.veto, c.deduct, c.advice, c.new, c.waived, site.resolved, len(site.not_tested),
               not_tested_text(site.not_tested, {r.id: r.title for r in result.rules})]
    write_table(ws, SUMMARY_COLUMNS + list(groups), [summary + [len(g) for g in groups.values()]], title=title)
    if report.resolved:  # below the summary row
        write_block(ws, 4, f"{RESOLVED_TITLE}：{len(report.resolved)} 项", RESOLVED_COLUMNS,
                    [resolved_values(f) for f in report.resolved])
        print_setup(ws, title)
    wb.save(path)
    return path
