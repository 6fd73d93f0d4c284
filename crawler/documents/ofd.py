"""OFD (GB/T 33190, the national fixed-layout format): its XML read with lxml, which is all the text needs
(ofdkit would add a dependency for the same walk).

OFD.xml → DocBody/DocRoot → Document.xml → Pages/Page BaseLoc → each page's Content.xml, whose TextObjects hold
TextCode strings at positions; the page's templates (CommonData/TemplatePage, referenced by Page/Template) carry
the form's fixed wording and are read with it. Producers write text objects in any order (a form's filled-in values
after its labels), so a page's text is laid out by position: lines by baseline, pieces in a line by x.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass

from lxml import etree

from .model import MAX_TEXT_CHARS, Document, Unreadable
from .office import XML_PARSER, open_zip, title_line

MAX_PAGES = 2_000  # pages read per document; the rest → truncated
MAX_PART = 64 * 1024 * 1024  # one XML part (a page's Content.xml) unpacked
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_ISSUER_MARK = re.compile(r"文件$")  # 发文机关标志 (红头, "××人民政府文件") printed above the title in a larger size


@dataclass
class _Piece:
    x: float
    baseline: float
    size: float
    width: float
    text: str


def read_ofd(data: bytes) -> Document:
    """Pages in Document.xml order; title from the first page (the largest printed line, else the first line)."""
    zf = open_zip(data, "OFD")
    names = {n.lower(): n for n in zf.namelist()}
    ofd = _xml(zf, names, "OFD.xml")
    if ofd is None:
        raise Unreadable("OFD 文件损坏：缺少 OFD.xml")
    body = _child(ofd, "DocBody")
    root_loc = _child_text(body, "DocRoot") if body is not None else None
    if not root_loc:
        raise Unreadable("OFD 文件损坏：OFD.xml 未指明文档（DocRoot）")
    root_path = _resolve("", root_loc)
    document = _xml(zf, names, root_path)
    if document is None:
        raise Unreadable(f"OFD 文件损坏：缺少文档描述 {root_loc}")
    base = posixpath.dirname(root_path)
    common = _child(document, "CommonData")
    templates = {t.get("ID"): t.get("BaseLoc", "") for t in _children(common, "TemplatePage")}
    pages_el = _child(document, "Pages")
    page_locs = [p.get("BaseLoc", "") for p in _children(pages_el, "Page")]
    if not page_locs:
        raise Unreadable("OFD 文件损坏：文档没有页面")

    info = _child(body, "DocInfo")
    doc = Document(format="ofd", pages=len(page_locs), producer=_child_text(info, "Creator"))
    chars = 0
    first_page: list[list[_Piece]] = []
    for number, loc in enumerate(page_locs, 1):
        if number > MAX_PAGES:
            doc.truncated = True
            break
        page = _xml(zf, names, _resolve(base, loc))
        if page is None:
            raise Unreadable(f"OFD 文件损坏：缺少第 {number} 页的内容 {loc or 'Content.xml'}")
        pieces = _pieces(page)
        for ref in _children(page, "Template"):
            tpl_loc = templates.get(ref.get("TemplateID"))
            tpl = _xml(zf, names, _resolve(base, tpl_loc)) if tpl_loc else None
            if tpl is not None:
                pieces += _pieces(tpl)
        lines = _lines(pieces)
        if number == 1:
            first_page = lines
        text = "\n".join(_line_text(line) for line in lines)
        if chars + len(text) > MAX_TEXT_CHARS:
            doc.page_texts.append(text[: MAX_TEXT_CHARS - chars])
            doc.truncated = True
            break
        chars += len(text) + 1
        doc.page_texts.append(text)
    body_text = "".join(doc.page_texts)
    if body_text and len(_PRIVATE_USE.findall(body_text)) > 0.2 * len(body_text.replace("\n", "")):
        raise Unreadable("OFD 文字为私有区字符（字体未映射到 Unicode），无法可靠读取")
    doc.title = _title(first_page) or title_line(doc.page_texts[0] if doc.page_texts else "")
    return doc


def _xml(zf: zipfile.ZipFile, names: dict[str, str], path: str):
    """A part of the package parsed, or None when it is absent (names compared without case: producers differ)."""
    name = names.get(path.lower())
    if name is None:
        return None
    info = zf.getinfo(name)
    if info.file_size > MAX_PART:
        raise Unreadable(f"OFD 文件部件 {name} 解压后超过 {MAX_PART // (1024 * 1024)} MB，超出大小限制")
    try:
        return etree.fromstring(zf.read(info), XML_PARSER)
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, ValueError) as e:
        raise Unreadable(f"OFD 文件损坏：{name} 无法解析") from e


def _resolve(base: str, loc: str) -> str:
    """A BaseLoc: absolute from the package root when it starts with '/', else relative to the referring part."""
    loc = loc.strip().replace("\\", "/")
    if loc.startswith("/"):
        return posixpath.normpath(loc.lstrip("/"))
    return posixpath.normpath(posixpath.join(base, loc))


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _children(el, name: str) -> list:
    return [] if el is None else [c for c in el if _local(c) == name]


def _child(el, name: str):
    return next(iter(_children(el, name)), None)


def _child_text(el, name: str) -> str | None:
    c = _child(el, name)
    return c.text.strip() if c is not None and c.text and c.text.strip() else None


def _floats(value: str | None) -> list[float]:
    out = []
    for token in (value or "").split():
        try:
            out.append(float(token))
        except ValueError:
            out.append(0.0)
    return out


def _advance(delta: str | None, n: int, size: float) -> float:
    """Width of a TextCode of n characters: its DeltaX gaps (with the "g count value" shorthand) plus one glyph."""
    if not delta:
        return n * size
    tokens = delta.split()
    total, i, gaps = 0.0, 0, 0
    while i < len(tokens) and gaps < n - 1:
        if tokens[i] == "g" and i + 2 < len(tokens):
            count = int(_floats(tokens[i + 1])[0])
            step = _floats(tokens[i + 2])[0]
            take = max(0, min(count, n - 1 - gaps))
            total, gaps, i = total + take * step, gaps + take, i + 3
        else:
            total, gaps, i = total + _floats(tokens[i])[0], gaps + 1, i + 1
    return total + size


def _pieces(part) -> list[_Piece]:
    pieces = []
    for obj in part.iter("{*}TextObject"):
        box = _floats(obj.get("Boundary"))
        bx, by = (box + [0.0, 0.0])[:2]
        size = (_floats(obj.get("Size")) or [0.0])[0] or 3.5
        x = y = 0.0
        for code in obj.iter("{*}TextCode"):
            text = code.text or ""
            x = (_floats(code.get("X")) or [x])[0]
            y = (_floats(code.get("Y")) or [y])[0]
            if text.strip():
                pieces.append(_Piece(bx + x, by + y, size, _advance(code.get("DeltaX"), len(text), size), text))
    return pieces


def _lines(pieces: list[_Piece]) -> list[list[_Piece]]:
    """Pieces on one baseline (within half a glyph) form a line, read left to right; lines top to bottom."""
    lines: list[list[_Piece]] = []
    for piece in sorted(pieces, key=lambda p: (p.baseline, p.x)):
        line = lines[-1] if lines else None
        if line and abs(piece.baseline - line[0].baseline) <= 0.5 * min(piece.size, line[0].size):
            line.append(piece)
        else:
            lines.append([piece])
    for line in lines:
        line.sort(key=lambda p: p.x)
    return lines


def _line_text(line: list[_Piece]) -> str:
    out, end = [], None
    for piece in line:
        if end is not None and piece.x - end > piece.size:
            out.append(" ")  # a visible gap: a form's label and its value
        out.append(piece.text)
        end = piece.x + piece.width
    return "".join(out).strip()


def _title(lines: list[list[_Piece]]) -> str | None:
    """The first page's largest printed line (with the line under it when the title wraps), skipping the issuer
    mark; None when every line has one size (then the first line is the title)."""
    sized = [(max(p.size for p in line), _line_text(line)) for line in lines]
    sized = [(s, t) for s, t in sized if t and not _ISSUER_MARK.search(t)]
    if not sized:
        return None
    largest = max(s for s, _ in sized)
    if all(abs(s - largest) < 0.01 for s, _ in sized):
        return None
    i = next(i for i, (s, _) in enumerate(sized) if abs(s - largest) < 0.01)
    title = sized[i][1]
    if i + 1 < len(sized) and abs(sized[i + 1][0] - largest) < 0.01:
        title += sized[i + 1][1]
    return title
