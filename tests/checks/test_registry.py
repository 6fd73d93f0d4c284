"""Check types like a linter's rules: one module per type, discovered under its module name; every rule names a
discovered type; every type has its own test file here (a new check type without tests fails)."""
from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

from checks import types as check_types
from checks.base import CheckType
from checks.registry import CHECKS
from core.resources import RULES_DIR
from core.yamlfile import load_yaml

TESTS = Path(__file__).resolve().parent
MODULES = sorted(m.name for m in pkgutil.iter_modules(check_types.__path__))


def test_every_module_of_checks_types_is_discovered_under_its_name():
    assert MODULES and sorted(CHECKS) == MODULES


@pytest.mark.parametrize("key", MODULES)
def test_each_module_defines_exactly_one_check_type(key):
    module = importlib.import_module(f"checks.types.{key}")
    defined = [c for _, c in inspect.getmembers(module, inspect.isclass)
               if issubclass(c, CheckType) and c is not CheckType and c.__module__ == module.__name__]
    assert len(defined) == 1, f"checks/types/{key}.py defines {[c.__name__ for c in defined]}"
    assert type(CHECKS[key]) is defined[0]


def rule_checks():
    """(rule file, rule id, check) of every rule in config/rules, read from the YAML itself."""
    out = []
    for path in sorted(Path(RULES_DIR).glob("*.yaml")):
        for entry in load_yaml(path)["rules"]:
            out.append((path.name, entry["id"], entry.get("check")))
    return out


def test_every_rule_names_a_discovered_check_type():
    rules = rule_checks()
    assert rules
    unknown = [(file, rid, check) for file, rid, check in rules if check not in CHECKS]
    assert unknown == []


@pytest.mark.parametrize("key", MODULES)
def test_every_check_type_has_its_test_file(key):
    assert (TESTS / f"test_{key}.py").is_file(), f"checks/types/{key}.py has no tests/checks/test_{key}.py"
