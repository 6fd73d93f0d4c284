"""The homepage's 无障碍/适老化 entrance (GUIDE-12): a link or button that switches the site into an accessible or
elder-friendly mode (无障碍浏览, 关怀版, 长者模式, 适老化服务 …), named by its text, title, aria-label, alt or value.

Only a label that is the name of such a mode counts: a news headline about 无障碍环境建设 is no entrance.
"""
from __future__ import annotations

import re

WORDS = re.compile(r"无障碍|关怀|长者|适老|老年|长辈|读屏|大字")
_LABEL = re.compile(r"(?:适老化)?(?:无障碍|适老化?)(?:浏览|阅读|模式|版|服务|通道|工具条?|辅助|专区|入口)*|"
                    r"(?:关怀|长者|长辈|老年人?|大字|读屏)(?:模式|版|浏览|阅读)?(?:版)?|"
                    r"(?:适老化|无障碍)[和与及/、]?(?:适老化|无障碍)(?:服务|浏览|模式|版)?|辅助(?:浏览|阅读)(?:工具)?")
_PUNCT = re.compile(r"[\s\W_]+")
_CLICKABLE = ("a", "button", "input")
MAX_LABEL = 12


def _labels(el):
    text = " ".join("".join(el.itertext()).split()) if el.tag != "input" else ""
    for value in (text, el.get("title"), el.get("aria-label"), el.get("alt"), el.get("value")):
        if value:
            yield value


def entrance(root, html: str) -> dict | None:
    """{"label", "tag"} of the first 无障碍/适老化 entrance of the page, or None."""
    if not WORDS.search(html):
        return None
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        clickable = el.tag in _CLICKABLE or el.get("role") == "button" or el.get("onclick") is not None
        if not clickable and not (el.tag == "img" and el.getparent() is not None
                                  and el.getparent().tag in _CLICKABLE):
            continue
        for label in _labels(el):
            plain = _PUNCT.sub("", label)
            if len(plain) <= MAX_LABEL and WORDS.search(plain) and _LABEL.fullmatch(plain):
                return {"label": label.strip()[:40], "tag": el.tag}
    return None
