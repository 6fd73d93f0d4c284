"""column_exists: each required column (栏目) is reachable on the site."""
from __future__ import annotations

from datetime import date

from checks.base import CheckResult, CheckType, Hit, column_types_param
from checks.rule import Rule
from checks.select import titled_items
from checks.snapshot import SiteSnapshot
from core.columns import column_label, content_titles


class ColumnExists(CheckType):
    """Each listed column is reachable on the site (a page of that column answered).

    `columns` is a list of column types, or a mapping {名称: [column types]} where any one of the types
    covers the item (OGI-20: 第二十条（五）行政许可 is covered by 行政许可 or 环评审批). Coverage means content: documents
    whose titles publish the column's content (`titles` in config/columns.yaml: 预算/决算, 处罚决定书 …) cover it under
    any column name. A column that may sit behind a link we could not fetch (blocked, robots, timeout) or beyond
    the page budget is not tested, never missing.
    """

    needs_full_crawl = True

    def validate(self, params):
        columns = params.get("columns")
        if isinstance(columns, dict):
            if not columns or any(not isinstance(v, list) or not v for v in columns.values()):
                return "params.columns 必须是栏目类型列表，或 {名称: [栏目类型…]} 映射"
            return column_types_param({"c": [t for v in columns.values() for t in v]}, "c")
        return column_types_param(params, "columns")

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        result = CheckResult()
        present = {p.column_type for p in snap.ok_pages() if p.column_type}
        home_url = snap.home.url
        columns = rule.params["columns"]
        wanted = columns.items() if isinstance(columns, dict) else ((column_label(t), [t]) for t in columns)
        for label, types in wanted:
            if present.intersection(types) or _published(snap, types):
                continue
            unseen = snap.unseen_reason(types, f"「{label}」栏目")
            if unseen:
                result.not_tested.append(unseen)
                continue
            names = "、".join(f"「{column_label(t)}」" for t in types)
            where = f"（{names}）" if len(types) > 1 or column_label(types[0]) != label else ""
            also = "该栏目及其信息" if any(content_titles(t) for t in types) else ""
            result.hits.append(Hit(
                url=home_url,
                message=f"网站未设置「{label}」栏目{where}（首页及已抓取的 {len(snap.pages)} 个页面中均未找到{also}）",
                evidence={"column_name": label, "column_type": types[0] if len(types) == 1 else types,
                          "pages_crawled": len(snap.pages)},
                locator=f"column:{types[0]}" if len(types) == 1 else f"column:{label}",
            ))
        return result


def _published(snap: SiteSnapshot, types: list[str]) -> bool:
    """Are the column's documents published under another column (预决算 under 法定主动公开内容)?"""
    patterns = [p for t in types if (p := content_titles(t))]
    return any(p.search(title) for _, _, title in titled_items(snap) for p in patterns)
