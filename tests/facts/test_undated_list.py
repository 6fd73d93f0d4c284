"""A column page whose items carry no date is still a list (of undated items, which count as not updated)."""
from datetime import date
from pathlib import Path

from crawler.facts import extract

PAGES = Path(__file__).parent / "pages"
URL = "http://sthj.example.gov.cn/xwzx/tzgg/index.html"
AS_OF = date(2026, 11, 20)


def test_undated_items_of_a_column_page_are_its_list_and_the_navigation_is_not():
    facts = extract((PAGES / "undated_list.html").read_bytes(), URL, as_of=AS_OF)
    assert facts.is_list
    assert [(i.title, i.url, i.date) for i in facts.list_items] == [
        ("关于开展检查的通知", "http://sthj.example.gov.cn/xwzx/tzgg/content/post_1.html", None),
        ("关于征集线索的公告", "http://sthj.example.gov.cn/xwzx/tzgg/content/post_2.html", None),
    ]


def test_a_page_without_a_column_name_is_not_turned_into_an_undated_list():
    html = (PAGES / "undated_list.html").read_text(encoding="utf-8").replace(
        '<meta name="ColumnName" content="通知公告">', "")
    facts = extract(html.encode("utf-8"), "http://sthj.example.gov.cn/some/page.html", as_of=AS_OF)
    assert not facts.is_list
