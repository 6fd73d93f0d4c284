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

    With `full_text: {min_pages, chapters: {章节: [同义词…]}, max_missing}`, the attachments the crawl read must hold
    the full document: one of them has at least `min_pages` pages and all but `max_missing` chapters in its text
    (a 简本, a cover page or an extract is a finding). A scanned attachment cannot show its chapters: not tested
    (`scanned`); attachments the crawl did not read are not judged on this.
    """

    def validate(self, params):
        problem = validate_select(params)
        if problem:
            return problem
        if not params.get("label"):
            return "params.label 必须给出附件名称（如 环境影响报告书全本）"
        full = params.get("full_text")
        if full is not None and not (isinstance(full, dict) and isinstance(full.get("min_pages"), int)
                                     and isinstance(full.get("chapters"), dict) and full["chapters"]
                                     and isinstance(full.get("max_missing", 0), int)):
            return "params.full_text 必须是 {min_pages: 整数, chapters: {章节: [同义词…]}, max_missing: 整数}"
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
            if any(v is None for _, v in verdicts):  # one attachment downloads
                if rule.params.get("full_text"):
                    _judge_full_text(result, rule, snap, page.url, title)
                continue
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


def _judge_full_text(result: CheckResult, rule: Rule, snap: SiteSnapshot, page_url: str, title: str) -> None:
    """A 全本 is the whole report: enough pages and its chapters (HJ 2.1), not a 简本, a cover or an extract."""
    full, label = rule.params["full_text"], rule.params["label"]
    readable, why = snap.attached(page_url)
    if not readable:
        if why and why[0] == "scanned":
            result.not_tested.append(("scanned", f"「{title}」的{label}为扫描件，无法核对是否为全本"))
        return
    judged = []
    for att in readable:
        doc = att.doc
        text = "".join(doc.get("page_texts") or []).replace(" ", "")
        missing = [chapter for chapter, synonyms in full["chapters"].items()
                   if not any(s in text for s in [chapter, *(synonyms or [])])]
        pages = doc.get("pages") or 0
        if pages >= full["min_pages"] and len(missing) <= full.get("max_missing", 0):
            return  # a full report
        judged.append((att, pages, missing))
    att, pages, missing = max(judged, key=lambda j: (j[1], -len(j[2])))
    lacks = f"，未见章节：{'、'.join(missing)}" if missing else ""
    result.hits.append(Hit(
        page_url, f"「{title}」的附件「{att.name}」不是完整的{label}（共 {pages} 页{lacks}），疑为简本、封面或节选",
        {"title": title, "attachments": [att.evidence()], "pages": pages, "min_pages": full["min_pages"],
         "missing": missing},
        kind="attachment-missing", locator=f"{page_url}#full-text",
    ))
