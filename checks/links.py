"""Broken internal links, counted per dead target with its parent page (homepage links weigh more)."""
from __future__ import annotations

from datetime import date

from checks.base import CheckResult, CheckType, Hit
from checks.rules import Rule
from checks.snapshot import SiteSnapshot

TAG_LABELS = {"a": "链接", "area": "链接", "img": "图片", "script": "脚本", "link": "样式表", "iframe": "内嵌页面",
              "embed": "嵌入对象", "object": "嵌入对象"}


class BrokenLinks(CheckType):
    def validate(self, params):
        statuses = params.get("statuses")
        if not statuses or not all(isinstance(s, int) for s in statuses):
            return "params.statuses 必须是 HTTP 状态码列表"
        return None

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        statuses = set(rule.params["statuses"])
        count_soft = rule.params.get("soft_404", True)
        home = snap.home
        parents_of: dict[str, list] = {}
        for link in snap.links:
            parents_of.setdefault(link.target_url, []).append(link)
        result = CheckResult()
        for page in snap.pages.values():
            if page.is_home or not (page.status in statuses or (count_soft and page.status == 200 and page.soft_404)):
                continue
            links = parents_of.get(page.url, [])
            from_home = next((lk for lk in links if lk.page_url == home.url), None)
            first = from_home or (links[0] if links else None)
            parent_url = first.page_url if first else page.referer
            parent = snap.pages.get(parent_url) if parent_url else None
            anchor = (first.text if first else page.anchor) or ""
            is_soft = page.status == 200
            error = f"HTTP {page.status}" + ("，页面内容为“页面不存在”" if is_soft else "")
            where = ("首页" if from_home else "页面") + TAG_LABELS.get(first.tag if first else "a", "链接")
            result.hits.append(Hit(
                url=page.url,
                parent_url=parent_url,
                message=f"{where}「{anchor or page.url.rsplit('/', 1)[-1] or page.url}」无法访问（{error}）",
                evidence={
                    "status": page.status, **({"error": "软404：页面内容为“页面不存在”"} if is_soft else {}), "anchor": anchor, "homepage": bool(from_home),
                    "parent_title": parent.title if parent else None, "parents": len({lk.page_url for lk in links}),
                    "fetched_at": page.fetched_at.isoformat(timespec="seconds"),
                },
                points=rule.params.get("points_home", rule.points) if from_home else rule.params.get("points_other", rule.points),
            ))
        return result
