"""Bytes → text for Chinese government pages.

Declarations lie often (UTF-16 files that say gb2312, UTF-8 files that say gbk, servers that say
ISO-8859-1), so every declared charset is verified before it is used. GB2312/GBK are decoded as
gb18030, their superset, so rare characters in names do not turn into replacement marks.
"""
from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: same first two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_GB = {"gb2312", "gbk", "gb_2312", "gb_2312-80", "x-gbk", "cp936", "ms936", "csgb2312", "euc-cn", "gb18030"}
# Server defaults that say nothing about the document.
_WEAK = {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "windows-1252", "cp1252"}

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)


def _normalise(name: str | None) -> str | None:
    """Canonical codec name, gb18030 for the GB family, None for unknown or weak names."""
    if not name:
        return None
    name = name.strip().lower()
    if name in _GB:
        return "gb18030"
    if name in _WEAK:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _try(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text has a NUL in every other byte of ASCII markup."""
    if len(head) < 8 or head.count(0) < len(head) // 4:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > even * 4:
        return "utf-16-le"
    if even > odd * 4:
        return "utf-16-be"
    return None


def decode(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return (text, encoding_name).

    BOM first, then HTTP header charset, then <meta charset>/<meta http-equiv>, then sniff. A declared
    charset is used only if it decodes cleanly; a non-UTF-8 declaration on a body that is valid UTF-8
    with non-ASCII bytes is treated as a lie (real GBK text is practically never valid UTF-8).
    """
    for bom, name in _BOMS:
        if body.startswith(bom):
            text = _try(body, "utf-8-sig" if name == "utf-8" else name)
            if text is not None:
                return text, name

    declared: list[str] = []
    if content_type:
        m = _HEADER_CHARSET.search(content_type)
        if m:
            declared.append(m.group(1))
    m = _META_CHARSET.search(body, 0, 4096)
    if m:
        declared.append(m.group(1).decode("ascii", "ignore"))

    utf16 = _utf16_without_bom(body[:512])
    if utf16:
        text = _try(body, utf16)
        if text is not None:
            return text, "utf-16"
    if body.isascii():
        return body.decode("ascii"), "utf-8"
    utf8 = None
    for name in declared:
        enc = _normalise(name)
        if enc is None:
            continue
        if enc != "utf-8":
            if utf8 is None:
                utf8 = _try(body, "utf-8") or ""
            if utf8:
                return utf8, "utf-8"
        text = _try(body, enc)
        if text is not None:
            return text, enc

    if utf8 is None:
        utf8 = _try(body, "utf-8")
    if utf8:
        return utf8, "utf-8"
    text = _try(body, "gb18030")
    if text is not None:
        return text, "gb18030"
    # Mostly UTF-8 with a few broken bytes, or mostly GBK: pick the one with fewer replacements.
    u, g = body.decode("utf-8", "replace"), body.decode("gb18030", "replace")
    return (u, "utf-8") if u.count("\ufffd") <= g.count("\ufffd") else (g, "gb18030")
