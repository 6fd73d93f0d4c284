"""XLSX 整改清单 re-read with openpyxl: sheets, headers, layout, hyperlinks, typed values."""

from __future__ import annotations

from datetime import datetime

import lxml.html
import openpyxl
import pytest

from reports.list_xlsx import SUMMARY_COLUMNS
from reports.xlsx import display_width, sheet_title

from .sample import AWARE, FINDINGS, records

LIST_COLUMNS = ["序号", "网站名称", "网站标识码", "问题类型", "问题描述", "问题页面", "证据",
                "发现时间", "依据", "扣分", "整改要求", "整改时限", "状态"]
NAMES = {"sthjt-trs": ("江南省生态环境厅", "3200000001"), "hbj-city": ("江南省某市生态环境局", "3201000002")}
STATUS = {"new": "新发现", "open": "未整改", "reopened": "再次出现", "waived": "已豁免"}
TAIL = ["编号", "整改情况", "责任人", "完成时间"]  # the problem's id, then the columns the bureau fills in


def cn(text: str) -> str:
    """A check's message as the bureau reads it: mainland quotation marks."""
    return text.replace("「", "“").replace("」", "”")


def cell_time(value):
    """What Excel holds for a date or a datetime: local wall-clock time, whole seconds (openpyxl reads dates back
    as midnight datetimes)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return (value.astimezone().replace(tzinfo=None) if value.tzinfo else value).replace(microsecond=0)
    return datetime(value.year, value.month, value.day)


def load(out, site):
    return openpyxl.load_workbook(out / site / "整改清单.xlsx")


def test_sheets_are_all_problems_then_one_per_problem_type_then_summary(written):
    out, _ = written
    assert load(out, "sthjt-trs").sheetnames == ["全部问题", "空白栏目", "栏目不更新", "网站标识缺失", "链接不可用",
                                                  "表述错误", "网页元数据缺失", "汇总"]
    assert load(out, "hbj-city").sheetnames == ["全部问题", "网站标识缺失", "功能入口缺失", "办事指南要素缺失", "汇总"]
    assert load(out, "hbj-county").sheetnames == ["全部问题", "汇总"]


@pytest.mark.parametrize("site", ["sthjt-trs", "hbj-city"])
def test_first_sheet_lists_every_problem_with_columns_to_fill_in(written, site):
    out, _ = written
    wb = load(out, site)
    header, rows = records(wb["全部问题"])
    assert header[:13] == LIST_COLUMNS and header[-4:] == TAIL
    assert sorted(r["问题描述"] for r in rows) == sorted(cn(f.message) for f in FINDINGS if f.site == site)
    assert [r["序号"] for r in rows] == list(range(1, len(rows) + 1))
    assert all(r["整改情况"] is None and r["责任人"] is None and r["完成时间"] is None for r in rows)
    by_type = sorted(r["问题描述"] for ws in wb.worksheets[1:-1] for r in records(ws)[1])
    assert by_type == sorted(r["问题描述"] for r in rows)


@pytest.mark.parametrize("book", ["sthjt-trs/整改清单.xlsx", "汇总.xlsx"])
def test_every_sheet_prints_a4_landscape_fitted_to_the_page_width(written, book):
    out, _ = written
    wb = openpyxl.load_workbook(out / book)
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert int(setup.paperSize) == 9 and setup.orientation == "landscape", ws.title  # 9: A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), ws.title  # one page wide, as many down as needed
        assert ws.print_title_rows == "$1:$1", ws.title  # the header row on every page
        assert ws.freeze_panes == "A2", ws.title
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
        wrapped = [c for c in ws[2] if c.value is not None and isinstance(c.value, str) and len(c.value) > 30]
        assert all(c.alignment.wrap_text for c in wrapped), ws.title
    # About 150 width units fit A4 landscape at 100 %: the sheet a bureau prints stays at 60 % or more, not 30 %
    first = wb.worksheets[0]
    widths = [first.column_dimensions[openpyxl.utils.get_column_letter(c)].width for c in range(1, first.max_column + 1)]
    assert sum(widths) <= 255, widths


def test_summary_sheet(written):
    out, _ = written
    wb = load(out, "sthjt-trs")
    header, (row,) = records(wb["汇总"], max_row=2)
    assert wb["汇总"].print_title_rows == "$1:$1"
    assert row["网站名称"] == "江南省生态环境厅" and row["网站标识码"] == "3200000001"
    assert row["结论"] == "不合格" and row["得分"] == 58 and row["层级"] == "省级"
    assert (row["单项否决项数"], row["扣分项数"], row["提示项数"], row["未检测项数"]) == (1, 4, 1, 1)
    assert row["未检测项"] == "空白栏目（GWS-V4a）：robots.txt 禁止抓取（robots.txt 禁止抓取 /xxgk/）"
    assert wb["汇总"].cell(2, SUMMARY_COLUMNS.index("未检测项") + 1).alignment.wrap_text
    for name in wb.sheetnames[1:-1]:  # counts by 问题类型 match the type sheets
        assert row[name] == wb[name].max_row - 1
    assert row["链接不可用"] == 2
    assert wb["汇总"]["C2"].hyperlink.target == "http://127.0.0.2:8808/"
    county = records(load(out, "hbj-county")["汇总"])[1][0]
    assert county["结论"] == "未检测" and county["得分"] is None and county["网站标识码"] is None
    assert county["未检测项数"] == 1 and county["未检测项"] == "整站：被反爬虫拦截（首页返回 521 加速乐验证页）"
    assert county["单项否决项数"] == county["扣分项数"] == county["提示项数"] == 0


@pytest.mark.parametrize("site", ["sthjt-trs", "hbj-city"])
def test_type_sheets_headers_layout_and_values(written, site):
    out, _ = written
    wb = load(out, site)
    mine = {cn(f.message): f for f in FINDINGS if f.site == site}
    seen = []
    for ws in wb.worksheets[1:-1]:
        header, rows = records(ws)
        assert header[:13] == LIST_COLUMNS and header[-4:] == TAIL
        kinds = {mine[r["问题描述"]].kind for r in rows}
        extra = (["父页面"] if any(mine[r["问题描述"]].parent_url for r in rows) else []) + (
            ["链接标题", "错误描述"] if kinds == {"link-broken"} else
            ["栏目名称", "最后更新日期", "未更新天数"] if kinds == {"column-stale"} else [])
        assert header == LIST_COLUMNS + extra + TAIL
        assert all(c.font.b for c in ws[1])
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}{len(rows) + 1}"
        for i, r in enumerate(rows, 2):
            f = mine[r["问题描述"]]
            seen.append(cn(f.message))
            assert (r["网站名称"], r["网站标识码"]) == NAMES[site]
            assert r["问题类型"] == f.kind_label == ws.title
            assert r["问题页面"] == f.url
            assert ws.cell(i, 6).hyperlink.target == f.url
            assert r["依据"] == f.basis and r["整改要求"] == f.fix
            assert r["发现时间"] == cell_time(f.first_seen)  # first found, never the as-of date
            assert ws.cell(i, 8).number_format == "yyyy-mm-dd"  # shown as the day
            assert r["整改时限"] == cell_time(f.deadline)
            assert r["状态"] == STATUS[f.status]
            assert r["编号"] == f.id[:8]
            assert r["扣分"] == {"veto": "单项否决", "advice": "提示"}.get(f.severity, f.points)
            assert "抓取时间：2026-11-20 10:00" in r["证据"].splitlines()
            assert ws.cell(i, 5).alignment.wrap_text and ws.cell(i, 7).alignment.wrap_text
            if "父页面" in header:
                assert r["父页面"] == f.parent_url
    assert sorted(seen) == sorted(mine)  # every finding exactly once


def test_dead_link_and_stale_column_values(written):
    out, _ = written
    wb = load(out, "sthjt-trs")
    links = wb["链接不可用"]
    _, rows = records(links)
    first = rows[0]
    assert (first["父页面"], first["链接标题"], first["错误描述"]) == (
        "http://127.0.0.2:8808/", "政务服务", "HTTP 404（页面不存在）")
    assert first["证据"] == "HTTP 状态：404\n链接文字：政务服务\n抓取时间：2026-11-20 10:00"
    assert links.cell(2, 14).hyperlink.target == "http://127.0.0.2:8808/"
    # page text that looks like a formula stays text
    evil = links.cell(3, 15)
    assert evil.value == '=HYPERLINK("http://evil.example/","点击")' and evil.data_type == "s"
    _, (stale,) = records(wb["栏目不更新"])
    assert (stale["栏目名称"], stale["最后更新日期"], stale["未更新天数"]) == ("通知公告", datetime(2026, 6, 1), 172)


def test_aware_times_are_local_datetimes_and_dates_are_dates(written):
    out, _ = written
    ws = load(out, "sthjt-trs")["汇总"]
    local = AWARE.astimezone().replace(tzinfo=None, microsecond=0)  # Excel has no time zones
    assert ws.cell(7, 6).value == local and ws.cell(7, 6).value.second == 15  # 首次发现 of a fixed problem
    ws = load(out, "hbj-city")["办事指南要素缺失"]
    assert ws.cell(2, 8).value == datetime(2026, 11, 20, 10) and ws.cell(2, 8).number_format == "yyyy-mm-dd"
    assert ws.cell(2, 12).value is None  # no 整改时限
    _, (stale,) = records(load(out, "sthjt-trs")["栏目不更新"])
    assert stale["最后更新日期"] == datetime(2026, 6, 1)


def test_unsafe_parent_url_is_text_not_link(written):
    out, _ = written
    ws = load(out, "hbj-city")["功能入口缺失"]
    assert ws.cell(2, 14).value == "javascript:void(0)" and ws.cell(2, 14).hyperlink is None


def test_numbering_matches_html(written):
    out, _ = written
    doc = lxml.html.fromstring((out / "sthjt-trs" / "整改清单.html").read_text(encoding="utf-8"))
    html_seq = {r.cssselect("span.msg")[0].text_content(): int(r.findall("td")[0].text_content())
                for r in doc.cssselect("tr.finding")}
    wb = load(out, "sthjt-trs")
    xlsx_seq = {r["问题描述"]: r["序号"] for ws in wb.worksheets[:-1] for r in records(ws)[1]}
    assert xlsx_seq == html_seq


def test_column_widths_count_cjk_as_two(written):
    out, _ = written
    ws = load(out, "sthjt-trs")["链接不可用"]
    assert display_width("江南省生态环境厅") == 16 and display_width("abc") == 3
    assert ws.column_dimensions["B"].width == 12  # 网站名称: 8 CJK chars need 16; capped for print, wrapped
    assert ws["B2"].alignment.wrap_text
    assert ws.column_dimensions["A"].width < ws.column_dimensions["B"].width
    assert ws.column_dimensions["E"].width <= 48  # wrapped columns are capped, not page-wide


def test_sheet_titles_are_valid_and_unique():
    used: set[str] = set()
    first = sheet_title("a/b:c*d?[e]\\f", used)
    assert not set("[]:*?/\\") & set(first)
    long = sheet_title("很长的问题类型" * 6, used)
    assert len(long) == 31
    again = sheet_title("很长的问题类型" * 6, used)
    assert len(again) <= 31 and again != long
    assert sheet_title("A", used) == "A" and sheet_title("a", used) != "a"  # Excel names ignore case
