"""Parts of a page its scripts fetch from static files: headers, footers and menus templates load with jQuery
(`$("#footer").load("/inc/footer.html")`, `$.get("/inc/nav.html", …)`) or write from a script file of their own
(`<script src="/js/foot_2020.js">` full of document.write). Read statically, such a page has no 网站标识码, ICP备案
or navigation: a false finding. The crawl fetches each fragment once per site and reads it as a page of its own
(crawler.spiders.site); the checks merge what a fragment holds into the pages that load it (checks/fragments.py).

- `includes(scripts, script_srcs, resolve)`: the fragments a page loads, as {"url", "how", "into"}.
- `written_markup(js)`: the HTML a script file writes (document.write / innerHTML / .html / .append of string
  literals, concatenations of literals joined; variables left out), for reading as a page.
"""
from __future__ import annotations

import re
from urllib.parse import unquote

MAX_FRAGMENTS = 10
MAX_WRITTEN = 200_000  # characters of markup read from one script file
# $("#footer").load("/inc/footer.html #main") — a string argument: .load(function…) is an event handler
_LOAD = re.compile(r"""(?:\$|jQuery)\(\s*(['"])([^'"]{1,120})\1\s*\)\s*\.load\(\s*(['"])([^'"\s]{1,300})[^'"]*\3""")
# $.get("/inc/nav.html", function (d) { $("#nav").html(d) }) / $.ajax({url: "/inc/nav.html" … — HTML files only
_GET = re.compile(r"""(?:\$|jQuery)\.(?:get|ajax)\(\s*(?:\{[^}]{0,80}?url\s*:\s*)?(['"])([^'"\s]{1,300}?\.s?html?)\1""")
_INTO = re.compile(r"""(?:\$|jQuery)\(\s*(['"])([^'"]{1,120})\1\s*\)\s*\.(?:html|append|prepend|replaceWith)\(""")
# a script file that builds a header, footer or menu by name (head_2020.js, public_foot_response_2020.js, nav.js)
_PART = re.compile(r"(?:^|[/_.-])(?:head|header|top|foot|footer|bottom|nav|menu|daohang|dibu|yejiao|toubu)"
                   r"(?:[_.-][^/]*)?\.js(?:\?[^/]*)?$", re.IGNORECASE)
_PIECES = re.compile(r"""(['"])((?:\\.|(?!\1).){0,20000}?)\1""", re.DOTALL)
_WRITES = re.compile(r"document\.write(?:ln)?\s*\(|\.innerHTML\s*\+?=|\.(?:html|append|prepend)\s*\(")
_ESCAPES = {"n": "\n", "t": "\t", "r": "", "'": "'", '"': '"', "\\": "\\", "/": "/"}


def includes(scripts: list[str], script_srcs: list[str], resolve) -> list[dict]:
    """The static fragments the page's scripts load: jQuery .load/$.get of an HTML file (with the element they go
    into), and the page's own script files named as a header/footer/menu part. resolve: the page's Resolver."""
    found: dict[str, dict] = {}

    def add(ref: str, how: str, into: str | None) -> None:
        target = resolve(ref.strip())
        if target and target[0] not in found and len(found) < MAX_FRAGMENTS:
            found[target[0]] = {"url": target[0], "how": how, "into": into}

    for script in scripts:
        if ".load" in script:
            for m in _LOAD.finditer(script):
                add(m.group(4), "jquery.load", m.group(2))
        if ".get" in script or ".ajax" in script:
            for m in _GET.finditer(script):
                into = _INTO.search(script, m.end())
                add(m.group(2), "jquery.get", into.group(2) if into else None)
    for src in script_srcs:
        if _PART.search(src.split("#", 1)[0]):
            add(src, "script", None)
    return list(found.values())


def _literal(body: str) -> str:
    return re.sub(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)",
                  lambda m: chr(int(m.group(1)[1:], 16)) if m.group(1)[0] in "ux" and len(m.group(1)) > 1
                  else _ESCAPES.get(m.group(1), m.group(1)), body)


def written_markup(js: str) -> str:
    """The markup a script writes: the string literals of each document.write(…), innerHTML = …, .html(…),
    .append(…) statement, joined (variables and calls left out). Empty when it writes none."""
    out, total = [], 0
    for m in _WRITES.finditer(js):
        end = js.find(";", m.end())
        statement = js[m.end(): end if end >= 0 else len(js)]
        while end >= 0 and statement.count("'") % 2 + statement.count('"') % 2:  # a ; inside a literal
            nxt = js.find(";", end + 1)
            end = nxt
            statement = js[m.end(): end if end >= 0 else len(js)]
        pieces = [_literal(p.group(2)) for p in _PIECES.finditer(statement)]
        if "unescape(" in statement or "decodeURIComponent(" in statement:
            pieces = [unquote(p) for p in pieces]
        markup = "".join(pieces)
        if "<" in markup or len(markup) > 20:
            out.append(markup)
            total += len(markup)
            if total >= MAX_WRITTEN:
                break
    return "\n".join(out)[:MAX_WRITTEN]
