"""DOC (Word 97–2003) and WPS (WPS 文字) text through Debian's antiword, or catdoc when antiword cannot read the
file: no maintained, permissively licensed Python reader of the binary Word format exists."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile

from .docx import read_docx
from .model import Document, Unreadable
from .office import OLE_MAGIC, bounded_text, title_line

TIMEOUT = 30  # seconds per tool run
_TABLE_ROW = re.compile(r"^\|(.*)\|\s*$")  # antiword draws a table row as |cell   |cell   |
_NOT_INSTALLED = "未安装 antiword/catdoc，无法读取 DOC 文件"


def read_doc(data: bytes, fmt: str = "doc") -> Document:
    """One page text (the binary format records no pages); `fmt` is "doc" or "wps" (same container)."""
    if data[:4] == b"PK\x03\x04":
        return read_docx(data)  # a DOCX published under the .doc name
    if data[:8] != OLE_MAGIC:
        head = data[:512].lstrip().lower()
        if head.startswith(b"{\\rtf"):
            raise Unreadable("不是 DOC 文件（实为 RTF 格式），无法读取")
        if head.startswith((b"<", b"\xef\xbb\xbf<", b"mime-version")):
            raise Unreadable("不是 DOC 文件（实为网页或 XML 文档），无法读取")
        raise Unreadable("不是 DOC 文件（文件头不符），无法读取")
    tools = [tool for tool in ("antiword", "catdoc") if shutil.which(tool)]
    if not tools:
        raise Unreadable(_NOT_INSTALLED)
    reason = "DOC 文件损坏，antiword 与 catdoc 均无法读取"
    with tempfile.TemporaryDirectory(prefix="gkaudit-doc-") as tmp:
        path = os.path.join(tmp, "input.doc")
        with open(path, "wb") as f:
            f.write(data)
        env = {"PATH": os.environ.get("PATH", ""), "LC_ALL": "C.UTF-8", "HOME": tmp}
        for tool in tools:
            text, why = _run(tool, path, env, tmp)
            if text is not None:
                doc = Document(format=fmt)
                doc.page_texts = [bounded_text(text, doc)]
                doc.title = title_line(text)
                return doc
            reason = why or reason
    raise Unreadable(reason)


def _run(tool: str, path: str, env: dict, cwd: str) -> tuple[str | None, str | None]:
    """The tool's text, or None and why not (a reason worth more than the generic one)."""
    args = [tool, "-m", "UTF-8.txt", "-w", "0", path] if tool == "antiword" else [tool, "-d", "utf-8", "-w", path]
    try:
        done = subprocess.run(args, capture_output=True, timeout=TIMEOUT, env=env, cwd=cwd, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return None, f"读取 DOC 文件超时（{TIMEOUT} 秒）"
    except OSError:
        return None, None
    out = done.stdout.decode("utf-8", "replace")
    if "[File is encrypted." in out or b"encrypt" in done.stderr.lower():
        return None, "DOC 文件已加密，无法读取"
    if done.returncode != 0 or not out.strip():
        return None, None
    return (_untable(out) if tool == "antiword" else out).strip("\n"), None


def _untable(text: str) -> str:
    """antiword's drawn table rows as cells joined by tabs, like the other formats' rows."""
    lines = []
    for line in text.splitlines():
        m = _TABLE_ROW.match(line)
        if m:
            cells = [c.strip() for c in m.group(1).split("|")]
            while cells and not cells[-1]:
                cells.pop()
            line = "\t".join(cells)
        lines.append(line)
    return "\n".join(lines)
