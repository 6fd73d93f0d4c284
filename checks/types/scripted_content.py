"""scripted_content: pages whose content (footer identifiers, list items, links) appears only once a browser runs
their scripts."""
from __future__ import annotations

from datetime import date

from checks.base import CheckResult, CheckType, Hit
from checks.rule import Rule
from checks.snapshot import SiteSnapshot

REASONS = {"app-root": "整个页面由脚本生成", "footer": "底部标识由脚本生成", "list": "列表由脚本从数据接口加载"}
REFUSALS = {"off": "渲染已关闭（render: off）", "unavailable": "本机未安装 chromium 或 playwright",
            "budget": "超出本站渲染预算", "timeout": "渲染超时", "failed": "浏览器渲染失败"}


class ScriptedContent(CheckType):
    """The crawl renders in headless chromium only the pages whose static HTML lacks what their own scripts could
    supply (crawler/render/need.py: an empty application root, a homepage footer built by scripts, an empty list
    filled from a data API). A rendered page that showed more than its HTML (identifiers, list items, links) is a
    finding: search engines, the national monitoring platform's crawlers and assistive tools may not see that
    content. A page that needed rendering but was not rendered (render: off, no chromium, budget spent) is
    `not_tested` (`not_rendered`)."""

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        result = CheckResult()
        home = snap.home.url if snap.home else None
        unrendered: dict[str, list[str]] = {}
        for page in sorted(snap.ok_pages(), key=lambda p: (p.url != home, p.url)):
            seen = (page.extra or {}).get("rendered")
            if not seen:
                continue
            if seen.get("error"):
                unrendered.setdefault(seen["error"], []).append(page.url)
                continue
            if not seen.get("added"):
                continue
            where = "首页" if page.url == home else f"「{page.title or page.url}」"
            shown = "、".join(seen["added"])
            result.hits.append(Hit(
                page.url, f"{where}的{shown}只有在浏览器执行脚本后才显示（{REASONS.get(seen['why'], seen['why'])}），"
                          "搜索引擎、监管平台和读屏软件可能看不到",
                {"title": page.title, "why": seen["why"], "added": seen["added"]}))
        for error, urls in unrendered.items():
            result.not_tested.append(("not_rendered", f"{len(urls)} 个页面的内容由脚本生成，未渲染："
                                                      f"{REFUSALS.get(error, error)}（如 {urls[0]}）"))
        return result
