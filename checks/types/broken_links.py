"""broken_links: every link target is ok, broken or unverified (unverified is never scored)."""
from __future__ import annotations

from collections import Counter
from datetime import date

from checks.base import CheckResult, CheckType, Hit
from checks.link_verdict import PARKED, TAG_LABELS, classify
from checks.rule import Rule
from checks.snapshot import SiteSnapshot


class BrokenLinks(CheckType):
    """Every link target of the site (a, area, img and srcset, script, link, iframe, frame, embed, object, source,
    track, video, audio, formaction, meta refresh, CSS url()/@import, TRS pagination, Hanweb datastore records;
    external ones with `--external`) is ok, broken or unverified (checks/link_verdict.py, the status table of
    core/link_status.py; `params.statuses` may add statuses counted as broken).

    A broken target is one finding, at the URL, naming the page that links it (the homepage when it does) and
    the anchor text; `points_home` and `points_other` weigh a broken link from the homepage and from other pages.
    Unverified targets (blocking statuses, request-dependent 4xx, challenges, timeouts, foreign hosts' failures, a
    second attempt that never happened) are counted in one `not_tested` entry (`unverified`), never scored. A
    search form's target is never a broken link (a search endpoint asked without a query may answer an error):
    GUIDE-09 judges it.
    """

    def validate(self, params):
        statuses = params.get("statuses", [])
        if not isinstance(statuses, list) or not all(isinstance(s, int) for s in statuses):
            return "params.statuses 必须是 HTTP 状态码列表"
        return None

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        statuses = set(rule.params.get("statuses", []))
        home = snap.home
        parents_of: dict[str, list] = {}
        for link in snap.links:
            parents_of.setdefault(link.target_url, []).append(link)
        targets = [p for p in snap.pages.values() if not p.is_home]
        targets += [snap.external[url] for url in parents_of if url in snap.external]
        result, unverified = CheckResult(), Counter()
        for page in targets:
            verdict = classify(page, snap.probe, statuses)
            if verdict is None:
                continue
            kind, why = verdict
            links = parents_of.get(page.url, [])
            if links and all(lk.tag == "form" for lk in links):
                continue  # a search form's target without a query may well answer an error (GUIDE-09's concern)
            if kind == "unverified":
                unverified[why] += 1
                continue
            from_home = next((lk for lk in links if lk.page_url == home.url), None)
            first = from_home or (links[0] if links else None)
            parent_url = first.page_url if first else page.referer
            parent = snap.pages.get(parent_url) if parent_url else None
            anchor = (first.text if first else page.anchor) or ""
            where = ("首页" if from_home else "页面") + ("外部" if page.external else "") + \
                TAG_LABELS.get(first.tag if first else "a", "链接")
            result.hits.append(Hit(
                url=page.url,
                parent_url=parent_url,
                message=f"{where}「{anchor or page.url.rsplit('/', 1)[-1] or page.url}」"
                        + (f"指向的{why}" if why.startswith(PARKED) else f"无法访问（{why}）"),
                evidence={
                    "status": page.confirm_status if page.confirmed else page.status, "error": why, "anchor": anchor,
                    "homepage": bool(from_home), "external": page.external,
                    "parent_title": parent.title if parent else None, "parents": len({lk.page_url for lk in links}),
                    "first_status": page.status, "confirmed": page.confirmed,
                    "fetched_at": page.fetched_at.isoformat(timespec="seconds"),
                },
                points=rule.params.get("points_home", rule.points) if from_home else rule.params.get("points_other", rule.points),
            ))
        if unverified:
            detail = "、".join(f"{why}×{n}" for why, n in unverified.most_common())
            result.not_tested.append(("unverified", f"{sum(unverified.values())} 个链接无法验证（不计为不可用）：{detail}"))
        over = sorted((p.url, (p.extra or {}).get("links_over_cap")) for p in snap.pages.values()
                      if (p.extra or {}).get("links_over_cap"))
        if over:  # crawl option max_links_per_page: what a page held beyond it was never checked
            result.not_tested.append(("budget", f"{len(over)} 个页面的链接数超过每页上限（max_links_per_page），"
                                                f"超出的 {sum(n for _, n in over)} 个链接未检查，如 {over[0][0]}"))
        return result
