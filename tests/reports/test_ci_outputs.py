"""CI outputs: junit.xml (a testsuite per site, a testcase per site × rule) and gkaudit.sarif (SARIF 2.1.0).

The SARIF checks below encode the parts of the 2.1.0 schema (sarif-schema-2.1.0.json, OASIS) that code-scanning
consumers rely on; they run offline.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from .sample import FINDINGS, NOT_TESTED, RULES, T0, make_result

LEVELS = {"none", "note", "warning", "error"}
BASELINE = {"new", "unchanged", "updated", "absent"}
SUPPRESSION_KIND = {"inSource", "external"}
SUPPRESSION_STATUS = {"accepted", "underReview", "rejected"}
# RFC 3986 URI reference characters (percent-escapes included); no spaces, no raw non-ASCII.
URI_REF = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*$")


def _message(m, where):
    assert isinstance(m, dict) and isinstance(m.get("text"), str) and m["text"], f"{where}: message.text"


def _location(loc, where):
    uri = loc["physicalLocation"]["artifactLocation"]["uri"]
    assert isinstance(uri, str) and URI_REF.match(uri), f"{where}: uri {uri!r}"


def validate_sarif(doc: dict) -> None:
    """The key structure of the SARIF 2.1.0 schema; raises AssertionError with the path on a violation."""
    assert set(doc) <= {"$schema", "version", "runs", "inlineExternalProperties", "properties"}
    assert doc["version"] == "2.1.0"
    assert isinstance(doc.get("$schema", ""), str)
    assert isinstance(doc["runs"], list) and doc["runs"]
    for r, run in enumerate(doc["runs"]):
        driver = run["tool"]["driver"]
        assert isinstance(driver["name"], str) and driver["name"], f"runs[{r}].tool.driver.name"
        rules = driver.get("rules", [])
        ids = [rule["id"] for rule in rules]
        assert len(ids) == len(set(ids)), "rule ids are unique"
        for i, rule in enumerate(rules):
            where = f"runs[{r}].tool.driver.rules[{i}]"
            assert isinstance(rule["id"], str) and rule["id"], where
            for key in ("shortDescription", "fullDescription", "help"):
                if key in rule:
                    _message(rule[key], f"{where}.{key}")
            if "defaultConfiguration" in rule:
                assert rule["defaultConfiguration"].get("level", "warning") in LEVELS, where
            if "properties" in rule:
                assert isinstance(rule["properties"], dict)
                tags = rule["properties"].get("tags", [])
                assert isinstance(tags, list) and len(tags) == len(set(tags)) and all(isinstance(t, str) for t in tags)
        for i, res in enumerate(run.get("results", [])):
            where = f"runs[{r}].results[{i}]"
            _message(res["message"], where)
            assert res.get("level", "warning") in LEVELS, where
            assert isinstance(res["ruleId"], str)
            if "ruleIndex" in res:
                assert isinstance(res["ruleIndex"], int) and 0 <= res["ruleIndex"] < len(rules), where
                assert rules[res["ruleIndex"]]["id"] == res["ruleId"], f"{where}: ruleIndex points at ruleId"
            for loc in res.get("locations", []):
                _location(loc, where)
            for loc in res.get("relatedLocations", []):
                _location(loc, where)
                assert isinstance(loc.get("id", 0), int) and loc.get("id", 0) >= -1
            fps = res.get("partialFingerprints", {})
            assert isinstance(fps, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in fps.items())
            assert res.get("baselineState", "new") in BASELINE, where
            for s in res.get("suppressions", []):
                assert s["kind"] in SUPPRESSION_KIND and s.get("status", "accepted") in SUPPRESSION_STATUS
        for inv in run.get("invocations", []):
            assert isinstance(inv["executionSuccessful"], bool)
            for n in inv.get("toolExecutionNotifications", []):
                _message(n["message"], "notification")
                assert n.get("level", "warning") in LEVELS
                if "associatedRule" in n:
                    assert rules[n["associatedRule"]["index"]]["id"] == n["associatedRule"]["id"]


def load_sarif(out):
    return json.loads((out / "gkaudit.sarif").read_text(encoding="utf-8"))


def test_sarif_is_valid_and_documents_rules(written):
    out, _ = written
    doc = load_sarif(out)
    validate_sarif(doc)
    driver = doc["runs"][0]["tool"]["driver"]
    assert driver["name"] == "gkaudit"
    assert [r["id"] for r in driver["rules"]] == [r.id for r in RULES]
    v4a = driver["rules"][0]
    assert v4a["shortDescription"]["text"] == "空白栏目"
    assert v4a["fullDescription"]["text"] == "空白栏目影响政务公开质量"
    assert v4a["help"]["text"] == "请整改：空白栏目"
    assert v4a["defaultConfiguration"]["level"] == "error"
    assert v4a["properties"]["basis"] == "国办秘函〔2019〕19号 单项否决·空白栏目"
    assert (v4a["properties"]["severity"], v4a["properties"]["evidence"]) == ("veto", "V")


def test_sarif_results_locate_findings_by_url(written):
    out, _ = written
    run = load_sarif(out)["runs"][0]
    results = run["results"]
    assert len(results) == len(FINDINGS)
    by_id = {r["partialFingerprints"]["gkauditFindingId/v1"]: r for r in results}
    assert set(by_id) == {f.id for f in FINDINGS}
    level = {"veto": "error", "deduct": "warning", "advice": "note"}
    baseline = {"new": "new", "reopened": "new", "open": "unchanged", "waived": "unchanged"}
    for f in FINDINGS:
        r = by_id[f.id]
        assert r["ruleId"] == f.rule and r["level"] == level[f.severity]
        assert r["message"]["text"] == f.message
        assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == f.url
        assert ("suppressions" in r) == (f.status == "waived")
        assert r["baselineState"] == baseline[f.status]
        assert r["properties"]["shortId"] == f.id[:8] and r["properties"]["points"] == f.points
        assert r["properties"]["firstSeen"] == f.first_seen.isoformat(timespec="seconds")
        assert r["properties"]["evidence"] == f.evidence
    dead = next(r for r in results if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("missing.html"))
    assert dead["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "http://127.0.0.2:8808/"
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert any("GWS-V4a 未检测" in n["message"]["text"] and n["associatedRule"]["id"] == "GWS-V4a" for n in notes)
    assert any("hbj-county 整站 未检测" in n["message"]["text"] for n in notes)


def test_sarif_uri_is_percent_encoded():
    from reports.sarif import uri

    assert uri("http://例子.gov.cn/a b/文件.pdf?x=1") == \
        "http://%E4%BE%8B%E5%AD%90.gov.cn/a%20b/%E6%96%87%E4%BB%B6.pdf?x=1"
    assert uri("http://h/a%20b#top") == "http://h/a%20b#top"  # already encoded stays as is


def test_sarif_run_identity(written):
    out, _ = written
    run = load_sarif(out)["runs"][0]
    assert run["automationDetails"]["id"] == "gkaudit/2026-11-20/3"
    assert run["invocations"][0]["executionSuccessful"] is True
    assert run["properties"]["asOf"] == "2026-11-20" and run["properties"]["run"] == 3
    assert run["properties"]["sites"][0] == {"site": "sthjt-trs", "verdict": "fail", "score": 58.0}


def test_sarif_incomplete_run_is_not_a_successful_execution():
    from reports.sarif import build

    assert build(make_result(complete=False))["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_sarif_validator_rejects_broken_documents(written):
    out, _ = written
    for breakage in (lambda d: d.update(version="2.0.0"),
                     lambda d: d["runs"][0]["results"][0].update(level="fatal"),
                     lambda d: d["runs"][0]["results"][0].update(ruleIndex=99),
                     lambda d: d["runs"][0]["results"][0].update(ruleIndex=d["runs"][0]["results"][0]["ruleIndex"] + 1),
                     lambda d: d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
                     .update(uri="http://h/有 空格"),
                     lambda d: d["runs"][0]["tool"]["driver"].pop("name")):
        doc = load_sarif(out)
        breakage(doc)
        with pytest.raises((AssertionError, KeyError)):
            validate_sarif(doc)


# --- JUnit ---------------------------------------------------------------------------------------------

def load_junit(out):
    return ET.parse(out / "junit.xml").getroot()


def test_junit_suite_per_site_case_per_rule(written):
    out, _ = written
    root = load_junit(out)
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == ["sthjt-trs", "hbj-county", "hbj-city"]
    for s in suites.values():
        cases = s.findall("testcase")
        assert [c.get("name").split()[0] for c in cases] == [r.id for r in RULES]
        assert s.get("timestamp") == T0.isoformat()  # local time, no offset (JUnit's xs:dateTime)
        assert int(s.get("tests")) == len(cases)
        assert int(s.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
        assert int(s.get("skipped")) == sum(1 for c in cases if c.find("skipped") is not None)
    assert int(root.get("tests")) == 3 * len(RULES)


def test_junit_failure_per_finding_with_message_and_url(written):
    out, _ = written
    trs = {c.get("name").split()[0]: c for c in load_junit(out).find("testsuite[@name='sthjt-trs']").iter("testcase")}
    links = trs["GWS-DLINK"].findall("failure")
    assert [f.get("message") for f in links] == ["首页链接「政务服务」无法访问（HTTP 404）", "栏目页链接无法访问（HTTP 500）"]
    assert links[0].text.startswith("URL: http://127.0.0.2:8808/missing.html\n父页面: http://127.0.0.2:8808/")
    assert links[0].get("type") == "deduct"
    # a rule with a finding and a not_tested entry: the failure stands, the note goes to system-out
    v4a = trs["GWS-V4a"]
    assert v4a.find("failure") is not None and v4a.find("skipped") is None
    assert "robots.txt 禁止抓取 /xxgk/" in v4a.find("system-out").text
    # waived: not a failure
    assert trs["GUIDE-05"].find("failure") is None and "已豁免" in trs["GUIDE-05"].find("system-out").text
    assert trs["GWS-D4"].find("failure") is None and trs["GWS-D4"].find("skipped") is None  # passed
    n_failures = sum(len(c.findall("failure")) for c in trs.values())
    assert n_failures == sum(1 for f in FINDINGS if f.site == "sthjt-trs" and f.status != "waived")
    dead = next(f for f in FINDINGS if f.url.endswith("missing.html"))
    assert f"编号: {dead.id[:8]} ({dead.id})" in links[0].text and "状态: 新发现" in links[0].text
    assert "严重程度: 扣分，扣 1 分" in links[0].text and "问题类型: 链接不可用 (link-broken)" in links[0].text


def test_junit_skipped_for_not_tested_site(written):
    out, _ = written
    county = load_junit(out).find("testsuite[@name='hbj-county']")
    skipped = [c.find("skipped") for c in county.findall("testcase")]
    assert all(s is not None for s in skipped)
    assert "被反爬虫拦截（blocked）：首页返回 521 加速乐验证页" in skipped[0].get("message")
    assert county.find("properties/property[@name='verdict']").get("value") == "not_tested"


def test_junit_rule_levels_limit_the_matrix():
    from reports.junit import build

    # GUIDE-06 applies to province sites only; GWS-D7 not to city sites, but hbj-city has a GWS-D7 finding
    rules = [replace(r, levels=("province",)) if r.id == "GUIDE-06" else
             replace(r, levels=("province", "county")) if r.id == "GWS-D7" else r for r in RULES]
    root = build(make_result(rules=rules))
    names = lambda site: [c.get("name").split()[0] for c in root.find(f"testsuite[@name='{site}']").iter("testcase")]  # noqa: E731
    assert "GUIDE-06" in names("sthjt-trs") and "GUIDE-06" not in names("hbj-city")
    assert "GWS-D7" in names("hbj-city")  # a rule with a finding for the site is always listed


def test_junit_blocked_site_without_rules_gets_one_skipped_case():
    from reports.junit import build

    result = make_result(sites=[NOT_TESTED], findings=(), resolved=(),
                         rules=[replace(r, levels=("province",)) for r in RULES])  # none applies to a county site
    (case,) = build(result).find("testsuite").findall("testcase")
    assert case.get("name") == "整站" and case.find("skipped") is not None
