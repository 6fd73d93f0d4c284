"""column_not_blank: a column list page shows at least one item (GWS-V4d 空白栏目)."""
from __future__ import annotations

from datetime import date

from sqlmodel import Session, func, select, update

from checks.engine import judge
from checks.rules import load_rules
from core.resources import RULES_DIR
from store.models import Page
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



def test_a_column_page_answering_a_challenge_is_not_blank(site):
    """A WAF challenge served with HTTP 200 in place of a list shows no items: blocked, never 空白栏目."""
    site.columns["政策解读"] = None
    site.column_items["政策解读"] = 0
    url = col_url(site, "政策解读")
    assert found(site.judge(), "GWS-V4d") == [("GWS-V4d", "advice", url)]  # near miss: a list that is blank
    with Session(site.engine) as s:
        s.exec(update(Page).where(Page.url == url).values(challenge="acw_sc__v2"))
        s.commit()
        run_id = s.exec(select(func.max(Page.run_id))).one()
    assert found(judge(site.engine, run_id, load_rules(RULES_DIR)), "GWS-V4d") == []
