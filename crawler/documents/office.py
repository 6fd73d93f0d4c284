"""What the office readers (XLSX, XLS, DOCX, DOC, OFD) share: the zip-bomb guard, cell text, bounded sheets.

Readers run in a resource-limited worker, but each still bounds its own work so that a hostile file ends as a
Chinese reason (Unreadable) or a truncated Document, never as the worker being killed.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from lxml import etree

from .model import MAX_TEXT_CHARS, Document, Unreadable

MAX_UNZIPPED = 200 * 1024 * 1024  # sum of the members' uncompressed sizes a zip format may declare
MAX_RATIO = 100  # uncompressed / compressed, over the whole archive …
RATIO_FLOOR = 8 * 1024 * 1024  # … once it unpacks to more than this (a small, repetitive sheet is harmless)
MAX_MEMBERS = 20_000
MAX_SHEETS = 100  # sheets read per workbook; the rest → truncated
MAX_CELLS = 2_000_000  # cells visited per workbook (empty ones included); the rest → truncated
# XML of untrusted packages: no entities, no DTD, no network
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def open_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    """The archive, once its declared sizes show it is no decompression bomb (Python's zipfile never inflates a
    member beyond its declared size, so checking the directory before opening any member is enough)."""
    if data[:8] == OLE_MAGIC:
        raise Unreadable(f"文件已加密或不是 {kind} 格式（OLE 复合文档），无法读取")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise Unreadable(f"{kind} 文件损坏（不是有效的压缩包），无法读取") from e
    if len(infos) > MAX_MEMBERS:
        raise Unreadable(f"{kind} 文件包含 {len(infos)} 个部件，超出限制，疑似压缩炸弹")
    unzipped = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if unzipped > MAX_UNZIPPED or (unzipped > RATIO_FLOOR and unzipped > MAX_RATIO * max(packed, 1)):
        raise Unreadable(f"{kind} 文件解压后 {unzipped // (1024 * 1024)} MB（压缩比 {unzipped // max(packed, 1)}），"
                         "超出大小限制，疑似压缩炸弹")
    if any(i.flag_bits & 0x1 for i in infos):
        raise Unreadable(f"{kind} 文件已加密，无法读取")
    return zf


def cell_text(value) -> str:
    """A cell as a person reads it: account codes stored as floats (2080505.0) print as integers (2080505)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(value, ".15g")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value).strip()


class SheetBook:
    """Builds a spreadsheet Document sheet by sheet within the cell, sheet and character bounds."""

    def __init__(self, fmt: str):
        self.doc = Document(format=fmt)
        self.cells = 0
        self.chars = 0

    @property
    def full(self) -> bool:
        return self.doc.truncated

    def add_sheet(self, rows: Iterable[Iterable]) -> None:
        """One sheet: rows of raw values; empty rows and trailing empty cells are dropped."""
        if len(self.doc.page_texts) >= MAX_SHEETS:
            self.doc.truncated = True
            return
        lines: list[str] = []
        table: list[list[str]] = []
        for row in rows:
            cells = [] if row is None else list(row)
            self.cells += len(cells) + 1
            if self.cells > MAX_CELLS:
                self.doc.truncated = True
                break
            texts = [cell_text(v) for v in cells]
            while texts and not texts[-1]:
                texts.pop()
            if not texts:
                continue
            line = "\t".join(t.replace("\t", " ") for t in texts)
            if self.chars + len(line) + 1 > MAX_TEXT_CHARS:
                self.doc.truncated = True
                break
            self.chars += len(line) + 1
            lines.append(line)
            table.append(texts)
            if self.doc.title is None:
                self.doc.title = first_line(next(t for t in texts if t))
        self.doc.page_texts.append("\n".join(lines))
        self.doc.tables.append(table)
        self.doc.pages = len(self.doc.page_texts)


def bounded_text(text: str, doc: Document) -> str:
    """The text cut at MAX_TEXT_CHARS (marking the document truncated)."""
    if len(text) > MAX_TEXT_CHARS:
        doc.truncated = True
        return text[:MAX_TEXT_CHARS]
    return text


def first_line(text: str) -> str | None:
    return next((s.strip() for s in text.splitlines() if s.strip()), None)


def ooxml_application(zf: zipfile.ZipFile) -> str | None:
    """The program that wrote an OOXML package (docProps/app.xml Application: Microsoft Excel, WPS 表格 …)."""
    try:
        info = zf.getinfo("docProps/app.xml")
    except KeyError:
        return None
    if info.file_size > 1024 * 1024:
        return None
    try:
        root = etree.fromstring(zf.read(info), XML_PARSER)
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError):
        return None
    app = next((el.text for el in root if etree.QName(el).localname == "Application"), None)
    return app.strip() if app and app.strip() else None


_ATTACHMENT_MARK = re.compile(r"^附件\s*[0-9０-９一二三四五六七八九十]*\s*[：:]?$")


def title_line(text: str) -> str | None:
    """The first non-empty line, passing over an attachment mark (附件2) printed above the title (GB/T 9704)."""
    for line in text.splitlines():
        line = line.strip()
        if line and not _ATTACHMENT_MARK.match(line):
            return line
    return None
