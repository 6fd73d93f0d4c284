"""TRS WCM（拓尔思）: the CMS of many ministry, provincial and city bureau sites.

- A document lives in a month folder under its column's directory and is named after its day and number:
  /xxdt/gzdt/202403/t20240305_123.html. The month folder repeats the first six digits of the day, so a URL where
  they disagree (/202403/t20240405_1.html) is not one of these and gives no date.
- A column's list pages are index.html, index_1.html, index_2.html …; their pager is written by a script call,
  createPageHTML(total, current, "index", "html") (defined in the site's common.js). The crawler runs no
  JavaScript, so it lists index_1.html … index_{total-1}.html from the call's arguments.
- The article's text is in <div class="TRS_Editor"> (TRS_UEDITOR with the newer editor). The 信息公开 header
  table (索引号 … 成文日期) sits outside it, which is why the content area is wider than this box.
"""
from __future__ import annotations

import re
from datetime import date

from .model import CmsFamily, DatedUrl, PagerScript


def _document_date(m: re.Match[str]) -> date | None:
    month_folder, day = m.groups()
    if not day.startswith(month_folder):
        return None  # /202403/t20240405_1.html: the folder and the day disagree, not a TRS document URL
    return date(int(day[:4]), int(day[4:6]), int(day[6:]))


DOCUMENT = DatedUrl(
    pattern=re.compile(r"/(\d{6})/t(\d{8})_\d+\.s?html?"),
    read=_document_date,
    source="url:trs",
    template="{day:%Y%m}/t{day:%Y%m%d}_{doc}.html",  # under the column's directory
)


def _list_page(name: str, i: int, ext: str) -> str:
    """index.html, then index_1.html, index_2.html … (what common.js's createPageHTML links to)."""
    return f"{name}.{ext}" if i == 0 else f"{name}_{i}.{ext}"


PAGER = PagerScript(
    function="createPageHTML",
    call=re.compile(r"createPageHTML\s*\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"]([\w-]+)['\"]\s*,"
                    r"\s*['\"](\w+)['\"]"),
    read=lambda m: (int(m.group(1)), m.group(3), m.group(4)),
    page_name=_list_page,
    template='createPageHTML({total}, {current}, "{name}", "{ext}");',
)

FAMILY = CmsFamily(
    key="trs",
    name="TRS WCM（拓尔思）",
    dated_urls=(DOCUMENT,),
    pagers=(PAGER,),
    content_containers=(r"trs_editor", r"trs_ueditor"),  # class="TRS_Editor", class="TRS_UEDITOR"
)
