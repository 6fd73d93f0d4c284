"""The command line as a new user meets it: every mistake is one Chinese message with exit code 2, Click's own
messages included; lists and labels read in Chinese (issue 19)."""
from __future__ import annotations

import json
import os
import re
import sqlite3
from datetime import date, timedelta

import openpyxl
import pytest
import yaml

from tests.builders import SiteBuilder
from tests.conftest import ROOT, gkaudit

ENGLISH = re.compile(r"Usage:|Error:|Missing option|No such option|Invalid value|unexpected extra|Try '")


def usage_error(proc, *phrases):
    """Exit code 2, the phrases in Chinese on stderr, nothing of Click's English, no traceback."""
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    for phrase in phrases:
        assert phrase in proc.stderr, proc.stderr
    assert not ENGLISH.search(proc.stderr) and "Traceback" not in proc.stderr, proc.stderr


def test_missing_option_is_chinese_with_a_chinese_usage_line(tmp_path):
    proc = gkaudit("audit", "--sites", tmp_path / "sites.yaml")
    usage_error(proc, "缺少选项 '--out'", "用法: gkaudit audit [选项]", "gkaudit audit --help")


def test_unknown_option_extra_argument_bad_value_and_unknown_command_are_chinese():
    usage_error(gkaudit("runs", "--bogus"), "没有选项 --bogus")
    usage_error(gkaudit("rules", "list", "extra"), "多余的参数（extra）")
    usage_error(gkaudit("runs", "--limit", "abc"), "'--limit' 的值无效", "'abc' 不是有效的整数")
    usage_error(gkaudit("rules", "lis"), "没有命令 lis", "list")
    usage_error(gkaudit("audit", "--out", "o", "--as-of", "2026-13-01"), "'--as-of' 的值无效", "YYYY-MM-DD")


def test_help_is_chinese():
    proc = gkaudit("audit", "--help")
    assert proc.returncode == 0
    assert "用法: gkaudit audit [选项]" in proc.stdout and "显示本帮助并退出" in proc.stdout
    assert "Show this message" not in proc.stdout and "[OPTIONS]" not in proc.stdout


def one_run(db_path):
    """A database holding one judged run with findings (the site's footer lacks its ICP number)."""
    site = SiteBuilder(db_url=f"sqlite:///{db_path}")
    site.home["icp"] = None
    return site, site.judge()


