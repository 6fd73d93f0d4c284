"""One problem, one row in every output a bureau or a CI reads: a stale 政策文件 (GWS-D1 and GWS-V4a) is one line of
整改清单.html, 整改清单.xlsx and 整改通知.docx and one SARIF result, naming both rules; findings.json keeps both
entries under one problem id."""
from __future__ import annotations

import json
from datetime import date

import docx
import lxml.html
import openpyxl

from reports import write_outputs
from tests.builders import SiteBuilder


def test_a_problem_of_two_rules_is_one_row_everywhere(tmp_path):
    site = SiteBuilder(tmp_path)
    site.columns["政策文件"] = date(2026, 2, 10)  # GWS-D1 (deduct) and GWS-V4a (advice): one problem
    site.home["icp"] = None  # GUIDE-05: another problem
    result = site.judge()
    out = tmp_path / "out"
    write_outputs(out, result, lambda digests: {})

    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    problems = {}
    for f in data["findings"]:
        problems.setdefault(f["problem"], []).append(f["rule"])
    assert sorted(sorted(r) for r in problems.values()) == [["GUIDE-05"], ["GWS-D1", "GWS-V4a"]]

    rows = lxml.html.parse(str(out / "s" / "整改清单.html")).getroot().cssselect("tr.finding")
    assert sorted(r.get("data-rule") for r in rows) == ["GUIDE-05", "GWS-D1、GWS-V4a"]

    sheet = openpyxl.load_workbook(out / "s" / "整改清单.xlsx")
    descriptions = [c.value for ws in sheet.worksheets[1:] for c in ws["E"][1:] if c.value]  # 问题描述
    assert sum("政策文件" in d for d in descriptions) == 1

    notice = docx.Document(str(out / "s" / "整改通知.docx"))
    cells = [row.cells[2].text for table in notice.tables for row in table.rows[1:]]
    assert sum("政策文件" in c for c in cells) == 1
    assert any("发现单项否决问题 0 项、扣分问题 2 项、提示问题 0 项" in p.text for p in notice.paragraphs)

    sarif = json.loads((out / "gkaudit.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
    stale = [r for r in sarif if "政策文件" in r["message"]["text"]]
    assert len(stale) == 1 and stale[0]["ruleId"] == "GWS-D1" and stale[0]["properties"]["rules"] == ["GWS-D1",
                                                                                                    "GWS-V4a"]
