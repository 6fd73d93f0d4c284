"""injected_content: gambling, porn or fraud advertising and hidden links a hacker put into the site's pages."""
from __future__ import annotations

from datetime import date

from checks.base import CheckResult, CheckType, Hit
from checks.rule import Rule
from checks.snapshot import SiteSnapshot
from checks.types.date_future import crawl_day
from store.history import PriorPage

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
    host; a link already reported as advertising is not reported again. A link farm the page shows is hidden
    too when one of the site's stylesheets the page links (and their @imports) hides a class or id of its block —
    except by display:none or visibility:hidden when the block looks like a group of a drop-down menu (siblings of
    the same class, a short label before it: the page's scripts open it).

    When the site has an earlier complete audit in the database, the finding says whether the page already carried
    the thing then (it was left in place since) or not (it appeared between the two audits: the window in which to
    look for the intrusion in the server's logs)."""

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
                for item in (found.get("hidden_links") or []) + _styled(snap, page, found.get("styled")):
                    groups.setdefault(_host(item["url"]), []).append((page, item))
        result = CheckResult()
        for key, seen in groups.items():
            if rule.params["find"] == "hidden":
                seen = [(page, item) for page, item in seen if item["url"] not in spam_urls]
                if seen:
                    result.hits.append(_since(_hidden(key, seen), seen[0], snap))
            else:
                result.hits.append(_since(_spam(key, seen), seen[0], snap))
        return result


COLLAPSED = ("{display:none}", "{visibility:hidden}")  # how a drop-down menu's scripts collapse it: not a hack there


def _styled(snap: SiteSnapshot, page, blocks) -> list[dict]:
    """The page's visible-looking link farms that one of the site's stylesheets hides, as hidden links."""
    if not blocks:
        return []
    hiding = {}
    for sheet in snap.stylesheets(page.url):
        for selector, how in ((sheet.extra or {}).get("hiding") or {}).items():
            hiding.setdefault(selector, f"样式表 {sheet.url} 中 {selector} {{{how}}}")
    out = []
    for block in blocks:
        how = next((hiding[s] for s in block["selectors"] if s in hiding
                    and not (block.get("menu") and hiding[s].endswith(COLLAPSED))), None)
        if how:
            out += [link | {"how": how} for link in block["links"]]
    return out


def _since(hit: Hit, first: tuple, snap: SiteSnapshot) -> Hit:
    """The earlier audit's view of the finding's first page: was this injected thing already there?"""
    page, item = first
    prior: PriorPage | None = snap.previous_pages.get(page.url)
    if prior is None or prior.status != 200:
        return hit
    day = crawl_day(prior.fetched_at, date.min).isoformat() if prior.fetched_at else "日期不详"
    was = prior.injected.get("spam") or () if "term" in item else [
        *(prior.injected.get("hidden_links") or ()), *(lk for b in prior.injected.get("styled") or () for lk in b["links"])]
    there = any(_same(item, old) for old in was)
    hit.evidence["previous_check"] = day
    hit.evidence["previous_state"] = "已存在" if there else "尚无"
    hit.message += (f"；上次检查（{day}）时该页面已有此内容，至今未处置" if there
                    else f"；上次检查（{day}）时该页面尚无此内容，系两次检查之间出现")
    return hit


def _same(item: dict, old: dict) -> bool:
    """The same injected link (same target) or term (same term, same place) in the earlier audit."""
    if item.get("url") or old.get("url"):
        return item.get("url") == old.get("url")
    return "".join(item.get("term", "").split()) == "".join(old.get("term", "").split())


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