def test_db_takes_a_plain_file_path_and_run_reasons_are_chinese(tmp_path):
    one_run(tmp_path / "out" / "demo.db")
    with sqlite3.connect(tmp_path / "out" / "demo.db") as db:
        db.execute("update run set finish_reason = 'shutdown'")
    proc = gkaudit("runs", "--db", "out/demo.db", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "已中断" in proc.stdout and "shutdown" not in proc.stdout
    assert not (tmp_path / "sqlite:").exists() and not (tmp_path / "gkaudit.db").exists()


def test_runs_without_a_database_says_where_the_demo_one_is_and_creates_none(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "GKAUDIT_DB"}
    proc = gkaudit("runs", cwd=tmp_path, env=env)
    usage_error(proc, "当前目录没有数据库", "--db out/demo.db")
    assert not (tmp_path / "gkaudit.db").exists()
    typo = gkaudit("runs", "--db", "out/dmeo.db", cwd=tmp_path, env=env)
    usage_error(typo, "out/dmeo.db 不存在")
    assert not (tmp_path / "out").exists()
    listed = gkaudit("ledger", "list", cwd=tmp_path, env=env)  # the ledger's commands read the same way
    usage_error(listed, "当前目录没有数据库", "--db out/demo.db")
    assert not (tmp_path / "gkaudit.db").exists()


def test_bad_database_url_is_one_chinese_line(tmp_path):
    proc = gkaudit("runs", "--db", "sqlite:/\\/x.db:foo://", cwd=tmp_path)
    usage_error(proc, "数据库地址无效", "out/demo.db")
    unknown = gkaudit("runs", "--db", "mysqll://u@h/db", cwd=tmp_path)
    usage_error(unknown, "数据库地址无效", "mysqll://u@h/db")
    assert len(unknown.stderr.strip().splitlines()) == 1


def test_a_register_given_to_sites_points_to_sites_import(tmp_path):
    for name in ("台账.xlsx", "台账.csv"):
        (tmp_path / name).write_bytes(b"PK\x03\x04")
        usage_error(gkaudit("audit", "--sites", tmp_path / name, "--out", tmp_path / "o"),
                    f"{name} 是台账表格", "gkaudit sites import")
        usage_error(gkaudit("sites", "check", tmp_path / name), "gkaudit sites import")
    assert not (tmp_path / "o").exists()


SITES = """\
sites:
  - id: dhq
    name: 东湖区生态环境局
    url: http://127.0.0.9/
    level: {level}
"""


@pytest.mark.parametrize("word, label", [("区县", "县级"), ("省级", "省级"), ("city", "市级")])
def test_every_level_word_is_accepted_in_a_sites_file(tmp_path, word, label):
    (tmp_path / "sites.yaml").write_text(SITES.format(level=word), encoding="utf-8")
    proc = gkaudit("sites", "check", tmp_path / "sites.yaml")
    assert proc.returncode == 0, proc.stderr
    assert label in proc.stdout


def test_a_wrong_level_names_both_vocabularies(tmp_path):
    (tmp_path / "sites.yaml").write_text(SITES.format(level="乡镇"), encoding="utf-8")
    usage_error(gkaudit("sites", "check", tmp_path / "sites.yaml"), "sites.yaml:5", "区县", "province/city/county", "乡镇")


def test_register_import_accepts_the_sites_file_words_too(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["网站名称", "网址", "层级"])
    for row in (["甲局", "http://a.gov.cn/", "区县"], ["乙局", "http://b.gov.cn/", "province"],
                ["丙局", "http://c.gov.cn/", "市级"]):
        wb.active.append(row)
    wb.save(tmp_path / "台账.xlsx")
    proc = gkaudit("sites", "import", tmp_path / "台账.xlsx", "--out", tmp_path / "sites.yaml")
    assert proc.returncode == 0, proc.stderr
    levels = [s["level"] for s in yaml.safe_load((tmp_path / "sites.yaml").read_text(encoding="utf-8"))["sites"]]
    assert levels == ["county", "province", "city"]


def test_waive_refuses_an_expiry_in_the_past(tmp_path):
    _, result = one_run(tmp_path / "gk.db")
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    proc = gkaudit("waive", result.findings[0].id[:8], "--reason", "备案变更中", "--expires", yesterday,
                   "--db", tmp_path / "gk.db")
    usage_error(proc, f"到期日期 {yesterday} 已经过去")
    assert "没有豁免" in gkaudit("waivers", "list", "--db", tmp_path / "gk.db").stdout


def test_waivers_list_and_revoke_and_the_ledger_follows(tmp_path):
    db = tmp_path / "gk.db"
    site, result = one_run(db)
    report = gkaudit("report", "--out", tmp_path / "r", "--db", db)  # judged again: the 整改台账 records it
    assert report.returncode == 0, report.stderr
    finding = result.findings[0]
    waived = gkaudit("waive", finding.id[:8], "--reason", "备案变更中", "--db", db)
    assert waived.returncode == 0, waived.stderr
    listed = gkaudit("waivers", "list", "--db", db)
    assert listed.returncode == 0, listed.stderr
    header, row = listed.stdout.splitlines()
    assert header.split("\t")[:3] == ["编号", "站点", "规则"]
    waiver_id, site_id, rule, _, _, reason, expires, state, _ = row.split("\t")
    assert (site_id, rule, reason, expires, state) == ("s", finding.rule, "备案变更中", "长期", "有效")
    revoked = gkaudit("waivers", "revoke", waiver_id, "--db", db)
    assert revoked.returncode == 0, revoked.stderr
    assert "已撤销豁免" in revoked.stderr and "恢复为待整改" in revoked.stderr
    assert "没有豁免" in gkaudit("waivers", "list", "--db", db).stdout
    assert site.judge().findings[0].status != "waived"
    item = json.loads(gkaudit("ledger", "list", "--json", "--db", db).stdout)[0]
    assert item["status"] == "open"
    assert "撤销豁免" in gkaudit("ledger", "show", str(item["id"]), "--db", db).stdout
    usage_error(gkaudit("waivers", "revoke", waiver_id, "--db", db), f"没有编号为 {waiver_id} 的豁免")


def test_inspect_is_readable_by_default_and_json_with_the_flag(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>机构设置</title></head><body><p>内设机构</p></body></html>", encoding="utf-8")
    plain = gkaudit("inspect", page, "--as-of", "2026-11-20")
    assert plain.returncode == 0, plain.stderr
    assert "标题：机构设置" in plain.stdout and "发布日期：未找到" in plain.stdout and "党政机关网站标识：否" in plain.stdout
    assert "None" not in plain.stdout and "False" not in plain.stdout and "published" not in plain.stdout
    data = json.loads(gkaudit("inspect", page, "--json", "--as-of", "2026-11-20").stdout)
    assert data["title"] == "机构设置" and data["published"] is None and data["conac"] is False


def test_schedule_list_says_durations_in_days_and_minutes():
    proc = gkaudit("schedule", "list", "--schedules", ROOT / "config" / "schedules.example.yaml")
    assert proc.returncode == 0, proc.stderr
    assert "错过后补跑宽限: 3 天" in proc.stdout and "随机延后至多 55 分钟" in proc.stdout
    assert "259200" not in proc.stdout and "3300 秒" not in proc.stdout


def test_rules_list_has_chinese_kinds_and_explains_the_evidence_letters():
    proc = gkaudit("rules", "list")
    assert proc.returncode == 0, proc.stderr
    header = next(line for line in proc.stdout.splitlines() if "规则" in line and "类型" in line)
    assert [c.strip() for c in header.strip("┃ ").split("┃")] == ["规则", "名称", "类型", "级别", "依据等级"]
    assert "栏目缺失" in proc.stdout and "column-missing" not in proc.stdout
    for tag in ("V 原文核实", "P 转述", "R 未核实", "I 建议做法"):
        assert tag in proc.stdout
