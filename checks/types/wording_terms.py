"""wording_terms: no content uses listed terms (config/wording.yaml) after a given date."""
from __future__ import annotations

from datetime import date

from checks.base import CheckResult, CheckType, Hit
from checks.rule import Rule
from checks.snapshot import SiteSnapshot


class WordingTerms(CheckType):
    """Content using listed terms (e.g. institution names replaced in the 2018 reform) in pages dated after a date."""

    def validate(self, params):
        if params.get("list") not in ("outdated", "serious"):
            return "params.list 必须是 outdated 或 serious（见 config/wording.yaml）"
        after = params.get("after")
        if after is not None and not isinstance(after, date):
            return "params.after 必须是日期 YYYY-MM-DD"
        return None

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        after = rule.params.get("after")
        result = CheckResult()
        for page in snap.ok_pages():
            hits = [h for h in page.term_hits or [] if h.get("list") == rule.params["list"]]
            if not hits or (after and not (page.published and page.published > after)):
                continue
            terms = "、".join(dict.fromkeys(h["term"] for h in hits))
            dated = f"（发布于 {page.published.isoformat()}）" if page.published else ""
            result.hits.append(Hit(
                page.url, f"「{page.title or page.url}」{dated}使用了「{terms}」",
                {"title": page.title, "terms": [h["term"] for h in hits][:10],
                 "snippet": hits[0].get("snippet"), "published": page.published.isoformat() if page.published else None},
            ))
        return result
