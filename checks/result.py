"""What the checks hand to the reports: one judged run, typed.

The engine builds an AuditResult; the reports read it and compute nothing: verdicts, scores, points, deadlines,
ranks and the per-supervisor totals are all decided here. Its public part is findings.json
(`AuditResult.contract()`, design.md's shape, documented in docs/development.md, "findings.json").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from core.vocab import FINDING_KINDS, FINDING_STATUSES, NOT_TESTED_REASONS, SEVERITIES, SEVERITY_RANK, VERDICTS, label

ID_CHARS = 8  # a finding id prefix is enough for `gkaudit waive ID`, so reports show this many characters


@dataclass(frozen=True)
class NotTested:
    """A rule (or, with rule None, the whole site) that could not be judged, and why."""

    rule: str | None
    reason: str  # core.vocab.NOT_TESTED_REASONS
    detail: str = ""

    @property
    def reason_label(self) -> str:
        return label(NOT_TESTED_REASONS, self.reason)

    def contract(self) -> dict:
        return {"rule": self.rule, "reason": self.reason, "detail": self.detail}


@dataclass(frozen=True)
class Counts:
    """Findings of a site by severity (waived ones left out), how many are new and how many waived."""

    veto: int = 0
    deduct: int = 0
    advice: int = 0
    new: int = 0
    waived: int = 0

    def of(self, severity: str) -> int:
        return getattr(self, severity)


@dataclass(frozen=True)
class HistoryPoint:
    """The site's verdict in an earlier run (trends)."""

    run: int
    verdict: str
    score: float | None


class Labelled:
    """The Chinese labels and short id a row shows, for a finding or a problem."""

    @property
    def kind_label(self) -> str:
        return label(FINDING_KINDS, self.kind)

    @property
    def severity_label(self) -> str:
        return label(SEVERITIES, self.severity)

    @property
    def status_label(self) -> str:
        return label(FINDING_STATUSES, self.status)

    @property
    def short_id(self) -> str:
        return self.id[:ID_CHARS]


@dataclass(frozen=True)
class Finding(Labelled):
    """One rule's finding on one site; alone, or with other rules' findings about the same thing, one row of its
    整改清单 (Problem)."""

    id: str  # fingerprint: the same problem has the same id in every run
    site: str
    rule: str
    title: str  # the rule's title
    kind: str  # core.vocab.FINDING_KINDS
    severity: str  # veto | deduct | advice (a veto rule below its count is advice)
    url: str
    parent_url: str | None
    message: str  # 问题描述
    evidence: dict
    points: float  # deducted by this finding (0 unless deduct, and once the rule's cap is reached)
    fix: str  # 整改要求
    basis: str  # 依据
    deadline: date | None  # 整改时限
    found_at: datetime | date  # when the page it rests on was fetched; the audit date when unknown
    status: str  # new | open | reopened | waived
    first_seen: datetime | None
    snapshot: str | None  # digest of the stored HTML it rests on (snapshots/<digest>.html)
    problem: str = ""  # the problem it belongs to (checks.problems); its own id when no other rule shares it

    def contract(self) -> dict:
        return {"site": self.site, "rule": self.rule, "kind": self.kind, "severity": self.severity, "url": self.url,
                "parent_url": self.parent_url, "message": self.message, "evidence": self.evidence, "id": self.id,
                "status": self.status, "problem": self.problem or self.id}


# A problem seen before stays 'open' even when one of its rules finds it for the first time.
STATUS_PRECEDENCE = ("open", "reopened", "new")


