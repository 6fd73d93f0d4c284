"""injected_content: gambling, porn or fraud advertising and hidden links a hacker put into the site's pages."""
from __future__ import annotations

from datetime import date

from checks.base import CheckResult, CheckType, Hit
from checks.rule import Rule
from checks.snapshot import SiteSnapshot

WHERE = {"text": "页面正文", "hidden": "隐藏内容", "link": "外部链接文字", "domain": "外部链接域名"}
MAX_EXAMPLES = 5


class InjectedContent(CheckType):
    """What crawler/facts/injected.py read of each page (config/spam.yaml's vocabulary), one finding per thing
    across the site: an injected template repeats on every page, and is one problem to remove, with the pages
    it is on as evidence.

    `find: spam` — advertising terms in visible text (only the unambiguous ones), in hidden text or as the text of
    a link to a non-government site, and outbound links whose host is a known gambling or porn domain: one finding
    per term or host. `find: hidden` — links to a non-government site that the page hides (display:none,
    off-screen, zero size, a one-pixel marquee, colour as background, document.write): one finding per target
    host; a link already reported as advertising is not reported again."""

    def validate(self, params):
        return None if params.get("find") in ("spam", "hidden") else "params.find 必须是 spam 或 hidden"

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        groups: dict[str, list[tuple]] = {}  # what → [(page, item)]
        spam_urls = set()
        home = snap.home.url if snap.home else None
        for page in sorted(snap.ok_pages(), key=lambda p: (p.url != home, p.url)):
            found = (page.extra or {}).get("injected") or {}
            spam_urls.update(s["url"] for s in found.get("spam") or () if s.get("url"))
            if rule.params["find"] == "spam":
                for key, item in _one_per_injection(found.get("spam") or ()):
                    groups.setdefault(key, []).append((page, item))
            else:
                for item in found.get("hidden_links") or ():
                    groups.setdefault(_host(item["url"]), []).append((page, item))
        result = CheckResult()
        for key, seen in groups.items():
            if rule.params["find"] == "hidden":
                seen = [(page, item) for page, item in seen if item["url"] not in spam_urls]
                if seen:
                    result.hits.append(_hidden(key, seen))
            else:
                result.hits.append(_spam(key, seen))
        return result


def _one_per_injection(items) -> list[tuple[str, dict]]:
    """(what, item) for a page's advertising, one per injected thing: a link is one item however many ways it
    matched (its host, its text), and a term in the page text or hidden text that is the text of such a link is
    that link. Links are grouped by host across the site, terms by themselves."""
    links: dict[str, dict] = {}
    for item in items:
        if item.get("url"):
            links.setdefault(_host(item["url"]), item)
    anchors = [i.get("text") or "" for i in links.values()]
    out = [(f"host\x1f{host}", item) for host, item in links.items()]
    for item in items:
        if item.get("url"):
            continue
        term = "".join(item["term"].split())
        if not any(term in "".join(a.split()) or a and a in (item.get("snippet") or "") for a in anchors):
            out.append((f"term\x1f{item.get('category')}\x1f{term.lower()}", item))
    return out


def _host(url: str) -> str:
    return url.split("//", 1)[-1].split("/", 1)[0].lower()


def _pages(seen: list[tuple]) -> dict:
    pages = list(dict.fromkeys(page.url for page, _ in seen))
    return {"pages": len(pages), "examples": pages[:MAX_EXAMPLES]}


def _spam(key: str, seen: list[tuple]) -> Hit:
    page, item = seen[0]
    where = WHERE.get(item["where"], item["where"])
    target = f"，链接到 {item['url']}" if item.get("url") else ""
    more = f"等 {_pages(seen)['pages']} 个页面" if _pages(seen)["pages"] > 1 else ""
    evidence = {"title": page.title, "category": item.get("category"), "term": item["term"], "where": where,
                "snippet": item.get("snippet") or item.get("text"), "target": item.get("url"), "how": item.get("how"),
                "element": item.get("path")} | _pages(seen)
    return Hit(page.url, f"「{page.title or page.url}」{more}的{where}含有{item.get('category') or ''}信息「{item['term']}」"
                         f"{target}", {k: v for k, v in evidence.items() if v is not None},
               locator=f"spam:{key}")


def _hidden(host: str, seen: list[tuple]) -> Hit:
    page, item = seen[0]
    targets = list(dict.fromkeys(i["url"] for _, i in seen))
    more = f"等 {_pages(seen)['pages']} 个页面" if _pages(seen)["pages"] > 1 else ""
    return Hit(page.url, f"「{page.title or page.url}」{more}含有隐藏的外部链接「{item['text'] or item['url']}」（{item['how']}），"
                         f"指向 {host}",
               {"title": page.title, "target": item["url"], "anchor": item["text"], "how": item["how"],
                "element": item["path"], "targets": targets[:MAX_EXAMPLES]} | _pages(seen),
               locator=f"hidden:{host}")
