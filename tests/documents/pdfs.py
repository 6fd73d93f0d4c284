"""PDFs the document tests generate: reportlab with its built-in CJK CID font, and hand-written PDFs for fonts
reportlab cannot make (no Unicode map, private-use codes)."""
from __future__ import annotations

import io
import zlib

from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

SONG = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(SONG))
A4 = (595.0, 842.0)


def make_pdf(pages: list[list[tuple[float, float, str]]], *, title: str | None = None, producer: str | None = None,
             links: list[tuple[int, str]] = (), encrypt=None, images: set[int] = frozenset(),
             vertical: set[int] = frozenset(), size: float = 12, cropbox=None) -> bytes:
    """pages: per page the (x, y, text) lines drawn in STSong-Light; links: (page index, URI) annotations;
    images: page indexes that get a picture; vertical: pages written with a vertical (…-V) CID font."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, encrypt=encrypt, invariant=1)
    if title:
        c.setTitle(title)
    if producer:
        c.setProducer(producer)
    for index, lines in enumerate(pages):
        if cropbox:
            c.setCropBox(cropbox)
        if index in vertical:
            _register_vertical()
        c.setFont("SongV" if index in vertical else SONG, size)
        for x, y, text in lines:
            c.drawString(x, y, text)
        for page_index, uri in links:
            if page_index == index:
                c.linkURL(uri, (72, 60, 300, 80))
        if index in images:
            c.drawImage(ImageReader(_picture()), 50, 50, width=400, height=600)
        c.showPage()
    c.save()
    return out.getvalue()


def _register_vertical():
    if "SongV" not in pdfmetrics.getRegisteredFontNames():
        font = UnicodeCIDFont(SONG, isVertical=True)
        font.name = font.fontName = "SongV"
        pdfmetrics.registerFont(font)


def _picture():
    from PIL import Image  # reportlab's own dependency
    buffer = io.BytesIO()
    Image.new("L", (200, 300), 180).save(buffer, "PNG")
    buffer.seek(0)
    return buffer


def budget_lines(page: int, rows: int = 40) -> list[tuple[float, float, str]]:
    """A printed budget page: a heading and rows of figures."""
    lines = [(72, 790, f"某某县财政局2024年部门预算（第{page}页）")]
    for row in range(rows):
        lines.append((72, 770 - row * 17, f"2080505 行政单位离退休 一般公共预算财政拨款支出 {1000 + row}.{page:02d} 万元"))
    return lines


def raw_pdf(codes: list[int], *, to_unicode: dict[int, int] | None, ordering: str = "Identity") -> bytes:
    """One page showing 2-byte codes in a Type0 Identity-H font; with `to_unicode` the codes map to those
    code points (e.g. private-use ones), without it pdfium has no Unicode map for them."""
    content = b"BT /F1 14 Tf 72 720 Td <" + "".join(f"{c:04X}" for c in codes).encode() + b"> Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /FZSSK /Encoding /Identity-H /DescendantFonts [6 0 R]"
        + (b" /ToUnicode 7 0 R" if to_unicode else b"") + b" >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /FZSSK /CIDSystemInfo << /Registry (Adobe) /Ordering ("
        + ordering.encode() + b") /Supplement 0 >> /FontDescriptor 8 0 R /DW 1000 >>",
    ]
    if to_unicode:
        cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /U def "
                "1 begincodespacerange <0000> <FFFF> endcodespacerange "
                f"{len(to_unicode)} beginbfchar "
                + " ".join(f"<{k:04X}> <{v:04X}>" for k, v in to_unicode.items())
                + " endbfchar endcmap CMapName currentdict /CMap defineresource pop end end").encode()
        packed = zlib.compress(cmap)
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream")
    else:
        objects.append(b"<< >>")
    objects.append(b"<< /Type /FontDescriptor /FontName /FZSSK /Flags 4 /FontBBox [0 -200 1000 900] /ItalicAngle 0 "
                   b"/Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>")
    body = io.BytesIO()
    body.write(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(body.tell())
        body.write(b"%d 0 obj\n" % number + obj + b"\nendobj\n")
    xref = body.tell()
    body.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        body.write(b"%010d 00000 n \n" % offset)
    body.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return body.getvalue()


def cell_across_pages(items: list[str]) -> bytes:
    """A table cell spanning two pages as WPS draws it: on each page the cell's whole text, clipped to the part of
    the cell on that page (lines 1-3 show on page 1, the rest on page 2; each line is on the page once)."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    # page 1: the cell's part is y 250-312 (three lines); page 2: the same text shifted up three lines, the
    # cell's part y 120-320 (the lines that were below page 1's part)
    for top, cell in ((300, (60, 250, 480, 62)), (360, (60, 120, 480, 200))):
        c.setFont(SONG, 12)
        c.drawString(72, 790, "一、部门主要职能")
        c.saveState()
        path = c.beginPath()
        path.rect(*cell)
        c.clipPath(path, stroke=0, fill=0)
        for row, item in enumerate(items):
            c.drawString(72, top - row * 20, item)
        c.restoreState()
        c.showPage()
    c.save()
    return out.getvalue()
