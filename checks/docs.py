"""docs/rules.md from one source: the rule files and the check types' docstrings (`gkaudit rules docs`).

Everything about one rule is its YAML entry in config/rules/<prefix>.yaml (requirement, severity, check type,
parameters with the file's comments, basis, why, fix, deadline, notes); everything about a check type is its class
docstring in checks/types/<name>.py. The narrative that belongs to no one rule (introduction, outcomes, what
`page.extra` holds, what is still to come, what a crawler cannot check) is the template templates/rules.md.j2.
The output is deterministic: rules sorted by file and id, no dates, no local paths.
"""
from __future__ import annotations

import inspect
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import jinja2

from checks.registry import CHECKS
from checks.rule import Rule
from checks.rules import load_rules, rules_file_name
from core.vocab import FINDING_KINDS, NOT_TESTED_REASONS, SEVERITIES, SITE_LEVELS
from core.yamlfile import Mapping, load_yaml

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = "rules.md.j2"
# What would format in plain text: a backslash, a star, an underscore at a word's edge, the start of an HTML tag.
_ESCAPE = re.compile(r"\\|\*|(?<!\w)_|_(?!\w)|<(?=[A-Za-z/!?])")
_TAG = re.compile(r"#\s*\[([VPRI])\]")  # a catalog tag at the start of a key's comment: `points: 2  # [R] …`


@dataclass(frozen=True)
class RuleDoc:
    """One rule as docs/rules.md shows it: the Rule and what the file says around it."""

    rule: Rule
    file: str  # gws.yaml
    params_yaml: str  # the `params:` block as written, comments included ("" when the rule has none)
    tags: dict  # key → catalog tag of its comment (points, cap, min_count)

    @property
    def anchor(self) -> str:
        return anchor(self.rule.id)

    @property
    def severity(self) -> str:
        """The severity in words: points, cap, veto count."""
        r, tags = self.rule, self.tags
        label = f"{SEVERITIES[r.severity]} ({r.severity})"
        if r.severity == "veto":
            if r.min_count > 1:
                return (f"{label} at ≥ {r.min_count} findings{_tag(tags, 'min_count')}; fewer are reported as "
                        f"advice (预警)")
            return f"{label}: one finding makes the site 不合格"
        if r.severity == "deduct":
            cap = f", at most {r.cap:g} point{'s' if r.cap != 1 else ''}{_tag(tags, 'cap')}" if r.cap else ", no cap"
            return f"{label}: −{r.points:g} per finding{_tag(tags, 'points')}{cap}"
        return f"{label}: reported, never scored"

    @property
    def severity_short(self) -> str:
        r = self.rule
        if r.severity == "veto":
            return f"veto at ≥ {r.min_count}, else advice" if r.min_count > 1 else "veto"
        if r.severity == "deduct":
            return f"−{r.points:g} each" + (f", cap {r.cap:g}" if r.cap else "")
        return "advice"

    @property
    def levels(self) -> str:
        labels = ", ".join(f"{SITE_LEVELS[level]} ({level})" for level in self.rule.levels)
        return labels if set(self.rule.levels) != set(SITE_LEVELS) else f"every level: {labels}"


@dataclass(frozen=True)
class CheckDoc:
    """One check type: its name, docstring and the rules that use it."""

    name: str
    doc: str
    needs_full_crawl: bool
    rules: list[RuleDoc]

    @property
    def params(self) -> list[str]:
        """The parameters the bundled rules give this check type."""
        return sorted({key for d in self.rules for key in d.rule.params})


