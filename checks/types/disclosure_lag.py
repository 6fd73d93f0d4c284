"""disclosure_lag: documents are published within N working days of their 成文日期."""
from __future__ import annotations

from datetime import date

from checks.attachments import written_in_document
from checks.base import CheckResult, CheckType, Hit
from checks.rule import Rule
from checks.select import select_pages, validate_select
from checks.snapshot import SiteSnapshot
from core.workdays import workdays_between


class DisclosureLag(CheckType):
    """Documents published more than N working days after they were formed (成文日期 → 发布日期). A lead page that
    states no 成文日期 is timed by its own attachment's (checks.attachments.written_in_document).

    `select` narrows the documents (EIA-05: 环评批复 within 7 working days); lags above `defer_above` are left
    to a broader rule (OGI-26's 20 working days) so one late document is not deducted twice.
    """

    def validate(self, params):
        n = params.get("max_workdays")
        if not (isinstance(n, int) and n > 0):
            return "params.max_workdays 必须是正整数"
        above = params.get("defer_above")
        if above is not None and not (isinstance(above, int) and above >= n):
            return "params.defer_above 必须是不小于 max_workdays 的整数"
        return validate_select(params) if "select" in params else None

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        limit, above = rule.params["max_workdays"], rule.params.get("defer_above")
        pages = select_pages(snap, rule.params["select"]) if rule.params.get("select") else snap.ok_pages()
        result = CheckResult()
        for page in pages:
            written, source = page.written, {}
            if written is None and page.published and (found := written_in_document(snap, page)):
                written, source = found  # a lead page: the 成文日期 printed in its own attachment
            if not (written and page.published) or page.published <= written:
                continue
            days, exact = workdays_between(written, page.published)
            if days > limit and (above is None or days <= above):
                where = f"（附件「{source['attachments'][0]['name']}」）" if source else ""
                result.hits.append(Hit(
                    page.url,
                    f"「{page.title or page.url}」{where}成文于 {written.isoformat()}，{page.published.isoformat()} 才公开，"
                    f"相隔 {days} 个工作日（应在 {limit} 个工作日内公开）",
                    {"title": page.title, "written": written.isoformat(), "published": page.published.isoformat(),
                     "workdays": days, "calendar_exact": exact} | source,
                ))
        return result
