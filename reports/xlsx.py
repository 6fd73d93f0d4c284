"""XLSX 整改清单 (openpyxl): the file a supervisor forwards and a webmaster filters and annotates.

Cells hold typed values (numbers, dates, hyperlinks) rather than display strings, so sorting by
整改时限 or summing 扣分 works in Excel/WPS. Text from audited pages is written as plain strings,
never as formulas.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from . import labels as L
from .rows import Row, by_type, safe_href, short_id

SUMMARY_SHEET = "汇总"
SUMMARY_COLUMNS = ["网站名称", "网站标识码", "网址", "层级", "结论", "得分",
                   "单项否决项数", "扣分项数", "提示项数", "本次新发现", "已豁免项数", "较上次已整改",
                   "未检测项数", "未检测项"]
ID_COLUMN = "问题编号"
RESOLVED_TITLE = "已整改（上次检测发现、本次已不存在）"
RESOLVED_COLUMNS = ["问题编号", "规则", "问题类型", "问题描述", "问题页面", "首次发现"]

WRAP = {"问题描述", "证据", "整改要求", "依据", "问题页面", L.PARENT_COLUMN, "未检测项", "主管单位"}
LINK = {"问题页面", L.PARENT_COLUMN, "网址"}
MAX_WIDTH, WRAP_WIDTH, MIN_WIDTH = 60, 48, 6
CELL_LIMIT = 32767  # Excel's hard limit on characters in a cell
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F0F3F6")
TOP = Alignment(vertical="top")
TOP_WRAP = Alignment(vertical="top", wrap_text=True)


def display_width(text: str) -> int:
    """Columns a line needs: CJK and full-width characters count 2, like Excel renders them."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def sheet_title(name: str, used: set[str]) -> str:
    """A valid, unique sheet name: ≤ 31 chars, none of []:*?/\\, not quoted, case-insensitively new."""
    base = _BAD_SHEET_CHARS.sub("_", name).strip().strip("'")[:31] or "问题"
    title, n = base, 2
    while title.casefold() in used:
        suffix = f"({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.casefold())
    return title


def _when(value: Any) -> Any:
    """ISO date/datetime string → date/datetime cell; anything else (or tz-aware) unchanged."""
    if not isinstance(value, str):
        return value
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return value
    return value if parsed.tzinfo else parsed  # Excel has no time zones; keep the text then


def _put(ws: Worksheet, row: int, col: int, value: Any, header: str) -> None:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)[:CELL_LIMIT]
    cell = ws.cell(row=row, column=col, value=value)
    if cell.data_type == "f":  # page text like "=HYPERLINK(..)" must stay text
        cell.data_type = "s"
    if header in LINK and (href := safe_href(value)):
        cell.hyperlink = href
        cell.style = "Hyperlink"
    if isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    cell.alignment = TOP_WRAP if header in WRAP else TOP


def _cell_text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def _header(ws: Worksheet, row: int, headers: list[str]) -> None:
    for c, h in enumerate(headers, 1):
        cell = ws.cell(row=row, column=c, value=h)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, TOP


def fit_widths(ws: Worksheet, headers: list[str], rows: list[list[Any]], grow: bool = False) -> None:
    """Column widths fitted to Chinese text; with grow, never narrower than a table above needs."""
    for c, h in enumerate(headers, 1):
        lines = [h] + [line for v in (row[c - 1] for row in rows) for line in _cell_text(v).splitlines()]
        cap = WRAP_WIDTH if h in WRAP else MAX_WIDTH
        width = max(MIN_WIDTH, min(cap, max(display_width(x) for x in lines) + 2))
        dim = ws.column_dimensions[get_column_letter(c)]
        dim.width = max(width, dim.width or 0) if grow else width


def write_table(ws: Worksheet, headers: list[str], rows: list[list[Any]]) -> None:
    """Header row (bold, frozen, filtered) plus rows, with widths fitted to Chinese text."""
    _header(ws, 1, headers)
    for r, values in enumerate(rows, 2):
        for c, (h, v) in enumerate(zip(headers, values), 1):
            _put(ws, r, c, v, h)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    fit_widths(ws, headers, rows)


