"""The catalog documents itself, the way a linter documents its rules."""
from checks.rules import load_rules
from core.resources import RULES_DIR
from tests.conftest import gkaudit


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
