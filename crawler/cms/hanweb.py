"""Hanweb（大汉）: the CMS of many provincial and county government sites (jcms).

- A document's URL holds its day and its column: /art/2024/3/5/art_1002_5101.html (year, month and day without
  leading zeros, then art_<column id>_<document id>). A month or day out of range (/art/2024/13/5/…) is no date.
- A column lives at /col/col1002/index.html, and its list is not in the page's markup: the records are shipped in
  a <script type="text/xml"><datastore> as <record><![CDATA[ <li>…</li> ]]></record>, and the jpage script
  (dataproxy.js) pages through them in the browser. The crawler reads the records shipped with the page (the
  newest first, which is what freshness needs) as the column's list; later groups that the script would fetch
  from dataproxy.jsp are not followed.
- The column number ties a list to its documents: /col/col1002/index.html lists /art/…/art_1002_N.html. A list
  written in the page's markup (some templates do) may show no dates at all; its items are still the documents of
  the column's number (COLUMN), so the column is judged, and its undated items count as not updated.
- The article's text is in <div id="zoom"> (fontzoom on some templates: the 字号 大 中 小 buttons resize it).
"""
from __future__ import annotations

import re
from datetime import date

from .model import CmsFamily, ColumnUrl, DatedUrl, ListScript

DOCUMENT = DatedUrl(
    pattern=re.compile(r"/art/(\d{4})/(\d{1,2})/(\d{1,2})/art_\d+_\d+\.s?html?"),
    read=lambda m: date(*map(int, m.groups())),
    source="url:hanweb",
    template="/art/{day.year}/{day.month}/{day.day}/art_{column}_{doc}.html",
)

DATASTORE = ListScript(
    marker="<record",
    record=re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S),
    template="<record><![CDATA[{markup}]]></record>",
)

COLUMN = ColumnUrl(
    page=re.compile(r"/col/col(\d+)/(?:index\.s?html?|index\.jsp)?(?:[?#]|$)"),
    item=re.compile(r"/art/(?:\d{4}/\d{1,2}/\d{1,2}/)?art_(\d+)_\d+\.s?html?"),
)

FAMILY = CmsFamily(
    key="hanweb",
    name="大汉（Hanweb）",
    dated_urls=(DOCUMENT,),
    list_scripts=(DATASTORE,),
    column_urls=(COLUMN,),
    content_containers=(r"(?:^|\s)(?:zoom|fontzoom)(?:$|\s)",),  # id="zoom", id="fontzoom": whole words only
)
