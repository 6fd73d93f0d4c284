"""Disclosure of a procedure in stages (环评: 受理公示 → 拟审批公示 → 批复) and of the documents it must attach.

Both read titles and links only, so they work on any CMS: a 受理公示 page must link a downloadable 全本, and a
bureau that publishes one stage of the 环评 procedure must publish the others too.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from checks.base import CheckResult, CheckType, Hit, column_types_param
from checks.content import _select, _validate_select
from checks.links import ATTACHMENT, classify
from checks.rules import Rule
from checks.snapshot import SiteSnapshot


class AttachmentPresent(CheckType):
    """Each selected page links at least one attachment (pdf, doc …) that downloads.

    No attachment link at all is a finding; an attachment whose link is broken is a finding too, but
    scores nothing here (GWS-DLINK already deducts the broken link); an attachment that could not be
    verified (blocked, timeout, robots) leaves the page not tested.
    """

    def validate(self, params):
        problem = _validate_select(params)
        if problem:
            return problem
        if not params.get("label"):
            return "params.label 必须给出附件名称（如 环境影响报告书全本）"
        return None

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        label = rule.params["label"]
        result = CheckResult()
        by_page: dict[str, list] = {}
        for link in snap.links:
            if ATTACHMENT.search(link.target_url.split("?")[0]):
                by_page.setdefault(link.page_url, []).append(link)
        for page in _select(snap, rule.params["select"]):
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


class StagesPresent(CheckType):
    """A procedure published in stages: when any stage has an item within the window, every stage must.

    Items are every column list item and page title of the site, matched by a pattern per stage. A bureau
    that handled no case in the window publishes no stage at all, which is not a finding.
    """

    needs_full_crawl = True

    def validate(self, params):
        stages = params.get("stages")
        if not isinstance(stages, dict) or len(stages) < 2:
            return "params.stages 必须是 {环节名称: 标题正则} 映射（至少两个环节）"
        for name, pattern in stages.items():
            try:
                re.compile(pattern)
            except (re.error, TypeError) as exc:
                return f"params.stages.{name} 不是有效的正则表达式: {exc}"
        days = params.get("window_days")
        if not (isinstance(days, int) and days > 0):
            return "params.window_days 必须是正整数"
        return column_types_param({"column": [params["column"]]}, "column") if "column" in params else None

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        since = as_of - timedelta(days=rule.params["window_days"])
        titled = [(i.date, i.url or i.column_url, i.title) for i in snap.items if i.title]
        titled += [(pg.published, pg.url, pg.title) for pg in snap.ok_pages() if pg.title and not pg.is_list]
        found: dict[str, list] = {}
        for name, pattern in rule.params["stages"].items():
            regex = re.compile(pattern)
            found[name] = sorted({(d, url, t) for d, url, t in titled if d and since <= d <= as_of and regex.search(t)},
                                 reverse=True)
        seen = {name: items for name, items in found.items() if items}
        if not seen:
            return CheckResult()
        column = rule.params.get("column")
        where = next((c.url for c in snap.columns if column and c.column_type == column), snap.home.url)
        result = CheckResult()
        for name, items in found.items():
            if items:
                continue
            shown = "、".join(f"{n}（{len(v)}条，最新「{v[0][2]}」）" for n, v in seen.items())
            result.hits.append(Hit(
                where, f"近 {rule.params['window_days']} 天公开了{shown}，但未找到「{name}」",
                {"missing_stage": name, "window_days": rule.params["window_days"],
                 "stages_found": {n: len(v) for n, v in seen.items()},
                 "examples": [v[0][1] for v in seen.values()]},
                kind="item-missing", locator=f"stage:{name}",
            ))
        return result
