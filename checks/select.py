"""Which pages a check type judges: the selection helpers several types share.

A rule names the pages it is about with `select: {column, title_pattern}`; documents attached to a page, the
newest page of each kind and the 公示 of a time window are chosen the same way by every type that asks.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from checks.attachments import notice_of
from checks.base import CheckResult, regex_problem
from checks.rule import Rule
from checks.snapshot import SiteSnapshot
from store.models import Page

PAGINATION = re.compile(r"^\s*(下一?页|上一?页|尾页|末页|最后一页|下页|上页)\s*[>»›]*\s*$")
PAGE_URL = re.compile(r"(?:index|list|default)_\d+\.s?html?$|[?&](?:page|pageNum|pageIndex|pn)=\d+", re.IGNORECASE)
LISTED = 3  # a page linking this many pages of its own selection lists them


def select_pages(snap: SiteSnapshot, select: dict) -> list[Page]:
    """Content pages chosen by column type and/or a title pattern. List pages never: a 办事指南 list is not a guide,
    whether the crawler saw it as a list (is_list, items, pagination) or it is an undated page linking several pages
    of the selection."""
    column, pattern = select.get("column"), select.get("title_pattern")
    title_re = re.compile(pattern) if pattern else None
    chosen = [p for p in snap.ok_pages() if p.encoding is not None and not is_list_page(snap, p)
              and (column is None or p.column_type == column)
              and (title_re is None or (p.title and title_re.search(p.title)))]
    if title_re is None:
        return chosen
    urls = {p.url for p in chosen}
    links = _links_by_page(snap)

    def lists_them(page: Page) -> bool:  # an undated page linking several of them (an item's sidebar has a date)
        if page.published is not None:
            return False
        targets = {lk.target_url for lk in links.get(page.url, ()) if lk.target_url != page.url
                   and (lk.target_url in urls or title_re.search(lk.text or ""))}
        return len(targets) >= LISTED
    return [p for p in chosen if not lists_them(p)]


def is_list_page(snap: SiteSnapshot, page: Page) -> bool:
    """A column page (a list of items, or a page of its pagination): never judged as an item."""
    if page.is_list:
        return True
    if "list_urls" not in snap._memo:
        urls = {u for col in snap.columns for u in col.pages} | {i.column_url for i in snap.items}
        urls |= {lk.page_url for lk in snap.links if lk.page_url not in urls
                 and (PAGINATION.match(lk.text or "") or PAGE_URL.search(lk.target_url))}
        snap._memo["list_urls"] = urls
    return page.url in snap._memo["list_urls"]


def _links_by_page(snap: SiteSnapshot) -> dict[str, list]:
    if "links_by_page" not in snap._memo:
        by_page: dict[str, list] = {}
        for lk in snap.links:
            by_page.setdefault(lk.page_url, []).append(lk)
        snap._memo["links_by_page"] = by_page
    return snap._memo["links_by_page"]


def titled_items(snap: SiteSnapshot) -> list[tuple[date | None, str, str]]:
    """(date, url, title) of every list item and every content page of the site: the documents a rule looks for by
    title. List pages are not documents; an item seen both in its list and as a page appears twice (same url)."""
    if "titled" not in snap._memo:
        found = [(i.date, i.url or i.column_url, i.title) for i in snap.items if i.title]
        found += [(pg.published, pg.url, pg.title) for pg in snap.ok_pages() if pg.title and not is_list_page(snap, pg)]
        snap._memo["titled"] = found
    return snap._memo["titled"]


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
    notices are left out, as ENV-01 leaves them out. What a lead page leaves unsaid is read from an attached
    notice (checks.attachments.notice_of)."""
    since = as_of - timedelta(days=rule.params["window_days"])
    for page in sorted(select_pages(snap, rule.params["select"]), key=lambda pg: pg.url):
        notice = notice_of(snap, page)
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
        readable, why = snap.attached(page.url)
        reason = (why[0] if why and not readable else "attachment") if page.url in attached else "no_evidence"
        unread = f"（{why[1]}）" if why and not readable else ""
        result.not_tested.append((reason, f"{len(seen)} 个公示（如「{page.title or page.url}」）未载明{what}{unread}，无法判断"))
    elif unseen := snap.unseen_reason("eia", "环评公示"):
        result.not_tested.append(unseen)
