"""GUIDE-12a: axe-core's results in page.extra["a11y"] become findings by GB/T 37668-2019 clause (config/a11y.yaml),
one per failed axe rule per page, with count and examples. Near misses: a clean result, an impact below
min_impact, an ignored rule. A page the browser could not check, or no check at all (render off), is not_tested.
The results themselves are measured in chromium in tests/test_a11y_render.py."""
from __future__ import annotations

import shutil

from core.resources import RULES_DIR
from tests.builders import BASE, found, not_tested

RULE = "GUIDE-12a"


def violation(rule_id, count, impact="serious", wcag=("wcag2a", "wcag111")):
    return {"id": rule_id, "impact": impact, "wcag": list(wcag), "count": count,
            "examples": [{"target": "img", "html": '<img src="/a.png" onerror="alert(1)">'}]}


def with_results(site, violations, page_url=None, title=None):
    result = {"violations": violations, "popups": []}
    if page_url is None:
        site.home["extra"] = dict(site.home["extra"], a11y=result)
    else:
        site.extra_pages.append({"url": page_url, "status": 200, "title": title, "extra": {"a11y": result}})


def test_each_failed_axe_rule_is_a_finding_named_by_its_clause(site):
    with_results(site, [violation("image-alt", 12, "critical"),
                        violation("color-contrast", 4, wcag=("wcag2aa", "wcag143")),
                        violation("html-has-lang", 1, wcag=("wcag2a", "wcag311"))])
    with_results(site, [violation("label", 2, "critical", ("wcag2a", "wcag412"))], f"{BASE}xxgk/", "信息公开")
    result = site.judge()
    assert sorted(found(result, RULE)) == [(RULE, "advice", BASE)] * 3 + [(RULE, "advice", f"{BASE}xxgk/")]
    by_rule = {f.evidence["axe_rule"]: f for f in result.findings if f.rule == RULE}
    image = by_rule["image-alt"]
    assert image.evidence["clause"] == "5.1.1 替代文本" and image.evidence["wcag"] == "1.1.1"
    assert image.evidence["count"] == 12 and image.evidence["examples"][0]["html"].startswith("<img")
    assert image.message == "首页图片缺少替代文本，共 12 处（GB/T 37668-2019 5.1.1 替代文本；WCAG 1.1.1，axe 规则 image-alt）"
    assert by_rule["color-contrast"].evidence["clause"] == "5.1.4 可辨别"
    assert by_rule["html-has-lang"].evidence["clause"] == "5.3.1 可读性"
    assert by_rule["label"].evidence["clause"] == "5.3.3 输入辅助"  # the table's criterion, not axe's tag
    assert by_rule["label"].message.startswith("「信息公开」表单输入框缺少标签")


def test_an_unlisted_axe_rule_takes_the_clause_of_its_wcag_tag(site):
    with_results(site, [violation("some-new-rule", 1, wcag=("wcag21aa", "wcag2411"))])
    finding = next(f for f in site.judge().findings if f.rule == RULE)
    assert finding.evidence["clause"] == "5.2.4 可导航" and finding.evidence["wcag"] == "2.4.11"


def test_a_clean_result_is_no_finding(site):
    result = site.judge()
    assert found(result, RULE) == [] and not_tested(result, RULE) == []


def test_impacts_below_min_impact_and_ignored_rules_are_not_reported(site):
    with_results(site, [violation("image-alt", 3, "minor"), violation("color-contrast", 2, "serious")])
    site.settings = {"rules": {RULE: {"min_impact": "serious", "ignore": ["color-contrast"]}}}
    assert found(site.judge(), RULE) == []


def test_pages_not_checked_in_a_browser_are_not_tested(site):
    site.home["extra"] = {"care_entrance": {"label": "无障碍", "tag": "a"}}  # render off: no a11y fact
    result = site.judge()
    assert found(result, RULE) == [] and not_tested(result, RULE) == ["not_browser_checked"]
    site.home["extra"] = {"a11y": {"error": "timeout", "seconds": 30.0}}
    result = site.judge()
    assert found(result, RULE) == [] and not_tested(result, RULE) == ["not_browser_checked"]


def test_a_province_whose_rules_deduct_for_it_gets_deductions(site, tmp_path):
    """Advice in the bundled catalog; a province's own catalog (--rules) may make it a deduction."""
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    guide = rules / "guide.yaml"
    text = guide.read_text(encoding="utf-8")
    start = text.index("  - id: GUIDE-12a")
    head, entry = text[:start], text[start:]
    guide.write_text(head + entry.replace("severity: advice", "severity: deduct\n    points: 0.5\n    cap: 2", 1),
                     encoding="utf-8")
    with_results(site, [violation("image-alt", 12, "critical"), violation("label", 2, "critical")])
    result = site.judge(rules)
    assert [(f.severity, f.points) for f in result.findings if f.rule == RULE] == [("deduct", 0.5)] * 2


def test_the_keyboard_failures_of_the_homepage_are_named_by_their_clause(site):
    """The Tab walk's results (crawler/render/a11y.py tab_through) come as violations of their own ids."""
    keyboard = [dict(violation("focus-visible", 5, wcag=("wcag247",)), source="keyboard"),
                dict(violation("keyboard-trap", 2, "critical", ("wcag212",)), source="keyboard")]
    with_results(site, keyboard)
    by_rule = {f.evidence["axe_rule"]: f for f in site.judge().findings if f.rule == RULE}
    assert by_rule["focus-visible"].message == ("首页用 Tab 键移动焦点时看不出焦点所在位置，共 5 处（GB/T 37668-2019 "
                                                "5.2.4 可导航；WCAG 2.4.7，Tab 键检测）")
    assert by_rule["keyboard-trap"].evidence["clause"] == "5.2.1 键盘可访问"
    assert by_rule["keyboard-trap"].evidence["wcag"] == "2.1.2"


def test_a_keyboard_walk_without_failures_is_no_finding(site):
    site.home["extra"] = dict(site.home["extra"], a11y={"violations": [], "popups": [],
                                                        "keyboard": {"stops": 12, "tabbable": 12, "frame": False}})
    assert found(site.judge(), RULE) == []
