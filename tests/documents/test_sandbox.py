"""read_bounded: the format from the bytes, the reader in a bounded child process, and hostile files ending as a
Document with a Chinese reason — never an exception, a hang or a dead audit."""
from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile

import docx
import openpyxl
import pytest
from reportlab.lib.pdfencrypt import StandardEncryption

from crawler.documents import sandbox
from crawler.documents.model import Document
from crawler.documents.sandbox import MAX_BYTES, detect_format, read_bounded
from tests.documents.pdfs import make_pdf

HEADING = "某某县财政局2024年部门预算"
PDF = make_pdf([[(72, 790, HEADING), (72, 770, "一般公共预算支出 123.45 万元")]])


def _xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "姓名"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("关于印发某某办法的通知")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return out.getvalue()


def _ole(stream: str) -> bytes:
    """An OLE compound-file header with one directory entry name (what detection looks at)."""
    return sandbox.OLE_MAGIC + b"\0" * 504 + stream.encode("utf-16-le") + b"\0\0" + b"\0" * 64


@pytest.mark.parametrize(("data", "name", "content_type", "expected"), [
    (PDF, "budget.pdf", None, "pdf"),
    (PDF, "budget.xls", None, "pdf"),  # the bytes win over a wrong extension
    (b"\r\n" + PDF, "download.do?id=3", None, "pdf"),  # %PDF after a few junk bytes, no extension
    (_xlsx(), "list.xls", None, "xlsx"),  # a renamed XLSX
    (_docx(), "notice.doc", None, "docx"),
    (_zip({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<x/>"}), "a.ofd", None, "ofd"),
    (_zip({"readme.txt": b"x"}), "files.zip", None, None),  # a plain archive is no document
    (_zip({"a.pdf": PDF}), "files.pdf", None, None),  # … even holding a stored PDF near its start
    (_ole("Workbook"), "list.doc", None, "xls"),
    (_ole("WordDocument"), "notice.doc", None, "doc"),
    (_ole("WordDocument"), "https://x.gov.cn/a/notice.wps?v=1", None, "wps"),
    (b"<!DOCTYPE html><html>404</html>", "budget.pdf", "application/pdf", None),  # an error page under a .pdf name
    (b"\x00\x01binary", "attachment", "application/pdf", "pdf"),  # nothing else to go by: the Content-Type
    (b"\x00\x01binary", "photo.jpg", "image/jpeg", None),
])
def test_detect_format(data, name, content_type, expected):
    assert detect_format(data, name, content_type) == expected


def test_a_pdf_is_read_in_the_child():
    doc = read_bounded(PDF, "budget.pdf", "application/pdf")
    assert doc.unreadable is None and doc.format == "pdf"
    assert doc.page_texts == [f"{HEADING}\n一般公共预算支出 123.45 万元"] and doc.title == HEADING


def test_corrupt_pdf():
    doc = read_bounded(PDF[: len(PDF) // 3] + b"\0garbage", "budget.pdf")
    assert doc.format == "pdf"
    assert doc.unreadable is None or doc.unreadable.startswith("文件已损坏")  # pdfium may rebuild what is left
    assert read_bounded(b"%PDF-1.7\n" + os.urandom(2000), "x.pdf").unreadable.startswith("文件已损坏")


def test_encrypted_pdf():
    data = make_pdf([[(72, 790, HEADING)]], encrypt=StandardEncryption("user", "owner"))
    doc = read_bounded(data, "budget.pdf")
    assert doc.unreadable == "文档已加密，无法读取" and doc.page_texts == []


def test_file_over_the_size_limit_is_not_parsed():
    huge = b"%PDF-1.4\n" + b"0" * MAX_BYTES
    assert read_bounded(huge, "huge.pdf").unreadable == "文件超过 50 MB"
    # near miss: a file exactly at a (smaller) limit is read
    assert read_bounded(PDF, "a.pdf", max_bytes=len(PDF)).unreadable is None
    assert read_bounded(PDF, "a.pdf", max_bytes=len(PDF) - 1).unreadable is not None


def test_unsupported_and_missing_readers(monkeypatch):
    assert read_bounded(b"just text", "readme.txt").unreadable == "不支持的格式"
    monkeypatch.setitem(sandbox.READERS, "ofd", "crawler.documents.not_written_yet:read_ofd")
    ofd = _zip({"OFD.xml": b"<ofd:OFD/>"})
    assert read_bounded(ofd, "a.ofd").unreadable == "不支持的格式"


def _sleeps(data):
    time.sleep(60)


def _spins(data):
    while True:
        pass


def _hogs(data):
    hoard = []
    while True:
        hoard.append(bytearray(32 * 1024 * 1024))


def _crashes(data):
    raise ValueError("reader bug on a malformed file")


def _segfaults(data):
    os.kill(os.getpid(), signal.SIGSEGV)


@pytest.mark.parametrize("reader", [_sleeps, _spins])
def test_a_reader_that_hangs_is_stopped_at_the_timeout(monkeypatch, reader):
    monkeypatch.setitem(sandbox.READERS, "pdf", reader)
    started = time.monotonic()
    doc = read_bounded(PDF, "a.pdf", timeout=1.5)
    assert doc.unreadable == "解析超时"
    assert time.monotonic() - started < 5


def test_a_memory_hog_ends_as_over_the_memory_limit(monkeypatch):
    monkeypatch.setitem(sandbox.READERS, "pdf", _hogs)
    doc = read_bounded(PDF, "a.pdf", memory_mb=128, timeout=20)
    assert doc.unreadable == "超出内存限制"
    # the parent keeps its own memory: it can still allocate what the child could not
    assert len(bytearray(256 * 1024 * 1024)) == 256 * 1024 * 1024


@pytest.mark.parametrize(("reader", "reason"), [(_crashes, "文件已损坏"), (_segfaults, "文件已损坏")])
def test_a_crashing_reader_is_a_corrupt_file_not_an_exception(monkeypatch, reader, reason):
    monkeypatch.setitem(sandbox.READERS, "pdf", reader)
    assert read_bounded(PDF, "a.pdf").unreadable == reason
    monkeypatch.undo()
    assert read_bounded(PDF, "a.pdf").unreadable is None  # and the next document is read as usual


_HELD = threading.Lock()


def _waits_for_held_lock(data):
    with _HELD:  # in a child forked while another thread of the parent held it: locked for ever, no CPU spent
        return Document(format="pdf", pages=1, page_texts=["一般公共预算支出"])


def test_a_child_blocked_on_a_lock_inherited_from_the_parent_is_forked_again(monkeypatch):
    # what a crawl's other thread importing a module at the instant of the fork does to the child (the import lock
    # of that module stays held in the child): the document is read by a second child, not reported 解析超时
    monkeypatch.setitem(sandbox.READERS, "pdf", _waits_for_held_lock)
    _HELD.acquire()
    threading.Timer(0.5, _HELD.release).start()  # released in the parent after the first fork, before the second
    started = time.monotonic()
    doc = read_bounded(PDF, "a.pdf", timeout=1.5)
    assert doc.unreadable is None and doc.page_texts == ["一般公共预算支出"]
    assert time.monotonic() - started >= 1.5  # the first child ran out of time


def test_a_reader_busy_past_its_time_is_not_forked_again(monkeypatch):
    monkeypatch.setitem(sandbox.READERS, "pdf", _spins)
    started = time.monotonic()
    assert read_bounded(PDF, "a.pdf", timeout=1.5).unreadable == "解析超时"
    assert time.monotonic() - started < 2.9  # one child only: a file that keeps the reader busy is that file's


def test_codecs_the_readers_decode_with_are_loaded_before_the_first_fork(tmp_path):
    # in a fresh interpreter: the codec modules are loaded by the parent, so no child ever imports one
    (tmp_path / "a.pdf").write_bytes(PDF)
    script = ("import sys\nfrom crawler.documents.sandbox import read_bounded\n"
              "names = ('encodings.utf_16_le', 'encodings.cp437', 'encodings.gb18030')\n"
              "before = [n in sys.modules for n in names]\n"
              f"doc = read_bounded(open({str(tmp_path / 'a.pdf')!r}, 'rb').read(), 'a.pdf')\n"
              "print(before, [n in sys.modules for n in names], doc.unreadable)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip() == "[False, False, False] [True, True, True] None"
