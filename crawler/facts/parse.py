"""The one parse of a page: lxml's tree, made to hold what a browser shows.

libxml2 ends the document at </html>: whatever a CMS writes after it (a footer with 网站标识码, ICP备案, 公安备案,
the conac badge, 找错 links) becomes a second root element that no extractor sees. A browser's parser puts such
content at the end of <body> (HTML standard, "after after body" insertion mode), so it is moved there, as is the
content of a second <html><body> written after the first.

libxml2 also stops at a nesting depth of 256 (2048 with huge_tree): everything after the limit is lost, links
included. huge_tree raises it; a page deeper still is reported (too_deep) and its links read by a plain pattern.
"""
from __future__ import annotations

import codecs
import re

from lxml import etree

# Plain etree elements: lxml.html's element-class lookup costs more than the parse on big pages.
_PARSER = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True)
_REF = re.compile(rb"""<(a|area|iframe|frame|img|script|link)\b[^>]*?\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""",
                  re.I)
_WRAPPERS = ("html", "head", "body")  # a second document's wrappers: their content goes into the body


def parse(body: bytes, text: str, encoding: str):
    """The page's root <html> element (None for an empty document). body: the bytes as served; text and
    encoding: what decode() made of them (UTF-8 bytes are parsed as they are, anything else re-encoded)."""
    if encoding == "utf-8":
        data = body[3:] if body.startswith(codecs.BOM_UTF8) else body
    else:
        data = text.encode("utf-8")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:  # empty document
        return None
    if root is not None and root.getnext() is not None:
        _fold_trailing(root)
    return root


def too_deep() -> bool:
    """Whether the last parse stopped at libxml2's nesting limit (the tree lacks what came after it)."""
    return any(e.type_name == "ERR_RESOURCE_LIMIT" for e in _PARSER.error_log)


def raw_refs(data: bytes, limit: int) -> list[tuple[str, str]]:
    """(tag, reference) of the href/src attributes written in the bytes, at most `limit`: the links of a page
    too deep for the tree."""
    found = []
    for m in _REF.finditer(data):
        ref = (m.group(2) or m.group(3) or m.group(4) or b"").decode("utf-8", "replace")
        found.append((m.group(1).decode("ascii").lower(), ref))
        if len(found) >= limit:
            break
    return found


def _fold_trailing(root) -> None:
    """Move the roots after the first (content after </html>) to the end of the first root's <body>."""
    body = root.find("body")
    if body is None:
        body = etree.SubElement(root, "body")
    for extra in list(root.itersiblings()):
        _append(body, extra)


def _append(body, wrapper) -> None:
    """Append a wrapper's text and children to body; nested html/head/body wrappers are dissolved."""
    _add_text(body, wrapper.text)
    for child in list(wrapper):
        if child.tag in _WRAPPERS:
            tail, child.tail = child.tail, None
            _append(body, child)
            _add_text(body, tail)
        else:
            body.append(child)  # moves it, with its tail


def _add_text(body, text: str | None) -> None:
    if not text:
        return
    if len(body):
        last = body[-1]
        last.tail = (last.tail or "") + text
    else:
        body.text = (body.text or "") + text
