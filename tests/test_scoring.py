"""Scoring as 国办秘函〔2019〕19号: veto fails; otherwise 100 minus capped deductions; < 60 fails."""
from checks.rule import Rule
from checks.scoring import deductions, verdict


def rule(cap):
    return Rule(id="X", title="t", kind="link-broken", severity="deduct", check="broken_links", basis="b",
                evidence="R", why="w", fix="f", points=1.0, cap=cap)


def test_deductions_stop_at_the_cap():
    assert deductions(rule(2.5), [1, 1, 1, 1]) == [1, 1, 0.5, 0]
    assert deductions(rule(None), [1, 0.1, 0.1]) == [1, 0.1, 0.1]


def test_verdict():
    assert verdict(False, 60) == "pass"
    assert verdict(False, 59.9) == "fail"
    assert verdict(True, 100) == "fail"
