"""XLSX: openpyxl in read-only mode, cached values only (a formula shows what the publisher's program computed)."""
from __future__ import annotations

import posixpath

import openpyxl
from lxml import etree

from .model import Document, Unreadable
from .office import XML_PARSER, SheetBook, ooxml_application, open_zip

_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
MAX_LINKS = 1_000


def read_xlsx(data: bytes) -> Document:
    """Each worksheet is one page: rows joined by newlines, cells by tabs, and its rows in `tables`."""
    zf = open_zip(data, "XLSX")
    try:
        wb = openpyxl.load_workbook(zf.fp, read_only=True, data_only=True, keep_links=False)
    except Unreadable:
        raise
    except Exception as e:  # openpyxl raises KeyError, ValueError, InvalidFileException … on a broken package
        raise Unreadable("XLSX 文件损坏，无法读取") from e
    declared = _declared_sheets(zf)
    if declared is not None and len(wb.sheetnames) < declared:  # openpyxl skips a sheet whose part is missing
        wb.close()
        raise Unreadable(f"XLSX 文件损坏：声明 {declared} 个工作表，只能读取 {len(wb.sheetnames)} 个")
    book = SheetBook("xlsx")
    try:
        for ws in wb.worksheets:
            if book.full:
                break
            ws.reset_dimensions()  # a forged <dimension ref="A1:XFD1048576"> must not pad every row
            book.add_sheet(ws.iter_rows(values_only=True))
    except Exception as e:
        raise Unreadable("XLSX 文件损坏，无法读取工作表") from e
    finally:
        wb.close()
    book.doc.links = _links(zf)
    book.doc.producer = ooxml_application(zf)
    return book.doc


def _declared_sheets(zf) -> int | None:
    """How many sheets xl/workbook.xml lists (None when the part is not where Excel and WPS put it)."""
    try:
        root = etree.fromstring(zf.read("xl/workbook.xml"), XML_PARSER)
    except (KeyError, etree.XMLSyntaxError):
        return None
    return sum(1 for el in root.iter("{*}sheet"))


def _links(zf) -> list[str]:
    """External hyperlinks of the worksheets (read-only mode does not load them), in sheet order."""
    links: list[str] = []
    names = sorted(n for n in zf.namelist() if posixpath.dirname(n) == "xl/worksheets/_rels" and n.endswith(".rels"))
    for name in names:
        try:
            root = etree.fromstring(zf.read(name), XML_PARSER)
        except etree.XMLSyntaxError:
            continue
        for rel in root:
            target = rel.get("Target")
            if rel.get("Type") == _HYPERLINK and target and target not in links:
                links.append(target)
                if len(links) >= MAX_LINKS:
                    return links
    return links
