"""The catalog documents itself, the way a linter documents its rules."""
from checks.rules import load_rules
from core.resources import RULES_DIR
from tests.conftest import ROOT, gkaudit


def test_rules_list_names_every_rule():
    out = gkaudit("rules", "list").stdout
    assert all(rule.id in out for rule in load_rules(RULES_DIR))


def test_rules_show_gives_basis_threshold_and_fix():
    proc = gkaudit("rules", "show", "gws-v4a")
    assert proc.returncode == 0
    assert "国办秘函〔2019〕19号" in proc.stdout and "达到 5 项即单项否决" in proc.stdout and "整改要求" in proc.stdout


def test_unknown_rule_is_an_error():
    proc = gkaudit("rules", "show", "NOPE-1")
    assert proc.returncode == 2 and "NOPE-1" in proc.stderr


def test_rules_show_a_deduction_without_a_cap_and_the_rules_notes(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "guide.yaml").write_text(
        "rules:\n  - id: GUIDE-06\n    title: 党政机关网站标识缺失\n    kind: identifier-missing\n    severity: deduct\n"
        "    points: 1\n    check: footer_identifiers\n    params: {identifiers: [conac]}\n    basis: 规范\n"
        "    evidence: R\n    why: 因为\n    fix: 加上\n    notes: 检查 _ideConac\n", encoding="utf-8")
    proc = gkaudit("rules", "show", "GUIDE-06", "--rules", rules)
    assert proc.returncode == 0, proc.stderr
    assert "每项 1 分）" in proc.stdout and "说明: 检查 _ideConac" in proc.stdout


def test_rules_docs_writes_the_rule_documentation(tmp_path):
    out = tmp_path / "rules.md"
    first = gkaudit("rules", "docs", "--out", out)
    assert first.returncode == 0 and "已更新" in first.stderr
    assert out.read_text(encoding="utf-8") == (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    again = gkaudit("rules", "docs", "--out", out)
    assert again.returncode == 0 and "已是最新" in again.stderr