def write_block(ws: Worksheet, first_row: int, title: str, headers: list[str], rows: list[list[Any]]) -> None:
    """A second, titled table further down a sheet (no filter: a sheet has only one)."""
    ws.cell(row=first_row, column=1, value=title).font = HEADER_FONT
    _header(ws, first_row + 1, headers)
    for r, values in enumerate(rows, first_row + 2):
        for c, (h, v) in enumerate(zip(headers, values), 1):
            _put(ws, r, c, v, h)
    fit_widths(ws, headers, rows, grow=True)


def finding_headers(rows: list[Row]) -> list[str]:
    """整改清单 columns, plus 父页面 when any row has one, plus the kind's own columns."""
    extra = [L.PARENT_COLUMN] if any(r.finding.get("parent_url") for r in rows) else []
    seen: list[str] = []
    for r in rows:
        seen += [k for k, _ in r.extras if k not in seen]
    return L.COLUMNS + [ID_COLUMN] + extra + seen


def finding_values(row: Row, headers: list[str]) -> list[Any]:
    f, site = row.finding, row.site
    points = f.get("points") if row.severity == "deduct" else L.label(L.SEVERITY, row.severity)
    base = {
        "序号": row.seq, "网站名称": site.get("name"), "网站标识码": site.get("site_id_code"),
        "问题类型": row.type, "问题描述": f.get("message"), "问题页面": f.get("url"),
        "证据": L.evidence_text(f.get("evidence")), "发现时间": _when(f.get("found_at")),
        "依据": f.get("basis"), "扣分": points, "整改要求": f.get("fix"),
        "整改时限": _when(f.get("deadline")), "状态": L.label(L.STATUS, f.get("status")) or None,
        L.PARENT_COLUMN: f.get("parent_url"), ID_COLUMN: short_id(f) or None,
    }
    base.update({k: (_when(v) if k == "最后更新日期" else v) for k, v in row.extras})
    return [base.get(h) for h in headers]


def not_tested_text(items: list[dict]) -> str | None:
    """未检测项 as lines 「检测项：原因（说明）」; kept in 汇总 so every other sheet is one 问题类型."""
    lines = [f"{n.get('rule') or '整站'}：{L.label(L.NOT_TESTED_REASON, n.get('reason'))}"
             + (f"（{n['detail']}）" if n.get("detail") else "") for n in items]
    return "\n".join(lines) or None


def resolved_values(f: dict) -> list[Any]:
    return [short_id(f) or None, f.get("rule"), f.get("kind_label") or L.label(L.KIND, f.get("kind")) or None,
            f.get("message"), f.get("url"), _when(f.get("first_seen"))]


def write_site_xlsx(path: Path, site: dict, rows: list[Row], resolved: list[dict] | None = None) -> Path:
    wb = Workbook()
    wb.properties.creator = "gkaudit"
    used: set[str] = set()
    groups = by_type(rows)
    ws = wb.active
    ws.title = sheet_title(SUMMARY_SHEET, used)
    counts = site.get("counts") or {}
    summary = [site.get("name"), site.get("site_id_code"), site.get("url"), L.label(L.LEVEL, site.get("level")),
               L.label(L.VERDICT, site.get("verdict")), site.get("score"), counts.get("veto", 0),
               counts.get("deduct", 0), counts.get("advice", 0), counts.get("new"), counts.get("waived"),
               site.get("resolved"), len(site.get("not_tested") or []),
               not_tested_text(site.get("not_tested") or [])]
    write_table(ws, SUMMARY_COLUMNS + list(groups), [summary + [len(g) for g in groups.values()]])
    if resolved:  # below the summary row, so every sheet but 汇总 still holds exactly the findings
        write_block(ws, 4, f"{RESOLVED_TITLE}：{len(resolved)} 项", RESOLVED_COLUMNS,
                    [resolved_values(f) for f in resolved])
    for name, group in groups.items():
        headers = finding_headers(group)
        write_table(wb.create_sheet(sheet_title(name, used)), headers,
                    [finding_values(r, headers) for r in group])
    wb.save(path)
    return path
