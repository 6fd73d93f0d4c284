"""empty_links: menu items and links with an empty address (<a href="">) that lead nowhere (空链)."""
from __future__ import annotations

from datetime import date

from checks.base import CheckResult, CheckType, Hit
from checks.rule import Rule
from checks.snapshot import SiteSnapshot

MAX_EXAMPLES = 5


class EmptyLinks(CheckType):
    """Anchors with an empty href and a text, no script handling their click (crawler/facts/links.py
    empty_anchor): one finding per anchor text across the site — a template's empty menu item is on every page
    and is one problem, with the pages it is on. Template placeholders left in an address ({{el.url}}) are
    broken links (GWS-DLINK, 「链接地址是未替换的模板占位符」), `#` and javascript: anchors are not judged (scripts
    bind them without an attribute the crawler could see)."""

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        home = snap.home.url if snap.home else None
        groups: dict[str, list[tuple]] = {}
        for page in sorted(snap.ok_pages(), key=lambda p: (p.url != home, p.url)):
            for item in (page.extra or {}).get("empty_links") or ():
                groups.setdefault(item["text"], []).append((page, item))
        result = CheckResult()
        for text, seen in groups.items():
            page, item = seen[0]
            pages = list(dict.fromkeys(p.url for p, _ in seen))
            more = f"等 {len(pages)} 个页面" if len(pages) > 1 else ""
            where = "首页" if page.url == home else f"「{page.title or page.url}」"
            result.hits.append(Hit(
                page.url, f"{where}{more}的链接「{text}」地址为空（href=\"\"），点击后无法到达任何内容",
                {"title": page.title, "anchor": text, "element": item["path"], "pages": len(pages),
                 "examples": pages[:MAX_EXAMPLES]},
                locator=f"empty:{text}"))
        return result
