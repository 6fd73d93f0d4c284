"""Province summary workbook (汇总.xlsx): every site ranked, for the supervisor who ranks bureaus.

Sheets:
- 全部网站: one row per site, in rank order (the order and ranks of index.html).
- When any site names a 主管单位 (``supervisor``): 按主管单位, one subtotal row per unit (site counts per verdict,
  finding counts summed), then one sheet per unit listing its sites with both the province rank and the rank
  inside the unit. Sites without a unit are grouped under 「未填写主管单位」, last.

Every number is copied or summed from the checks' result; nothing is scored here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from . import labels as L
from .rows import group_totals, has_supervisors, ranked_sites, supervisor_groups
from .xlsx import sheet_title, write_table

ALL_SHEET = "全部网站"
GROUP_SHEET = "按主管单位"
SITE_COLUMNS = ["排名", "网站名称", "网站ID", "网站标识码", "网址", "层级", "主管单位", "结论", "得分",
                "上次得分", "单项否决项数", "扣分项数", "提示项数", "已豁免项数", "本次新发现", "较上次已整改",
                "未检测项数", "抓取页面数"]
GROUP_COLUMNS = ["主管单位", "网站数", "合格", "不合格", "未检测", "单项否决项数", "扣分项数", "提示项数",
                 "已豁免项数", "本次新发现", "较上次已整改"]


def _previous_score(site: dict) -> Any:
    history = site.get("history") or []
    return history[-1].get("score") if history else None


def site_values(site: dict, headers: list[str]) -> list[Any]:
    counts = site.get("counts") or {}
    values = {
        "排名": site.get("rank"), "组内排名": site.get("group_rank"), "网站名称": site.get("name"),
        "网站ID": site.get("site"), "网站标识码": site.get("site_id_code"), "网址": site.get("url"),
        "层级": L.label(L.LEVEL, site.get("level")) or None, "主管单位": site.get("supervisor"),
        "结论": L.label(L.VERDICT, site.get("verdict")) or None, "得分": site.get("score"),
        "上次得分": _previous_score(site),
        "单项否决项数": counts.get("veto", 0), "扣分项数": counts.get("deduct", 0), "提示项数": counts.get("advice", 0),
        "已豁免项数": counts.get("waived"), "本次新发现": counts.get("new"), "较上次已整改": site.get("resolved"),
        "未检测项数": len(site.get("not_tested") or []), "抓取页面数": site.get("pages"),
    }
    return [values.get(h) for h in headers]


def group_values(name: str, sites: list[dict]) -> list[Any]:
    t = group_totals(sites)
    return [name, t["sites"], t["pass"], t["fail"], t["not_tested"], t["veto"], t["deduct"], t["advice"],
            t["waived"], t["new"], t["resolved"]]


def write_summary_xlsx(path: Path, result: dict) -> Path:
    sites = ranked_sites(result.get("sites", []))
    grouped = has_supervisors(sites)
    headers = SITE_COLUMNS if grouped else [h for h in SITE_COLUMNS if h != "主管单位"]
    wb = Workbook()
    wb.properties.creator = "gkaudit"
    wb.properties.title = f"政府网站检测汇总（{result.get('as_of') or ''}）"
    used: set[str] = set()
    ws = wb.active
    ws.title = sheet_title(ALL_SHEET, used)
    write_table(ws, headers, [site_values(s, headers) for s in sites])
    if grouped:
        groups = supervisor_groups(sites)
        write_table(wb.create_sheet(sheet_title(GROUP_SHEET, used)), GROUP_COLUMNS,
                    [group_values(name, members) for name, members in groups])
        unit_headers = ["组内排名"] + headers
        for name, members in groups:
            inner = {s["site"]: s["rank"] for s in ranked_sites(members)}
            rows = [site_values({**s, "group_rank": inner[s["site"]]}, unit_headers) for s in members]
            write_table(wb.create_sheet(sheet_title(name, used)), unit_headers, rows)
    wb.save(path)
    return path
