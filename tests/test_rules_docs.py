"""Rule documentation has one source: docs/rules.md is written from the rule files and the check types' docstrings,
every rule says why it matters, how to fix it and on what basis, every rule is exercised by a test, and a rule file
holds exactly the rules of its id prefix."""
from __future__ import annotations

import difflib
import inspect
import re
import shutil
from pathlib import Path

import pytest

from checks.docs import render_rules_doc, write_rules_doc
from checks.registry import CHECKS
from checks.rules import load_rules, rules_file_name
from core.resources import RULES_DIR
from core.yamlfile import ConfigError
from tests.conftest import ROOT

RULES_DOC = ROOT / "docs" / "rules.md"


def section(doc: str, heading: str) -> str:
    """The text under `heading` (a whole line) up to the next heading of any level."""
    start = doc.index(f"\n{heading}\n") + len(heading) + 2
    following = re.search(r"^#{1,6} ", doc[start:], re.MULTILINE)
    return doc[start:start + following.start()] if following else doc[start:]


def copy_rules(tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    return rules


def line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def test_docs_rules_md_is_what_the_rules_say():
    expected = render_rules_doc(RULES_DIR)
    actual = RULES_DOC.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(list(difflib.unified_diff(actual.splitlines(True), expected.splitlines(True),
                                                 "docs/rules.md", "generated", n=1))[:40])
        pytest.fail(f"docs/rules.md is stale: run `gkaudit rules docs` and commit the result.\n{diff}")


def test_write_rules_doc_says_whether_the_file_changed(tmp_path):
    target = tmp_path / "docs" / "rules.md"
    assert write_rules_doc(RULES_DIR, target) is True
    assert target.read_text(encoding="utf-8") == render_rules_doc(RULES_DIR)
    assert write_rules_doc(RULES_DIR, target) is False


def test_every_rule_says_why_fix_and_basis():
    for rule in load_rules(RULES_DIR):
        for field in ("why", "fix", "basis"):
            assert getattr(rule, field).strip(), f"{rule.id} ({rule.source}) has no {field}"


@pytest.mark.parametrize("field", ["why", "fix", "basis"])
def test_a_rule_without_why_fix_or_basis_is_refused(tmp_path, field):
    rules = copy_rules(tmp_path)
    gws = rules / "gws.yaml"
    text = gws.read_text(encoding="utf-8")
    first = line_of(gws, "  - id: GWS-V4a")
    broken = re.sub(rf"^    {field}: .*\n", "", text, count=1, flags=re.MULTILINE)
    assert broken != text
    gws.write_text(broken, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_rules(rules)
    assert (Path(err.value.path).name, err.value.line, err.value.field) == ("gws.yaml", first, field)
    assert "缺少必填字段" in str(err.value)


@pytest.mark.parametrize("field", ["requirement", "notes"])
def test_requirement_and_notes_must_be_text(tmp_path, field):
    rules = copy_rules(tmp_path)
    gws = rules / "gws.yaml"
    text = gws.read_text(encoding="utf-8")
    broken = re.sub(rf"^    {field}: .*\n", f"    {field}: [a, b]\n", text, count=1, flags=re.MULTILINE)
    assert broken != text
    gws.write_text(broken, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_rules(rules)
    assert (Path(err.value.path).name, err.value.field) == ("gws.yaml", field)


def test_every_rule_is_named_by_a_test():
    this = Path(__file__).resolve()
    sources = {path: path.read_text(encoding="utf-8") for path in sorted((ROOT / "tests").rglob("test_*.py"))
               if path.resolve() != this}
    unnamed = [rule.id for rule in load_rules(RULES_DIR)
               if not any(re.search(rf"(?<![\w-]){re.escape(rule.id)}(?![\w-])", text) for text in sources.values())]
    assert not unnamed, f"no test under tests/ names these rules: {', '.join(unnamed)}"


def test_each_rule_file_holds_exactly_its_prefix():
    rules = load_rules(RULES_DIR)
    for rule in rules:
        file = Path(rule.source.rsplit(":", 1)[0]).name
        assert file == rules_file_name(rule.id), f"{rule.id} is in {file}"
    assert sorted(p.name for p in RULES_DIR.glob("*.yaml")) == sorted({rules_file_name(r.id) for r in rules})
    assert rules_file_name("GWS-V4a") == "gws.yaml" and rules_file_name("LINK-FRAGMENT") == "link.yaml"


def test_a_misfiled_rule_is_refused_with_file_line_and_field(tmp_path):
    rules = copy_rules(tmp_path)
    gws, ogi = rules / "gws.yaml", rules / "ogi.yaml"
    text = gws.read_text(encoding="utf-8")
    start = text.index("  - id: GWS-V6")
    gws.write_text(text[:start], encoding="utf-8")
    ogi.write_text(ogi.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + text[start:], encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_rules(rules)
    line = line_of(ogi, "  - id: GWS-V6")
    assert (Path(err.value.path).name, err.value.line, err.value.field) == ("ogi.yaml", line, "id")
    assert f"ogi.yaml:{line}:" in str(err.value) and "'id'" in str(err.value) and "gws.yaml" in str(err.value)


def test_a_rule_file_named_otherwise_is_refused(tmp_path):
    rules = copy_rules(tmp_path)
    (rules / "gws.yaml").rename(rules / "svc.yaml")
    with pytest.raises(ConfigError) as err:
        load_rules(rules)
    assert (Path(err.value.path).name, err.value.field) == ("svc.yaml", "id")
    assert err.value.line == line_of(rules / "svc.yaml", "  - id: GWS-V4a") and "gws.yaml" in str(err.value)


def test_the_doc_gives_a_rules_basis_fix_check_type_and_notes():
    doc = render_rules_doc(RULES_DIR)
    rule = next(r for r in load_rules(RULES_DIR) if r.id == "GWS-V4a")
    text = section(doc, "#### GWS-V4a")
    assert rule.basis in text and rule.fix in text and rule.why in text
    assert "[`column_fresh`](#column_fresh)" in text
    assert rule.requirement in text and rule.notes in text
    assert "at ≥ 5 findings [V]" in text and "30 working days" in text
    assert "work_news: 14" in text and "# days before the audit date [V]" in text  # params with their comments


def test_the_doc_gives_each_check_types_docstring():
    doc = render_rules_doc(RULES_DIR)
    docstring = inspect.cleandoc(type(CHECKS["column_fresh"]).__doc__)
    text = section(doc, "### `column_fresh`")
    assert docstring in text and "[GWS-V4a](#gws-v4a)" in text
    for name in CHECKS:
        assert section(doc, f"### `{name}`").split("- **Used by**")[0].strip(), f"check type {name} has no docstring"
