"""attachment_present: each selected page links a document that downloads (EIA-02: the 全本)."""
from __future__ import annotations

from datetime import date

from checks.base import CheckResult, CheckType, Hit
from checks.link_verdict import classify
from checks.rule import Rule
from checks.select import select_pages, validate_select
from checks.snapshot import SiteSnapshot


class AttachmentPresent(CheckType):
    """Each selected page links at least one attachment (pdf, doc …) that downloads.

    No attachment link at all is a finding; an attachment whose link is broken is a finding too, but
    scores nothing here (GWS-DLINK already deducts the broken link); an attachment that could not be
    verified (blocked, timeout, robots) leaves the page not tested.
    """

    def validate(self, params):
        problem = validate_select(params)
        if problem:
            return problem
        if not params.get("label"):
            return "params.label 必须给出附件名称（如 环境影响报告书全本）"
        return None

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        label = rule.params["label"]
        result = CheckResult()
        by_page = snap.document_links()
        for page in select_pages(snap, rule.params["select"]):
            title = page.title or page.url
            links = by_page.get(page.url, [])
            if not links:
                result.hits.append(Hit(page.url, f"「{title}」未提供{label}下载",
                                       {"title": title, "attachments": 0}))
                continue
            verdicts = []
            for link in links:
                target = snap.pages.get(link.target_url) or snap.external.get(link.target_url)
                verdict = classify(target, snap.probe, {404, 410}) if target is not None else ("unverified", "未抓取")
                verdicts.append((link, verdict))
            if any(v is None for _, v in verdicts):
                continue  # one attachment downloads
            broken = [(lk, v[1]) for lk, v in verdicts if v[0] == "broken"]
            if not broken:
                result.not_tested.append(("unverified", f"「{title}」的附件无法验证"))
                continue
            link, why = broken[0]
            result.hits.append(Hit(
                page.url, f"「{title}」的{label}「{link.text or link.target_url.rsplit('/', 1)[-1]}」无法下载（{why}）",
                {"title": title, "attachment": link.target_url, "error": why, "counted_by": "GWS-DLINK"},
                points=0.0, kind="attachment-missing",
            ))
        return result
