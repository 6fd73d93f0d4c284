"""Province summary (汇总.xlsx, index.html groups and trends) and the lifecycle in each 整改清单."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import lxml.html
import openpyxl

from reports import write_outputs

from .sample import (AWARE, FAIL, FINDINGS, NOT_TESTED, PASS, RESOLVED, load_snapshots, make_result, records,
                     unsupervised)


def parse(path):
    return lxml.html.fromstring(path.read_text(encoding="utf-8"))


def text(el) -> str:
    return " ".join(el.text_content().split())


# --- 汇总.xlsx -----------------------------------------------------------------------------------------

def test_summary_workbook_ranks_every_site(written):
    out, _ = written
    wb = openpyxl.load_workbook(out / "汇总.xlsx")
    assert wb.sheetnames == ["全部网站", "未检测原因说明", "按主管单位", "江南省政府办公厅", "未填写主管单位"]
    ws = wb["全部网站"]
    header, rows = records(ws)
    assert header[:9] == ["排名", "网站名称", "网站ID", "网站标识码", "网址", "层级", "主管单位", "结论", "得分"]
    assert [r["网站ID"] for r in rows] == ["hbj-city", "sthjt-trs", "hbj-county"]
    assert [r["排名"] for r in rows] == [1, 2, None]
    assert [r["结论"] for r in rows] == ["合格", "不合格", "未检测"]
    assert [r["得分"] for r in rows] == [93, 58, None]
    assert [r["上次得分"] for r in rows] == [90, None, 80.5]  # the previous run's score (None: not tested then)
    trs = rows[1]
    assert (trs["单项否决项"], trs["扣分项"], trs["提示项"], trs["已豁免项"]) == (1, 4, 1, 1)
    assert (trs["本次新发现"], trs["较上次已整改"], trs["未检测项数"], trs["抓取页面数"]) == (4, 2, 1, 37)
    # 扣分 is the points lost (beside 扣分项, the count); the veto is named
    assert [r["扣分"] for r in rows] == [7, 42, None]
    assert [r["否决原因"] for r in rows] == [None, "GWS-V4a 空白栏目", None]
    # repeated not-tested reasons are notes, explained once on a sheet of their own
    assert [r["未检测原因"] for r in rows] == [None, "注1", "注2"]
    columns, legend = records(wb["未检测原因说明"])
    assert columns == ["注", "检测项及原因", "涉及网站数", "处理建议"]
    assert [list(r.values())[:3] for r in legend] == [["注1", "GWS-V4a 空白栏目：robots.txt 禁止抓取", 1],
                                                      ["注2", "整站：被反爬虫拦截", 1]]
    assert "白名单" in legend[1]["处理建议"]
    assert trs["主管单位"] == "江南省政府办公厅" and rows[0]["主管单位"] is None
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}4"
    assert ws.cell(2, header.index("网址") + 1).hyperlink.target == "http://127.0.0.3:8808/"
    assert all(c.font.b for c in ws[1])


def test_summary_groups_by_supervisor(written):
    out, _ = written
    wb = openpyxl.load_workbook(out / "汇总.xlsx")
    _, groups = records(wb["按主管单位"])
    assert [g["主管单位"] for g in groups] == ["江南省政府办公厅", "未填写主管单位"]
    assert groups[0] == {"主管单位": "江南省政府办公厅", "网站数": 1, "合格": 0, "不合格": 1, "未检测": 0,
                         "单项否决项数": 1, "扣分项数": 4, "提示项数": 1, "已豁免项数": 1, "本次新发现": 4,
                         "较上次已整改": 2}
    assert (groups[1]["网站数"], groups[1]["合格"], groups[1]["未检测"], groups[1]["扣分项数"]) == (2, 1, 1, 2)
    header, unit = records(wb["未填写主管单位"])
    assert header[:2] == ["组内排名", "排名"]
    assert [(r["网站ID"], r["组内排名"], r["排名"]) for r in unit] == [("hbj-city", 1, 1), ("hbj-county", None, None)]


def test_summary_without_supervisors_has_one_sheet_and_no_unit_column(tmp_path):
    write_outputs(tmp_path, unsupervised(make_result()), load_snapshots)
    wb = openpyxl.load_workbook(tmp_path / "汇总.xlsx")
    assert wb.sheetnames == ["全部网站", "未检测原因说明"]
    assert "主管单位" not in records(wb["全部网站"])[0]
    assert not parse(tmp_path / "index.html").cssselect("#by-supervisor, tr.group-row")


def test_ties_share_a_rank_and_groups_list_by_their_best_site(tmp_path):
    # sites-file order on purpose unlike the ranking: a-tie ties sthjt-trs at 58 in the same unit
    sites = [replace(PASS, site="a-tie", name="并列局", supervisor="江南省政府办公厅", verdict="fail", score=58.0,
                     history=()),
             FAIL, replace(NOT_TESTED, site="b-nt", name="未检测局", supervisor="甲厅"), NOT_TESTED, PASS,
             replace(PASS, site="z-top", name="最好局", supervisor="乙厅", score=99.0, history=())]
    result = make_result(sites=sites)
    write_outputs(tmp_path, result, load_snapshots)
    doc = parse(tmp_path / "index.html")
    rows = [(r.get("data-site"), text(r.findall("td")[0])) for r in doc.cssselect("tr.site-row")]
    assert rows == [("z-top", "1"), ("hbj-city", "2"), ("a-tie", "3"), ("sthjt-trs", "3"), ("b-nt", "—"),
                    ("hbj-county", "—")]
    units = ["乙厅", "江南省政府办公厅", "甲厅", "未填写主管单位"]  # by best-ranked site; no unit last
    assert [text(r.findall("td")[0]) for r in doc.cssselect("tr.group-row")] == units
    wb = openpyxl.load_workbook(tmp_path / "汇总.xlsx")
    assert wb.sheetnames == ["全部网站", "未检测原因说明", "按主管单位", *units]
    assert [(r["网站ID"], r["排名"]) for r in records(wb["全部网站"])[1]] == [
        ("z-top", 1), ("hbj-city", 2), ("a-tie", 3), ("sthjt-trs", 3), ("b-nt", None), ("hbj-county", None)]
    assert [r["主管单位"] for r in records(wb["按主管单位"])[1]] == units
    _, unit = records(wb["江南省政府办公厅"])
    assert [(r["网站ID"], r["组内排名"], r["排名"]) for r in unit] == [("a-tie", 1, 3), ("sthjt-trs", 1, 3)]
    _, unit = records(wb["未填写主管单位"])
    assert [(r["网站ID"], r["组内排名"], r["排名"]) for r in unit] == [("hbj-city", 1, 2), ("hbj-county", None, None)]


# --- index.html: new / fixed, trend, groups --------------------------------------------------------

def test_index_shows_new_fixed_and_groups(written):
    out, _ = written
    doc = parse(out / "index.html")
    head = [text(th) for th in doc.cssselect("table.summary thead th")]
    rows = {r.get("data-site"): [text(td) for td in r.findall("td")] for r in doc.cssselect("tr.site-row")}
    new, fixed = head.index("新发现"), head.index("已整改")
    assert (rows["sthjt-trs"][new], rows["sthjt-trs"][fixed]) == ("4", "2")
    assert (rows["hbj-city"][new], rows["hbj-city"][fixed]) == ("3", "0")
    groups = [[text(td) for td in r.findall("td")] for r in doc.cssselect("tr.group-row")]
    assert [g[0] for g in groups] == ["江南省政府办公厅", "未填写主管单位"]
    assert groups[1][1:5] == ["2", "1", "0", "1"]  # sites, pass, fail, not tested
    assert doc.cssselect('a[href="%E6%B1%87%E6%80%BB.xlsx"]')  # 汇总.xlsx


def test_trend_sparkline_is_inline_svg_with_title(written):
    out, _ = written
    doc = parse(out / "index.html")
    svgs = {r.get("data-site"): r.cssselect("td.trend svg")[0] for r in doc.cssselect("tr.site-row")}
    for site, svg in svgs.items():
        assert svg.get("role") == "img"
        title = svg.find("title")
        assert title is not None and svg.get("aria-labelledby") == title.get("id")
    city = svgs["hbj-city"]
    assert text(city.find("title")) == ("得分趋势（0–100 分）：批次 1：55 分（不合格）；批次 2：90 分（合格）；"
                                        "本次（批次 3）：93 分（合格）")
    (line,) = city.findall("polyline")
    points = [tuple(map(float, p.split(","))) for p in line.get("points").split()]
    assert len(points) == 3 and points[0][0] < points[1][0] < points[2][0]
    assert points[0][1] > points[1][1] > points[2][1]  # score rising: y falling
    assert len(city.cssselect("circle.now")) == 1
    # run 2 could not audit sthjt-trs: a gap, no line across it
    trs = svgs["sthjt-trs"]
    assert trs.findall("polyline") == [] and len(trs.cssselect("circle.gap")) == 1
    assert "批次 2：未检测" in text(trs.find("title")) and "本次（批次 3）：58 分（不合格）" in text(trs.find("title"))
    county = svgs["hbj-county"]
    assert len(county.cssselect("circle.dot")) == 1 and len(county.cssselect("circle.gap")) == 1


def test_trend_without_history():
    from reports.trend import sparkline

    t = sparkline(replace(PASS, score=70.0, history=()), 1)
    assert t["title"] == "得分趋势（0–100 分）：暂无历史记录；本次（批次 1）：70 分（合格）"
    assert t["segments"] == [] and len(t["dots"]) == 1 and t["dots"][0]["current"]


# --- lifecycle in the 整改清单 ---------------------------------------------------------------------

def test_list_shows_status_labels_and_short_ids(written):
    out, _ = written
    doc = parse(out / "sthjt-trs" / "整改清单.html")
    mine = {f.id: f for f in FINDINGS if f.site == "sthjt-trs"}
    rows = doc.cssselect("tr.finding")
    label = {"new": "新发现", "open": "未整改", "reopened": "再次出现", "waived": "已豁免"}
    assert {r.get("data-id") for r in rows} == set(mine)
    for r in rows:
        f = mine[r.get("data-id")]
        assert text(r.cssselect("span.status")[0]) == label[f.status]
        assert text(r.cssselect("span.fid")[0]) == f"编号 {f.id[:8]}"
        # 发现时间 is when the problem was first found, never the as-of date
        assert text(r.cssselect("td.found")[0]) == f.first_seen.strftime("%Y-%m-%d %H:%M")
    assert {text(r.cssselect("span.status")[0]) for r in rows} == set(label.values())
    assert "本次新发现 4 项，已豁免 1 项，较上次检测已整改 2 项" in text(doc)


def test_list_has_resolved_section(written):
    out, _ = written
    doc = parse(out / "sthjt-trs" / "整改清单.html")
    assert text(doc.cssselect("h2#resolved")[0]) == "已整改（2）"
    rows = [[text(td) for td in r.findall("td")] for r in doc.cssselect("tr.fixed")]
    assert rows[0] == [RESOLVED[0].id[:8], "GWS-D4", "栏目缺失", "缺少“政策文件”栏目",
                       "http://127.0.0.2:8808/zcwj/", "2026-09-20 10:00"]
    assert rows[1][-1] == AWARE.astimezone().strftime("%Y-%m-%d %H:%M")  # an aware time reads in local time
    raw = (out / "sthjt-trs" / "整改清单.html").read_text(encoding="utf-8")
    assert "<b>" not in raw and "&lt;b&gt;旧版&lt;/b&gt;" in raw  # resolved text is page text too
    assert not parse(out / "hbj-city" / "整改清单.html").cssselect("#resolved")


def test_xlsx_lists_resolved_below_the_summary(written):
    out, _ = written
    ws = openpyxl.load_workbook(out / "sthjt-trs" / "整改清单.xlsx")["汇总"]
    _, (summary,) = records(ws, max_row=2)
    assert (summary["本次新发现"], summary["已豁免项数"], summary["较上次已整改"]) == (4, 1, 2)
    assert ws.cell(4, 1).value == "已整改（上次检测发现、本次已不存在）：2 项" and ws.cell(4, 1).font.b
    assert [c.value for c in ws[5]][:6] == ["编号", "规则", "问题类型", "问题描述", "问题页面", "首次发现"]
    fixed = [[c.value for c in row][:6] for row in ws.iter_rows(min_row=6)]
    assert fixed[0] == [RESOLVED[0].id[:8], "GWS-D4", "栏目缺失", "缺少“政策文件”栏目",
                        "http://127.0.0.2:8808/zcwj/", datetime(2026, 9, 20, 10)]
    assert fixed[1][5] == AWARE.astimezone().replace(tzinfo=None, microsecond=0)
    assert ws.cell(6, 5).hyperlink.target == "http://127.0.0.2:8808/zcwj/"
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(ws.max_column)}2"  # filter stays on the summary
    assert ws.max_row == 7



def test_first_found_dates_given_by_the_ledger_are_the_lists_discovery_time(tmp_path):
    result = make_result()
    dead = next(f for f in FINDINGS if f.site == "sthjt-trs" and f.rule == "GWS-DLINK")
    write_outputs(tmp_path, result, load_snapshots, first_found={"sthjt-trs": {dead.id: datetime(2026, 8, 1, 9, 0)}})
    row = next(r for r in parse(tmp_path / "sthjt-trs" / "整改清单.html").cssselect("tr.finding")
               if r.get("data-id") == dead.id)
    assert text(row.cssselect("td.found")[0]) == "2026-08-01 09:00"
    ws = openpyxl.load_workbook(tmp_path / "sthjt-trs" / "整改清单.xlsx")["全部问题"]
    header, rows = records(ws)
    assert next(r["发现时间"] for r in rows if r["编号"] == dead.id[:8]) == datetime(2026, 8, 1, 9, 0)
