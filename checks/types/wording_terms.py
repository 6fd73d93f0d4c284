"""wording_terms: no content uses listed terms (config/wording.yaml and the sites file's additions)."""
from __future__ import annotations

from datetime import date, timedelta

from checks.base import CheckResult, CheckType, Hit
from checks.rule import Rule
from checks.snapshot import SiteSnapshot


class WordingTerms(CheckType):
    """Content using listed terms. `list: outdated` (institution names replaced in the 2018 reform): one finding
    per page dated after `after`, naming every term. `list: serious` (严重表述错误: the library of config/wording.yaml
    with the sites file's additions): one finding per page and wrong form, whatever the date — except a leader's
    title (an entry with `since`), which counts only on pages published since then; evidence names the correct form,
    the category and the source. `list: renamed` (a place renamed or merged away on `since`): one finding per page
    and name, only on pages published more than `grace_days` after the change (an undated page is never judged:
    the old name is right in what was written before)."""

    def validate(self, params):
        if params.get("list") not in ("outdated", "serious", "renamed"):
            return "params.list 必须是 outdated、serious 或 renamed（见 config/wording.yaml）"
        grace = params.get("grace_days", 0)
        if not isinstance(grace, int) or isinstance(grace, bool) or grace < 0:
            return "params.grace_days 必须是不小于 0 的整数（天）"
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
            dated = f"（发布于 {page.published.isoformat()}）" if page.published else ""
            published = page.published.isoformat() if page.published else None
            if rule.params["list"] in ("serious", "renamed"):
                grace = timedelta(days=rule.params.get("grace_days", 0))
                for h in hits:
                    if h.get("since") and not (page.published and page.published
                                               >= date.fromisoformat(h["since"]) + grace):
                        continue  # a leader's earlier title, a place's old name: right before the change
                    result.hits.append(Hit(
                        page.url, f"「{page.title or page.url}」{dated}使用了「{h['term']}」，应为「{h.get('right')}」",
                        {"title": page.title, "term": h["term"], "right": h.get("right"), "category": h.get("category"),
                         "source": h.get("source"), "snippet": h.get("snippet"), "published": published},
                        locator=f"{page.url}\x1f{h['term']}",
                    ))
                continue
            terms = "、".join(dict.fromkeys(h["term"] for h in hits))
            result.hits.append(Hit(
                page.url, f"「{page.title or page.url}」{dated}使用了「{terms}」",
                {"title": page.title, "terms": [h["term"] for h in hits][:10],
                 "snippet": hits[0].get("snippet"), "published": published},
            ))
        return result
