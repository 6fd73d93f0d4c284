"""column_not_blank: a column list page shows at least one item (GWS-V4d 空白栏目)."""
from __future__ import annotations

from datetime import date

from tests.builders import BASE, col_url, found


def test_blank_column_is_blank_not_stale(site):
    site.columns["政策解读"] = None
    site.column_items["政策解读"] = 0
    result = site.judge()
    assert found(result) == [("GWS-V4d", "advice", f"{BASE}col8/index.html")]


def test_a_column_showing_one_old_item_is_not_blank(site):
    """One item, however old: the column is not blank (whether it is stale is the freshness rules' business)."""
    site.columns["政策解读"] = date(2020, 1, 1)
    site.column_items["政策解读"] = 1
    assert found(site.judge(), "GWS-V4d") == []
    site.column_items["政策解读"] = 0  # the same column with nothing in it
    assert found(site.judge(), "GWS-V4d") == [("GWS-V4d", "advice", col_url(site, "政策解读"))]
