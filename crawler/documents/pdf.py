"""Read a PDF attachment with pdfium (pypdfium2, Apache-2.0/BSD): page texts, scanned pages, producer, links.

Text is built from the text page's characters, keeping only those whose box centre lies on the visible page
(mediabox ∩ cropbox): WPS-made budgets carry an off-page copy of a paragraph that would otherwise double figures.
Text pdfium cannot trust (no Unicode map, private-use glyph codes, vertical CID fonts) is never returned as
content: the page's text is dropped and `unreadable` says why, so the rules say not_tested instead of "missing".
"""
from __future__ import annotations

import ctypes
import re
from itertools import repeat

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from crawler.documents.model import MAX_TEXT_CHARS, Document, Unreadable

MAX_PAGES = 300  # pages read per document; beyond it the document is `truncated`
MAX_LINKS = 500
BAD_SHARE = 0.3  # a page whose chars are this share private-use / U+FFFD / unmapped is not trusted
VERTICAL_SHARE = 0.6  # share of in-object character steps going down the page that marks a vertical font
SLACK = 1.0  # points a text object may overhang its visible rectangle and still be read whole
VERTICAL_SAMPLE = 120  # characters per page looked at for vertical writing

# a page number printed before the heading in content order (a footer written first): 「- 1 -」「第1页 共5页」
PAGE_NUMBER = re.compile(r"[-—–\s]*\d+[-—–\s]*|第\s*\d+\s*页(\s*[，,/]?\s*共\s*\d+\s*页)?")

NO_UNICODE = "文字编码无法识别（字体缺少 Unicode 映射）"
PRIVATE_USE = "文字编码无法识别（私用区字符）"
VERTICAL = "竖排文字（Identity-V 字体）无法可靠读取"
ENCRYPTED = "文档已加密，无法读取"
CORRUPT = "文件已损坏，无法解析为 PDF"


