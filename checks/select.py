"""Which pages a check type judges: the selection helpers several types share.

A rule names the pages it is about with `select: {column, title_pattern}`; documents attached to a page, the
newest page of each kind and the 公示 of a time window are chosen the same way by every type that asks.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from checks.base import CheckResult, regex_problem
from checks.rule import Rule
from checks.snapshot import SiteSnapshot
from store.models import Page


def select_pages(snap: SiteSnapshot, select: dict) -> list[Page]:
    """Content pages chosen by column type and/or a title pattern (never list pages)."""
    column, pattern = select.get("column"), select.get("title_pattern")
    title_re = re.compile(pattern) if pattern else None
    return [p for p in snap.ok_pages() if not p.is_list and p.encoding is not None
            and (column is None or p.column_type == column)
            and (title_re is None or (p.title and title_re.search(p.title)))]


def validate_select(params) -> str | None:
    """Why params.select cannot choose pages, or None."""
    select = params.get("select")
    if not isinstance(select, dict) or not (select.get("column") or select.get("title_pattern")):
        return "params.select 必须给出 column 或 title_pattern"
    return regex_problem(select.get("title_pattern") or "", "select.title_pattern")


def newest_pages(pages: list[Page], group: str | bool) -> list[Page]:
    """The most recently published page, or with a regex the newest page per distinct match in the title
    (预算 / 决算: the latest of each)."""
    def key(pg):
        return (pg.published or date.min, pg.url)
    if group is True:
        return [max(pages, key=key)] if pages else []
    groups: dict[str, Page] = {}
    pattern = re.compile(group)
    for pg in pages:
        m = pattern.search(pg.title or "")
        name = m.group(0) if m else ""
        if name not in groups or key(pg) > key(groups[name]):
            groups[name] = pg
    return sorted(groups.values(), key=lambda pg: pg.url)


def document_pages(snap: SiteSnapshot) -> set[str]:
    """Pages that link a document (core.attachments): their content may be in the attachment."""
    return set(snap.document_links())


def notice_day(page: Page, notice: dict | None) -> date | None:
    """When a notice was made public: its 发布日期, else the start of the period it states."""
    if page.published:
        return page.published
    period = (notice or {}).get("period")
    return date.fromisoformat(period["start"]) if period else None


def validate_window(params) -> str | None:
    """Why params.select or params.window_days cannot choose the notices of a window, or None."""
    problem = validate_select(params)
    if problem:
        return problem
    days = params.get("window_days")
    if not (isinstance(days, int) and days > 0):
        return "params.window_days 必须是正整数"
    return None


def notices_in_window(snap: SiteSnapshot, rule: Rule, as_of: date):
    """(page, its notice facts or None) for the selected notices made public within the window; undated
    notices are left out, as ENV-01 leaves them out."""
    since = as_of - timedelta(days=rule.params["window_days"])
    for page in sorted(select_pages(snap, rule.params["select"]), key=lambda pg: pg.url):
        notice = (page.extra or {}).get("notice")
        day = notice_day(page, notice)
        if day is not None and since <= day <= as_of:
            yield page, notice


def nothing_judged(result: CheckResult, snap: SiteSnapshot, seen: list, attached: set, what: str) -> None:
    """The tri-state when no notice could be judged: not seen (robots, budget, interrupted), seen without the
    fact (no_evidence, or attachment when the notice is a file), or no such notice at all (a pass: a bureau
    that accepted no 环评 file in the window has nothing to publish; ENV-01 asks whether it should have)."""
    if snap.status == "interrupted":
        result.not_tested.append(("interrupted", "抓取在完成前被中断，未能检查全部公示"))
    elif seen:
        page = seen[0]
        reason = "attachment" if page.url in attached else "no_evidence"
        result.not_tested.append((reason, f"{len(seen)} 个公示（如「{page.title or page.url}」）未载明{what}，无法判断"))
    elif unseen := snap.unseen_reason("eia", "环评公示"):
        result.not_tested.append(unseen)
