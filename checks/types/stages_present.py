"""stages_present: each project of a procedure published in stages has the stages already due (ENV-01)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from difflib import SequenceMatcher

from checks.base import CheckResult, CheckType, Hit, column_types_param
from checks.rule import Rule
from checks.select import titled_items
from checks.snapshot import SiteSnapshot

SAME_PROJECT = 0.8  # similarity of two normalised names that are one project written twice


@dataclass
class Project:
    name: str  # the title without the stage wording (params.name_noise); "" for a notice that names no project
    key: str  # the name, or the title of a notice that names no project
    stages: dict[str, tuple[date, str, str]] = field(default_factory=dict)  # stage → (date, url, title), earliest

    @property
    def start(self) -> date:
        return min(d for d, _, _ in self.stages.values())


class StagesPresent(CheckType):
    """Each project of a procedure published in stages has every stage that is already due.

    Items are every column list item and page title of the site, matched by a pattern per stage and grouped into
    projects by their title without the stage wording (`name_noise`; one project listed twice, as a list entry
    and as its article, is one project). A project with a stage in the window must show its earlier stages; its
    later stages are due only once the review period (`review_days`, by the document type named in its titles,
    else the longest) has passed since its first stage. A notice that names no project (关于受理建设项目环评文件的
    公示, or a `batch` of several) stands for any project: it answers the earlier stages of the projects published
    after it and the later stages of those published before it; it is asked only for its later stages, and only
    when no notice of that stage was published in the window at all, since it cannot be told which project it
    concerns. A bureau that handled no case in the window publishes no stage at all, which is not a finding.
    """

    needs_full_crawl = True

    def validate(self, params):
        stages = params.get("stages")
        if not isinstance(stages, dict) or len(stages) < 2:
            return "params.stages 必须是 {环节名称: 标题正则} 映射（至少两个环节）"
        for name, pattern in {**stages, "name_noise": params.get("name_noise", ""),
                              "batch": params.get("batch", "")}.items():
            try:
                re.compile(pattern)
            except (re.error, TypeError) as exc:
                return f"params.stages.{name} 不是有效的正则表达式: {exc}"
        days = params.get("window_days")
        if not (isinstance(days, int) and days > 0):
            return "params.window_days 必须是正整数"
        review = params.get("review_days")
        if not isinstance(review, dict) or not review or any(not isinstance(d, int) or d < 0 for d in review.values()):
            return "params.review_days 必须是 {文件类型: 天数} 映射（如 报告书: 60）"
        return column_types_param({"column": [params["column"]]}, "column") if "column" in params else None

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        p = rule.params
        since = as_of - timedelta(days=p["window_days"])
        projects = _projects(snap, p, as_of)
        order = list(p["stages"])
        generic = [(s, v[0]) for pr in projects if not pr.name for s, v in pr.stages.items()]
        every = [(s, d) for pr in projects for s, (d, _, _) in pr.stages.items()]
        missing: dict[str, list[tuple[Project, date | None]]] = {name: [] for name in order}
        for project in projects:
            if not any(since <= d for d, _, _ in project.stages.values()):
                continue
            first = min(order.index(s) for s in project.stages)
            due = project.start + timedelta(days=_review_days(project, p["review_days"]))
            answers = every if not project.name else generic
            for i, name in enumerate(order):
                if name in project.stages or any(s == name and (not project.name or (
                        d <= project.start if i < first else d >= project.start)) for s, d in answers):
                    continue  # a notice naming no project is answered by any notice of the stage in the window
                if i < first:  # an earlier stage: due before the one published; only a named project can be matched
                    if project.name:  # to it (an unnamed one's may lie before anything crawled)
                        missing[name].append((project, None))
                elif as_of > due:
                    missing[name].append((project, due))
        result = CheckResult()
        if not any(missing.values()):
            return result
        if unseen := snap.unseen_reason(p.get("column") or [], "其余环节的公示"):
            return CheckResult(not_tested=[unseen])
        column = p.get("column")
        where = next((c.url for c in snap.columns if column and c.column_type == column), snap.home.url)
        for name, lacking in missing.items():
            if not lacking:
                continue
            shown = "；".join(_describe(project, due) for project, due in lacking[:3])
            more = f" 等 {len(lacking)} 个项目" if len(lacking) > 3 else ""
            result.hits.append(Hit(
                where, f"近 {p['window_days']} 天公开的环评项目中，{len(lacking)} 个未找到「{name}」：{shown}{more}",
                {"missing_stage": name, "window_days": p["window_days"], "projects": len(lacking),
                 "examples": [{"project": pr.name, "stages": {s: v[2] for s, v in pr.stages.items()},
                               "due": due.isoformat() if due else None} for pr, due in lacking[:5]]},
                kind="item-missing", locator=f"stage:{name}",
            ))
        return result


def _projects(snap: SiteSnapshot, p: dict, as_of: date) -> list[Project]:
    """The projects of the site's dated stage items up to as_of, each stage's earliest item kept."""
    stages = [(name, re.compile(pattern)) for name, pattern in p["stages"].items()]
    noise, batch = re.compile(p.get("name_noise") or r"(?!)"), re.compile(p.get("batch") or r"(?!)")
    projects: list[Project] = []
    for day, url, title in sorted(t for t in titled_items(snap) if t[0]):
        stage = next((name for name, regex in stages if regex.search(title)), None)
        if day > as_of or stage is None:
            continue
        name = "" if batch.search(title) else noise.sub("", title)
        name = name if len(name) >= 2 else ""
        key = name or re.sub(r"\s", "", title)  # a notice naming no project: the same notice listed twice is one
        project = next((pr for pr in projects if pr.key == key or (name and _same(pr.name, name))), None)
        if project is None:
            projects.append(project := Project(name, key))
        project.stages.setdefault(stage, (day, url, title))
    return projects


def _same(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 4 and (a in b or b in a or SequenceMatcher(None, a, b).ratio()
                                                     >= SAME_PROJECT))


def _review_days(project: Project, review: dict[str, int]) -> int:
    """The review period of the document type its titles name (报告书 60, 报告表 30); unknown: the longest."""
    titles = "".join(t for _, _, t in project.stages.values())
    named = [days for kind, days in review.items() if kind in titles]
    return max(named) if named else max(review.values())


def _describe(project: Project, due: date | None) -> str:
    first = min(project.stages.items(), key=lambda kv: kv[1][0])
    stage, (day, _, title) = first
    after = f"，审批期限 {due.isoformat()} 已届满" if due else ""
    return f"「{title}」（{stage}于 {day.isoformat()}{after}）"
