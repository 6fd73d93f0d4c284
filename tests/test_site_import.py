"""Supervisors' registers (XLSX/CSV) become sites files; bad rows are named."""
from __future__ import annotations

import openpyxl
import yaml

from tests.conftest import gkaudit

HEADER = ["序号", "网站名称", "网址", "层级", "网站标识码", "主管单位"]
ROWS = [
    [1, "江南省生态环境厅", "http://sthjt.jiangnan.gov.cn", "省级", "3290000012", "江南省人民政府办公厅"],
    [2, "青川市生态环境局", "sthjj.qingchuan.gov.cn/", "市级", "", "江南省生态环境厅"],
    [3, "东湖区生态环境局", "https://dhq-sthj.example.com/", "县级", "3290010305", "青川市生态环境局"],
]


def test_xlsx_register_becomes_a_sites_file(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2026年度政府网站台账"])  # a title row above the header, as registers have
    ws.append(HEADER)
    for row in ROWS:
        ws.append(row)
    wb.save(tmp_path / "台账.xlsx")
    out = tmp_path / "sites.yaml"
    proc = gkaudit("sites", "import", tmp_path / "台账.xlsx", "--out", out)
    assert proc.returncode == 0, proc.stderr
    sites = yaml.safe_load(out.read_text(encoding="utf-8"))["sites"]
    assert [(s["id"], s["level"], s["url"]) for s in sites] == [
        ("3290000012", "province", "http://sthjt.jiangnan.gov.cn/"),
        ("sthjj-qingchuan", "city", "http://sthjj.qingchuan.gov.cn/"),
        ("3290010305", "county", "https://dhq-sthj.example.com/"),
    ]
    assert sites[0]["supervisor"] == "江南省人民政府办公厅"
    assert "dhq-sthj.example.com 不是 .gov.cn" in proc.stderr
    check = gkaudit("sites", "check", out)
    assert check.returncode == 0 and "3 个站点" in check.stdout


def test_csv_in_gbk_with_a_duplicate_url_names_the_row(tmp_path):
    lines = [",".join(HEADER)] + [",".join(map(str, r)) for r in ROWS] + ["4,重复局,http://sthjt.jiangnan.gov.cn/,市级,,"]
    (tmp_path / "台账.csv").write_bytes("\n".join(lines).encode("gbk"))
    proc = gkaudit("sites", "import", tmp_path / "台账.csv", "--out", tmp_path / "sites.yaml")
    assert proc.returncode == 2
    assert "台账.csv:5" in proc.stderr and "重复" in proc.stderr


def test_missing_level_is_an_error_naming_row_and_column(tmp_path):
    lines = [",".join(HEADER), "1,甲局,http://a.gov.cn/,,,"]
    (tmp_path / "r.csv").write_text("\n".join(lines), encoding="utf-8")
    proc = gkaudit("sites", "import", tmp_path / "r.csv", "--out", tmp_path / "s.yaml")
    assert proc.returncode == 2 and "r.csv:2" in proc.stderr and "层级" in proc.stderr
