"""messages_answered: no valid message left unanswered for more than N months (GWS-V5b)."""
from __future__ import annotations

import calendar
from datetime import date

from checks.base import CheckResult, CheckType, Hit, column_types_param
from checks.rule import Rule
from checks.snapshot import SiteSnapshot
from core.columns import column_label

_RANK = {"invalid": 4, "dated": 3, "replied": 2, "pending": 1, "unknown": 0}


_ELLIPSIS = "…．.。 "


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later (earlier if negative), clamped to the month's end."""
    m = day.month - 1 + months
    year, month = day.year + m // 12, m % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def how(source: str | None) -> str | None:
    """The extractor's `table:来信时间|回复时间` / `label:留言时间|回复时间` in words, for the evidence."""
    if not source or ":" not in source:
        return source
    kind, names = source.split(":", 1)
    shown = "、".join(f"「{n}」" for n in names.split("|"))
    return f"{'表格列' if kind == 'table' else '页面标注'}{shown}"


def _norm(title: str | None) -> str:
    return "".join((title or "").split()).rstrip(_ELLIPSIS)


def _rank(msg: dict) -> int:
    return _RANK["dated"] if msg.get("answered") else _RANK.get(msg.get("state"), 0)


def _merge(found: list[tuple[dict, object]]) -> list[tuple[dict, object]]:
    """One entry per message: same 留言时间 and one title the other's prefix (lists cut long titles)."""
    kept: list[tuple[dict, object, str]] = []
    for msg, page in found:
        title = _norm(msg.get("title"))
        twin = None
        if len(title) >= 6:
            twin = next((k for k, (m, _, t) in enumerate(kept) if m["asked"] == msg["asked"] and len(t) >= 6
                         and (t.startswith(title) or title.startswith(t))), None)
        if twin is None:
            kept.append((msg, page, title))
            continue
        other, other_page, t = kept[twin]
        better = (_rank(msg), not page.is_list) > (_rank(other), not other_page.is_list)
        if better:
            kept[twin] = (msg, page, max(title, t, key=len))
    return [(m, p) for m, p, _ in kept]


class MessagesAnswered(CheckType):
    """Messages of the consultation columns unanswered for more than `months` months within the last
    `window_months` months: still without a reply (the page says 未回复/办理中, or its reply-date cell is
    empty), or answered after the deadline. Pages of other column types (在线访谈, 网上信访 …) are not read;
    pages of no known column are (a 信件 detail page often names no column).
    """

    def validate(self, params):
        months, window = params.get("months"), params.get("window_months")
        if not (isinstance(months, int) and months > 0):
            return "params.months 必须是正整数（未回应的月数）"
        if not (isinstance(window, int) and window >= months):
            return "params.window_months 必须是不小于 months 的整数（监测时间点前的月数）"
        return column_types_param(params, "columns")

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        p = rule.params
        columns, months = set(p["columns"]), p["months"]
        since = add_months(as_of, -p["window_months"])
        found, pages = [], 0
        for page in snap.ok_pages():
            if page.column_type is not None and page.column_type not in columns:
                continue
            msgs = (page.extra or {}).get("messages") or []
            pages += bool(msgs)
            found += [(m, page) for m in msgs if m.get("asked")]
        result, judged = CheckResult(), 0
        for msg, page in sorted(_merge(found), key=lambda mp: (mp[0]["asked"], mp[1].url)):
            asked = date.fromisoformat(msg["asked"])
            answered = date.fromisoformat(msg["answered"]) if msg.get("answered") else None
            if msg.get("state") == "invalid" or asked > as_of:
                continue
            deadline = add_months(asked, months)
            title = msg.get("title") or page.title or page.url
            evidence = {"title": title, "asked": msg["asked"], "answered": msg.get("answered"),
                        "state": msg.get("state"), "months": months, "deadline": deadline.isoformat(),
                        "how": how(msg.get("source")), "snippet": msg.get("snippet")}
            locator = f"message:{msg['asked']}:{_norm(msg.get('title')) or page.url}"
            if answered is not None:
                if answered < since:
                    continue  # answered before the year under review
                judged += 1
                if answered > deadline:
                    days = (answered - asked).days
                    result.hits.append(Hit(
                        page.url, f"留言「{title}」于 {asked.isoformat()} 提交，{answered.isoformat()} 才答复，"
                                  f"相隔 {days} 天，超过{months}个月",
                        evidence | {"days": days}, locator=locator))
            elif msg.get("state") == "pending":
                judged += 1
                if as_of > deadline:
                    days = (as_of - asked).days
                    result.hits.append(Hit(
                        page.url, f"留言「{title}」于 {asked.isoformat()} 提交，至 {as_of.isoformat()} 已 {days} 天"
                                  f"仍未答复（页面显示未回复或办理中），超过{months}个月",
                        evidence | {"days": days}, locator=locator))
        if result.hits:
            return result
        if snap.status == "interrupted":
            result.not_tested.append(("interrupted", "抓取在完成前被中断，留言答复情况未能全部检查"))
        elif not judged:
            names = "、".join(f"「{column_label(c)}」" for c in p["columns"])
            unseen = next((u for c in p["columns"] if (u := snap.unseen_reason(c, f"{column_label(c)}栏目的留言"))), None)
            other = f"（{pages} 个页面只显示了更早或未说明答复情况的留言）" if pages else ""
            result.not_tested.append(unseen or (
                "no_evidence",
                f"{names}等栏目中未找到显示近 {p['window_months']} 个月内留言的留言时间和回复时间（或办理状态）的页面"
                f"{other}，无法判断是否存在超过{months}个月未回应的留言"))
        return result