@dataclass(frozen=True)
class Problem(Labelled):
    """One row of a 整改清单: the findings of every rule about the same thing (checks.problems), most severe first.

    It reads like a Finding, so every writer renders either: `rule` names every rule, `points` sums them, the
    deadline is the earliest, and the texts are each rule's, once.
    """

    id: str
    findings: tuple[Finding, ...]

    @property
    def primary(self) -> Finding:
        return self.findings[0]

    def _joined(self, attr: str, sep: str = "；") -> str:
        return sep.join(dict.fromkeys(v for f in self.findings if (v := getattr(f, attr))))

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.rule for f in self.findings))

    @property
    def rule(self) -> str:
        return "、".join(self.rules)

    @property
    def title(self) -> str:
        return self._joined("title", "、")

    @property
    def message(self) -> str:
        return self._joined("message")

    @property
    def fix(self) -> str:
        return self._joined("fix", "\n")

    @property
    def basis(self) -> str:
        return self._joined("basis", "\n")

    @property
    def points(self) -> float:
        return round(sum(f.points for f in self.findings), 2)

    @property
    def deadline(self) -> date | None:
        return min((f.deadline for f in self.findings if f.deadline), default=None)

    @property
    def status(self) -> str:
        active = {f.status for f in self.findings if f.status != "waived"}
        return next((s for s in STATUS_PRECEDENCE if s in active), "waived")

    @property
    def first_seen(self) -> datetime | None:
        return min((f.first_seen for f in self.findings if f.first_seen), default=None)

    @property
    def evidence(self) -> dict:
        merged: dict = {}
        for f in self.findings:
            merged.update({k: v for k, v in f.evidence.items() if k not in merged})
        return merged

    @property
    def snapshot(self) -> str | None:
        return next((f.snapshot for f in self.findings if f.snapshot), None)

    # Where the problem is, how severe, when it was seen: the primary finding's.
    site = property(lambda self: self.primary.site)
    kind = property(lambda self: self.primary.kind)
    severity = property(lambda self: self.primary.severity)
    url = property(lambda self: self.primary.url)
    parent_url = property(lambda self: self.primary.parent_url)
    found_at = property(lambda self: self.primary.found_at)


def problems(findings) -> list[Problem]:
    """Findings grouped by problem, in the order of each problem's first finding; inside a problem the most
    severe finding (then the most points) comes first."""
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(f.problem or f.id, []).append(f)
    return [Problem(pid, tuple(sorted(fs, key=lambda f: (SEVERITY_RANK[f.severity], -f.points))))
            for pid, fs in groups.items()]


@dataclass(frozen=True)
class ResolvedFinding:
    """A finding of the site's previous audit that this run, having tested its rule, no longer finds."""

    id: str
    site: str
    rule: str
    kind: str
    url: str
    message: str
    first_seen: datetime | None

    @property
    def kind_label(self) -> str:
        return label(FINDING_KINDS, self.kind)

    @property
    def short_id(self) -> str:
        return self.id[:ID_CHARS]

    def contract(self) -> dict:
        return {"site": self.site, "rule": self.rule, "kind": self.kind, "url": self.url, "message": self.message,
                "id": self.id, "first_seen": self.first_seen.isoformat(timespec="seconds") if self.first_seen else None}


@dataclass(frozen=True)
class SiteVerdict:
    """One site's result: its verdict and score, what could not be tested, how it compares with earlier runs."""

    site: str
    name: str
    url: str
    level: str
    site_id_code: str | None  # as the homepage shows it
    supervisor: str | None
    verdict: str  # pass | fail | not_tested
    score: float | None  # None when the site could not be audited
    counts: Counts
    not_tested: tuple[NotTested, ...]
    pages: int  # URLs answered in this run
    resolved: int  # findings of the previous audit gone now
    history: tuple[HistoryPoint, ...]  # earlier runs, oldest first
    rank: int | None = None  # in the province, best first; ties share a rank; None when not scored

    @property
    def verdict_label(self) -> str:
        return label(VERDICTS, self.verdict)

    @property
    def previous_score(self) -> float | None:
        return self.history[-1].score if self.history else None

    @property
    def points_lost(self) -> float | None:
        """扣分: the points the score lost (100 minus the score); None when not scored."""
        return None if self.score is None or self.verdict == "not_tested" else round(100.0 - self.score, 2)

    def contract(self) -> dict:
        return {"site": self.site, "verdict": self.verdict, "score": self.score,
                "not_tested": [n.contract() for n in self.not_tested]}


@dataclass(frozen=True)
class SupervisorGroup:
    """The sites of one 主管单位 (sites without one are grouped last under NO_SUPERVISOR), with their totals and
    their rank inside the group."""

    name: str
    sites: tuple[SiteVerdict, ...]  # in rank order
    ranks: dict  # site id → rank inside the group
    verdicts: dict  # verdict → number of sites
    counts: Counts  # summed over the group's sites
    resolved: int


NO_SUPERVISOR = "未填写主管单位"


