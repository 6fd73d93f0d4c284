"""Disclosure of a procedure in stages (环评: 受理公示 → 拟审批公示 → 批复), the documents it must attach, and
what each 公示 states about itself.

AttachmentPresent and StagesPresent read titles and links only, so they work on any CMS: a 受理公示 page must
link a downloadable 全本, and a bureau that publishes one stage of the 环评 procedure must publish the others
too. NoticeTimely and NoticePeriod read the notice facts of page.extra (crawler/facts/notices.py): the 受理日期
and the 公示期 a notice states, and its 听证告知.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from checks.base import CheckResult, CheckType, Hit, column_types_param
from checks.content import _select, _validate_select
from checks.links import ATTACHMENT, classify
from checks.rules import Rule
from checks.snapshot import SiteSnapshot
from checks.workdays import workdays_between, workdays_in


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
        by_page = snap.links_matching(ATTACHMENT)
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


def _notice_day(page, notice: dict | None) -> date | None:
    """When a notice was made public: its 发布日期, else the start of the period it states."""
    if page.published:
        return page.published
    period = (notice or {}).get("period")
    return date.fromisoformat(period["start"]) if period else None


def _validate_window(params) -> str | None:
    problem = _validate_select(params)
    if problem:
        return problem
    days = params.get("window_days")
    if not (isinstance(days, int) and days > 0):
        return "params.window_days 必须是正整数"
    return None


def _notices(snap: SiteSnapshot, rule: Rule, as_of: date):
    """(page, its notice facts or None) for the selected notices made public within the window; undated
    notices are left out, as ENV-01 leaves them out."""
    since = as_of - timedelta(days=rule.params["window_days"])
    for page in sorted(_select(snap, rule.params["select"]), key=lambda pg: pg.url):
        notice = (page.extra or {}).get("notice")
        day = _notice_day(page, notice)
        if day is not None and since <= day <= as_of:
            yield page, notice


def _nothing_judged(result: CheckResult, snap: SiteSnapshot, seen: list, attached: set, what: str) -> None:
    """The tri-state when no notice could be judged: not seen (robots, budget, interrupted), seen without the
    fact (no_evidence, or attachment when the notice is a file), or no such notice at all (a pass: a bureau
    that accepted no 环评 file in the window has nothing to publish; ENV-01 asks whether it should have)."""
    if snap.status == "interrupted":
        result.not_tested.append(("interrupted", "抓取在完成前被中断，未能检查全部公示"))
    elif seen:
        page = seen[0]
        reason = "attachment" if page.url in attached else "no_evidence"
        result.not_tested.append((reason, f"{len(seen)} 个公示（如「{page.title or page.url}」）未载明{what}，无法判断"))
    elif unseen := snap.unseen_reason("eia", "环评公示"):
        result.not_tested.append(unseen)


def _attached(snap: SiteSnapshot) -> set[str]:
    return snap.pages_linking(ATTACHMENT)


class NoticeTimely(CheckType):
    """A notice made public at most `max_workdays` working days after the 受理日期 it states (EIA-03: 受理情况
    公示 「受理环评文件后1个工作日内」). Notices that state no 受理日期 cannot be timed."""

    def validate(self, params):
        n = params.get("max_workdays")
        if not (isinstance(n, int) and n >= 0):
            return "params.max_workdays 必须是非负整数"
        return _validate_window(params)

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        limit = rule.params["max_workdays"]
        result, judged, unjudged = CheckResult(), 0, []
        for page, notice in _notices(snap, rule, as_of):
            accepted = sorted((notice or {}).get("accepted") or [])
            if not accepted:
                unjudged.append(page)
                continue
            judged += 1
            first, public = date.fromisoformat(accepted[0]), _notice_day(page, notice)
            if public <= first:
                continue
            days, exact = workdays_between(first, public)
            if days > limit:
                title = page.title or page.url
                result.hits.append(Hit(
                    page.url, f"「{title}」{public.isoformat()} 才公开，距受理日期 {first.isoformat()} 已 {days} 个工作日"
                              f"（应在受理后 {limit} 个工作日内公开）",
                    {"title": page.title, "accepted": accepted, "published": public.isoformat(),
                     "how": "公示中载明的受理日期；公开日期取" + ("发布日期" if page.published else "公示期起始日"),
                     "snippet": (notice or {}).get("accepted_snippet"), "workdays": days, "max_workdays": limit,
                     "calendar_exact": exact}))
        if not result.hits and not judged:
            _nothing_judged(result, snap, unjudged, _attached(snap), "受理日期")
        elif not result.hits and snap.status == "interrupted":
            _nothing_judged(result, snap, [], set(), "")
        return result


class NoticePeriod(CheckType):
    """A notice's stated period lasts at least `min_workdays` working days (inclusive, official calendar with
    调休): an int, or {报告书: 10, 报告表: 5} by the document the notice names (the strictest named; the
    lowest when it names none). With `hearing`, the notice must also tell the parties of their right to
    a hearing (听证告知)."""

    def validate(self, params):
        need = params.get("min_workdays")
        values = list(need.values()) if isinstance(need, dict) else [need]
        if not values or not all(isinstance(v, int) and v > 0 for v in values):
            return "params.min_workdays 必须是正整数，或 {报告书: 天数, 报告表: 天数} 映射"
        if not isinstance(params.get("hearing", False), bool):
            return "params.hearing 必须是 true/false"
        return _validate_window(params)

    @staticmethod
    def _required(need, documents: list[str]) -> tuple[int, str]:
        """(working days required, what they are required for, in words)."""
        if not isinstance(need, dict):
            return need, "要求"
        named = [d for d in documents if d in need]
        if named:
            doc = max(named, key=lambda d: need[d])
            return need[doc], f"{doc}项目要求"
        doc = min(need, key=lambda d: need[d])
        return need[doc], f"要求（未载明报告书或报告表，按{doc}）"

    @staticmethod
    def _length(page, notice: dict) -> tuple[int, bool, dict] | None:
        """(working days, calendar exact, evidence) of the period the notice states, if it states one."""
        if period := notice.get("period"):
            start, end = date.fromisoformat(period["start"]), date.fromisoformat(period["end"])
            n, exact = workdays_in(start, end)
            return n, exact, {"period_start": period["start"], "period_end": period["end"],
                              "how": f"页面文字「{period.get('label') or '公示期'}」", "snippet": period.get("snippet")}
        if days := notice.get("days"):
            if days["unit"] == "工作日":
                return days["n"], True, {"stated": f"{days['n']}个工作日", "how": "页面载明的工作日数",
                                         "snippet": days.get("snippet")}
            if page.published:  # calendar days from the day it was published
                end = page.published + timedelta(days=days["n"] - 1)
                n, exact = workdays_in(page.published, end)
                return n, exact, {"stated": f"{days['n']}日", "period_start": page.published.isoformat(),
                                  "period_end": end.isoformat(), "how": "页面载明的日数，自发布日期起算",
                                  "snippet": days.get("snippet")}
        return None

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        p = rule.params
        result, judged, unjudged = CheckResult(), 0, []
        attached = _attached(snap)
        for page, notice in _notices(snap, rule, as_of):
            if notice is None:  # not read as a notice (facts of an older crawl): nothing to go on
                unjudged.append(page)
                continue
            title = page.title or page.url
            need, doc = self._required(p["min_workdays"], notice.get("documents") or [])
            length = self._length(page, notice)
            if length is None:
                unjudged.append(page)
            else:
                judged += 1
                n, exact, ev = length
                if n < need:
                    what = (f"的公示期为 {ev['period_start']} 至 {ev['period_end']}，共 {n} 个工作日" if "period_end" in ev
                            else f"载明的公示期为 {n} 个工作日")
                    result.hits.append(Hit(
                        page.url, f"「{title}」{what}，少于{doc}的 {need} 个工作日",
                        {"title": page.title, "workdays": n, "required": need, "documents": notice.get("documents") or [],
                         "calendar_exact": exact} | ev, kind="notice-short", locator=f"period:{page.url}"))
            if p.get("hearing") and not notice.get("hearing"):
                if length is None and page.url in attached:
                    continue  # the notice itself is an attachment: not read
                judged += 1
                result.hits.append(Hit(
                    page.url, f"「{title}」未告知申请人、利害关系人要求听证的权利（页面中未找到听证告知）",
                    {"title": page.title, "missing": "听证告知"}, kind="item-missing", locator=f"hearing:{page.url}"))
        if not result.hits and not judged:
            _nothing_judged(result, snap, unjudged, attached, "公示期")
        elif not result.hits and snap.status == "interrupted":
            _nothing_judged(result, snap, [], set(), "")
        return result
