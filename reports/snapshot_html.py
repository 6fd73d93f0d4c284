"""<site>/页面快照/<digest>.html: the page a finding rests on, as it was fetched, made inert and annotated.

A snapshot is the audited site's own HTML, so it is hostile: opened from the report (or from an intranet server
that serves the reports), its scripts would run in the reports' origin. Here every script, frame, plug-in, base,
refresh and event-handler attribute is removed and a Content-Security-Policy that allows nothing but inline
styles and data: images is the first element of <head>, so whatever survives still cannot run or load. Relative
links are made absolute against the page's address, so they lead to the live site rather than to missing files.

On top, a banner says what this is (「本页为检测时的快照」, 抓取时间, 原网址), and the evidence (a link text, a
wrong term, a quoted passage) is marked where it can be found in the page's text.

Each site's folder holds its own snapshots, so a folder sent alone still has every page its list links to.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Iterable

import lxml.html
from lxml import etree

from checks.result import RunInfo

from . import labels as L
from .rows import safe_href
from .text import clean_text

FOLDER = "页面快照"
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
BANNER_ID = "gkaudit-snapshot-banner"
# Elements that execute, embed or redirect: removed with their content.
DROP = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "template"}
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcset",
             "ping", "lowsrc", "dynsrc", "longdesc", "manifest", "codebase", "cite"}
MAX_MARKS = 50
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
BANNER_STYLE = ("all:initial;display:block;position:sticky;top:0;z-index:2147483647;padding:8px 12px;"
                "background:#fff8c5;border-bottom:2px solid #bf8700;color:#1f2328;font:14px/1.6 sans-serif;")
MARK_STYLE = "background:#ffeb3b;outline:2px solid #cf222e;color:#000;"


def file_name(digest: str) -> str:
    return f"{digest}.html"


def _decode(body: bytes) -> str:
    """The page's text: its declared charset (GBK/GB2312 read as GB18030), else UTF-8, bad bytes replaced."""
    declared = _CHARSET.search(body[:4096])
    charset = declared.group(1).decode("ascii", "replace").lower() if declared else "utf-8"
    if charset in ("gbk", "gb2312", "gb_2312-80", "x-gbk"):
        charset = "gb18030"
    try:
        return body.decode(charset, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def _inert(doc) -> None:
    """Remove what can run, embed, redirect or submit; make links absolute or drop unsafe ones."""
    for el in list(doc.iter()):
        if not isinstance(el.tag, str):  # comments (IE conditional ones too) and processing instructions
            if el.getparent() is not None:
                el.drop_tree()
            continue
        tag = etree.QName(el).localname.lower()
        if tag in DROP or (tag == "meta" and el.get("http-equiv")) or \
                (tag == "link" and (el.get("rel") or "").lower() not in ("stylesheet",)):
            el.drop_tree()
            continue
        for name in list(el.attrib):
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on") or local in ("style",) and "expression(" in el.get(name, "").lower():
                del el.attrib[name]
            elif local in URL_ATTRS or local.endswith(":href"):
                if local in ("href", "src") and safe_href(el.get(name)):
                    continue
                del el.attrib[name]


def _mark(body, needles: list[str]) -> int:
    """Wrap the first occurrences of each needle in the page's text in <mark>; returns how many were marked."""
    needles = sorted({n for n in needles if len(n) >= 2}, key=len, reverse=True)
    if not needles:
        return 0
    pattern = re.compile("|".join(re.escape(n) for n in needles))
    marked = 0
    for el in list(body.iter()):
        if marked >= MAX_MARKS:
            break
        if not isinstance(el.tag, str) or el.get("id") == BANNER_ID or el.tag in ("style", "title", "textarea", "mark"):
            continue
        if el.text and pattern.search(el.text):
            marked += _split(el, "text", pattern)
        if el.tail and el.getparent() is not None and pattern.search(el.tail):
            marked += _split(el, "tail", pattern)
    return marked


def _split(el, where: str, pattern: re.Pattern) -> int:
    text = getattr(el, where)
    parts = pattern.split(text)
    found = pattern.findall(text)
    setattr(el, where, parts[0])
    marks = []
    for hit, after in zip(found, parts[1:]):
        mark = etree.Element("mark", style=MARK_STYLE)
        mark.text, mark.tail = hit, after
        marks.append(mark)
    if where == "text":
        for i, mark in enumerate(marks):
            el.insert(i, mark)
    else:
        parent, index = el.getparent(), el.getparent().index(el)
        for i, mark in enumerate(marks, 1):
            parent.insert(index + i, mark)
    return len(marks)


def _when(fetched) -> str:
    """抓取时间: the page's own time, or (a RunInfo) the span of the run that fetched it."""
    if isinstance(fetched, RunInfo):
        end = f" 至 {L.when_text(fetched.finished_at)}" if fetched.finished_at else ""
        return f"本次检测期间（{L.when_text(fetched.started_at)}{end}）"
    return L.when_text(fetched)


def _banner(url: str | None, fetched, marked: int):
    div = etree.Element("div", id=BANNER_ID, style=BANNER_STYLE)
    strong = etree.SubElement(div, "strong")
    strong.text = "本页为检测时的快照"
    strong.tail = f"　抓取时间：{_when(fetched)}　原网址："
    href = safe_href(url)
    if href:
        a = etree.SubElement(div, "a", href=href, style="color:#0b57d0;word-break:break-all;")
        a.text = clean_text(url)
        a.tail = ""
    else:
        strong.tail += clean_text(url) or "—"
    note = etree.SubElement(div, "span")
    note.text = ("　黄色标记处为检测发现问题的位置。" if marked else "　") + "页面中的脚本已移除，显示效果可能与原网页不同。"
    return div


def render(body: bytes, url: str | None, fetched: date | datetime | RunInfo | None, needles: Iterable[str]) -> bytes:
    """The inert, annotated snapshot of one stored page, as UTF-8 HTML (fetched: when the page was fetched, or
    the run that fetched it when only that is known)."""
    text = _XML_DECL.sub("", clean_text(_decode(body)), count=1) or "<html><body></body></html>"
    try:
        doc = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        doc = lxml.html.document_fromstring("<html><body></body></html>")
    for base in doc.xpath("//base"):  # links resolve against the address the page was fetched from
        base.drop_tree()
    if safe_href(url):  # before the cleaning, which keeps only absolute http(s) addresses
        try:
            doc.make_links_absolute(url, resolve_base_href=False, handle_failures="discard")
        except ValueError:
            pass
    _inert(doc)
    head = doc.find("head")
    if head is None:
        head = etree.Element("head")
        doc.insert(0, head)
    for meta in head.findall("meta"):
        if meta.get("charset") is not None:
            head.remove(meta)
    body_el = doc.find("body")
    if body_el is None:
        body_el = etree.SubElement(doc, "body")
    marked = _mark(body_el, [clean_text(n).strip() for n in needles if n])
    body_el.insert(0, _banner(url, fetched, marked))
    head.insert(0, etree.Element("meta", charset="utf-8"))
    head.insert(0, etree.Element("meta", **{"http-equiv": "Content-Security-Policy", "content": CSP}))
    return b"<!DOCTYPE html>\n" + lxml.html.tostring(doc, encoding="utf-8", method="html")


def needles(evidence: dict | None) -> list[str]:
    """What of a finding's evidence can be looked for in the page's text: link text, terms, a column's name, the
    longest run of a quoted passage."""
    ev = evidence or {}
    out: list[str] = []
    for key in ("anchor", "term", "column_name"):
        if isinstance(ev.get(key), str):
            out.append(ev[key])
    for key in ("terms",):
        if isinstance(ev.get(key), list):
            out += [t for t in ev[key] if isinstance(t, str)]
    snippet = ev.get("snippet")
    if isinstance(snippet, str):
        runs = [r for r in re.split(r"[\s…]+", snippet) if len(r) >= 6]
        if runs:
            out.append(max(runs, key=len))
    if isinstance(ev.get("items"), list):  # personal data: the masked value is not in the page; its context is
        for item in ev["items"]:
            if isinstance(item, dict) and isinstance(item.get("snippet"), str):
                runs = [r for r in re.split(r"[\s…]+", item["snippet"]) if len(r) >= 6]
                out += runs[:1]
    return out
