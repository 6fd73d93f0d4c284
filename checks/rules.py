"""Rules are data: load and validate config/rules/*.yaml into Rule objects.

A rule file is named after the id prefix of its rules: gws.yaml holds exactly the GWS-* rules, ogi.yaml the OGI-*.
"""
from __future__ import annotations

from pathlib import Path

from checks.registry import CHECKS
from checks.rule import Rule, for_site
from core.sites import SitesFile
from core.vocab import EVIDENCE_TAGS, FINDING_KINDS, SEVERITIES, SITE_LEVELS
from core.yamlfile import ConfigError, ConfigErrors, Mapping, load_yaml, require


def rules_file_name(rule_id: str) -> str:
    """The file a rule belongs in: its id's prefix, lower case (GWS-V4a → gws.yaml, LINK-FRAGMENT → link.yaml)."""
    return f"{rule_id.split('-', 1)[0].lower()}.yaml"


def load_rules(rules_dir: str | Path) -> list[Rule]:
    """Every *.yaml in the directory, validated; errors name file, line and field."""
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
    if rules_file_name(rid) != path.name:
        raise ConfigError(path, entry.line_of("id"), "id", f"{where}应放在 {rules_file_name(rid)} 中"
                          f"（规则文件按编号前缀命名，{path.name} 只收 {path.stem.upper()}-* 规则）")

    def req(key, types=str):
        return require(entry, key, path, types, where)

    def bad(key, message):
        return ConfigError(path, entry.line_of(key), key, where + message)

    def text(key):  # an optional string field
        value = entry.get(key)
        if value is not None and not isinstance(value, str):
            raise bad(key, f"类型错误: {value!r}（应为文字）")
        return (value or "").strip()

    kind, severity, check = req("kind"), req("severity"), req("check")
    if kind not in FINDING_KINDS:
        raise bad("kind", f"未知的问题类型 {kind!r}（可选: {', '.join(FINDING_KINDS)}）")
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
    levels = tuple(applies.get("levels", SITE_LEVELS)) if isinstance(applies, dict) else None
    if not levels or any(level not in SITE_LEVELS for level in levels):
        raise bad("applies_to", f"levels 必须取自 {'/'.join(SITE_LEVELS)}")
    deadline = entry.get("deadline_days")
    if deadline is not None and not (isinstance(deadline, int) and deadline > 0):
        raise bad("deadline_days", "必须是正整数")
    rule = Rule(
        id=rid, title=req("title"), kind=kind, severity=severity, check=check,
        basis=req("basis"), evidence=evidence, why=req("why"), fix=req("fix"),
        params=dict(params), points=float(points), cap=float(cap) if cap else None,
        min_count=min_count, levels=levels, deadline_days=deadline, requirement=text("requirement"),
        notes=text("notes"), source=f"{path}:{entry.line}",
    )
    problem = checks[check].validate(rule.params)
    if problem:
        raise ConfigError(path, entry.line_of("params"), "params", where + problem)
    return rule


def check_site_rules(sites_file: SitesFile, rules: list[Rule]) -> None:
    """Per-site overrides and exemptions must name existing rules, overridden parameters must be parameters the
    rule has (a misspelt one would silently change nothing) and valid; every problem is raised at once, each with
    the line of the sites file that holds it."""
    by_id = {r.id: r for r in rules}
    errors = []

    def bad(site, field, message):
        errors.append(ConfigError(sites_file.path, site.lines.get(field), field, f"站点 {site.id}: {message}"))

    for site in sites_file.sites:
        for section in ("rules", "exempt"):
            for rid in site.settings.get(section, {}):
                if rid not in by_id:
                    bad(site, f"{section}.{rid}", f"没有编号为 {rid} 的规则")
        for rid, overrides in site.settings.get("rules", {}).items():
            if rid not in by_id:
                continue
            unknown = [key for key in overrides if key not in by_id[rid].params]
            for key in unknown:
                known = "、".join(map(str, by_id[rid].params)) or "无"
                bad(site, f"rules.{rid}.{key}", f"规则 {rid} 没有参数 {key!r}（可设置的参数：{known}）")
            if unknown:
                continue
            rule = for_site(by_id[rid], site.settings)
            problem = CHECKS[rule.check].validate(rule.params)
            if problem:
                bad(site, f"rules.{rid}", problem)
    ConfigErrors.raise_all(errors)