def render_rules_doc(rules_dir: str | Path) -> str:
    """The whole of docs/rules.md for the rules in `rules_dir` and the check types of checks/types."""
    rules_dir = Path(rules_dir)
    rules = sorted(load_rules(rules_dir), key=lambda r: (rules_file_name(r.id), natural(r.id)))
    texts = {name: _RuleFile(rules_dir / name) for name in sorted({rules_file_name(r.id) for r in rules})}
    docs = [texts[rules_file_name(rule.id)].doc(rule) for rule in rules]
    files = [{"name": name, "header": text.header, "rules": [d for d in docs if d.file == name]}
             for name, text in texts.items()]
    checks = [CheckDoc(name, _docstring(check), check.needs_full_crawl, [d for d in docs if d.rule.check == name])
              for name, check in sorted(CHECKS.items())]
    kinds = [{"kind": kind, "label": label, "rules": [d for d in docs if d.rule.kind == kind]}
             for kind, label in FINDING_KINDS.items()]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True, autoescape=False)
    env.filters.update(md=md, cell=cell, indent_block=indent_block)
    text = env.get_template(TEMPLATE).render(rules=docs, files=files, checks=checks, kinds=kinds,
                                             reasons=NOT_TESTED_REASONS, template=f"checks/templates/{TEMPLATE}")
    return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"


def write_rules_doc(rules_dir: str | Path, path: str | Path) -> bool:
    """Write docs/rules.md (or `path`); True when its content changed."""
    path = Path(path)
    text = render_rules_doc(rules_dir)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return True


def anchor(rule_id: str) -> str:
    """GitHub's anchor of a heading that is just the rule id (`#### GWS-V4a` → gws-v4a)."""
    return rule_id.lower()


def natural(text: str) -> list:
    """Sort key that orders GWS-V9 before GWS-V10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def md(text: str) -> str:
    """Plain text (a basis, a docstring) as Markdown: characters that would format or vanish are escaped, except in
    `code spans`, which stay as written."""
    parts = re.split(r"(`[^`]*`)", text)
    return "".join(part if part.startswith("`") else _ESCAPE.sub(r"\\\g<0>", part) for part in parts)


def cell(text: str) -> str:
    """Text for a Markdown table cell: one line, no column separator."""
    return " ".join(str(text).split()).replace("|", "\\|")


def indent_block(text: str, width: int = 2) -> str:
    """Indent every non-empty line but the first (a code block inside a list item)."""
    pad = " " * width
    return "\n".join(pad + line if line and n else line for n, line in enumerate(text.splitlines()))


def _tag(tags: dict, key: str) -> str:
    return f" [{tags[key]}]" if key in tags else ""


class _RuleFile:
    """What a rule file says beyond the loaded rules: its top comment, each entry's lines and comments."""

    def __init__(self, path: Path):
        self.name = path.name
        self.lines = path.read_text(encoding="utf-8").splitlines()
        data = load_yaml(path)
        self.entries = {e.get("id"): e for e in data.get("rules") or [] if isinstance(e, Mapping)}

    @property
    def header(self) -> str:
        """The comment at the top of the file, as one paragraph."""
        comment = []
        for line in self.lines:
            if not line.startswith("#"):
                break
            comment.append(line.lstrip("#").strip())
        return " ".join(part for part in comment if part)

    def doc(self, rule: Rule) -> RuleDoc:
        entry = self.entries[rule.id]
        tags = {}
        for key in ("points", "cap", "min_count"):
            found = _TAG.search(self.lines[entry.line_of(key) - 1]) if key in entry else None
            if found:
                tags[key] = found.group(1)
        params = self.block(entry.line_of("params")) if "params" in entry else ""
        return RuleDoc(rule, self.name, params, tags)

    def block(self, first: int) -> str:
        """The line of the key at line `first` (1-based) and every line indented below it, dedented."""
        start = self.lines[first - 1]
        indent = len(start) - len(start.lstrip())
        block = [start]
        for line in self.lines[first:]:
            if line.strip() and len(line) - len(line.lstrip()) <= indent:
                break
            block.append(line)
        while block and not block[-1].strip():
            block.pop()
        return "\n".join(line[indent:].rstrip() for line in block)


def _docstring(check) -> str:
    """The check type's class docstring; its module's when the class has none."""
    doc = type(check).__doc__
    if not doc:
        doc = sys.modules[type(check).__module__].__doc__ or ""
        name = type(check).__module__.rsplit(".", 1)[-1]
        doc = re.sub(rf"^{re.escape(name)}:\s*", "", doc.strip())
        doc = doc[:1].upper() + doc[1:]
    return inspect.cleandoc(doc)