def read_pdf(data: bytes, *, max_pages: int = MAX_PAGES, max_chars: int = MAX_TEXT_CHARS) -> Document:
    """Read a PDF; raise Unreadable (encrypted, corrupt) when nothing can be read at all."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) in (raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY):
            raise Unreadable(ENCRYPTED) from None
        raise Unreadable(CORRUPT) from None
    try:
        return _read(pdf, max_pages, max_chars)
    finally:
        pdf.close()


def _read(pdf: pdfium.PdfDocument, max_pages: int, max_chars: int) -> Document:
    total = len(pdf)
    if total == 0:
        raise Unreadable(CORRUPT)
    doc = Document(format="pdf", pages=total, truncated=total > max_pages)
    bad: dict[int, str] = {}  # 1-based page → why its text is not trusted
    kept = 0
    for index in range(min(total, max_pages)):
        page = pdf[index]
        try:
            text, why, scanned = _page_text(page)
            if len(doc.links) < MAX_LINKS:
                doc.links.extend(_page_links(pdf, page, MAX_LINKS - len(doc.links)))
        finally:
            page.close()
        if scanned:
            doc.scanned_pages.append(index + 1)
        if why:
            bad[index + 1] = why
            text = ""
        if kept + len(text) > max_chars:
            text = text[:max(0, max_chars - kept)]
            doc.truncated = True
        kept += len(text)
        doc.page_texts.append(text)
    doc.text_layer = len(doc.scanned_pages) < len(doc.page_texts)
    if bad:
        doc.unreadable = _reason(bad)
    meta = pdf.get_metadata_dict(skip_empty=True)
    doc.producer = (meta.get("Producer") or meta.get("Creator") or "").strip() or None
    first = next((line.strip() for line in (doc.page_texts[0] if doc.page_texts else "").splitlines()
                  if line.strip() and not PAGE_NUMBER.fullmatch(line.strip())), None)
    doc.title = first or (meta.get("Title") or "").strip() or None
    return doc


def _reason(bad: dict[int, str]) -> str:
    """One Chinese reason naming the pages, grouped by cause: 「第 2、3 页：文字编码无法识别（…）」."""
    by_reason: dict[str, list[int]] = {}
    for number, why in bad.items():
        by_reason.setdefault(why, []).append(number)
    parts = []
    for why, numbers in by_reason.items():
        shown = "、".join(str(n) for n in numbers[:10]) + ("等" if len(numbers) > 10 else "")
        parts.append(f"第 {shown} 页：{why}")
    return "；".join(parts)


def _visible_box(page: pdfium.PdfPage) -> tuple[float, float, float, float]:
    ml, mb, mr, mt = page.get_mediabox()
    cl, cb, cr, ct = page.get_cropbox()
    return max(ml, cl), max(mb, cb), min(mr, cr), min(mt, ct)


def _page_text(page: pdfium.PdfPage) -> tuple[str, str | None, bool]:
    """(text of the visible characters, why it cannot be trusted or None, whether the page is a scan)."""
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count <= 0:
            return "", None, _has_images(page)
        handle = ctypes.c_void_p(ctypes.cast(textpage.raw, ctypes.c_void_p).value)
        visible = _visible_box(page)
        chars, objects = _characters(textpage, handle, count)
        text = _visible_text(chars, objects, handle, visible)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        printed = len("".join(text.split()))  # characters that are not whitespace (str.isspace), counted in C
        if printed == 0:
            return "", None, _has_images(page)
        untrusted = len(_UNTRUSTED.findall(text)) if _UNTRUSTED.search(text) else 0
        unmapped = _unmapped_share(handle, count)
        if unmapped >= BAD_SHARE:
            return "", NO_UNICODE, False
        if untrusted / printed >= BAD_SHARE:
            return "", PRIVATE_USE, False
        if _vertical(handle, chars, objects):
            return "", VERTICAL, False
        return text.strip("\n"), None, False
    finally:
        textpage.close()


# U+FFFD, private use (U+E000–U+F8FF) and control characters other than tab and line breaks
_UNTRUSTED = re.compile("[\ufffd\ue000-\uf8ff\x00-\x08\x0b\x0c\x0e-\x1f]")


def _unmapped_share(handle, count: int, sample: int = 300) -> float:
    """Share of characters pdfium could not map to Unicode (a CID font without ToUnicode), on an even sample."""
    step = max(1, count // sample)
    map_error = _map_error
    if not any(map(map_error, repeat(handle), range(0, count, step))):
        return 0.0  # the usual page: no sampled character has an error (a generated one never has)
    looked = bad = 0
    generated = _is_generated
    for i in range(0, count, step):
        if generated(handle, i):
            continue
        looked += 1
        bad += bool(map_error(handle, i))
    return bad / looked if looked else 0.0


def _c(function, restype):
    """The same pdfium function without argument types: the hot loops below call it for every character, and
    ctypes converts nothing for arguments that are already C values (a c_void_p handle, a byref, a small int),
    which halves the cost of a call against typed pointers. Pointers come back as plain ints (or None)."""
    return ctypes.CFUNCTYPE(restype)(ctypes.cast(function, ctypes.c_void_p).value)


_P, _I = ctypes.c_void_p, ctypes.c_int
_text_object = _c(raw.FPDFText_GetTextObject, _P)
_char_box = _c(raw.FPDFText_GetCharBox, _I)
_is_generated = _c(raw.FPDFText_IsGenerated, _I)
_map_error = _c(raw.FPDFText_HasUnicodeMapError, _I)
_clip_path = _c(raw.FPDFPageObj_GetClipPath, _P)
_clip_count = _c(raw.FPDFClipPath_CountPaths, _I)
_clip_segments = _c(raw.FPDFClipPath_CountPathSegments, _I)
_clip_segment = _c(raw.FPDFClipPath_GetPathSegment, _P)
_segment_point = _c(raw.FPDFPathSegment_GetPoint, _I)
_object_bounds = _c(raw.FPDFPageObj_GetBounds, _I)


class _Clips:
    """The visible rectangle of each text object: the page ∩ the bounding boxes of its clip paths.

    WPS tables draw a cell's whole text and clip it to the cell, on every page the cell spans: without the clip,
    text hidden below a cell (or repeated on the next page) would be read twice. Objects share clip paths, so a
    path's box is computed once, keyed by the address of its first point (pdfium shares the path data), and so is
    the rectangle of each combination of paths.
    """

    def __init__(self, visible: tuple[float, float, float, float]):
        self.visible = visible
        self.paths: dict[int, tuple[float, float, float, float]] = {}
        self.rects: dict[tuple, tuple[float, float, float, float]] = {}
        self.x, self.y = ctypes.c_float(), ctypes.c_float()
        self.xy = ctypes.byref(self.x), ctypes.byref(self.y)
        self.bounds = (ctypes.c_float * 4)()
        self.bounds_refs = [ctypes.byref(self.bounds, 4 * k) for k in range(4)]

    def state(self, obj: int, _pointer=ctypes.c_void_p, _path=_clip_path, _count=_clip_count, _first=_clip_segment,
              _bounds=_object_bounds) -> tuple[float, float, float, float] | bool:
        """True: the whole object is visible; False: none of it; a rectangle: test each character against it.
        (Called once per text object, which WPS writes for every character: the pdfium functions are locals.)"""
        handle = _pointer(obj)
        clip = _path(handle)
        if clip:
            clip = _pointer(clip)
            count = _count(clip)
            # the key: the first point of each path (one or two paths, the usual cases, without a generator)
            if count == 1:
                key = _first(clip, 0, 0)
            elif count <= 0:  # no clip path (-1) or an empty clip
                key = ()
            elif count == 2:
                key = (_first(clip, 0, 0), _first(clip, 1, 0))
            else:
                key = tuple(_first(clip, k, 0) for k in range(count))
            rect = self.rects.get(key)
            if rect is None:
                rect = self.rects[key] = self._rect(clip, (key,) if count == 1 else key)
            left, bottom, right, top = rect
        else:
            left, bottom, right, top = self.visible
        if left >= right or bottom >= top:
            return False
        bounds = self.bounds
        if not _bounds(handle, *self.bounds_refs):
            return (left, bottom, right, top)
        l, b, r, t = bounds[0], bounds[1], bounds[2], bounds[3]
        if l >= left - SLACK and b >= bottom - SLACK and r <= right + SLACK and t <= top + SLACK:
            return True
        if r < left or l > right or t < bottom or b > top:
            return False
        return (left, bottom, right, top)

    def _rect(self, clip, firsts: tuple) -> tuple[float, float, float, float]:
        """The visible page ∩ the boxes of the clip's paths (a path without points is skipped)."""
        left, bottom, right, top = self.visible
        for k, first in enumerate(firsts):
            if not first:
                continue
            box = self.paths.get(first) or self._path_box(clip, k, first)
            left, bottom = max(left, box[0]), max(bottom, box[1])
            right, top = min(right, box[2]), min(top, box[3])
        return left, bottom, right, top

    def _path_box(self, clip, k: int, first: int) -> tuple[float, float, float, float]:
        xs, ys = [], []
        for index in range(_clip_segments(clip, k)):
            _segment_point(ctypes.c_void_p(_clip_segment(clip, k, index)), *self.xy)
            xs.append(self.x.value)
            ys.append(self.y.value)
        box = self.paths[first] = (min(xs), min(ys), max(xs), max(ys))
        return box


