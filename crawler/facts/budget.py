"""The classification codes of 部门预算/决算 tables (BUD-03: 功能分类 to 项, 基本支出 经济分类 to 款).

A 预决算 table lists 科目编码 in its first column(s): 支出功能分类 codes are 3 (类, 211), 5 (款, 21101) or 7
(项, 2110101) digits starting with 2; 部门/政府经济分类 codes are 3 (类, 301) or 5 (款, 30101) digits starting
with 3 or 5. A table whose header names 经济分类 or 功能分类 takes that kind; otherwise the code's first digit
decides. Codes written in split 类 | 款 | 项 columns (211 | 01 | 01, an empty cell repeating the row above) are
joined. Only called on pages whose text mentions 预算/决算 and that have a table (the caller's gate).
"""
from __future__ import annotations

import re
from itertools import islice

from .grids import cell_text

_CODE = re.compile(r"\d{3}(?:\d{2}){0,2}")
_PART = re.compile(r"\d{2,3}")
_SPLIT = ("类", "款", "项")
MAX_ROWS = 400  # per table: a 功能分类 table of a big department has a few hundred rows
HEADER_ROWS = 3


def _kind(header: str, code: str) -> str | None:
    if "经济分类" in header:
        return "economic" if code[0] in "35" else None
    if "功能分类" in header:
        return "function" if code[0] == "2" else None
    return "function" if code[0] == "2" else "economic" if code[0] in "35" else None


def _split_columns(rows: list[list[str]], header_rows: int = HEADER_ROWS) -> int | None:
    """Where a header row names 类 | 款 | 项 in adjacent cells: the index of 类."""
    for texts in rows[:header_rows]:
        names = ["".join(t.split()) for t in texts]
        for i in range(len(names) - 2):
            if tuple(names[i:i + 3]) == _SPLIT:
                return i
    return None


def _table_codes(table) -> tuple[str, list[str]]:
    """(header text, codes in row order) of one table; nested tables are read on their own."""
    rows = [[cell_text(c) for c in tr if c.tag in ("td", "th")]
            for tr in islice((tr for tr in table.iter("tr") if _own(tr, table)), MAX_ROWS)]
    return rows_codes(rows)


def rows_codes(rows: list[list[str]], header_rows: int = HEADER_ROWS) -> tuple[str, list[str]]:
    """(header text, codes in row order) of a table given as rows of cell texts (an HTML table, a sheet, a PDF
    table): the 科目编码 in the first cell, or in split 类 | 款 | 项 cells (an empty cell repeats the row above)."""
    header = " ".join(" ".join(r) for r in rows[:header_rows])
    codes = []
    split = _split_columns(rows, header_rows)
    if split is not None:
        # the header row of 类/款/项 sits under a 科目编码 cell, so the data rows have the same leading cells
        parts = ["", "", ""]
        for texts in rows:
            cells = ["".join(t.split()) for t in texts[:3]]
            if len(cells) < 3 or not any(cells) or not all(not c or _PART.fullmatch(c) for c in cells):
                continue
            for k, c in enumerate(cells):
                if c:
                    parts[k] = c
                    parts[k + 1:] = [""] * (2 - k)
            code = "".join(parts[:max(k for k, c in enumerate(cells) if c) + 1])
            if _CODE.fullmatch(code):
                codes.append(code)
        return header, codes
    for texts in rows:
        if texts and _CODE.fullmatch(first := "".join(texts[0].split())):
            codes.append(first)
    return header, codes


def _own(tr, table) -> bool:
    parent = tr.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent is table


def codes(root) -> dict:
    """{"function": {...}, "economic": {...}}: per kind the deepest code length (`max_digits`), the number of
    distinct codes (`count`) and the first code of that length (`example`); a kind with no code is left out."""
    return summarise(_table_codes(table) for table in root.iter("table"))


def summarise(tables) -> dict:
    """codes()' summary of (header text, codes) pairs, one per table, whatever the tables were read from."""
    found: dict[str, list[str]] = {}
    for header, table_codes in tables:
        for code in table_codes:
            if kind := _kind(header, code):
                found.setdefault(kind, [])
                if code not in found[kind]:
                    found[kind].append(code)
    out = {}
    for kind, cs in found.items():
        deepest = max(len(c) for c in cs)
        out[kind] = {"max_digits": deepest, "count": len(cs), "example": next(c for c in cs if len(c) == deepest)}
    return out
