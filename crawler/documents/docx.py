"""DOCX: python-docx's package and styles, with the body walked in document order (paragraphs and tables
interleaved, content controls opened), so that a heading and the table under it stay together in the text."""
from __future__ import annotations

import re

import docx
from docx.oxml.ns import qn

from .model import MAX_TEXT_CHARS, Document, Unreadable
from .office import ooxml_application, open_zip, title_line

MAX_LINKS = 1_000
_P, _TBL, _SDT, _SDT_CONTENT, _TR, _TC = (qn(t) for t in ("w:p", "w:tbl", "w:sdt", "w:sdtContent", "w:tr", "w:tc"))
_TEXT = {qn("w:t"): None, qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_SKIP = {qn("w:txbxContent"), qn("w:del"), _MC + "Fallback"}  # text boxes, deleted revisions, VML duplicates
_HEADING_STYLE = re.compile(r"^(heading|标题)\s*\d|^title$|^标题$", re.I)
_FIELD_LINK = re.compile(r'HYPERLINK\s+"([^"]+)"')
_R_ID = qn("r:id")


class _Walk:
    """Lines of text, tables, headings and links, within MAX_TEXT_CHARS."""

    def __init__(self, document):
        self.doc = document
        self.rels = document.part.rels
        self.heading_styles = _heading_styles(document)
        self.lines: list[str] = []  # the body's lines (a table row is one line)
        self.tables: list[list[list[str]]] = []
        self.headings: list[str] = []
        self.links: list[str] = []
        self.chars = 0
        self.truncated = False

    def block(self, parent, lines: list[str]) -> None:
        for child in parent.iterchildren():
            if self.truncated:
                return
            if child.tag == _P:
                text = self.paragraph(child)
                if text.strip():
                    self.add(text, lines)
                    if self.is_heading(child):
                        self.headings.append(" ".join(text.split()))
            elif child.tag == _TBL:
                self.table(child, lines)
            elif child.tag == _SDT and child.find(_SDT_CONTENT) is not None:
                self.block(child.find(_SDT_CONTENT), lines)
            elif child.tag == qn("w:customXml"):
                self.block(child, lines)

    def add(self, line: str, lines: list[str]) -> None:
        if self.chars + len(line) + 1 > MAX_TEXT_CHARS:
            self.truncated = True
            return
        self.chars += len(line) + 1
        lines.append(line)

    def paragraph(self, p) -> str:
        out: list[str] = []
        stack = [p]
        while stack:  # depth-first, in document order, without recursion (a hostile file can nest deeply)
            el = stack.pop()
            tag = el.tag
            if tag in _SKIP:
                continue
            if tag in _TEXT:
                out.append(el.text or "" if _TEXT[tag] is None else _TEXT[tag])
                continue
            if tag == qn("w:hyperlink"):
                self.link(el.get(_R_ID))
            elif tag == qn("w:instrText") or tag == qn("w:fldSimple"):
                m = _FIELD_LINK.search(el.text or el.get(qn("w:instr")) or "")
                if m:
                    self.add_link(m.group(1))
            stack.extend(reversed(list(el.iterchildren(tag=None))))
        return "".join(out)

    def table(self, tbl, lines: list[str]) -> None:
        rows: list[list[str]] = []
        for tr in tbl.iterchildren(_TR):
            cells = []
            for tc in tr.iterchildren(_TC):
                cell: list[str] = []
                self.block(tc, cell)  # a nested table lands in self.tables too
                cells.append("\n".join(cell))
            while cells and not cells[-1].strip():
                cells.pop()
            if any(c.strip() for c in cells):
                rows.append(cells)
                self.add("\t".join(" ".join(c.split()) for c in cells), lines)
            if self.truncated:
                break
        if rows:
            self.tables.append(rows)

    def is_heading(self, p) -> bool:
        """A heading style (Heading n, 标题 n, Title) or an outline level, on the paragraph or its style (WPS)."""
        if _outline(p.find(qn("w:pPr"))):
            return True
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        return style is not None and style.get(qn("w:val")) in self.heading_styles

    def link(self, rid: str | None) -> None:
        rel = self.rels.get(rid) if rid else None
        if rel is not None and rel.is_external:
            self.add_link(rel.target_ref)

    def add_link(self, url: str) -> None:
        if url not in self.links and len(self.links) < MAX_LINKS:
            self.links.append(url)


def _outline(ppr) -> bool:
    level = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
    return level is not None and level.get(qn("w:val"), "9") < "9"


def _heading_styles(document) -> set[str]:
    ids = set()
    for style in document.styles.element.iterchildren(qn("w:style")):
        if style.get(qn("w:type")) != "paragraph":
            continue
        name = style.find(qn("w:name"))
        name = name.get(qn("w:val"), "") if name is not None else ""
        if _HEADING_STYLE.search(name) or _outline(style.find(qn("w:pPr"))):
            ids.add(style.get(qn("w:styleId")))
    return ids


def read_docx(data: bytes) -> Document:
    """One page text: paragraphs and table rows (cells joined by tabs) in document order."""
    zf = open_zip(data, "DOCX")
    try:
        document = docx.Document(zf.fp)
    except Exception as e:  # PackageNotFoundError, KeyError, XMLSyntaxError … on a broken package
        raise Unreadable("DOCX 文件损坏，无法读取") from e
    walk = _Walk(document)
    try:
        walk.block(document.element.body, walk.lines)
    except Exception as e:
        raise Unreadable("DOCX 文件损坏，无法读取正文") from e
    text = "\n".join(walk.lines)
    return Document(format="docx", page_texts=[text], title=title_line(text), producer=ooxml_application(zf),
                    links=walk.links, tables=walk.tables, headings=walk.headings, truncated=walk.truncated)
