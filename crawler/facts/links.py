"""Outgoing references of a page: the input of link checking and of the crawl frontier.

A page has hundreds of links, so joining is done with a small per-page resolver that handles the
common shapes (absolute, //host, /path, plain relative) directly and leaves the rest to urljoin.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import etree

from core.urls import netloc
from crawler.cms import PAGERS

from .model import Link

# element tag → the attributes that hold its references (srcset: a list of candidates)
REF_ATTRS = {"a": ("href",), "area": ("href",), "link": ("href",), "img": ("src", "srcset"), "script": ("src",),
             "iframe": ("src",), "frame": ("src",), "embed": ("src",), "object": ("data",),
             "source": ("src", "srcset"), "track": ("src",), "video": ("poster", "src"), "audio": ("src",),
             "input": ("formaction",), "button": ("formaction",)}
REF_TAGS = (*REF_ATTRS, "meta")
_TAG_OF = {"input": "formaction", "button": "formaction"}  # the link's tag when it is not the element's
_SKIP = ("javascript:", "mailto:", "tel:", "data:", "about:", "vbscript:", "blob:")
MAX_PAGES = 500  # a column with more list pages than this is paged further by the crawl itself
MAX_CSS_REFS = 100  # url() references read from one page's <style> blocks and style attributes (or one stylesheet)
MAX_SRCSET = 10  # candidates read from one srcset
_REFRESH = re.compile(r"""^\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?(['"]?)(.*?)\1\s*$""", re.I | re.S)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.I | re.S)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_HAS_CSS_REF = etree.XPath("//@style[contains(., 'url(')]", smart_strings=False)


def element_refs(el, tag: str) -> list[tuple[object, str, str]]:
    """(element, link tag, reference) for each reference an element holds: href/src, every srcset candidate, a
    video's poster, a button's formaction, a <meta http-equiv=refresh> target."""
    if tag == "meta":
        equiv = (el.get("http-equiv") or "").strip().lower()
        if equiv != "refresh" or next(el.iterancestors("noscript"), None) is not None:
            return []  # a refresh for browsers without JavaScript is not what a visitor sees
        m = _REFRESH.match(el.get("content") or "")
        return [(el, "meta", m.group(2))] if m and m.group(2).strip() else []
    found = []
    for attr in REF_ATTRS[tag]:
        value = el.get(attr)
        if not value:
            continue
        if attr == "srcset":
            found += [(el, tag, c.split()[0]) for c in value.split(",")[:MAX_SRCSET] if c.strip()]
        else:
            found.append((el, _TAG_OF.get(tag, tag), value))
    return found


def css_refs(css: str) -> list[str]:
    """The url() and @import references of a piece of CSS (a stylesheet, a <style> block, a style attribute)."""
    if "url(" not in css and "@import" not in css:
        return []
    css = _CSS_COMMENT.sub("", css)
    return [m.group(2) or m.group(4) for m in _CSS_URL.finditer(css)][:MAX_CSS_REFS]


def page_css_links(root, html: str, resolve: "Resolver") -> list[Link]:
    """The CSS references of a page's <style> blocks and style attributes, at most MAX_CSS_REFS (tag "css")."""
    if "url(" not in html and "@import" not in html:
        return []
    texts = [el.text for el in root.iter("style") if el.text]
    texts += _HAS_CSS_REF(root)
    refs = [ref for text in texts for ref in css_refs(text)][:MAX_CSS_REFS]
    return [Link(url=t[0], tag="css", fragment=None) for ref in refs if (t := resolve(ref)) and t[0] != resolve.page]


# A CMS template's placeholder left in an address ({{el.url}}, ${url}, <%=url%>, [!--url--], {$url}): a link that
# leads nowhere (空链), judged without asking the server.
TEMPLATE_LEFTOVER = re.compile(r"\{\{|\}\}|\$\{|<%|%>|\[!--|\{\$|%7B%7B|%7D%7D|%24%7B|%3C%25", re.IGNORECASE)
# Attributes through which a script handles an anchor's click: an empty href beside them is no dead end.
CLICK_ATTRS = ("onclick", "ng-click", "@click", "v-on:click", "data-toggle", "data-bs-toggle", "data-url", "data-href")


def invalid(url: str) -> str | None:
    """Why a resolved link cannot be fetched as written: "invalid-url" (a web address with no host),
    "local-file" (file: or a Windows drive path: the author's own disk), "template" (a template placeholder
    left in it); None otherwise."""
    if TEMPLATE_LEFTOVER.search(url):
        return "template"
    scheme = url[: url.find(":")].lower() if ":" in url else ""
    if scheme in ("http", "https"):
        try:
            host = urlsplit(url).hostname
        except ValueError:
            return "invalid-url"
        return None if host and host.strip(".") else "invalid-url"
    if scheme == "file" or len(scheme) == 1:
        return "local-file"
    return None


class Resolver:
    """Make references absolute against one base URL."""

    def __init__(self, base: str):
        self.base = base
        self._seen: dict[str, tuple[str, str | None] | None] = {}  # pages repeat their references
        parts = urlsplit(base)
        self.scheme = parts.scheme or "http"
        self.origin = f"{self.scheme}://{parts.netloc}"
        path = parts.path or "/"
        self.dir = self.origin + path[: path.rfind("/") + 1]
        self.page = base.partition("#")[0]  # what a same-page "#x" reference points to

    def __call__(self, ref: str) -> tuple[str, str | None] | None:
        """(absolute URL without fragment, fragment or None), or None for a reference not to follow."""
        try:
            return self._seen[ref]
        except KeyError:
            target = self._seen[ref] = self._resolve(ref)
            return target

    def _resolve(self, ref: str) -> tuple[str, str | None] | None:
        ref = ref.strip()
        if not ref or ref == "#":
            return None
        if ref[0] == "#":  # same page: only its fragment is checked (LINK-FRAGMENT)
            return self.page, ref[1:]
        low = ref[:11].lower()
        if low.startswith(_SKIP):
            return None
        ref, hash_, fragment = ref.partition("#")
        fragment = fragment if hash_ else None
        if low.startswith(("http://", "https://")):
            url = ref
        elif ref.startswith("//"):
            url = f"{self.scheme}:{ref}"
        elif ref[0] == "/":
            url = self.origin + ref
        elif ref[0] not in ".?" and ":" not in ref.split("/", 1)[0]:
            url = self.dir + ref
        else:
            try:
                url = urljoin(self.base, ref)
            except ValueError:  # e.g. an unclosed IPv6 bracket: kept as written, judged 链接地址无效
                url = ref
        if "\\" in url or " " in url:
            url = url.replace("\\", "/").replace(" ", "%20")
        return url, fragment


def element_link(el, tag: str, ref: str, resolve: Resolver) -> Link | None:
    """The Link of one referencing element (ref: its href/src/data value), or None."""
    target = resolve(ref)
    if target is None or target[0] == resolve.page and target[1] is not None and el.get("onclick"):
        return None  # a same-page "#x" with onclick is a script's button (href="#none"), not a way to an anchor
    if tag in ("a", "area"):
        text = el.text if len(el) == 0 else "".join(el.itertext())
        text = " ".join(text.split()) if text else ""
        text = text or el.get("title") or el.get("alt") or ""
    elif tag == "form":  # what the form asks for: placeholders, button labels (请输入关键字 搜索)
        parts = [el.get("title") or ""]
        for child in el.iter("input", "button"):
            kind = (child.get("type") or "text").lower()
            if kind == "hidden":
                continue
            parts.append(child.get("placeholder") or child.get("value") or child.get("title") or
                         "".join(child.itertext()))
        text = " ".join(" ".join(p.split()) for p in parts if p and p.strip())[:200]
    else:
        text = el.get("alt") or el.get("title") or ""
    return Link(url=target[0], tag=tag, text=text.strip(), fragment=target[1])


def pagination(script: str, page_url: str) -> list[Link]:
    """The further list pages a pager script implies, beside the list page (crawler/cms: TRS
    createPageHTML(total, current, "index", "html") → index_1.html … index_{total-1}.html), at most MAX_PAGES."""
    for pager in PAGERS:
        m = pager.call.search(script) if pager.function in script else None
        if m:
            base = Resolver(page_url).dir
            return [Link(url=base + name, tag="pagination") for name in pager.further(m, MAX_PAGES)]
    return []


def empty_anchor(el) -> bool:
    """An <a href=""> with a text and no script handling its click: a menu item or link that leads nowhere."""
    href = el.get("href")
    return (href is not None and not href.strip() and not any(el.get(a) is not None for a in CLICK_ATTRS)
            and bool("".join(el.itertext()).strip()))
