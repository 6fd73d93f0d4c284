"""Column list pages: the dated items a column shows, and the empty column (空白栏目).

A list is found from its items, not from class names: an item is a row (li, tr, dl, div, p) that
holds a link and a date, and the list is the parent holding the most such rows. Menus and footers
have links without dates, so they never win. Some CMSs keep the list in a script instead (Hanweb's
<datastore><record><![CDATA[ … ]]></record>, crawler/cms/hanweb.py): its records are parsed here the same way.
"""
from __future__ import annotations

import re
from datetime import date

from lxml import etree

from crawler.cms import COLUMN_URLS, LIST_SCRIPTS

from . import dates
from .model import Link, ListItem

_ROW_TAGS = {"li", "tr", "dl", "article"}
_BLOCK_TAGS = {"div", "p", "dd", "section", "span"}
PLACEHOLDER = re.compile(r"^[\s\[【(（]*(?:暂无(?:相关)?(?:信息|数据|内容|记录|文章|公开信息)?|没有(?:相关)?(?:记录|数据|信息|内容)|无(?:相关)?(?:记录|信息|数据)|查询无结果)[\s\]】)）。!！.]*$")


def _text(el) -> str:
    return "".join(el.itertext())


def _row_of(a):
    """The list row an anchor belongs to: the nearest li/tr/dl, else the nearest block, within 3 levels."""
    block = None
    el = a.getparent()
    for _ in range(3):
        if el is None:
            break
        if el.tag in _ROW_TAGS:
            return el
        if block is None and el.tag in _BLOCK_TAGS:
            block = el
        el = el.getparent()
    return block


def _item(row, anchors, resolve, as_of: date) -> ListItem:
    a = max(anchors, key=lambda x: len(_text(x)))
    title = " ".join((a.get("title") or _text(a)).split())
    target = resolve(a.get("href", ""))
    url = target[0] if target else None
    full = _text(row)
    d = dates.last_date(full.replace(_text(a), " "), as_of) or dates.last_date(full, as_of)
    src = "text" if d else None
    if d is None and url:
        found = dates.from_url(url, as_of)
        if found:
            d, src = found
    return ListItem(title=title, url=url, date=d, date_source=src)


_INDEX_NAMES = ("index.html", "index.htm", "index.shtml", "index.jsp")


def find_list(root, resolve, as_of: date, min_dated: int = 1) -> list[ListItem] | None:
    """Items of the list container with the most dated rows, or None if no container has min_dated."""
    rows: dict = {}  # row element → its anchors, in document order
    for a in root.iter("a"):
        if a.get("href") and (row := _row_of(a)) is not None:
            rows.setdefault(row, []).append(a)
    containers: dict = {}
    for row in rows:
        text = _text(row)
        if len(text) < 200 and dates.DATE_RE.search(dates.widen(text)):
            containers.setdefault(row.getparent(), []).append(row)
    if not containers:
        return None
    parent, dated = max(containers.items(), key=lambda kv: len(kv[1]))
    if len(dated) < min_dated:
        return None
    members = [r for r in parent if r in rows] or dated
    return [_item(r, rows[r], resolve, as_of) for r in members]


def numbered_column(page_url: str):
    """(ColumnUrl, column number) when the URL is a numbered CMS column page (Hanweb /col/col1002/), else None."""
    for kind in COLUMN_URLS:
        if (number := kind.column(page_url)) is not None:
            return kind, number
    return None


def find_undated_list(root, resolve, page_url: str, min_rows: int = 2) -> list[ListItem] | None:
    """A column page's list whose rows carry no date: rows whose links lead below the page's own directory, or,
    on a numbered CMS column (crawler/cms: Hanweb /col/col1002/), to that column's documents (/art/…/art_1002_N).

    Navigation links lead to other columns (…/index.html elsewhere); a column's items live under its path
    (TRS ./202611/t…html, ./content/post_N.html) or carry its number. Undated items count as not updated, so
    finding them matters.
    """
    base = page_url.rsplit("/", 1)[0] + "/"
    numbered = numbered_column(page_url)

    def item_of_column(url: str) -> bool:
        if url.startswith(base):
            return not url.rstrip("/").endswith(_INDEX_NAMES)
        return numbered is not None and numbered[0].lists(numbered[1], url)

    containers: dict = {}
    for a in root.iter("a"):
        target = resolve(a.get("href", "")) if a.get("href") else None
        if not target or not item_of_column(target[0]):
            continue
        row = _row_of(a)
        if row is not None and row.tag in _ROW_TAGS:
            containers.setdefault(row.getparent(), {}).setdefault(row, []).append(a)
    if not containers:
        return None
    parent, rows = max(containers.items(), key=lambda kv: len(kv[1]))
    if len(rows) < min_rows:
        return None
    return [ListItem(title=" ".join((a.get("title") or _text(a)).split()), url=resolve(a.get("href"))[0], date=None)
            for a in (max(anchors, key=lambda x: len(_text(x))) for anchors in rows.values())]


_SCRIPT_MARKERS = tuple(kind.marker for kind in LIST_SCRIPTS)


def holds_list(script: str) -> bool:
    """Does this script hold a list's records (crawler/cms: Hanweb <datastore> <record>s)?"""
    for marker in _SCRIPT_MARKERS:
        if marker in script:
            return True
    return False


def datastore(script: str, resolve, as_of: date) -> tuple[list[ListItem], list[Link]]:
    """The records of a list kept in a script (Hanweb <datastore>) → (items, links tagged 'datastore')."""
    records = [record for kind in LIST_SCRIPTS for record in kind.records(script)]
    if not records:
        return [], []
    root = etree.HTML("<div>" + "".join(records) + "</div>")
    items = find_list(root, resolve, as_of) or []
    links = []
    for a in root.iter("a"):
        target = resolve(a.get("href", ""))
        if target:
            links.append(Link(url=target[0], tag="datastore", text=" ".join(_text(a).split()),
                              fragment=target[1]))
    if not items:  # records without dates are still the column's items
        items = [ListItem(title=l.text, url=l.url, date=None) for l in links]
    return items, links


def has_placeholder(texts) -> bool:
    """True if some short text node is an empty-list placeholder (暂无信息 …)."""
    return any(len(t) <= 24 and PLACEHOLDER.match(t) for t in texts if t and ("暂" in t or "无" in t))
