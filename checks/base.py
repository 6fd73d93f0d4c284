"""What a check type returns: hits (problems found) and the parts it could not verify."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from checks.rule import Rule
from checks.snapshot import SiteSnapshot
from core.columns import column_label


@dataclass
class Hit:
    url: str
    message: str  # 问题描述, Chinese
    evidence: dict = field(default_factory=dict)
    parent_url: str | None = None
    points: float | None = None  # overrides rule.points (e.g. homepage vs other page links)
    kind: str | None = None  # overrides rule.kind (e.g. item-late beside item-missing)
    locator: str | None = None  # what makes this problem the same problem next run (default: the URL)


@dataclass
class CheckResult:
    hits: list[Hit] = field(default_factory=list)
    not_tested: list[tuple[str, str]] = field(default_factory=list)  # (reason, detail)


class CheckType:
    """A small, reusable judgement over a SiteSnapshot; rules configure it through params.

    One check type per module of checks/types, named by the YAML key rules use (`check: column_fresh` is
    checks/types/column_fresh.py); its docstring is its documentation in docs/rules.md.
    """

    needs_full_crawl = False  # an interrupted crawl cannot prove absence or staleness

    def validate(self, params: dict) -> str | None:
        return None

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        raise NotImplementedError


def column_types_param(params: dict, key: str) -> str | None:
    """Validate that params[key] names known column types (config/columns.yaml)."""
    value = params.get(key)
    if not value:
        return f"params.{key} 不能为空"
    for column_type in value:
        try:
            column_label(column_type)
        except KeyError:
            return f"params.{key}: 未知的栏目类型 {column_type!r}（见 config/columns.yaml）"
    return None


def regex_problem(pattern: str, field: str) -> str | None:
    """Why params.<field> is not a valid regular expression, or None."""
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"params.{field} 不是有效的正则表达式: {exc}"
    return None
