"""What a hacker injects into a government page: hidden links (暗链) and gambling, porn or fraud advertising.

Hacked pages carry links to gambling sites hidden from the reader (display:none, off-screen, zero size, a
one-pixel marquee, text coloured as its background, links written by document.write) and advertising text. Read
from one page's DOM and its own <style> blocks, with config/spam.yaml's vocabulary (the site's stylesheets are
read apart, `stylesheet_hiding`, and the checks put the two together):

- `hidden_links`: links to a non-government host hidden by the page (element path, how it is hidden, target);
- `styled`: visible-looking link farms (only outbound links) with a class or id, for the site's stylesheets to
  judge: a stylesheet is another response, read by the crawler as a resource (`stylesheet_hiding`); `menu` when
  the block looks like a group of a drop-down menu (its scripts may show what the stylesheet hides);
- `spam`: an `anywhere` term in the visible text; a `context` term in hidden text or as the text of a link to a
  non-government host; an outbound link whose host matches a category's `domains`.

A government host (…gov.cn, …gov) and the page's own host are never outbound; a short allow-list of sites that
government pages routinely link (checks decide what the rest means).
"""
from __future__ import annotations

import re
from functools import lru_cache

import yaml
from lxml import etree
from lxml import html as lhtml

from core.resources import CONFIG_DIR
from core.urls import host

CONFIG = CONFIG_DIR / "spam.yaml"
MAX_ITEMS = 20
MAX_ANCESTORS = 12
MAX_SCRIPT_WRITES = 50
OFF_SCREEN = 500  # px: a box moved further off the page than any layout does
MIN_FARM = 3  # hidden outbound links in one block: a link farm, not a collapsed widget
GOVERNMENT = re.compile(r"(?:^|\.)(?:gov\.cn|gov|政务\.cn|gov\.hk|gov\.mo)$")
# Sites government pages routinely link, in menus that may be collapsed: never a hidden link by themselves.
ROUTINE = re.compile(r"(?:^|\.)(?:12377\.cn|conac\.cn|cyberpolice\.cn|people\.com\.cn|xinhuanet\.com|news\.cn|"
                     r"cctv\.com|qstheory\.cn|gmw\.cn|chinadaily\.com\.cn|china\.com\.cn|ce\.cn|cnr\.cn|youth\.cn|"
                     r"weibo\.com|qq\.com|baidu\.com|amap\.com|12345\.cn|cpc\.cn|chinacourt\.org|12309\.gov\.cn)$")
_DECL = re.compile(r"([a-z-]+)\s*:\s*([^;]+)")
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_SIMPLE = re.compile(r"^\s*[a-z0-9]*([.#])([\w-]+)\s*$", re.IGNORECASE)
_WRITE = re.compile(r"document\.write(?:ln)?\s*\(\s*(['\"])(.{0,20000}?)(?<!\\)\1\s*\)", re.DOTALL)
_SHOWN = re.compile(r"display\s*:\s*(?!none)[a-z]|visibility\s*:\s*visible|opacity\s*:\s*(?:1|0?\.[1-9])")
_NAMES = re.compile(r"[.#][\w-]+")
MAX_STYLED = 3  # blocks of visible outbound links kept for the site's stylesheets to judge (checks)
MAX_STYLED_LINKS = 5
MAX_SELECTORS = 6
_NUMBER = re.compile(r"^(-?\d+(?:\.\d+)?)(px|pt|em|rem|%)?$")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    """{"anywhere": regex, "context": regex, "domains": regex, "category": term → category} from config/spam.yaml."""
    data = yaml.safe_load(CONFIG.read_text(encoding="utf-8")) or {}
    category, lists = {}, {"anywhere": [], "context": [], "domains": []}
    for name, entry in (data.get("categories") or {}).items():
        for key in lists:
            for term in entry.get(key) or ():
                lists[key].append(str(term))
                if key != "domains":
                    category[_SPACES.sub("", str(term)).lower()] = name
                else:
                    category[f"domain:{term}"] = name

    def terms(items):  # longest first, matched in text without whitespace (澳门 新葡京 is 澳门新葡京)
        squeezed = {_SPACES.sub("", t).lower() for t in items}
        return re.compile("|".join(map(re.escape, sorted(squeezed, key=len, reverse=True)))) if items else None

    domains = [(re.compile(d, re.IGNORECASE), category[f"domain:{d}"]) for d in lists["domains"]]
    return {"anywhere": terms(lists["anywhere"]), "context": terms(lists["context"]), "domains": domains,
            "category": category}


