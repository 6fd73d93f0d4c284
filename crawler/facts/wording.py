"""Listed terms in a page's content: outdated institution names and serious wording errors.

The vocabulary is config/wording.yaml (`outdated:` list, keys of the `serious:` mapping), loaded
once. An outdated name is not reported where it is not the old institution's name:
- part of a current name: preceded by 生态 (生态环境保护局, 生态环保局);
- a different word made with its last character: 环境保护部门, 环境保护部署, 环境保护部分, 环境保护局面 …;
- explicitly the former name (原环境保护部) or a citation: inside 《…》, or 环境保护部令 (a document number).
Serious terms are reported wherever they occur.
"""
from __future__ import annotations

import re
from functools import lru_cache

import yaml

from core.resources import CONFIG_DIR

from .personal import snippet

CONFIG = CONFIG_DIR / "wording.yaml"
MAX_HITS = 20
_CURRENT_PREFIX = "生态"
_OTHER_WORDS = {"部门", "部署", "部分", "部位", "部队", "部令", "局面", "局势", "局部", "局限", "厅堂"}
_CITATION_WINDOW = 60


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[re.Pattern | None, dict[str, str]]:
    """(one alternation of every term, longest first; term → "outdated" | "serious"), from the YAML."""
    data = yaml.safe_load(CONFIG.read_text(encoding="utf-8")) or {}
    return _compile(data.get("serious") or {}, data.get("outdated") or [])


def _compile(serious, outdated) -> tuple[re.Pattern | None, dict[str, str]]:
    lists = {str(t): "serious" for t in serious}
    lists.update({str(t): "outdated" for t in outdated})
    lists = {t: kind for t, kind in lists.items() if t}
    if not lists:
        return None, {}
    pattern = re.compile("|".join(re.escape(t) for t in sorted(lists, key=len, reverse=True)))
    return pattern, lists


# 原东湖区环境保护局 / 会同原环境保护部: the former name, said as such. A 原 followed by 市/县/区… ends a place name
# (太原市, 平原县, 中原区), and the old name after it is still reported.
_FORMER = re.compile(r"原(?![市县区州旗盟镇乡])[\u4e00-\u9fff]{0,8}$")


def _not_the_old_name(text: str, start: int, end: int) -> bool:
    if text.endswith(_CURRENT_PREFIX, max(0, start - 2), start) or _FORMER.search(text, max(0, start - 9), start):
        return True
    if text[end - 1:end + 1] in _OTHER_WORDS:
        return True
    opened = text.rfind("《", max(0, start - _CITATION_WINDOW), start)
    return opened >= 0 and "》" not in text[opened:start]


def hits(text: str) -> list[dict]:
    """{"term", "list", "snippet"} for each occurrence, at most 20, in order of appearance."""
    pattern, lists = _vocabulary()
    if pattern is None:
        return []
    out = []
    for m in pattern.finditer(text):
        term = m.group()
        kind = lists[term]
        if kind == "outdated" and _not_the_old_name(text, m.start(), m.end()):
            continue
        out.append({"term": term, "list": kind, "snippet": snippet(text, m.start(), m.end())})
        if len(out) >= MAX_HITS:
            break
    return out