def _characters(textpage: pdfium.PdfTextPage, handle, count: int) -> tuple[str, list[int | None]]:
    """The page's characters (character i is text[i]) and the text object of each (None: pdfium generated it).
    The objects are asked in one map() over the indexes: no Python loop around the calls."""
    text = textpage.get_text_range()  # one call; character i is text[i] …
    if len(text) != count:  # … unless pdfium dropped codes it could not map: read them one by one
        text = "".join(chr(c) if 0 < c < 0x110000 else "\ufffd"
                       for c in (raw.FPDFText_GetUnicode(textpage.raw, i) for i in range(count)))
    return text, list(map(_text_object, repeat(handle, count), range(count)))


def _visible_text(text: str, objects: list[int | None], handle, visible: tuple[float, float, float, float]) -> str:
    """The characters shown on the page: inside the visible page box and their text object's clip. The spaces
    and line breaks pdfium generates between kept characters become one break (or space), so a dropped paragraph
    leaves nothing behind. Kept characters next to each other are copied as one slice of the page's text."""
    clips = _Clips(visible)
    states: dict[int, object] = {}
    get_state = states.get
    char_box = _char_box
    box = [ctypes.c_double() for _ in range(4)]
    refs = [ctypes.byref(v) for v in box]
    out: list[str] = []
    run = -1  # start of the current run of kept characters in `text`
    between = None  # what the generated characters since the last kept one become: None, " " or "\n"
    for i, obj in enumerate(objects):
        if obj:
            state = get_state(obj)
            if state is None:
                state = states[obj] = clips.state(obj)
            if state is True:
                if run < 0:
                    if between and out:
                        out.append(between)
                    between, run = None, i
                continue
            if state is not False:
                char_box(handle, i, *refs)
                x, y = (box[0].value + box[1].value) / 2, (box[2].value + box[3].value) / 2
                if state[0] <= x <= state[2] and state[1] <= y <= state[3]:
                    if run < 0:
                        if between and out:
                            out.append(between)
                        between, run = None, i
                    continue
        elif between != "\n":  # a space or line break pdfium generated
            between = "\n" if text[i] in "\n\r" else " "
        if run >= 0:  # a generated or hidden character ends the run
            out.append(text[run:i])
            run = -1
    if run >= 0:
        out.append(text[run:])
    return "".join(out)


