"""XLS (BIFF, Excel 97–2003, also as written by WPS 表格): xlrd, which keeps a cell's type, so that a code typed as
a number (类 205.0) prints as 205 while a code typed as text keeps its zero (款 "02")."""
from __future__ import annotations

import xlrd

from .model import Document, Unreadable
from .office import OLE_MAGIC, SheetBook
from .xlsx import read_xlsx


def read_xls(data: bytes) -> Document:
    """Each sheet is one page, as for XLSX; an XLSX saved under the .xls name is read as what it is."""
    if data[:4] == b"PK\x03\x04":
        return read_xlsx(data)
    if data[:8] != OLE_MAGIC:
        head = data[:512].lstrip().lower()
        if head.startswith((b"<", b"\xef\xbb\xbf<")):
            raise Unreadable("不是 XLS 文件（实为网页或 XML 表格），无法按 XLS 读取")
        raise Unreadable("不是 XLS 文件（文件头不符），无法读取")
    try:
        wb = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=_Null())
    except xlrd.XLRDError as e:
        if "encrypt" in str(e).lower():
            raise Unreadable("XLS 文件已加密，无法读取") from e
        raise Unreadable("XLS 文件损坏或版本不受支持，无法读取") from e
    except Exception as e:  # xlrd raises struct.error, IndexError, AssertionError … on a broken file
        raise Unreadable("XLS 文件损坏，无法读取") from e
    book = SheetBook("xls")
    try:
        for index in range(wb.nsheets):
            if book.full:
                break
            sheet = wb.sheet_by_index(index)
            book.add_sheet(_rows(sheet, wb.datemode))
            wb.unload_sheet(index)
    except Exception as e:
        raise Unreadable("XLS 文件损坏，无法读取工作表") from e
    finally:
        wb.release_resources()
    return book.doc


def _rows(sheet, datemode: int):
    for r in range(sheet.nrows):
        yield [_value(c, datemode) for c in sheet.row(r)]


def _value(cell, datemode: int):
    kind = cell.ctype
    if kind == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            return cell.value
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERR")
    return cell.value


class _Null:
    """xlrd prints warnings (WPS files trigger some) to a log file: keep them out of the worker's output."""

    def write(self, _s):
        pass
