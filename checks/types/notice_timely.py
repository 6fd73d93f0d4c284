"""notice_timely: a notice is made public within N working days of the 受理日期 it states (EIA-03a)."""
from __future__ import annotations

from datetime import date

from checks.attachments import source_evidence
from checks.base import CheckResult, CheckType, Hit
from checks.rule import Rule
from checks.select import document_pages, nothing_judged, notice_day, notices_in_window, validate_window
from checks.snapshot import SiteSnapshot
from core.workdays import workdays_between


class NoticeTimely(CheckType):
    """A notice made public at most `max_workdays` working days after the 受理日期 it states (EIA-03: 受理情况
    公示 「受理环评文件后1个工作日内」). Notices that state no 受理日期 cannot be timed."""

    def validate(self, params):
        n = params.get("max_workdays")
        if not (isinstance(n, int) and n >= 0):
            return "params.max_workdays 必须是非负整数"
        return validate_window(params)

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        limit = rule.params["max_workdays"]
        result, judged, unjudged = CheckResult(), 0, []
        for page, notice in notices_in_window(snap, rule, as_of):
            accepted = sorted((notice or {}).get("accepted") or [])
            if not accepted:
                unjudged.append(page)
                continue
            judged += 1
            first, public = date.fromisoformat(accepted[0]), notice_day(page, notice)
            if public <= first:
                continue
            days, exact = workdays_between(first, public)
            if days > limit:
                title = page.title or page.url
                result.hits.append(Hit(
                    page.url, f"「{title}」{public.isoformat()} 才公开，距受理日期 {first.isoformat()} 已 {days} 个工作日"
                              f"（应在受理后 {limit} 个工作日内公开）",
                    {"title": page.title, "accepted": accepted, "published": public.isoformat(),
                     "how": ("附件" if source_evidence(notice, "accepted") else "") + "公示中载明的受理日期；公开日期取"
                            + ("发布日期" if page.published else "公示期起始日"),
                     "snippet": (notice or {}).get("accepted_snippet"), "workdays": days, "max_workdays": limit,
                     "calendar_exact": exact} | source_evidence(notice, "accepted", "period")))
        if not result.hits and not judged:
            nothing_judged(result, snap, unjudged, document_pages(snap), "受理日期")
        elif not result.hits and snap.status == "interrupted":
            nothing_judged(result, snap, [], set(), "")
        return result
