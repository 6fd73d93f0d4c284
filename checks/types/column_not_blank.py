"""column_not_blank: a column list page shows at least one item (no 空白栏目)."""
from __future__ import annotations

from datetime import date

from checks.base import CheckResult, CheckType, Hit
from checks.rule import Rule
from checks.snapshot import SiteSnapshot
from core.columns import column_label


class ColumnNotBlank(CheckType):
    """A column list page that shows no item at all (or only 暂无信息) is a 空白栏目."""

    needs_full_crawl = True

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        result = CheckResult()
        for col in snap.columns:
            if col.item_count:
                continue
            name = col.name or (column_label(col.column_type) if col.column_type else col.url)
            result.hits.append(Hit(col.url, f"「{name}」栏目为空白栏目，没有任何信息", {"column_name": name, "items": 0}))
        return result
