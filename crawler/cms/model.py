"""The shape of a CMS family's table: what the crawler must know about one CMS, field by field.

Each part holds the marks a CMS leaves on the pages it writes, in a form both sides can use: the crawler's
extractors (crawler/facts) read them, and the fixture generator (fixtures/generator) writes them, so what is
written and what is read cannot drift apart. Patterns are compiled once, at import: extraction is the hot path.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DatedUrl:
    """A document URL into which the CMS writes the document's date when it creates it (TRS
    /202403/t20240305_123.html). The publish date of last resort: the page's own date wins (docs/page-facts.md)."""

    pattern: re.Pattern[str]  # searched for in a URL
    # the date a match says; None when the match only looks like this family's URL (the search goes on to the
    # next family); ValueError when it is this family's URL with an impossible date (no URL date at all)
    read: Callable[[re.Match[str]], date | None]
    source: str  # stored with the date as published_source / date_source: "url:trs"
    template: str  # how the CMS writes it: str.format with day (a date), doc (document number), column (column id)

    def write(self, day: date, doc: int, column: int = 0) -> str:
        """The URL path (or its tail under the column's directory) of document `doc` published on `day`."""
        return self.template.format(day=day, doc=doc, column=column)


@dataclass(frozen=True)
class PagerScript:
    """A script call that writes a list page's pager (TRS createPageHTML(5, 0, "index", "html")). The crawler runs
    no JavaScript, so it reads the call's arguments and lists the column's further list pages itself."""

    function: str  # the function's name: a cheap `in` test before the pattern
    call: re.Pattern[str]  # the call with its arguments
    read: Callable[[re.Match[str]], tuple[int, str, str]]  # a call → (list pages in all, first page's name, extension)
    page_name: Callable[[str, int, str], str]  # (name, i, extension) → file name of list page i (0: the first)
    template: str  # the call as the CMS writes it: str.format with total, current, name, ext

    def further(self, call: re.Match[str], limit: int) -> list[str]:
        """File names of the list pages after the first that a call implies, at most `limit` pages in all."""
        total, name, ext = self.read(call)
        return [self.page_name(name, i, ext) for i in range(1, min(total, limit))]

    def write(self, total: int, current: int, name: str, ext: str) -> str:
        return self.template.format(total=total, current=current, name=name, ext=ext)


@dataclass(frozen=True)
class ListScript:
    """A column's list shipped inside a script as records of markup, which JavaScript turns into the visible list
    (Hanweb's <datastore>). The crawler reads the records' markup as it reads a list in the page."""

    marker: str  # a script holding records contains this: a cheap `in` test before the pattern
    record: re.Pattern[str]  # one record; group 1 is its markup
    template: str  # one record as the CMS writes it: str.format with markup

    def records(self, script: str) -> list[str]:
        return self.record.findall(script)

    def write(self, markup: str) -> str:
        return self.template.format(markup=markup)


@dataclass(frozen=True)
class ColumnUrl:
    """A CMS that numbers its columns and writes the number into the column's list page URL and into the URL of
    every document the column lists (Hanweb /col/col1002/index.html lists /art/2024/3/5/art_1002_5101.html). The
    crawler knows a column page by its URL, and the column's items by their links even when the list shows no
    date; a document of another column (a 热点 box beside the list) is not one of its items."""

    page: re.Pattern[str]  # searched for in a list page's URL; group 1 is the column's number
    item: re.Pattern[str]  # searched for in a document's URL; group 1 is the number of the column it belongs to

    def column(self, page_url: str) -> str | None:
        """The column number of a list page URL, or None when the URL is not one of this CMS's column pages."""
        m = self.page.search(page_url)
        return m.group(1) if m else None

    def lists(self, column: str, item_url: str) -> bool:
        """Whether a document URL belongs to column `column` (a number column() gave)."""
        m = self.item.search(item_url)
        return bool(m) and m.group(1) == column


@dataclass(frozen=True)
class CmsFamily:
    """What the crawler must know about one CMS family. A part the family does not have stays empty."""

    key: str  # the family's name in sites files and generated sites (site.yaml `cms:`): "trs"
    name: str  # as webmasters call it
    dated_urls: tuple[DatedUrl, ...] = ()  # document URLs that carry a date
    pagers: tuple[PagerScript, ...] = ()  # scripts that write a list's pager
    list_scripts: tuple[ListScript, ...] = ()  # lists kept in a script instead of the page's markup
    column_urls: tuple[ColumnUrl, ...] = ()  # numbered columns: list page URL ↔ its documents' URLs
    # the element that holds an article's text: patterns searched for in its lower-cased "class id"; such an
    # element is content even inside a footer- or nav-looking wrapper (crawler/facts/content.py)
    content_containers: tuple[str, ...] = ()
    date_metas: tuple[str, ...] = ()  # lower-cased <meta name|property> giving a publish date, in order of trust
    page_metas: tuple[str, ...] = ()  # the 网页设计规范 <meta name> vocabulary, canonical spelling, in its order
