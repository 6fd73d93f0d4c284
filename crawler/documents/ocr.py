"""Opt-in OCR (`--ocr`) of a PDF's scanned pages with Tesseract (Debian's tesseract-ocr and tesseract-ocr-chi-sim).

It runs inside the bounded document worker (crawler.documents.sandbox): pdfium renders each scanned page (grey,
300 dpi, bounded in pixels) and the `tesseract` command reads it in a subprocess of that worker (TSV output: a
confidence per word), at most `max_pages` pages per document, PAGE_SECONDS per page and SECONDS_PER_PAGE per page
on average. A page whose mean word confidence is below `min_confidence` stays a scan (not_tested, `scanned`):
text read that unsurely would turn misread dates and figures into findings. What was recognised, and how surely,
is kept in `Document.ocr`, so a finding's evidence can say its quotation was read by OCR.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass

from .model import Document

DPI = 300
MAX_PIXELS = 12_000_000  # an A4 page at 300 dpi is 8.7 million; a poster-sized page is scaled down to this
MAX_PAGE_CHARS = 20_000
PAGE_SECONDS = 60  # one page; Tesseract needs 2–5 s for a printed A4 page
SECONDS_PER_PAGE = 15  # the document's budget: max_pages × this
LANGUAGES = "chi_sim"

NO_TESSERACT = "未安装 Tesseract 中文识别（tesseract-ocr、tesseract-ocr-chi-sim），未进行文字识别"
TIMED_OUT = "文字识别超时，其余页未识别"
FAILED = "文字识别失败"


@dataclass(frozen=True)
class OcrSettings:
    max_pages: int = 20  # scanned pages recognised per document
    min_confidence: int = 60  # mean word confidence (0–100) from which a page's recognised text is used

    @property
    def seconds(self) -> float:
        return self.max_pages * SECONDS_PER_PAGE

    def key(self) -> dict:
        """What a stored reading records of its settings: it is reused only under the same ones."""
        return {"max_pages": self.max_pages, "min_confidence": self.min_confidence}

    @classmethod
    def from_options(cls, ocr, max_pages, min_confidence) -> OcrSettings | None:
        """The settings of the crawl options `ocr`, `ocr_pages`, `ocr_confidence` (None: OCR is off)."""
        if ocr != "on":
            return None
        return cls(int(max_pages if max_pages is not None else cls.max_pages),
                   int(min_confidence if min_confidence is not None else cls.min_confidence))


def reading_key(document: dict | None) -> dict | None:
    """The OCR settings a stored document was read with (None: without OCR)."""
    found = (document or {}).get("ocr")
    return {k: found.get(k) for k in ("max_pages", "min_confidence")} if found else None


def reusable(document: dict, settings: OcrSettings | None) -> bool:
    """A stored reading holds under these settings: it has no scanned page, or it was read with the same ones."""
    if not document.get("scanned_pages"):
        return True
    return reading_key(document) == (settings.key() if settings else None)


def recognise_scans(data: bytes, doc: Document, settings: OcrSettings) -> None:
    """Recognise the scanned pages of a PDF that pdfium read (doc.scanned_pages); the text of a page read surely
    enough replaces its empty text. Never raises: what went wrong is doc.ocr["skipped"]."""
    doc.ocr = settings.key() | {"pages": [], "read": []}
    wanted = doc.scanned_pages[:settings.max_pages]
    skipped = []
    if len(doc.scanned_pages) > settings.max_pages:
        skipped.append(f"扫描页超过 {settings.max_pages} 页，其余未识别")
    binary = shutil.which("tesseract")
    if binary is None:
        doc.ocr["skipped"] = NO_TESSERACT
        return
    import pypdfium2 as pdfium  # the PDF reader's own library, already loaded in this worker

    deadline = time.monotonic() + settings.seconds
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        doc.ocr["skipped"] = FAILED
        return
    try:
        for number in wanted:
            left = deadline - time.monotonic()
            if left < 1:
                skipped.append(TIMED_OUT)
                break
            try:
                text, confidence = recognise(binary, _render(pdf, number - 1), min(left, PAGE_SECONDS), DPI)
            except subprocess.TimeoutExpired:
                skipped.append(TIMED_OUT)
                break
            except (OSError, subprocess.SubprocessError, pdfium.PdfiumError):
                skipped.append(FAILED)
                break
            doc.ocr["pages"].append({"page": number, "confidence": confidence})
            if confidence >= settings.min_confidence and text.strip():
                doc.ocr["read"].append(number)
                doc.page_texts[number - 1] = text[:MAX_PAGE_CHARS]
    finally:
        pdf.close()
    if skipped:
        doc.ocr["skipped"] = "；".join(skipped)
    if 1 in doc.ocr["read"]:
        doc.title = next((line.strip() for line in doc.page_texts[0].splitlines() if line.strip()), doc.title)


def _render(pdf, index: int) -> bytes:
    """The page as a binary PGM image (grey, 8 bits): what Tesseract reads from its standard input."""
    page = pdf[index]
    try:
        width, height = page.get_size()
        scale = min(DPI / 72, (MAX_PIXELS / max(width * height, 1.0)) ** 0.5)
        bitmap = page.render(scale=scale, grayscale=True)
        try:
            w, h, stride = bitmap.width, bitmap.height, bitmap.stride
            buffer = memoryview(bitmap.buffer).cast("B")
            pixels = bytes(buffer[:w * h]) if stride == w else b"".join(
                bytes(buffer[row * stride:row * stride + w]) for row in range(h))
        finally:
            bitmap.close()
    finally:
        page.close()
    return b"P5\n%d %d\n255\n" % (w, h) + pixels


def recognise(binary: str, image: bytes, timeout: float, dpi: int | None = None) -> tuple[str, int]:
    """(text, mean word confidence 0–100) of one image, read by `tesseract` in a subprocess (one thread: the
    machine's other cores crawl and read other documents)."""
    command = [binary, "stdin", "stdout", "-l", LANGUAGES, "--psm", "3"] + (["--dpi", str(dpi)] if dpi else [])
    done = subprocess.run([*command, "tsv"], input=image, capture_output=True, timeout=timeout, check=False,
                          env=os.environ | {"OMP_THREAD_LIMIT": "1"})
    if done.returncode != 0:
        raise subprocess.SubprocessError(done.stderr[-300:].decode("utf-8", "replace"))
    return from_tsv(done.stdout.decode("utf-8", "replace"))


_ASCII_WORD = re.compile(r"[0-9A-Za-z]")


def from_tsv(tsv: str) -> tuple[str, int]:
    """Tesseract's TSV as text, a line per recognised line, and the mean confidence of its words (0 when none).
    Words are joined without a space, except two Latin words or numbers (Chinese is written without spaces)."""
    lines: dict[tuple[str, str, str], list[str]] = {}
    confidences: list[float] = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5":
            continue
        word = cells[11].strip()
        try:
            confidence = float(cells[10])
        except ValueError:
            continue
        if not word or confidence < 0:
            continue
        confidences.append(confidence)
        lines.setdefault((cells[2], cells[3], cells[4]), []).append(word)
    out = []
    for words in lines.values():
        text = words[0]
        for word in words[1:]:
            gap = " " if _ASCII_WORD.match(text[-1]) and _ASCII_WORD.match(word[0]) else ""
            text += gap + word
        out.append(text)
    mean = round(sum(confidences) / len(confidences)) if confidences else 0
    return "\n".join(out), mean
