"""A rule as the checks use it: the data of one entry of config/rules/*.yaml (loaded by checks.rules)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from core.vocab import SITE_LEVELS


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    kind: str
    severity: str  # veto | deduct | advice
    check: str  # check type: the name of a module of checks/types
    basis: str  # 依据: document and clause
    evidence: str  # V | P | R | I (requirements.md tags)
    why: str  # why it matters
    fix: str  # 整改要求
    params: dict = field(default_factory=dict, hash=False, compare=False)
    points: float = 0.0  # deduction per finding (deduct rules)
    cap: float | None = None  # most points this rule can deduct
    min_count: int = 1  # veto only when at least this many findings; fewer are reported as advice (预警)
    levels: tuple[str, ...] = tuple(SITE_LEVELS)
    deadline_days: int | None = None  # 整改时限, working days after the audit that first found it
    requirement: str = ""  # the catalog requirement it implements, e.g. "GWS-V4 (1) 动态/通知公告/政策文件 not updated"
    notes: str = ""  # what docs/rules.md says of how it judges, beyond why/fix (English, Markdown)
    source: str = ""  # file:line, for messages


def for_site(rule: Rule, settings: dict | None) -> Rule:
    """The rule with this site's parameter overrides (sites file `rules: {ID: {param: value}}`) applied."""
    overrides = ((settings or {}).get("rules") or {}).get(rule.id)
    if not overrides:
        return rule
    params = dict(rule.params)
    for key, value in overrides.items():
        params[key] = _date_or(value)
    return replace(rule, params=params)


def _date_or(value):
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value
