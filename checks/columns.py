"""Column check types: a required column exists, is fresh, is not blank."""
from __future__ import annotations

from datetime import date

from checks.base import CheckResult, CheckType, Hit, column_types_param
from checks.rules import Rule
from checks.snapshot import SiteSnapshot


def _label(column_type: str) -> str:
    from crawler.facts.columns import column_label

    return column_label(column_type)


class ColumnExists(CheckType):
    """Each listed column is reachable on the site (a page of that column answered).

    `columns` is a list of column types, or a mapping {名称: [column types]} where any one of the types
    covers the item (OGI-20: 第二十条（五）行政许可 is covered by 行政许可 or 环评审批).
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
        wanted = columns.items() if isinstance(columns, dict) else ((_label(t), [t]) for t in columns)
        for label, types in wanted:
            if present.intersection(types):
                continue
            unseen = next((u for t in types if (u := snap.unseen_reason(t, f"「{label}」栏目"))), None)
            if unseen:
                result.not_tested.append(unseen)
                continue
            names = "、".join(f"「{_label(t)}」" for t in types)
            where = f"（{names}）" if len(types) > 1 or _label(types[0]) != label else ""
            result.hits.append(Hit(
                url=home_url,
                message=f"网站未设置「{label}」栏目{where}（首页及已抓取的 {len(snap.pages)} 个页面中均未找到）",
                evidence={"column_name": label, "column_type": types[0] if len(types) == 1 else types,
                          "pages_crawled": len(snap.pages)},
                locator=f"column:{types[0]}" if len(types) == 1 else f"column:{label}",
            ))
        return result


class ColumnFresh(CheckType):
    """A column's newest item is within its window (days before as_of); undated items count as not updated."""

    needs_full_crawl = True

    def validate(self, params):
        windows = params.get("windows")
        if not isinstance(windows, dict) or not windows:
            return "params.windows 必须是 {栏目类型: 天数} 映射"
        if any(not isinstance(d, int) or d <= 0 for d in windows.values()):
            return "params.windows 的天数必须是正整数"
        return column_types_param({"w": list(windows)}, "w")

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        result = CheckResult()
        windows = rule.params["windows"]
        for col in snap.columns:
            window = windows.get(col.column_type)
            if window is None or col.item_count == 0:  # blank columns are the blank rule's problem
                continue
            name = col.name or _label(col.column_type)
            evidence = {"column_name": name, "window_days": window, "items": col.item_count,
                        "undated_items": col.undated_count}
            if col.newest_date is None:
                result.hits.append(Hit(col.url, f"「{name}」栏目的 {col.item_count} 条信息均未标注发布时间，视为未更新",
                                       evidence | {"newest_date": None}))
                continue
            days = (as_of - col.newest_date).days
            if days > window:
                result.hits.append(Hit(
                    col.url,
                    f"「{name}」栏目最后更新于 {col.newest_date.isoformat()}，已 {days} 天未更新（应在 {window} 天内更新）",
                    evidence | {"newest_date": col.newest_date.isoformat(), "days": days},
                ))
        return result


class ColumnNotBlank(CheckType):
    """A column list page that shows no item at all (or only 暂无信息) is a 空白栏目."""

    needs_full_crawl = True

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        result = CheckResult()
        for col in snap.columns:
            if col.item_count:
                continue
            name = col.name or (_label(col.column_type) if col.column_type else col.url)
            result.hits.append(Hit(col.url, f"「{name}」栏目为空白栏目，没有任何信息", {"column_name": name, "items": 0}))
        return result
