"""notice_period: a notice's stated 公示期 lasts long enough, and gives the 听证 notice when asked (EIA-03b, EIA-04)."""
from __future__ import annotations

from datetime import date, timedelta

from checks.attachments import source_evidence
from checks.base import CheckResult, CheckType, Hit
from checks.rule import Rule
from checks.select import document_pages, nothing_judged, notices_in_window, validate_window
from checks.snapshot import SiteSnapshot
from core.workdays import workdays_in


class NoticePeriod(CheckType):
    """A notice's stated period lasts at least `min_workdays` working days (inclusive, official calendar with
    调休): an int, or {报告书: 10, 报告表: 5} by the document the notice names (the strictest named; the
    lowest when it names none). With `hearing`, the notice must also tell the parties of their right to
    a hearing (听证告知)."""

    def validate(self, params):
        need = params.get("min_workdays")
        values = list(need.values()) if isinstance(need, dict) else [need]
        if not values or not all(isinstance(v, int) and v > 0 for v in values):
            return "params.min_workdays 必须是正整数，或 {报告书: 天数, 报告表: 天数} 映射"
        if not isinstance(params.get("hearing", False), bool):
            return "params.hearing 必须是 true/false"
        return validate_window(params)

    @staticmethod
    def _required(need, documents: list[str]) -> tuple[int, str]:
        """(working days required, what they are required for, in words)."""
        if not isinstance(need, dict):
            return need, "要求"
        named = [d for d in documents if d in need]
        if named:
            doc = max(named, key=lambda d: need[d])
            return need[doc], f"{doc}项目要求"
        doc = min(need, key=lambda d: need[d])
        return need[doc], f"要求（未载明报告书或报告表，按{doc}）"

    @staticmethod
    def _length(page, notice: dict) -> tuple[int, bool, dict] | None:
        """(working days, calendar exact, evidence) of the period the notice states, if it states one."""
        if period := notice.get("period"):
            start, end = date.fromisoformat(period["start"]), date.fromisoformat(period["end"])
            n, exact = workdays_in(start, end)
            return n, exact, {"period_start": period["start"], "period_end": period["end"],
                              "how": f"{_where(notice, 'period')}文字「{period.get('label') or '公示期'}」",
                              "snippet": period.get("snippet")}
        if days := notice.get("days"):
            if days["unit"] == "工作日":
                return days["n"], True, {"stated": f"{days['n']}个工作日", "how": f"{_where(notice, 'days')}载明的工作日数",
                                         "snippet": days.get("snippet")}
            if page.published:  # calendar days from the day it was published
                end = page.published + timedelta(days=days["n"] - 1)
                n, exact = workdays_in(page.published, end)
                return n, exact, {"stated": f"{days['n']}日", "period_start": page.published.isoformat(),
                                  "period_end": end.isoformat(), "how": f"{_where(notice, 'days')}载明的日数，自发布日期起算",
                                  "snippet": days.get("snippet")}
        return None

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        p = rule.params
        result, judged, unjudged = CheckResult(), 0, []
        attached = document_pages(snap)
        for page, notice in notices_in_window(snap, rule, as_of):
            if notice is None:  # not read as a notice (facts of an older crawl): nothing to go on
                unjudged.append(page)
                continue
            title = page.title or page.url
            need, doc = self._required(p["min_workdays"], notice.get("documents") or [])
            length = self._length(page, notice)
            if length is None:
                unjudged.append(page)
            else:
                judged += 1
                n, exact, ev = length
                if n < need:
                    what = (f"的公示期为 {ev['period_start']} 至 {ev['period_end']}，共 {n} 个工作日" if "period_end" in ev
                            else f"载明的公示期为 {n} 个工作日")
                    result.hits.append(Hit(
                        page.url, f"「{title}」{what}，少于{doc}的 {need} 个工作日",
                        {"title": page.title, "workdays": n, "required": need, "documents": notice.get("documents") or [],
                         "calendar_exact": exact} | ev | source_evidence(notice, "period", "days"),
                        kind="notice-short", locator=f"period:{page.url}"))
            if p.get("hearing") and not notice.get("hearing"):
                if length is None and page.url in attached and not notice.get("attachment"):
                    continue  # the notice itself is an attachment that was not read as one
                judged += 1
                result.hits.append(Hit(
                    page.url, f"「{title}」未告知申请人、利害关系人要求听证的权利（{'页面及附件' if notice.get('attachment') else '页面'}中"
                    "未找到听证告知）",
                    {"title": page.title, "missing": "听证告知"}
                    | ({"attachments": [notice["attachment"]]} if notice.get("attachment") else {}),
                    kind="item-missing", locator=f"hearing:{page.url}"))
        if not result.hits and not judged:
            nothing_judged(result, snap, unjudged, attached, "公示期")
        elif not result.hits and snap.status == "interrupted":
            nothing_judged(result, snap, [], set(), "")
        return result


def _where(notice: dict, key: str) -> str:
    """Where the notice states a fact: the page, or the attachment it was read from."""
    return "附件" if key in (notice.get("from_attachment") or ()) else "页面"
