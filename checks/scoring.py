"""Scoring as 国办秘函〔2019〕19号 does it: any veto fails; otherwise 100 minus capped deductions, < 60 fails."""
from __future__ import annotations

from checks.rule import Rule

PASS_MARK = 60.0


def deductions(rule: Rule, points: list[float]) -> list[float]:
    """Points actually deducted per finding of one rule, in order, until the rule's cap is reached."""
    applied, total = [], 0.0
    for p in points:
        take = p if rule.cap is None else max(0.0, min(p, rule.cap - total))
        applied.append(round(take, 2))
        total += take
    return applied


def verdict(has_veto: bool, score: float) -> str:
    return "fail" if has_veto or score < PASS_MARK else "pass"
