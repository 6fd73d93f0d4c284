"""Breadcrumbs: the column a page says it belongs to (当前位置：首页 > 政务公开 > 工作动态).

Which catalog column a name is: core.columns.
"""
from __future__ import annotations

import re

# Breadcrumbs: 当前位置：首页 > 政务公开 > 工作动态
_CRUMB_START = re.compile(r"(?:当前位置|您的位置|您现在的位置|你的位置|您当前的位置|所在位置|现在位置|当前页面)\s*[:：]?\s*|(?=首页\s*(?:>|»|＞|›|→|/))")
_CRUMB_SEP = re.compile(r"\s*(?:>>|>|»|＞|›|→|/)\s*")
_NOT_COLUMN = {"正文", "详情", "内容", "文章", "正文内容", "详细内容", "详细信息", "浏览", "阅读", "首页", "信息详情"}


def breadcrumb_column(text: str) -> str | None:
    """Last column of a breadcrumb in the page text (current page titles like 正文 skipped)."""
    m = _CRUMB_START.search(text)
    if not m:
        return None
    parts = _CRUMB_SEP.split(text[m.end(): m.end() + 160])
    crumbs = []
    for part in parts:  # the last crumb runs into the following text: stop at the first space
        head, space, _ = part.strip().partition(" ")
        crumbs.append(head)
        if space:
            break
    if len(crumbs) < 2:
        return None
    for crumb in reversed(crumbs):
        if crumb and crumb not in _NOT_COLUMN and len(crumb) <= 20:
            return crumb
    return None
