"""An undated Hanweb list (/col/col1002/index.html listing /art/…/art_1002_N.html in its markup) is the column's
list, so 「未注明发布时间的视为不更新」 (GWS-V4a) is judged on it; the same list with dates is fresh (issue 16)."""
from __future__ import annotations

from pathlib import Path

from crawler.facts import extract
from tests.builders import AS_OF, SiteBuilder, col_url, found

PAGES = Path(__file__).parent / "pages"
LIST_URL = "http://sthjj.qingchuan.gov.cn/col/col1002/index.html"
ITEMS = [("关于开展2026年度排污许可证执行报告检查的通知", "/art/2026/11/16/art_1002_5101.html", "2026-11-16"),
         ("关于征集环境违法行为线索的公告", "/art/2026/10/9/art_1002_5102.html", "2026-10-09"),
         ("关于调整环评审批窗口办公时间的通知", "/art/2026/9/5/art_1002_5103.html", "2026-09-05")]


def hanweb_list(dated: bool) -> bytes:
    """The fixture list page, its rows without dates or (the near miss) with the date after each title."""
    html = (PAGES / "hanweb_undated_list.html").read_text(encoding="utf-8")
    if dated:
        for _, path, day in ITEMS:
            start = html.index(f'<a href="{path}"')
            end = html.index("</a>", start) + len("</a>")
            html = html[:end] + f"<span>{day}</span>" + html[end:]
    return html.encode("utf-8")


def judged(facts, tmp_path):
    """A compliant stored site whose 通知公告 column is the list page as the crawler stores it (crawler/pipelines),
    its articles crawled and (like the list) stating no publish date."""
    site = SiteBuilder(tmp_path)
    site.columns["通知公告"] = facts.newest_item_date
    site.column_items["通知公告"] = len(facts.list_items)
    for item in facts.list_items:
        site.list_items.append({"column_url": col_url(site, "通知公告"), "title": item.title, "url": item.url,
                                "date": item.date})
        site.extra_pages.append({"url": item.url, "status": 200, "encoding": "utf-8", "title": item.title})
    return site, site.judge()


def test_an_undated_hanweb_list_is_the_columns_list_with_its_items():
    facts = extract(hanweb_list(dated=False), LIST_URL, as_of=AS_OF)
    assert facts.is_list and facts.column_type == "notices"
    assert [(i.title, i.url, i.date) for i in facts.list_items] == [
        (title, f"http://sthjj.qingchuan.gov.cn{path}", None) for title, path, _ in ITEMS]  # not the 热点 box


def test_the_undated_hanweb_column_is_not_updated(tmp_path):
    site, result = judged(extract(hanweb_list(dated=False), LIST_URL, as_of=AS_OF), tmp_path)
    assert found(result, "GWS-V4a") == [("GWS-V4a", "advice", col_url(site, "通知公告"))]
    finding = next(f for f in result.findings if f.rule == "GWS-V4a")
    assert "3 条信息均未标注发布时间" in finding.message and finding.evidence["undated_items"] == 3


def test_the_same_hanweb_list_with_dates_is_fresh(tmp_path):
    facts = extract(hanweb_list(dated=True), LIST_URL, as_of=AS_OF)
    assert [i.date.isoformat() for i in facts.list_items] == [day for *_, day in ITEMS]
    assert found(judged(facts, tmp_path)[1], "GWS-V4a") == []


def test_documents_of_another_column_are_not_this_columns_list():
    """A column page whose only /art/ links belong to column 1001 (a 热点 box) has no list of its own."""
    facts = extract(hanweb_list(dated=False), LIST_URL.replace("col1002", "col1004"), as_of=AS_OF)
    assert not facts.is_list and facts.list_items == []


def test_a_page_that_is_no_column_page_is_not_turned_into_a_list():
    html = hanweb_list(dated=False).decode().replace("当前位置：<a href=\"/index.html\">首页</a> &gt; 通知公告", "")
    facts = extract(html.encode(), "http://sthjj.qingchuan.gov.cn/zt/hbxc.html", as_of=AS_OF)
    assert not facts.is_list