host_of = host  # the host, lower-case, without user info or port (fast: it runs for every link of every page)


def is_outbound(url: str, page_host: str) -> bool:
    """A link to another, non-government site (not the page's own host nor its parent domain)."""
    host = host_of(url)
    if not host or host == page_host or GOVERNMENT.search(host) or ROUTINE.search(host):
        return False
    own = ".".join(page_host.split(".")[-2:])
    return not (own and "." in own and not own.replace(".", "").isdigit() and host.endswith("." + own))


# --- hiding --------------------------------------------------------------------------------------------------


def _length(value: str) -> float | None:
    m = _NUMBER.match(value.strip().removesuffix("!important").strip())
    return float(m.group(1)) if m and m.group(2) in (None, "px", "pt") else None


def _colour(value: str) -> str:
    v = value.strip().lower().removesuffix("!important").strip()
    if re.fullmatch(r"#[0-9a-f]{3}", v):
        v = "#" + "".join(c * 2 for c in v[1:])
    return {"white": "#ffffff", "black": "#000000"}.get(v, v)


def hiding(style: str) -> str | None:
    """How an inline style or a rule's declarations hide an element, or None."""
    if not style or ":" not in style:
        return None
    decl = {k: v.strip() for k, v in _DECL.findall(style.lower())}
    if decl.get("display", "").startswith("none"):
        return "display:none"
    if decl.get("visibility", "").startswith(("hidden", "collapse")):
        return "visibility:hidden"
    if _length(decl.get("opacity", "1")) == 0:
        return "opacity:0"
    if _length(decl.get("font-size", "1")) == 0:
        return "font-size:0"
    clipped = decl.get("overflow", "").startswith("hidden")
    for side in ("height", "width"):
        size = _length(decl.get(side, ""))
        if size is not None and size <= 1 and clipped:
            return f"{side}:{decl[side]};overflow:hidden"
    if decl.get("position", "").startswith(("absolute", "fixed")):
        for side in ("left", "top", "right"):
            at = _length(decl.get(side, ""))
            if at is not None and at <= -OFF_SCREEN:
                return f"position:{decl['position']};{side}:{decl[side]}"
    indent = _length(decl.get("text-indent", ""))
    if indent is not None and indent <= -OFF_SCREEN:
        return f"text-indent:{decl['text-indent']}"
    colour, ground = decl.get("color"), decl.get("background-color") or decl.get("background")
    if colour and ground and _colour(colour) == _colour(ground.split()[0]):
        return f"color:{colour};background:{ground}"
    return None


def style_rules(styles: list[str]) -> dict[str, str]:
    """Simple selectors (.class, #id, tag.class) of the page's own <style> blocks (or of a stylesheet) that hide
    what they match: {".name" or "#name": how}. Descendant selectors (.nav ul {display:none}) are menus, not read,
    and neither is a selector another rule shows again (.sub {display:none} with .menu:hover .sub {display:block}:
    a drop-down menu)."""
    hidden: dict[str, str] = {}
    shown: set[str] = set()
    for css in styles:
        for selectors, body in _RULE.findall(re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)):
            how = hiding(body)
            if how:
                for selector in selectors.split(","):
                    if m := _SIMPLE.match(selector):
                        hidden.setdefault(m.group(1) + m.group(2), how)
            elif _SHOWN.search(body.lower()):
                shown.update(_NAMES.findall(selectors))
    return {name: how for name, how in hidden.items() if name not in shown}


def _marquee(el) -> str | None:
    for side in ("height", "width"):
        size = _length(el.get(side, "") or "")
        if size is not None and size <= 5:
            return f"marquee {side}={el.get(side)}"
    amount = _length(el.get("scrollamount", "") or "")
    return "marquee scrollamount" if amount is not None and amount >= 1000 else None


def how_hidden(el, rules: dict[str, str]) -> str | None:
    """How the element or one of its ancestors is hidden from the reader, or None."""
    return hider(el, rules)[0]


def hider(el, rules: dict[str, str]) -> tuple[str | None, object]:
    """(how, the element that hides): the element itself or one of its ancestors; (None, None) when visible."""
    node = el
    for _ in range(MAX_ANCESTORS):
        if node is None or not isinstance(node.tag, str) or node.tag in ("body", "html"):
            return None, None
        how = hiding(node.get("style") or "")
        if how is None and rules:
            for name in (node.get("class") or "").split():
                how = how or rules.get("." + name)
            if node.get("id"):
                how = how or rules.get("#" + node.get("id"))
        if how is None and node.get("hidden") is not None:
            how = "hidden 属性"
        if how is None and node.tag == "marquee":
            how = _marquee(node)
        if how:
            return how, node
        node = node.getparent()
    return None, None


