"""Columns (栏目): what a page calls its column, and which catalog column that is.

Rules speak of catalog keys (work_news, notices …) while sites use many names for the same column;
config/columns.yaml is that vocabulary, kept as data so an auditor can extend it without code.
Matching is deliberately strict: a column name, not any headline that happens to contain 动态.
"""
from __future__ import annotations

import re
from functools import lru_cache

import yaml

from gkaudit.resources import config_dir

CONFIG = config_dir() / "columns.yaml"

_PUNCT = re.compile(r"[\s\u3000·•・、，,。.:：;；_\-—–()（）【】\[\]「」《》<>\"“”'‘’|/＞»›]+")
_UNIT = re.compile(r"^.{1,12}(厅|局|部|委|办|署|站|中心|市|省|县|区)$")

# Breadcrumbs: 当前位置：首页 > 政务公开 > 工作动态
_CRUMB_START = re.compile(r"(?:当前位置|您的位置|您现在的位置|你的位置|您当前的位置|所在位置|现在位置|当前页面)\s*[:：]?\s*|(?=首页\s*(?:>|»|＞|›|→|/))")
_CRUMB_SEP = re.compile(r"\s*(?:>>|>|»|＞|›|→|/)\s*")
_NOT_COLUMN = {"正文", "详情", "内容", "文章", "正文内容", "详细内容", "详细信息", "浏览", "阅读", "首页", "信息详情"}


def _norm(name: str) -> str:
    return _PUNCT.sub("", name)


@lru_cache(maxsize=1)
def _catalog() -> tuple[dict[str, str], dict[str, str], list[tuple[str, str]], list[tuple[str, str]]]:
    """(key → canonical name, normalised name → key, [(prefix, key)], [(long alias, key)])."""
    types = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["types"]
    labels, exact, prefixes, long_aliases = {}, {}, [], []
    for key, spec in types.items():
        labels[key] = spec["name"]
        for name in [spec["name"], *spec.get("aliases", [])]:
            exact.setdefault(_norm(name), key)
            if len(name) >= 4:
                long_aliases.append((_norm(name), key))
        prefixes += [(p, key) for p in spec.get("prefixes", [])]
    long_aliases.sort(key=lambda a: -len(a[0]))
    return labels, exact, prefixes, long_aliases


@lru_cache(maxsize=8192)  # a site's navigation repeats the same anchor texts on every page
def classify_column(name: str | None) -> str | None:
    """Catalog key for a column name or anchor text, or None if it is not a catalog column."""
    if not name:
        return None
    n = _norm(name)
    if not n or len(n) > 24:
        return None
    _, exact, prefixes, long_aliases = _catalog()
    if n in exact:
        return exact[n]
    for prefix, key in prefixes:
        if n.startswith(prefix) and 2 <= len(n) - len(prefix) <= 12:
            return key
    for alias, key in long_aliases:  # 生态环境厅工作动态: the unit's name, then the column
        if n.endswith(alias) and _UNIT.match(n[: -len(alias)]):
            return key
    return None


def column_label(key: str) -> str:
    """The canonical Chinese name of a catalog key (KeyError if unknown)."""
    return _catalog()[0][key]


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
