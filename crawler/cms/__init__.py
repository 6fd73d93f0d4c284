"""What the crawler knows about the CMS families bureau sites run on: one table per family.

Bureau sites are written by a handful of CMSs, and each leaves marks the extractors rely on: a date in a document's
URL, a script that writes the list's pager, a list shipped inside a script, the box that holds an article's text.
Each family's marks are one `CmsFamily` table in its own module:

- `trs.py`: TRS WCM（拓尔思）— /YYYYMM/tYYYYMMDD_N.html, createPageHTML pagination, TRS_Editor;
- `hanweb.py`: 大汉（Hanweb）— /art/Y/M/D/art_C_N.html, /col/colC/ column pages, <datastore> record lists, #zoom;
- `gkmlpt.py`: 广东政务公开平台 — nothing of its own (its marks are generic), said in one place;
- `generic.py`: what every site shares — the 网页设计规范 metas, publish-date metas, common content classes.

The extractors (crawler/facts: dates, links, lists, content) read the merged views below, and the fixture
generator (fixtures/generator) writes its sites' URLs, pager calls and records from the same tables, so the two
cannot drift. Adding a family: docs/cms-families.md.
"""
from __future__ import annotations

from . import generic, gkmlpt, hanweb, trs
from .model import CmsFamily, ColumnUrl, DatedUrl, ListScript, PagerScript

GENERIC = generic.FAMILY
TRS = trs.FAMILY
HANWEB = hanweb.FAMILY
GKMLPT = gkmlpt.FAMILY

# Every family, in the order the extractors try them: a URL is read by the first family whose pattern says a date.
FAMILIES: tuple[CmsFamily, ...] = (GENERIC, TRS, HANWEB, GKMLPT)
BY_KEY = {family.key: family for family in FAMILIES}

# What the extractors read: every family's part merged, in the order of FAMILIES.
DATED_URLS: tuple[DatedUrl, ...] = tuple(url for family in FAMILIES for url in family.dated_urls)
PAGERS: tuple[PagerScript, ...] = tuple(pager for family in FAMILIES for pager in family.pagers)
LIST_SCRIPTS: tuple[ListScript, ...] = tuple(kind for family in FAMILIES for kind in family.list_scripts)
COLUMN_URLS: tuple[ColumnUrl, ...] = tuple(kind for family in FAMILIES for kind in family.column_urls)
CONTENT_CONTAINERS: tuple[str, ...] = tuple(word for family in FAMILIES for word in family.content_containers)
DATE_METAS: tuple[str, ...] = tuple(name for family in FAMILIES for name in family.date_metas)
PAGE_METAS: tuple[str, ...] = tuple(name for family in FAMILIES for name in family.page_metas)

__all__ = ["CmsFamily", "ColumnUrl", "DatedUrl", "PagerScript", "ListScript", "FAMILIES", "BY_KEY", "GENERIC", "TRS",
           "HANWEB", "GKMLPT", "DATED_URLS", "PAGERS", "LIST_SCRIPTS", "COLUMN_URLS", "CONTENT_CONTAINERS", "DATE_METAS",
           "PAGE_METAS"]
