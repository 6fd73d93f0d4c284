"""Which pages are worth a browser: those whose static DOM lacks what the rules need while their own scripts could
supply it. Rendering every page would cost seconds each; a page is rendered only for one of these reasons:

- "app-root": an application root (#app, #root, …) with no content, on a page with almost no text of its own;
- "footer": a homepage whose inline scripts fetch data or write markup, that loads no static fragment the crawl can
  read itself (crawler/facts/fragments.py), and that shows neither ICP备案 nor 公安备案, or lacks one of the footer
  identifiers (网站标识码, ICP备案, 公安备案) beside an empty footer container;
- "list": a page with no list items, an empty list container and an inline script that fetches data.

A challenge page is never rendered: a browser would pass the anti-bot check the audit must not pass.
"""
from __future__ import annotations

import re

from crawler.facts.model import PageFacts

_FOOTER = re.compile(r"foot|bottom|copyright|dibu|yejiao", re.IGNORECASE)
_LIST = re.compile(r"list|news|item|data|content|table", re.IGNORECASE)

REASONS = {"app-root": "应用根节点为空，内容由脚本生成", "footer": "首页底部标识由脚本生成",
           "list": "列表由脚本从数据接口加载"}


def why_render(facts: PageFacts, is_home: bool) -> str | None:
    """The reason to render this page (a key of REASONS), or None."""
    signs = facts.extra.get("scripted")
    if not signs or facts.challenge or facts.soft_404:
        return None
    if signs.get("app_root"):
        return "app-root"
    if is_home and not facts.extra.get("fragments") and (signs.get("data") or signs.get("builds")) and (
            not (facts.icp or facts.police_record)  # 网站标识码 may come from <meta name="SiteIDCode"> alone
            or not (facts.site_id_code and facts.icp and facts.police_record)
            and any(_FOOTER.search(name) for name in signs.get("empty", ()))):
        return "footer"
    if not facts.list_items and signs.get("data") and any(_LIST.search(name) for name in signs.get("empty", ())):
        return "list"
    return None


def added(static: PageFacts, rendered: PageFacts) -> list[str]:
    """What the rendered page shows that the static one does not (the evidence of GUIDE-13); empty: nothing."""
    found = []
    for field, label in (("site_id_code", "网站标识码"), ("icp", "ICP备案"), ("police_record", "公安备案")):
        if getattr(rendered, field) and not getattr(static, field):
            found.append(label)
    if len(rendered.list_items) > len(static.list_items):
        found.append(f"列表条目 {len(rendered.list_items) - len(static.list_items)} 条")
    pages = {lk.url for lk in static.links if lk.tag in ("a", "area")}
    new = {lk.url for lk in rendered.links if lk.tag in ("a", "area")} - pages
    if len(new) >= 3:
        found.append(f"链接 {len(new)} 个")
    return found
