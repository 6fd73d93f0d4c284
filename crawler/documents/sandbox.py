"""Read one attachment in a separate, bounded process: a hostile or malformed file ends as a Document with a
Chinese `unreadable` reason (not_tested), never as an exception, a hang or an audit killed by the OOM killer.

The format comes from the bytes first (a bureau's `.xls` is often HTML or a renamed `.xlsx`), then from the name.
Readers are named in READERS, so a reader that is missing or broken only makes its format 「不支持的格式」.

The child is forked from a crawl with many threads. A module some other thread was importing at that instant stays
locked in the child for ever (CPython re-initialises only the global import lock after fork), so the child must
import nothing: every reader and every codec the readers decode with is loaded here before the first fork
(`_preload`: pdfium's text comes as UTF-16-LE, ZIP member names as CP437, XLS strings in the file's code page). A
child that still hangs that way — out of time with almost no CPU spent — is forked once more (`_stuck`).
"""
from __future__ import annotations

import codecs
import faulthandler
import importlib
import io
import multiprocessing
import os
import resource
import signal
import threading
import time
import zipfile
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from crawler.documents.model import FORMATS, Document, Unreadable
from crawler.documents.ocr import FAILED as OCR_FAILED
from crawler.documents.ocr import OcrSettings, recognise_scans

READERS = {
    "pdf": "crawler.documents.pdf:read_pdf",
    "xlsx": "crawler.documents.xlsx:read_xlsx",
    "xls": "crawler.documents.xls:read_xls",
    "docx": "crawler.documents.docx:read_docx",
    "doc": "crawler.documents.doc:read_doc",
    "wps": "crawler.documents.doc:read_doc",
    "ofd": "crawler.documents.ofd:read_ofd",
}
MAX_BYTES = 50 * 1024 * 1024

TIMEOUT = "解析超时"
MEMORY = "超出内存限制"
TOO_BIG = "文件超过 50 MB"
UNSUPPORTED = "不支持的格式"
# what the readers decode with (pdfium: UTF-16-LE; zipfile: CP437; xlrd: the workbook's code page; tools: UTF-8)
CODECS = ("utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "ascii", "latin-1",
          "cp437", "cp1252", "cp1251", "cp936", "gbk", "gb2312", "gb18030", "big5", "mac-roman", "hz", "iso2022-jp")
_PRELOAD = threading.Lock()
_preloaded = False
CORRUPT = "文件已损坏"
FAILED = "解析失败"

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CONTENT_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/msword": "doc",
    "application/vnd.ms-works": "wps",
    "application/ofd": "ofd",
}


def detect_format(data: bytes, name: str = "", content_type: str | None = None) -> str | None:
    """A FORMATS entry, or None when the bytes are not a document (an HTML page, an image, an archive …)."""
    head = data[:1024]
    extension = _extension(name)
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, ValueError, OSError):
            return extension if extension in ("xlsx", "docx", "ofd") else None
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.lower() == "ofd.xml" for n in names):
            return "ofd"
        return None  # a plain ZIP archive
    if data.startswith(OLE_MAGIC):
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") + b"\0\0" in data:
            return "xls"
        if "WordDocument".encode("utf-16-le") in data:
            return "wps" if extension == "wps" else "doc"
        return extension if extension in ("xls", "doc", "wps") else None
    if b"%PDF-" in head:  # after the containers: a ZIP may store a PDF member uncompressed near its start
        return "pdf"
    if head.lstrip()[:1] == b"<":
        return None  # HTML or XML: a page (an error page served under a .pdf name included)
    if extension in FORMATS:
        return extension
    mime = (content_type or "").split(";")[0].strip().lower()
    return CONTENT_TYPES.get(mime)


def _extension(name: str) -> str:
    path = urlsplit(name).path if "://" in name else name
    return PurePosixPath(unquote(path)).suffix.lower().lstrip(".")


def read_bounded(data: bytes, name: str = "", content_type: str | None = None, *, timeout: float = 30,
                 memory_mb: int = 512, max_bytes: int = MAX_BYTES, ocr: OcrSettings | None = None) -> Document:
    """The reader's Document, or one whose `unreadable` says why not; never raises for the file's sake.
    ocr: recognise a PDF's scanned pages (crawler.documents.ocr), in the same worker; its time budget is added to
    `timeout`, and Tesseract runs in the worker's process group, killed with it."""
    if len(data) > max_bytes:  # before detection, which scans the bytes
        extension = _extension(name)
        return Document(format=extension if extension in FORMATS else "", unreadable=TOO_BIG
                        if max_bytes == MAX_BYTES else f"文件超过 {max_bytes // (1024 * 1024) or 1} MB")
    fmt = detect_format(data, name, content_type) or _extension(name)
    if fmt not in FORMATS:
        return Document(format="", unreadable=UNSUPPORTED)  # format stays one of FORMATS
    reader = _reader(fmt)
    if reader is None:
        return Document(format=fmt, unreadable=UNSUPPORTED)
    ocr = ocr if fmt == "pdf" else None
    if ocr is not None:
        timeout += ocr.seconds
    result = _fork_and_read(reader, data, timeout, memory_mb, ocr)
    if result is _STUCK:
        result = _fork_and_read(reader, data, timeout, memory_mb, ocr)
    if isinstance(result, dict):
        return Document(**result)
    return Document(format=fmt, unreadable=TIMEOUT if result is _STUCK else result)


