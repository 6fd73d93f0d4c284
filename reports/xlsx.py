"""What the workbooks share (openpyxl): tables with a bold, frozen, filtered header, CJK-aware column widths,
safe cells, and a print set-up an office expects (A4 landscape, fitted to the page width, header row repeated on
every page, wrapped text, page numbers).

Cells hold typed values (numbers, dates, hyperlinks) rather than display strings, so sorting by 整改时限 or
summing 扣分 works in Excel/WPS. Datetimes are written as local wall-clock time (Excel has no time zones). Text
from audited pages is written as plain strings, never as formulas.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from . import labels as L
from .rows import safe_href
from .text import bureau_text, clean_filename

WRAP = {"问题描述", "证据", "整改要求", "依据", "问题页面", L.PARENT_COLUMN, "未检测项", "主管单位", "网站名称",
        "否决原因", "未检测原因", "整改情况", "链接标题", "错误描述", "栏目名称", "检测项及原因", "处理建议"}
LINK = {"问题页面", L.PARENT_COLUMN, "网址"}
MAX_WIDTH, WRAP_WIDTH, MIN_WIDTH = 40, 36, 6
# Columns a bureau fills in by hand: wide enough to write in, however empty.
FILL_IN_WIDTH = {"整改情况": 16, "责任人": 8, "完成时间": 11}
# Widest a column may grow, so that a sheet fitted to an A4 landscape page stays readable (about 150 units fit at
# 100 %; the 整改清单's columns add up to some 250, printed at about 60 %).
PRINT_WIDTH = {"网站名称": 12, "网站标识码": 12, "问题类型": 10, "问题描述": 24, "问题页面": 18, L.PARENT_COLUMN: 16,
               "证据": 30, "依据": 16, "整改要求": 24, "状态": 8, "编号": 10, "网址": 24, "否决原因": 20,
               "未检测原因": 12, "主管单位": 14, "链接标题": 16, "错误描述": 16, "栏目名称": 12}
DATE_ONLY = {"发现时间"}  # a datetime shown as its day: when a problem was first found, not to the second
THIN = Side(style="thin", color="A0A7AF")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CELL_LIMIT = 32767  # Excel's hard limit on characters in a cell
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F0F3F6")
TOP = Alignment(vertical="top")
TOP_WRAP = Alignment(vertical="top", wrap_text=True)


def workbook() -> Workbook:
    wb = Workbook()
    wb.properties.creator = "gkaudit"
    return wb


def display_width(text: str) -> int:
    """Columns a line needs: CJK and full-width characters count 2, like Excel renders them."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def sheet_title(name: str, used: set[str]) -> str:
    """A valid, unique sheet name: ≤ 31 chars, none of []:*?/\\, not quoted, case-insensitively new."""
    base = _BAD_SHEET_CHARS.sub("－", clean_filename(name)).strip().strip("'")[:31] or "问题"
    title, n = base, 2
    while title.casefold() in used:
        suffix = f"({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.casefold())
    return title


def _put(ws: Worksheet, row: int, col: int, value: Any, header: str) -> None:
    if isinstance(value, datetime):
        value = L.local_time(value)
    elif isinstance(value, str):
        value = bureau_text(value)[:CELL_LIMIT]
    cell = ws.cell(row=row, column=col, value=value)
    if cell.data_type == "f":  # page text like "=HYPERLINK(..)" must stay text
        cell.data_type = "s"
    if header in LINK and (href := safe_href(value)):
        cell.hyperlink = href
        cell.style = "Hyperlink"
    if isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd" if header in DATE_ONLY else "yyyy-mm-dd hh:mm:ss"
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    cell.alignment = TOP_WRAP if header in WRAP else TOP
    cell.border = GRID


def _cell_text(value: Any, header: str = "") -> str:
    if isinstance(value, datetime) and header in DATE_ONLY:
        return value.date().isoformat()
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def _header(ws: Worksheet, row: int, headers: list[str]) -> None:
    for c, h in enumerate(headers, 1):
        cell = ws.cell(row=row, column=c, value=h)
        cell.font, cell.fill, cell.alignment, cell.border = HEADER_FONT, HEADER_FILL, TOP_WRAP, GRID


def fit_widths(ws: Worksheet, headers: list[str], rows: list[list[Any]], grow: bool = False) -> None:
    """Column widths fitted to Chinese text; with grow, never narrower than a table above needs."""
    for c, h in enumerate(headers, 1):
        lines = [line for v in (row[c - 1] for row in rows) for line in _cell_text(v, h).splitlines()]
        head = display_width(h)  # a header wraps (over two lines when it is longer than four characters)
        head = (head + 3) // 4 * 2 if head > 8 else head
        cap = PRINT_WIDTH.get(h) or (WRAP_WIDTH if h in WRAP else MAX_WIDTH)
        width = FILL_IN_WIDTH.get(h) or max(MIN_WIDTH, min(cap, max([head] + [display_width(x) for x in lines]) + 2))
        dim = ws.column_dimensions[get_column_letter(c)]
        dim.width = max(width, dim.width or 0) if grow else width


def write_table(ws: Worksheet, headers: list[str], rows: list[list[Any]], title: str | None = None) -> None:
    """Header row (bold, frozen, filtered) plus rows, with widths fitted to Chinese text, set up for printing
    (title: the page header of the printout)."""
    _header(ws, 1, headers)
    for r, values in enumerate(rows, 2):
        for c, (h, v) in enumerate(zip(headers, values), 1):
            _put(ws, r, c, v, h)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    fit_widths(ws, headers, rows)
    print_setup(ws, title)


def print_setup(ws: Worksheet, title: str | None = None) -> None:
    """A4 landscape, every column on the page width (as many pages down as needed), the header row on every
    page, narrow margins, 「第 N 页，共 M 页」 in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if title:
        ws.oddHeader.center.text = bureau_text(title).replace("&", "&&")
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def write_block(ws: Worksheet, first_row: int, title: str, headers: list[str], rows: list[list[Any]]) -> None:
    """A second, titled table further down a sheet (no filter: a sheet has only one)."""
    ws.cell(row=first_row, column=1, value=title).font = HEADER_FONT
    _header(ws, first_row + 1, headers)
    for r, values in enumerate(rows, first_row + 2):
        for c, (h, v) in enumerate(zip(headers, values), 1):
            _put(ws, r, c, v, h)
    fit_widths(ws, headers, rows, grow=True)