def link_farm(block, urls: dict, page_host: str) -> bool:
    """A hidden block that is an injected link farm: at least MIN_FARM links to non-government hosts and none to
    a government site or the site's own pages. A collapsed menu of 友情链接 mixes both (gov.cn institutions beside
    a 人才网 and a library), a lone hidden vendor widget (智能问答, an accessibility badge) is one link."""
    outbound = 0
    for a in block.iter("a", "area"):
        url = urls.get(a) or (a.get("href") or "").strip()
        if not url or url.startswith("#") or url.lower().startswith(("javascript:", "mailto:")):
            continue
        if url.lower().startswith(("http://", "https://", "//")) and is_outbound(url, page_host):
            outbound += 1
        else:
            return False
    return outbound >= MIN_FARM


# --- the facts -----------------------------------------------------------------------------------------------


def _path(el) -> str:
    try:
        return el.getroottree().getpath(el)
    except (ValueError, AttributeError):
        return el.tag


def _text(el) -> str:
    return " ".join(" ".join(el.itertext()).split())[:200]


def _snippet(text: str, start: int, end: int) -> str:
    return text[max(0, start - 20):end + 20]


class _Found:
    def __init__(self):
        self.hidden_links: list[dict] = []
        self.spam: list[dict] = []
        self.styled: list[dict] = []  # [{"block": path, "selectors": […], "links": [{url, text, path}]}]
        self._seen: set = set()

    def spam_item(self, key, **item):
        if key not in self._seen and len(self.spam) < MAX_ITEMS:
            self._seen.add(key)
            self.spam.append(item)


def _terms(regex, text: str):
    """(match, term) in the text squeezed of whitespace and lower-cased; the match's positions are the squeezed
    text's (m.string)."""
    squeezed = "".join(text.split()).lower() if regex is not None and text else ""
    for m in regex.finditer(squeezed) if squeezed else ():
        yield m, m.group(0)


def read(root, anchors: list[tuple[object, str]], styles: list[str], scripts: list[str], text: str, html: str,
         page_url: str) -> dict:
    """The injected-content facts of one page: {"hidden_links": […], "spam": […]}, each bounded, empty when clean.
    anchors: (element, absolute URL) of the page's <a>/<area> links."""
    vocab, found = vocabulary(), _Found()
    page_host = host_of(page_url)
    origin = page_url[:page_url.find("/", page_url.find("//") + 2)] + "/" if page_url.count("/") >= 3 else page_url
    for m, term in _terms(vocab["anywhere"], text):
        found.spam_item(("text", term), category=vocab["category"].get(term), term=term, where="text",
                        snippet=_snippet(m.string, m.start(), m.end()))
    written = [w for script in scripts[:MAX_SCRIPT_WRITES] if "document.write" in script
               for w in _written_anchors(script)]
    outbound = [(el, url, None) for el, url in anchors if not url.startswith(origin) and is_outbound(url, page_host)]
    outbound += [(el, url, "document.write") for el, url in written if is_outbound(url, page_host)]
    context = vocab["context"] is not None and vocab["context"].search(html) is not None  # its terms are Chinese: no case
    if outbound or context:
        _links_and_hidden_text(root, outbound, context, styles, vocab, found, page_host)
    return {k: v for k, v in (("hidden_links", found.hidden_links), ("spam", found.spam), ("styled", found.styled))
            if v}


def _links_and_hidden_text(root, outbound: list[tuple], context: bool, styles: list[str], vocab: dict,
                           found: _Found, page_host: str) -> None:
    rules = style_rules(styles)
    urls = {el: url for el, url, _ in outbound}
    farms: dict = {}  # hiding block → is it a link farm (computed once per block)
    for el, url, via in outbound:
        label = _text(el)
        host = host_of(url)
        for pattern, category in vocab["domains"]:
            if pattern.search(host):
                found.spam_item(("domain", host), category=category, term=host, where="domain", url=url, text=label,
                                path=_path(el))
                break
        for m, term in _terms(vocab["context"], label):
            found.spam_item(("link", term, host), category=vocab["category"].get(term), term=term, where="link",
                            url=url, text=label, path=_path(el))
        how, block = hider(el, rules)
        if how is not None and block not in farms:
            farms[block] = link_farm(block, urls, page_host)
        if via and how:
            how = f"{via} 写入，{how}"
        if how and farms[block] and len(found.hidden_links) < MAX_ITEMS:
            found.hidden_links.append({"url": url, "text": label, "how": how, "path": _path(el)})
        elif how is None:
            _styled(el, url, label, urls, page_host, farms, found)
    if context:
        _hidden_text(root, rules, vocab, found)


