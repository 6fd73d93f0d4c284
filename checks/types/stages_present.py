"""stages_present: a procedure published in stages has every stage when it has one (ENV-01)."""
from __future__ import annotations

import re
from datetime import date, timedelta

from checks.base import CheckResult, CheckType, Hit, column_types_param
from checks.rule import Rule
from checks.snapshot import SiteSnapshot


class StagesPresent(CheckType):
    """A procedure published in stages: when any stage has an item within the window, every stage must.

    Items are every column list item and page title of the site, matched by a pattern per stage. A bureau
    that handled no case in the window publishes no stage at all, which is not a finding.
    """

    needs_full_crawl = True

    def validate(self, params):
        stages = params.get("stages")
        if not isinstance(stages, dict) or len(stages) < 2:
            return "params.stages 必须是 {环节名称: 标题正则} 映射（至少两个环节）"
        for name, pattern in stages.items():
            try:
                re.compile(pattern)
            except (re.error, TypeError) as exc:
                return f"params.stages.{name} 不是有效的正则表达式: {exc}"
        days = params.get("window_days")
        if not (isinstance(days, int) and days > 0):
            return "params.window_days 必须是正整数"
        return column_types_param({"column": [params["column"]]}, "column") if "column" in params else None

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        since = as_of - timedelta(days=rule.params["window_days"])
        titled = [(i.date, i.url or i.column_url, i.title) for i in snap.items if i.title]
        titled += [(pg.published, pg.url, pg.title) for pg in snap.ok_pages() if pg.title and not pg.is_list]
        found: dict[str, list] = {}
        for name, pattern in rule.params["stages"].items():
            regex = re.compile(pattern)
            found[name] = sorted({(d, url, t) for d, url, t in titled if d and since <= d <= as_of and regex.search(t)},
                                 reverse=True)
        seen = {name: items for name, items in found.items() if items}
        if not seen:
            return CheckResult()
        column = rule.params.get("column")
        where = next((c.url for c in snap.columns if column and c.column_type == column), snap.home.url)
        result = CheckResult()
        for name, items in found.items():
            if items:
                continue
            shown = "、".join(f"{n}（{len(v)}条，最新「{v[0][2]}」）" for n, v in seen.items())
            result.hits.append(Hit(
                where, f"近 {rule.params['window_days']} 天公开了{shown}，但未找到「{name}」",
                {"missing_stage": name, "window_days": rule.params["window_days"],
                 "stages_found": {n: len(v) for n, v in seen.items()},
                 "examples": [v[0][1] for v in seen.values()]},
                kind="item-missing", locator=f"stage:{name}",
            ))
        return result