_STUCK = object()  # out of time having spent almost no CPU: blocked on a lock inherited from the parent, not the file


def _fork_and_read(reader, data: bytes, timeout: float, memory_mb: int, ocr: OcrSettings | None):
    """One forked child reading `data`: its message (a Document as dict, or a reason), or _STUCK."""
    _preload()
    context = multiprocessing.get_context("fork")  # the child shares `data` without copying it through a pipe
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, reader, data, timeout, memory_mb, ocr), daemon=True)
    child.start()
    sender.close()
    try:
        result = _wait(receiver, child, timeout)
        if result == TIMEOUT and child.is_alive() and _cpu_seconds(child.pid) < min(1.0, timeout / 10):
            result = _STUCK
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        if ocr is not None:  # a Tesseract still running after its worker's end (timeout, memory)
            _kill_group(child.pid)
        child.join(5)
    return result


def _preload() -> None:
    """Import every reader and look up every codec once, before the first fork (see the module's docstring)."""
    global _preloaded
    if _preloaded:
        return
    with _PRELOAD:
        if not _preloaded:
            for fmt in READERS:
                _reader(fmt)
            for name in CODECS:
                codecs.lookup(name)
            _preloaded = True


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a running process has spent (/proc), or infinity when it cannot be read."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return float("inf")


def _reader(fmt: str):
    """The reader function of a format (imported here once, not in every child), or None when there is none."""
    target = READERS.get(fmt)
    if callable(target) or not target:
        return target or None
    module_name, _, function = target.partition(":")
    try:
        return getattr(importlib.import_module(module_name), function)
    except (ImportError, AttributeError):
        return None


def _wait(receiver, child, timeout: float):
    """The child's message (a Document as dict, or a reason), or the reason read from how it died."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return TIMEOUT
        if receiver.poll(min(left, 0.5)):
            try:
                _, payload = receiver.recv()
            except (EOFError, OSError):
                break  # died without a word
            return payload  # a Document as dict ("document") or a reason ("reason")
        if not child.is_alive() and not receiver.poll(0):
            break
    child.join(1)
    code = child.exitcode
    if code == -signal.SIGXCPU:
        return TIMEOUT  # RLIMIT_CPU
    if code in (-signal.SIGKILL, -signal.SIGABRT):
        return MEMORY  # an allocation refused under RLIMIT_AS aborts native code; the OOM killer kills
    if code in (-signal.SIGSEGV, -signal.SIGBUS):
        return CORRUPT
    return FAILED


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _child(sender, reader, data: bytes, timeout: float, memory_mb: int, ocr: OcrSettings | None = None) -> None:
    """Runs in the forked process: limits first, then the reader; the answer goes back through the pipe."""
    try:
        faulthandler.disable()  # a native crash on a hostile file is a reason, not a traceback in the audit's log
        if ocr is not None:
            os.setpgid(0, 0)  # its own process group: Tesseract subprocesses end with it (_kill_group)
        _limit(timeout, memory_mb)
        try:
            doc = reader(data)
            if ocr is not None and doc.scanned_pages and not doc.unreadable:
                _recognise(data, doc, ocr)
            message = ("document", doc.as_dict())
        except Unreadable as exc:
            message = ("reason", str(exc) or CORRUPT)
        except MemoryError:
            message = ("reason", MEMORY)
        except Exception:  # noqa: BLE001 — a reader's crash on a malformed file is that file's fault
            message = ("reason", CORRUPT)
        try:
            sender.send(message)
        except MemoryError:
            sender.send(("reason", MEMORY))
    finally:
        sender.close()
        os._exit(0)  # no atexit handlers or inherited finalizers of the parent (Twisted, SQLAlchemy pools)


def _recognise(data: bytes, doc: Document, ocr: OcrSettings) -> None:
    """OCR's failure leaves the document as the reader read it: its scans stay scans."""
    texts = list(doc.page_texts)
    try:
        recognise_scans(data, doc, ocr)
    except Exception:  # noqa: BLE001 — a page that breaks the renderer or Tesseract is the file's
        doc.page_texts = texts
        doc.ocr = ocr.key() | {"pages": [], "read": [], "skipped": OCR_FAILED}


def _limit(timeout: float, memory_mb: int) -> None:
    """Address space: what the forked process already maps plus `memory_mb`; CPU seconds: the wall timeout."""
    cpu = max(1, int(timeout + 0.999))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    try:
        with open("/proc/self/statm") as statm:
            mapped = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        mapped = 0
    limit = mapped + memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
