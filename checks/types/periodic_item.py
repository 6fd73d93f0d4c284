"""periodic_item: a report of a given period is online by its due date (年报 by 1月31日, 预决算 …)."""
from __future__ import annotations

import re
from datetime import date

from checks.base import CheckResult, CheckType, Hit, column_types_param, regex_problem
from checks.rule import Rule
from checks.select import titled_items
from checks.snapshot import SiteSnapshot

PERIODS = {"previous_year": -1, "current_year": 0}


class PeriodicItem(CheckType):
    """The item of the latest period already due must exist on the site, published on or before its due date.

    Items are searched among every column list item and every page title of the site; the item's own
    date (list date or the page's publish date) decides whether it was late. Not found while a link that may
    lead to it could not be fetched (blocked, robots, timeout) or the budget ran out: not tested.
    """

    needs_full_crawl = True

    def validate(self, params):
        if params.get("period") not in PERIODS:
            return f"params.period 必须是 {'/'.join(PERIODS)} 之一"
        if not re.fullmatch(r"\d{2}-\d{2}", str(params.get("due", ""))):
            return "params.due 必须形如 MM-DD（如 01-31）"
        pattern = params.get("title_pattern")
        if not pattern or "{year}" not in pattern:
            return "params.title_pattern 必须是含 {year} 的正则表达式"
        if problem := regex_problem(pattern.replace("{year}", "2000"), "title_pattern"):
            return problem
        if not params.get("label") or "{year}" not in params["label"]:
            return "params.label 必须是含 {year} 的名称，如 {year}年政府信息公开工作年度报告"
        return column_types_param({"c": [params.get("column", "")]}, "c") if params.get("column") else None

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        p = rule.params
        month, day = map(int, p["due"].split("-"))
        due_year = as_of.year if as_of >= date(as_of.year, month, day) else as_of.year - 1
        due = date(due_year, month, day)
        year = due_year + PERIODS[p["period"]]
        label = p["label"].format(year=year)
        title = re.compile(p["title_pattern"].replace("{year}", str(year)))
        found = [(day, url, t) for day, url, t in titled_items(snap) if title.search(t)]
        column = next((c.url for c in snap.columns if c.column_type == p.get("column")), None) if p.get("column") else None
        where = column or snap.home.url
        evidence = {"item": label, "due": due.isoformat()}
        if not found:
            unseen = snap.unseen_reason(p.get("column") or [], f"「{label}」")
            if unseen:
                return CheckResult(not_tested=[unseen])
            return CheckResult([Hit(where, f"未找到「{label}」（应于 {due.isoformat()} 前公开）", evidence,
                                    kind="item-missing", locator=f"item:{label}")])
        dated = [f for f in found if f[0]]
        if not dated or min(dated)[0] <= due:
            return CheckResult()
        published, url, item_title = min(dated)
        return CheckResult([Hit(url, f"「{item_title}」于 {published.isoformat()} 公开，晚于规定的 {due.isoformat()}",
                                evidence | {"published": published.isoformat(), "title": item_title},
                                kind="item-late", locator=f"item:{label}")])
