"""Link availability: every link target classified as ok, broken or unverified (never scored).

broken: 404/410, a 5xx or a refused connection / unresolvable own host that a second attempt confirmed, a soft 404
(a 200 that says 页面不存在, or looks like the site's own answer to a URL that cannot exist), an attachment whose
bytes are not what its name says (HTML served as .pdf, an empty file).
unverified: 401/403/412/429/521, challenge pages, timeouts and other transport failures, or a broken-looking
answer whose second attempt never happened (interrupted crawl): reported apart, never as broken.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import date

from checks.base import CheckResult, CheckType, Hit
from checks.rules import Rule
from checks.snapshot import SiteSnapshot
from store.models import Page

TAG_LABELS = {"a": "链接", "area": "链接", "img": "图片", "script": "脚本", "link": "样式表", "iframe": "内嵌页面",
              "embed": "嵌入对象", "object": "嵌入对象"}
BLOCKING = {401: "需要登录", 403: "拒绝访问", 412: "前置条件拦截", 429: "请求过多", 521: "反爬虫验证"}
ERRORS = {"refused": "连接被拒绝", "dns": "域名无法解析", "timeout": "超时", "redirect-loop": "重定向循环",
          "data-loss": "连接中断", "failed": "下载失败"}
ATTACHMENT = re.compile(r"\.(pdf|docx?|xlsx?|wps|ofd|zip|rar|et)$", re.I)


def classify(page: Page, probe: Page | None, statuses: set[int]) -> tuple[str, str] | None:
    """('broken', why) or ('unverified', why) for a link target; None when it is fine or not checked (robots)."""
    if page.error == "robots":
        return None
    status, error = page.status, page.error
    looks_broken = status in statuses or (status or 0) >= 500 or error in ("refused", "dns")
    if looks_broken:
        if not page.confirmed:
            return "unverified", "未完成复核"
        status, error = page.confirm_status, page.confirm_error
    if error:
        if error in ("refused", "dns") and not page.external:
            return "broken", ERRORS[error]
        return "unverified", ERRORS.get(error, error)
    if page.challenge or status in BLOCKING:
        return "unverified", BLOCKING.get(status, "反爬虫验证") if not page.challenge else "反爬虫验证页"
    if status in statuses or (status or 0) >= 500:
        return "broken", f"HTTP {status}"
    if status == 200:
        if page.soft_404:
            return "broken", "HTTP 200，页面内容为“页面不存在”"
        if probe is not None and probe.status == 200 and probe.title and page.title == probe.title:
            return "broken", "HTTP 200，与本站“页面不存在”页面相同"
        if ATTACHMENT.search(page.url.split("?")[0]):
            if page.content_type and "html" in page.content_type.lower():
                return "broken", "附件地址返回的是网页（HTML），不是附件"
            if page.length == 0:
                return "broken", "附件为空文件"
    return None


class BrokenLinks(CheckType):
    def validate(self, params):
        statuses = params.get("statuses")
        if not statuses or not all(isinstance(s, int) for s in statuses):
            return "params.statuses 必须是 HTTP 状态码列表"
        return None

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        statuses = set(rule.params["statuses"])
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
                message=f"{where}「{anchor or page.url.rsplit('/', 1)[-1] or page.url}」无法访问（{why}）",
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
        return result


class FragmentTargets(CheckType):
    """Links to `page#fragment` on the site whose target page has no element with that id (or <a name>)."""

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        result, seen = CheckResult(), set()
        for link in snap.links:
            frag = link.fragment
            target = snap.pages.get(link.target_url)
            if not frag or target is None or target.status != 200 or target.encoding is None:
                continue
            if frag in (target.anchor_ids or []) or frag.lower() in ("top", "") or (link.target_url, frag) in seen:
                continue
            seen.add((link.target_url, frag))
            result.hits.append(Hit(f"{link.target_url}#{frag}", f"页面内锚点「#{frag}」在目标页面中不存在（链接文字「{link.text or ''}」）",
                                   {"anchor": link.text, "fragment": frag}, parent_url=link.page_url))
        return result
