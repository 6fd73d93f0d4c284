"""Outgoing references of a page: the input of link checking and of the crawl frontier.

A page has hundreds of links, so joining is done with a small per-page resolver that handles the
common shapes (absolute, //host, /path, plain relative) directly and leaves the rest to urljoin.
"""
from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from crawler.cms import PAGERS

from .model import Link

# element tag → the attribute that holds its reference
REF_ATTR = {"a": "href", "area": "href", "link": "href", "img": "src", "script": "src",
            "iframe": "src", "embed": "src", "object": "data"}
_SKIP = ("javascript:", "mailto:", "tel:", "data:", "about:", "vbscript:")
MAX_PAGES = 500  # a column with more list pages than this is paged further by the crawl itself


def netloc(url: str) -> str:
    """host[:port] of a URL, as urlsplit(url).netloc gives it, in a fraction of its time (it runs for every link)."""
    start = url.find("//")
    if start < 0 or url[:start] not in ("http:", "https:"):
        return urlsplit(url).netloc
    start += 2
    end = len(url)
    for sep in "/?#":
        found = url.find(sep, start, end)
        if found >= 0:
            end = found
    return url[start:end]


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

    def __call__(self, ref: str) -> tuple[str, str | None] | None:
        """(absolute URL without fragment, fragment or None), or None for a reference not to follow."""
        try:
            return self._seen[ref]
        except KeyError:
            target = self._seen[ref] = self._resolve(ref)
            return target

    def _resolve(self, ref: str) -> tuple[str, str | None] | None:
        ref = ref.strip()
        if not ref or ref[0] == "#":
            return None
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
            url = urljoin(self.base, ref)
        if "\\" in url or " " in url:
            url = url.replace("\\", "/").replace(" ", "%20")
        return url, fragment


def element_link(el, tag: str, ref: str, resolve: Resolver) -> Link | None:
    """The Link of one referencing element (ref: its href/src/data value), or None."""
    target = resolve(ref)
    if target is None:
        return None
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
