"""Province summary workbook (汇总.xlsx): every site ranked, for the supervisor who ranks bureaus.

Sheets:
- 全部网站: one row per site, in rank order (the order and ranks of index.html: 合格 above 不合格), with 否决原因
  (the veto rules), 扣分 (points lost) beside 扣分项 (how many), and 未检测 as notes (注1、注2).
- 未检测原因说明 (when any site has a not-tested item): each note once — 注, 检测项及原因, 涉及网站数, 处理建议 (the
  supervisor's next step).
- When any site names a 主管单位 (``result.groups``): 按主管单位, one subtotal row per unit, then one sheet per
  unit listing its sites with both the province rank and the rank inside the unit. Sites without a unit are
  grouped under 「未填写主管单位」, last.

Every rank and total is the checks' (checks.result): nothing is scored or ranked here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from checks.result import AuditResult, SiteVerdict, SupervisorGroup
from core.vocab import SITE_LEVELS, label

from .legend import not_tested_notes, refs_text, veto_text
from .xlsx import sheet_title, workbook, write_table

NAME = "汇总.xlsx"
ALL_SHEET = "全部网站"
GROUP_SHEET = "按主管单位"
SITE_COLUMNS = ["排名", "网站名称", "网站ID", "网站标识码", "网址", "层级", "主管单位", "结论", "得分", "扣分",
                "上次得分", "否决原因", "单项否决项", "扣分项", "提示项", "已豁免项", "本次新发现", "较上次已整改",
                "未检测项数", "未检测原因", "抓取页面数"]
LEGEND_SHEET = "未检测原因说明"
LEGEND_COLUMNS = ["注", "检测项及原因", "涉及网站数", "处理建议"]
GROUP_COLUMNS = ["主管单位", "网站数", "合格", "不合格", "未检测", "单项否决项数", "扣分项数", "提示项数",
                 "已豁免项数", "本次新发现", "较上次已整改"]


def site_values(site: SiteVerdict, headers: list[str], group_rank: int | None = None,
                veto: str = "", notes: str = "") -> list[Any]:
    c = site.counts
    values = {
        "排名": site.rank, "组内排名": group_rank, "网站名称": site.name,
        "网站ID": site.site, "网站标识码": site.site_id_code, "网址": site.url,
        "层级": label(SITE_LEVELS, site.level) or None, "主管单位": site.supervisor,
        "结论": site.verdict_label, "得分": site.score, "扣分": site.points_lost, "上次得分": site.previous_score,
        "否决原因": veto or None, "单项否决项": c.veto, "扣分项": c.deduct, "提示项": c.advice,
        "已豁免项": c.waived, "本次新发现": c.new, "较上次已整改": site.resolved,
        "未检测项数": len(site.not_tested), "未检测原因": notes or None, "抓取页面数": site.pages,
    }
    return [values.get(h) for h in headers]


def group_values(group: SupervisorGroup) -> list[Any]:
    c, v = group.counts, group.verdicts
    return [group.name, len(group.sites), v["pass"], v["fail"], v["not_tested"], c.veto, c.deduct, c.advice,
            c.waived, c.new, group.resolved]


def write(out_dir: Path, result: AuditResult) -> Path:
    path = out_dir / NAME
    groups = result.groups
    headers = SITE_COLUMNS if groups else [h for h in SITE_COLUMNS if h != "主管单位"]
    wb = workbook()
    wb.properties.title = f"政府网站检测汇总（{result.as_of}）"
    used: set[str] = set()
    title = f"政府网站检测汇总（评估基准日 {result.as_of}）"
    sites = result.ranked()
    notes, refs = not_tested_notes(result, sites)
    vetoes = {s.site: veto_text(result, s) for s in sites}

    def values(s: SiteVerdict, cols: list[str], group_rank: int | None = None) -> list[Any]:
        return site_values(s, cols, group_rank, vetoes[s.site], refs_text(refs.get(s.site, [])))

    ws = wb.active
    ws.title = sheet_title(ALL_SHEET, used)
    write_table(ws, headers, [values(s, headers) for s in sites], title=title)
    if notes:
        write_table(wb.create_sheet(sheet_title(LEGEND_SHEET, used)), LEGEND_COLUMNS,
                    [[f"注{n.number}", n.text, n.sites, n.hint or None] for n in notes], title=f"{title}：{LEGEND_SHEET}")
    if groups:
        write_table(wb.create_sheet(sheet_title(GROUP_SHEET, used)), GROUP_COLUMNS,
                    [group_values(g) for g in groups], title=title)
        unit_headers = ["组内排名"] + headers
        for group in groups:
            write_table(wb.create_sheet(sheet_title(group.name, used)), unit_headers,
                        [values(s, unit_headers, group.ranks.get(s.site)) for s in group.sites],
                        title=f"{title}：{group.name}")
    wb.save(path)
    return path
