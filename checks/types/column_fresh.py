"""column_fresh: a column's newest item is within its window; undated items count as not updated."""
from __future__ import annotations

from datetime import date

from checks.base import CheckResult, CheckType, Hit, column_types_param
from checks.rule import Rule
from checks.snapshot import SiteSnapshot
from core.columns import column_label


class ColumnFresh(CheckType):
    """A column's newest item is within its window (days before as_of); undated items count as not updated.

    A list that shows no dates is judged by the publish dates of its crawled articles, as a reader opening them
    would see them; only when the articles carry none either is the column 未标注发布时间 (not updated). When none
    of its articles could be read, nothing is concluded.
    """

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
            name = col.name or column_label(col.column_type)
            evidence = {"column_name": name, "window_days": window, "items": col.item_count,
                        "undated_items": col.undated_count}
            newest, where = col.newest_date, ""
            if newest is None:
                read, dates = _article_dates(snap, col)
                if not read:
                    result.not_tested.append(("no_evidence", f"「{name}」栏目列表未标注日期，其文章页均未抓取"))
                    continue
                if not dates:
                    result.hits.append(Hit(col.url, f"「{name}」栏目的 {col.item_count} 条信息均未标注发布时间，视为未更新",
                                           evidence | {"newest_date": None, "articles_read": read}))
                    continue
                newest, where = max(dates), "（列表未标注日期，按文章页的发布时间）"
                evidence |= {"dated_by": "articles", "articles_read": read}
            days = (as_of - newest).days
            if days > window:
                result.hits.append(Hit(
                    col.url,
                    f"「{name}」栏目最后更新于 {newest.isoformat()}{where}，已 {days} 天未更新（应在 {window} 天内更新）",
                    evidence | {"newest_date": newest.isoformat(), "days": days},
                ))
        return result


def _article_dates(snap: SiteSnapshot, col) -> tuple[int, list[date]]:
    """How many of an undated list's articles were read, and the publish dates they state."""
    lists = set(col.pages)
    read = [page for item in snap.items if item.column_url in lists and item.url
            and (page := snap.pages.get(item.url)) is not None and page.status == 200]
    return len(read), [page.published for page in read if page.published]
