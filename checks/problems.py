"""One problem, one row: the findings of several rules about the same thing of a site are one problem.

A stale 政策文件 breaks GWS-D1 and GWS-V4a, a dead 全本 PDF breaks EIA-02 and GWS-DLINK, a missing 年报 column
breaks OGI-04 and OGI-49. Each rule keeps its own finding (its score, its 依据, its history), and the findings
share a problem id, which every report renders as one row naming every rule.

What a finding is about (its subject) follows from its kind and evidence, so the check types need not know about
each other: a broken link or attachment is about the target URL; a stale column about the column; a missing
column, or a missing periodic item of a column type, about that category of content. Anything else is its own
problem.
"""
from __future__ import annotations

from checks.lifecycle import fingerprint
from checks.rule import Rule

LINK_KINDS = ("link-broken", "attachment-missing")


def subject(rule: Rule, kind: str, url: str, evidence: dict, locator: str) -> str:
    """What the finding is about; findings of one site with the same subject are one problem."""
    if kind in LINK_KINDS:
        target = evidence.get("attachment") if kind == "attachment-missing" else url
        if target:
            return f"link\x1f{target}"
    if kind == "column-stale":
        return f"column\x1f{url}"
    if kind == "column-missing" and evidence.get("column_type"):
        return f"category\x1f{evidence['column_type']}"
    if kind == "item-missing" and "due" in evidence and rule.params.get("column"):  # periodic_item: not published
        return f"category\x1f{rule.params['column']}"
    return f"rule\x1f{rule.id}\x1f{locator}"


def problem_ids(site: str, subjects: list[str], fingerprints: list[str]) -> list[str]:
    """Each finding's problem id: its own id when it is alone in its problem (most are), else one id for the
    group, derived from the subject so that it stays the same from run to run."""
    sizes: dict[str, int] = {}
    for s in subjects:
        sizes[s] = sizes.get(s, 0) + 1
    return [fp if sizes[s] == 1 else fingerprint(site, "problem", s) for s, fp in zip(subjects, fingerprints)]
