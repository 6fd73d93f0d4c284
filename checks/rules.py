"""Rules are data: load and validate config/rules/*.yaml into Rule objects."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from checks.kinds import KINDS, SEVERITIES
from gkaudit.sites import LEVELS
from gkaudit.yamlfile import ConfigError, Mapping, load_yaml, require

EVIDENCE_TAGS = {"V", "P", "R", "I"}


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    kind: str
    severity: str  # veto | deduct | advice
    check: str  # check type, see checks.registry
    basis: str  # 依据: document and clause
    evidence: str  # V | P | R | I (requirements.md tags)
    why: str  # why it matters
    fix: str  # 整改要求
    params: dict = field(default_factory=dict, hash=False, compare=False)
    points: float = 0.0  # deduction per finding (deduct rules)
    cap: float | None = None  # most points this rule can deduct
    min_count: int = 1  # veto only when at least this many findings; fewer are reported as advice (预警)
    levels: tuple[str, ...] = tuple(LEVELS)
    deadline_days: int | None = None  # 整改时限, days after the audit
    source: str = ""  # file:line, for messages


def load_rules(rules_dir: str | Path) -> list[Rule]:
    """Every *.yaml in the directory, validated; errors name file, line and field."""
    from checks.registry import CHECKS

    rules_dir = Path(rules_dir)
    files = sorted(rules_dir.glob("*.yaml"))
    if not files:
        raise ConfigError(rules_dir, None, None, "规则目录中没有 *.yaml 规则文件")
    rules: dict[str, Rule] = {}
    for path in files:
        data = load_yaml(path)
        entries = require(data, "rules", path, list) if isinstance(data, Mapping) else None
        if entries is None:
            raise ConfigError(path, None, "rules", "顶层必须是映射，形如 rules: [...]")
        for entry in entries:
            rule = _parse_rule(entry, path, CHECKS)
            if rule.id in rules:
                raise ConfigError(path, entry.line_of("id"), "id", f"规则 {rule.id} 重复（另见 {rules[rule.id].source}）")
            rules[rule.id] = rule
    return list(rules.values())


def _parse_rule(entry, path: Path, checks: dict) -> Rule:
    if not isinstance(entry, Mapping):
        raise ConfigError(path, None, "rules", "每条规则必须是映射")
    rid = require(entry, "id", path, str)
    where = f"规则 {rid}: "

    def req(key, types=str):
        return require(entry, key, path, types, where)

    def bad(key, message):
        return ConfigError(path, entry.line_of(key), key, where + message)

    kind, severity, check = req("kind"), req("severity"), req("check")
    if kind not in KINDS:
        raise bad("kind", f"未知的问题类型 {kind!r}（可选: {', '.join(KINDS)}）")
    if severity not in SEVERITIES:
        raise bad("severity", f"必须是 {'/'.join(SEVERITIES)} 之一")
    if check not in checks:
        raise bad("check", f"未知的检查类型 {check!r}（可选: {', '.join(sorted(checks))}）")
    evidence = req("evidence")
    if evidence not in EVIDENCE_TAGS:
        raise bad("evidence", "证据等级必须是 V/P/R/I 之一")
    params = entry.get("params") or {}
    if not isinstance(params, dict):
        raise bad("params", "必须是映射")
    points = entry.get("points", 0)
    if severity == "deduct" and not (isinstance(points, (int, float)) and points > 0):
        raise bad("points", "扣分规则必须给出正的 points")
    cap = entry.get("cap")
    if cap is not None and not (isinstance(cap, (int, float)) and cap > 0):
        raise bad("cap", "必须是正数")
    min_count = entry.get("min_count", 1)
    if not (isinstance(min_count, int) and min_count >= 1):
        raise bad("min_count", "必须是正整数")
    applies = entry.get("applies_to") or {}
    levels = tuple(applies.get("levels", LEVELS)) if isinstance(applies, dict) else None
    if not levels or any(level not in LEVELS for level in levels):
        raise bad("applies_to", f"levels 必须取自 {'/'.join(LEVELS)}")
    deadline = entry.get("deadline_days")
    if deadline is not None and not (isinstance(deadline, int) and deadline > 0):
        raise bad("deadline_days", "必须是正整数")
    rule = Rule(
        id=rid, title=req("title"), kind=kind, severity=severity, check=check,
        basis=req("basis"), evidence=evidence, why=req("why"), fix=req("fix"),
        params=dict(params), points=float(points), cap=float(cap) if cap else None,
        min_count=min_count, levels=levels, deadline_days=deadline, source=f"{path}:{entry.line}",
    )
    problem = checks[check].validate(rule.params)
    if problem:
        raise ConfigError(path, entry.line_of("params"), "params", where + problem)
    return rule


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
