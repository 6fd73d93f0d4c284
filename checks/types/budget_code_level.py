"""budget_code_level: the latest 部门预算 and 决算 tables list their 科目编码 to the required level (BUD-03)."""
from __future__ import annotations

from datetime import date

from checks.base import CheckResult, CheckType, Hit, regex_problem
from checks.rule import Rule
from checks.select import document_pages, newest_pages, select_pages, validate_select
from checks.snapshot import Attached, SiteSnapshot

CODE_LEVELS = {3: "类", 5: "款", 7: "项"}
CLASSIFICATIONS = {"function": ("支出功能分类", "function_digits"), "economic": ("基本支出经济分类", "economic_digits")}


class BudgetCodeLevel(CheckType):
    """The newest selected page per `newest_only` match fails when a classification's deepest 科目编码 is shorter than
    required (`function_digits`, `economic_digits`). No code table on the page: not tested (`attachment` when it
    links a PDF/XLS file, else `no_evidence`); a classification absent from an otherwise coded page is not judged."""

    def validate(self, params):
        problem = validate_select(params)
        if problem:
            return problem
        for _, key in CLASSIFICATIONS.values():
            if params.get(key) not in CODE_LEVELS:
                return f"params.{key} 必须是 3、5 或 7（类、款、项）"
        newest = params.get("newest_only", True)
        if isinstance(newest, str):
            return regex_problem(newest, "newest_only")
        return None

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        p = rule.params
        result = CheckResult()
        pages = select_pages(snap, p["select"])
        if not pages:
            if unseen := snap.unseen_reason(p["select"].get("column") or "budget", "部门预算、决算"):
                result.not_tested.append(unseen)
            return result
        attached = document_pages(snap)
        for page in newest_pages(pages, p.get("newest_only", True)):
            title, where = page.title or page.url, ""
            codes, document = (page.extra or {}).get("budget_codes") or {}, None
            if not codes and page.url in attached:
                codes, document, why = _document_codes(snap, page.url)
                if document:
                    where = f"（附件「{document.name}」）"  # as page_fields names it: 「title」（附件「…」）
                elif why:
                    result.not_tested.append(why)
                    continue
            if not codes:
                reason = "attachment" if page.url in attached else "no_evidence"
                what = "附件中未读到带科目编码的表格" if reason == "attachment" else "页面未显示带科目编码的预决算表"
                result.not_tested.append((reason, f"「{title}」{what}，科目公开级次未检查"))
                continue
            short, seen = [], {}
            for kind, (label, key) in CLASSIFICATIONS.items():
                found = codes.get(kind)
                if not found:
                    result.not_tested.append(("no_evidence", f"「{title}」未显示{label}科目编码，未检查"))
                    continue
                need = p[key]
                seen[kind] = found | {"required_digits": need}
                if found["max_digits"] < need:
                    short.append(f"{label}只公开到{CODE_LEVELS.get(found['max_digits'], '类')}级"
                                 f"（最细为{found['max_digits']}位编码，如{found['example']}），应公开到{CODE_LEVELS[need]}级"
                                 f"（{need}位编码）")
            if short:
                result.hits.append(Hit(page.url, f"「{title}」{where}{'；'.join(short)}",
                                       {"title": page.title, "published": page.published.isoformat()
                                        if page.published else None, **seen}
                                       | ({"attachments": [document.evidence()]} if document else {})))
        return result


def _document_codes(snap: SiteSnapshot, page_url: str) -> tuple[dict, Attached | None, tuple[str, str] | None]:
    """The 科目编码 depth of the first attached document that prints coded tables (crawler.documents.facts), as the
    page's own tables give it; with the document, or why no document could be read."""
    readable, why = snap.attached(page_url)
    for att in readable:
        budget = att.doc.get("budget") or {}
        codes = {kind: {"max_digits": budget[f"{kind}_code_max_digits"],
                        "example": budget.get(f"{kind}_code_example") or f"{budget[f'{kind}_code_max_digits']}位编码"}
                 for kind in CLASSIFICATIONS if budget.get(f"{kind}_code_max_digits")}
        if codes:
            return codes, att, None
    return {}, None, why
