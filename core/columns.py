"""The column catalog (栏目): which catalog column a name or anchor text is, and how pages fold into columns.

Rules speak of catalog keys (work_news, notices …) while sites use many names for the same column;
config/columns.yaml is that vocabulary, kept as data so an auditor can extend it without code. Matching is
deliberately strict: a column name, not any headline that happens to contain 动态. The crawler classifies what
it sees with it, the checks name columns with it.
"""
from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from urllib.parse import urlsplit

import yaml

from core.resources import CONFIG_DIR

CONFIG = CONFIG_DIR / "columns.yaml"

_PUNCT = re.compile(r"[\s\u3000·•・、，,。.:：;；_\-—–()（）【】\[\]「」《》<>\"“”'‘’|/＞»›]+")
_UNIT = re.compile(r"^.{1,12}(厅|局|部|委|办|署|站|中心|市|省|县|区)$")


def _norm(name: str) -> str:
    return _PUNCT.sub("", name)


@lru_cache(maxsize=1)
def _types() -> dict:
    return yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["types"]


@lru_cache(maxsize=1)
def _catalog() -> tuple[dict[str, str], dict[str, str], list[tuple[str, str]], list[tuple[str, str]]]:
    """(key → canonical name, normalised name → key, [(prefix, key)], [(long alias, key)])."""
    types = _types()
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


def is_container(key: str | None) -> bool:
    """Does this column hold other columns (政府信息公开 → 财政预决算)? Then any column may sit behind its link."""
    return bool(key and _types().get(key, {}).get("container"))


@lru_cache(maxsize=64)
def content_titles(key: str) -> re.Pattern | None:
    """Titles of the documents that publish a column's content (预算/决算 for 财政预决算), or None when the
    catalog names none: a site that publishes them under another column covers the column's content."""
    pattern = _types().get(key, {}).get("titles")
    return re.compile(pattern) if pattern else None


def column_key(url: str, column: str | None) -> tuple:
    """The list pages of one column (index.html, index_1.html, ?page=2) share a host, a directory and a column
    (its catalog key, else its name): the checks fold them into one column, and a repeat audit reuses a column's
    further pages while its first page is unchanged."""
    parts = urlsplit(url)
    return parts.netloc, posixpath.dirname(parts.path), column