@dataclass(frozen=True)
class RunInfo:
    id: int
    started_at: datetime
    finished_at: datetime | None
    complete: bool  # the crawl ended normally; an incomplete run's absences are not findings


@dataclass(frozen=True)
class RuleInfo:
    """A rule as the CI outputs list it (every rule judged, findings or not)."""

    id: str
    title: str
    kind: str
    severity: str
    why: str
    fix: str
    basis: str
    evidence: str
    levels: tuple[str, ...]


@dataclass(frozen=True)
class AuditResult:
    as_of: date
    generated_at: datetime
    run: RunInfo
    sites: tuple[SiteVerdict, ...]  # in the order of the sites file
    findings: tuple[Finding, ...]  # by site, severity, rule, URL
    resolved: tuple[ResolvedFinding, ...]
    rules: tuple[RuleInfo, ...]
    # by their best-ranked site, NO_SUPERVISOR last; empty when no site names a supervisor
    groups: tuple[SupervisorGroup, ...] = field(default=())

    def findings_of(self, site: str) -> list[Finding]:
        return [f for f in self.findings if f.site == site]

    def problems_of(self, site: str) -> list[Problem]:
        return problems(self.findings_of(site))

    def resolved_of(self, site: str) -> list[ResolvedFinding]:
        return [f for f in self.resolved if f.site == site]

    def veto_rules(self, site: str) -> list[RuleInfo]:
        """否决原因: the rules whose (not waived) findings fail the site outright, in catalog order."""
        ids = {f.rule for f in self.findings_of(site) if f.severity == "veto" and f.status != "waived"}
        known = [r for r in self.rules if r.id in ids]
        return known + [RuleInfo(i, "", "", "veto", "", "", "", "", ()) for i in sorted(ids - {r.id for r in known})]

    def ranked(self) -> list[SiteVerdict]:
        """Sites by rank, best first; sites without a score last."""
        return ranked(self.sites)

    @property
    def verdict_totals(self) -> dict[str, int]:
        return {v: sum(1 for s in self.sites if s.verdict == v) for v in VERDICTS}

    def contract(self) -> dict:
        """findings.json: design.md's public shape, plus each finding's id and status and the resolved list."""
        return {"as_of": self.as_of.isoformat(), "sites": [s.contract() for s in self.sites],
                "findings": [f.contract() for f in self.findings], "resolved": [f.contract() for f in self.resolved]}


def rank(sites: list[SiteVerdict]) -> dict[str, int]:
    """Site id → rank, best first, for the sites that have a score: every 合格 site above every 不合格 one (a veto
    fails a site whatever its score), by score inside each; equal verdicts and scores share a rank."""
    scored = sorted((s for s in sites if s.verdict != "not_tested" and s.score is not None),
                    key=lambda s: (s.verdict != "pass", -s.score, s.site))
    out, previous, current = {}, None, 0
    for i, s in enumerate(scored, 1):
        if (s.verdict, s.score) != previous:
            current, previous = i, (s.verdict, s.score)
        out[s.site] = current
    return out


def ranked(sites) -> list[SiteVerdict]:
    """Sites (with their ranks set) by rank, best first; sites without a score last, by id."""
    return sorted(sites, key=lambda s: (s.rank is None, s.rank or 0, s.site))


def supervisor_groups(sites: list[SiteVerdict]) -> list[SupervisorGroup]:
    """The sites (with their ranks set) per 主管单位: groups by their best-ranked site, sites without one last,
    each group's sites in rank order; [] when no site names a supervisor."""
    if not any(s.supervisor for s in sites):
        return []
    members: dict[str, list[SiteVerdict]] = {}
    for s in ranked(sites):
        members.setdefault(s.supervisor or NO_SUPERVISOR, []).append(s)
    if NO_SUPERVISOR in members:
        members[NO_SUPERVISOR] = members.pop(NO_SUPERVISOR)
    out = []
    for name, group in members.items():
        summed = {k: sum(getattr(s.counts, k) for s in group) for k in ("veto", "deduct", "advice", "new", "waived")}
        out.append(SupervisorGroup(name, tuple(group), rank(group),
                                   {v: sum(1 for s in group if s.verdict == v) for v in VERDICTS},
                                   Counts(**summed), sum(s.resolved for s in group)))
    return out