def _vertical(handle, text: str, objects: list[int | None]) -> bool:
    """Characters of one text object stacked down the page: only a vertical (…-V) CID font writes so.

    A table header wrapped one character per line is one text object per character, so it does not count.
    A character's box is asked only when its neighbour is in the same text object; its character and text object
    are the page's (`_characters`).
    """
    box = (ctypes.c_double * 4)()
    refs = [ctypes.byref(box, 8 * k) for k in range(4)]

    def centre(i: int) -> tuple[float, float, float]:
        _char_box(handle, i, *refs)
        l, r, b, t = box[0], box[1], box[2], box[3]
        return (l + r) / 2, (b + t) / 2, max(t - b, 1e-3)

    steps = down = 0
    previous = None  # (text object, index) of the previous printed character
    before = None  # its (x centre, y centre, height), once asked
    sample = min(len(objects), VERTICAL_SAMPLE)
    generated = list(map(_is_generated, repeat(handle, sample), range(sample)))
    for i in range(sample):
        if generated[i] or text[i] in " \r\n":
            previous = None
            continue
        obj = objects[i] or None
        if previous and obj is not None and obj == previous[0]:
            if before is None:
                before = centre(previous[1])
            here = centre(i)
            steps += 1
            dx, dy = abs(here[0] - before[0]), before[1] - here[1]
            if dy > before[2] * 0.5 and dx < before[2] * 0.5:
                down += 1
            before = here
        else:
            before = None
        previous = (obj, i)
    return steps >= 4 and down / steps >= VERTICAL_SHARE


def _has_images(page: pdfium.PdfPage) -> bool:
    return next(page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=4), None) is not None


def _page_links(pdf: pdfium.PdfDocument, page: pdfium.PdfPage, limit: int) -> list[str]:
    """URIs of the page's link annotations (not URLs merely printed in the text)."""
    found: list[str] = []
    position = ctypes.c_int(0)
    link = raw.FPDF_LINK()
    while len(found) < limit and raw.FPDFLink_Enumerate(page.raw, ctypes.byref(position), ctypes.byref(link)):
        action = raw.FPDFLink_GetAction(link)
        if not action or raw.FPDFAction_GetType(action) != raw.PDFACTION_URI:
            continue
        size = raw.FPDFAction_GetURIPath(pdf.raw, action, None, 0)
        if size <= 1 or size > 8192:
            continue
        buffer = ctypes.create_string_buffer(size)
        raw.FPDFAction_GetURIPath(pdf.raw, action, buffer, size)
        uri = buffer.value.decode("utf-8", "replace").strip()
        if uri and uri not in found:
            found.append(uri)
    return found
