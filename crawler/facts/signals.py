"""Pages that are not what they seem: anti-bot challenges and soft 404s.

A challenge page means "could not verify", never "broken" or "blank column", so it must be
recognised before any other fact is trusted. Only small pages qualify: a real article may mention
404 or carry a cookie script.
"""
from __future__ import annotations

import re

_JSL = re.compile(r"__jsl_clearance|__jsluid|_jsl_|\('_'\)\+\('_'\)\+\('j'\)\+\('s'\)\+\('l'\)|jsl_clearance")
_NOT_FOUND = re.compile(r"页面不存在|页面未找到|找不到(?:该|您要访问的|您访问的)?页面|页面找不到|您访问的页面不存在|"
                        r"访问的页面已删除|\b404\b|not\s+found", re.I)
MAX_CHALLENGE_CHARS = 20_000
MAX_SOFT404_TEXT = 600


def challenge(html: str, scripts: str, visible_chars: int) -> str | None:
    """'jsl' (加速乐), 'acw_sc__v2' (Aliyun WAF), 'js-cookie' (any cookie-and-reload page), or None."""
    if len(html) > MAX_CHALLENGE_CHARS:
        return None
    if _JSL.search(scripts) or "__jsl_clearance" in html:
        return "jsl"
    if "acw_sc__v2" in html:
        return "acw_sc__v2"
    if visible_chars < 200 and "document.cookie" in scripts and ("location" in scripts or "reload" in scripts):
        return "js-cookie"
    return None


def soft_404(title: str | None, visible_text: str) -> bool:
    """A short page whose title or text says the page does not exist."""
    if len(visible_text) > MAX_SOFT404_TEXT:
        return False
    return bool(title and len(title) <= 40 and _NOT_FOUND.search(title)) or bool(_NOT_FOUND.search(visible_text))
