"""metadata_present: the 网页设计规范 <meta> tags of each page kind are present."""
from __future__ import annotations

from datetime import date

from checks.base import CheckResult, CheckType, Hit
from checks.rule import Rule
from checks.snapshot import SiteSnapshot
from store.models import Page

PAGE_KINDS = {"home": "首页", "list": "栏目页", "article": "文章页"}


def _page_kind(page: Page) -> str:
    return "home" if page.is_home else "list" if page.is_list else "article"


class MetadataPresent(CheckType):
    """网页设计规范 meta tags per page kind; one finding per (page kind, missing tag), with how many pages lack it."""

    def validate(self, params):
        required = params.get("required")
        if not isinstance(required, dict) or not set(required) <= set(PAGE_KINDS):
            return f"params.required 必须是 {{{'/'.join(PAGE_KINDS)}: [标签…]}}"
        return None

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        result = CheckResult()
        pages = [p for p in snap.ok_pages() if p.encoding is not None]  # HTML pages (parsed)
        for kind, tags in rule.params["required"].items():
            of_kind = [p for p in pages if _page_kind(p) == kind]
            for tag in tags:
                lacking = sorted((p for p in of_kind if tag not in (p.meta_names or [])), key=lambda p: p.url)
                if lacking:
                    n = len(of_kind)
                    result.hits.append(Hit(
                        lacking[0].url,
                        f"{len(lacking)}/{n} 个{PAGE_KINDS[kind]}缺少 <meta name=\"{tag}\"> 元数据",
                        {"meta": tag, "page_kind": PAGE_KINDS[kind], "pages_lacking": len(lacking), "pages": n,
                         "examples": [p.url for p in lacking[:5]]},
                        locator=f"meta:{kind}:{tag}",
                    ))
        return result
