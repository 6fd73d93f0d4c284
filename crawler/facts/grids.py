"""Header-row grids: a table, or a list of span rows, whose first row names its columns.

Message lists (信件标题 | 来信时间 | 回复时间) and multi-project 受理公示 tables (项目名称 | … | 受理日期) put the
label once in a header cell and the values in the rows below, so "标签：值" reading cannot pair them. Only
called on pages whose text already shows such a label (the caller's gate): the walk below is not free.
"""
from __future__ import annotations

from lxml import etree

_TEXTS = etree.XPath("descendant-or-self::text()", smart_strings=False)
_SPAN_CELLS = frozenset(("span", "div", "em", "i", "b", "strong", "p", "label", "font", "cite", "dd", "dt"))
MAX_ROWS = 200


def cell_text(cell) -> str:
    return " ".join(" ".join(_TEXTS(cell)).split())


def cells(row) -> list:
    """The cells of a row: td/th of a tr; span-like children of a li (a CMS's div/span list)."""
    if row.tag == "tr":
        return [c for c in row if c.tag in ("td", "th")]
    return [c for c in row if c.tag in _SPAN_CELLS]


def _name(cell) -> str:
    return "".join(cell_text(cell).split()).strip(":：∶")


def _data_rows(header) -> list:
    rows = [r for r in header.itersiblings() if r.tag == header.tag]
    parent = header.getparent()
    if header.tag == "tr" and parent is not None and parent.tag == "thead" and (table := parent.getparent()) is not None:
        rows = [r for body in table if body.tag == "tbody" for r in body if r.tag == "tr"]
    return rows[:MAX_ROWS]


def header_grids(root, wanted: frozenset[str]):
    """(column names, data rows as cell lists) for every row whose cells name one of the wanted columns."""
    for row in root.iter("tr", "li"):
        cs = cells(row)
        if len(cs) < 2 or any(len(cell_text(c)) > 12 for c in cs):  # a header row is short names only
            continue
        names = [_name(c) for c in cs]
        if wanted.intersection(names):
            yield names, [cells(r) for r in _data_rows(row)]