def _styled(el, url: str, label: str, urls: dict, page_host: str, farms: dict, found: _Found) -> None:
    """A visible outbound link inside a link farm with a class or id: kept, with the farm's selectors, for the
    site's own stylesheets to judge (a stylesheet is another response: checks/types/injected_content.py)."""
    node, block, outer = el.getparent(), None, None
    selectors: list[str] = []
    for _ in range(MAX_ANCESTORS):
        if node is None or not isinstance(node.tag, str) or node.tag in ("body", "html"):
            break
        names = ["." + n for n in (node.get("class") or "").split()] + (["#" + node.get("id")] if node.get("id") else [])
        if names:
            if node not in farms:
                farms[node] = link_farm(node, urls, page_host)
            if not farms[node]:
                break  # an outer block holds more than outbound links: not a farm either
            block = block if block is not None else node
            outer = node
            selectors += names
        node = node.getparent()
    if block is None:
        return
    key = _path(block)
    group = next((g for g in found.styled if g["block"] == key), None)
    if group is None and len(found.styled) < MAX_STYLED:
        group = {"block": key, "selectors": selectors[:MAX_SELECTORS], "links": []}
        if _menu(block) or _menu(outer):
            group["menu"] = True
        found.styled.append(group)
    if group is not None and len(group["links"]) < MAX_STYLED_LINKS:
        group["links"].append({"url": url, "text": label, "path": _path(el)})


def _menu(node) -> bool:
    """A block that looks like one group of a drop-down menu: siblings of the same class (国务院部门网站, 地方政府网站,
    其他网站 …) or a short label just before it. Its scripts may show what its stylesheet hides."""
    parent, label = node.getparent(), node.getprevious()
    if parent is not None and node.get("class"):
        if sum(1 for c in parent if isinstance(c.tag, str) and c.get("class") == node.get("class")) >= 2:
            return True
    if label is not None and isinstance(label.tag, str) and label.tag not in ("a", "script", "style"):
        text = " ".join(" ".join(label.itertext()).split())
        return 0 < len(text) <= 12 and not label.xpath(".//a")
    return False


def _hidden_text(root, rules: dict[str, str], vocab: dict, found: _Found) -> None:
    """Context terms in text the page hides (an injected <div style="display:none">百家乐 …</div>)."""
    candidates = root.xpath("//*[@style or @hidden or self::marquee]")
    if rules:
        classes = {k[1:] for k in rules if k[0] == "."}
        ids = {k[1:] for k in rules if k[0] == "#"}
        candidates += [el for el in root.xpath("//*[@class or @id]")
                       if el.get("id") in ids or classes.intersection((el.get("class") or "").split())]
    for el in candidates:
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "body", "html"):
            continue
        how = how_hidden(el, rules)
        if not how:
            continue
        text = _text(el)
        for m, term in _terms(vocab["context"], text):
            found.spam_item(("hidden", term), category=vocab["category"].get(term), term=term, where="hidden",
                            how=how, path=_path(el), snippet=_snippet(m.string, m.start(), m.end()))


def _written_anchors(script: str) -> list[tuple[object, str]]:
    """(element, href) of the links a script writes with document.write, in a tree of their own (their hiding
    markup included); relative hrefs are the page's own and never outbound."""
    out = []
    for m in _WRITE.finditer(script):
        markup = m.group(2).replace("\\'", "'").replace('\\"', '"')
        if "<a" not in markup.lower():
            continue
        try:
            tree = lhtml.fragment_fromstring(markup, create_parent="div")
        except (etree.ParserError, ValueError):
            continue
        out += [(a, a.get("href").strip()) for a in tree.iter("a") if (a.get("href") or "").strip().lower()
                .startswith(("http://", "https://", "//"))]
    return [(a, "http:" + href if href.startswith("//") else href) for a, href in out]


def stylesheet_hiding(css: str) -> dict[str, str]:
    """The hiding selectors of one of the site's stylesheets ({".name": how}, at most MAX_ITEMS × 10): what a
    page's `styled` link farm is checked against."""
    return dict(list(style_rules([css]).items())[:MAX_ITEMS * 10])
