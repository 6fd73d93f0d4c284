"""What a page's scripts may add once it runs in a browser: read on the static DOM, so the crawl can decide which
pages to render (crawler/render/need.py) without rendering them all.

`read(root, scripts, has_script_files)` gives {"data": bool, "builds": bool, "app_root": str | None,
"empty": [container]} or None when the page's scripts cannot add content (most pages).
"""
from __future__ import annotations

import re

from lxml import etree

# an inline script that asks the server for data: fetch(), XMLHttpRequest, jQuery's ajax/getJSON, axios
_DATA = re.compile(r"\bfetch\s*\(|XMLHttpRequest|\$\.(?:ajax|getJSON|post)\s*\(|\baxios\b|\$\.get\s*\(\s*['\"][^'\"]*"
                   r"(?:api|json|\.do|\.action|\.jsp|\.php|\.aspx)", re.IGNORECASE)
# an inline script that writes markup into the page
_BUILDS = re.compile(r"innerHTML|insertAdjacentHTML|appendChild|createElement|document\.write|"
                     r"\.(?:html|append)\s*\(")
_APP_ROOTS = etree.XPath("//*[@id='app' or @id='root' or @id='__next' or @id='__nuxt' or @data-v-app or @ng-app]"
                         "[not(descendant::text()[normalize-space()][not(ancestor::noscript)])]"
                         "[count(descendant::*) < 3]")
# a list or footer container with nothing in it
_EMPTY = etree.XPath("//*[self::ul or self::ol or self::tbody or self::table or self::div or self::dl]"
                     "[not(*)][normalize-space()=''][@id or @class]")
_LISTISH = re.compile(r"list|news|item|data|content|table|foot|bottom|copyright|dibu|yejiao", re.IGNORECASE)
_VISIBLE = etree.XPath("//body//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::noscript)]",
                      smart_strings=False)
MAX_APP_TEXT = 200  # visible characters: more than this, the page has content of its own


def _name(el) -> str:
    """ul#list, div.footer: how the container is named in the evidence."""
    if el.get("id"):
        return f"{el.tag}#{el.get('id')}"
    classes = (el.get("class") or "").split()
    return f"{el.tag}.{classes[0]}" if classes else el.tag


def _visible_chars(root) -> int:
    return sum(len(t.strip()) for t in _VISIBLE(root))


def read(root, scripts: list[str], has_script_files: bool) -> dict | None:
    """The page's scripted signals, or None when it has none. Read before the scripts leave the tree: a container
    that holds a script is not empty."""
    script_text = "\n".join(scripts)
    data = bool(script_text) and bool(_DATA.search(script_text))
    builds = bool(script_text) and bool(_BUILDS.search(script_text))
    app_root = None
    if scripts or has_script_files:
        roots = _APP_ROOTS(root)
        if roots and _visible_chars(root) < MAX_APP_TEXT:
            app_root = roots[0].get("id") or roots[0].tag
    if not (data or builds or app_root):
        return None
    empty = []
    if data or builds:
        for el in _EMPTY(root):
            name = _name(el)
            if _LISTISH.search(name) and name not in empty:
                empty.append(name)
                if len(empty) >= 10:
                    break
    return {"data": data, "builds": builds, "app_root": app_root, "empty": empty}
