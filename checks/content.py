"""Content check types: page metadata, required fields or sections, disclosure lag, wording, personal data."""
from __future__ import annotations

import re
from datetime import date

from checks.base import CheckResult, CheckType, Hit, regex_problem
from checks.rules import Rule
from checks.snapshot import SiteSnapshot
from checks.workdays import workdays_between
from store.models import Page

ATTACHMENT = re.compile(r"\.(pdf|docx?|wps|ofd|xlsx?|et)$", re.I)
PAGE_KINDS = {"home": "首页", "list": "栏目页", "article": "文章页"}


def _page_kind(page: Page) -> str:
    return "home" if page.is_home else "list" if page.is_list else "article"


def _select(snap: SiteSnapshot, select: dict) -> list[Page]:
    """Content pages chosen by column type and/or a title pattern (never list pages)."""
    column, pattern = select.get("column"), select.get("title_pattern")
    title_re = re.compile(pattern) if pattern else None
    return [p for p in snap.ok_pages() if not p.is_list and p.encoding is not None
            and (column is None or p.column_type == column)
            and (title_re is None or (p.title and title_re.search(p.title)))]


def _validate_select(params) -> str | None:
    select = params.get("select")
    if not isinstance(select, dict) or not (select.get("column") or select.get("title_pattern")):
        return "params.select 必须给出 column 或 title_pattern"
    return regex_problem(select.get("title_pattern") or "", "select.title_pattern")


class MetadataPresent(CheckType):
    """网页设计规范 meta tags per page kind; one finding per (page kind, missing tag), with how many pages lack it."""

    def validate(self, params):
        required = params.get("required")
        if not isinstance(required, dict) or not set(required) <= set(PAGE_KINDS):
            return f"params.required 必须是 {{{'/'.join(PAGE_KINDS)}: [标签…]}}"
        return None

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        result = CheckResult()
        pages = [p for p in snap.ok_pages() if p.encoding is not None]  # HTML pages (parsed)
        for kind, tags in rule.params["required"].items():
            of_kind = [p for p in pages if _page_kind(p) == kind]
            for tag in tags:
                lacking = sorted((p for p in of_kind if tag not in (p.meta_names or [])), key=lambda p: p.url)
                if lacking:
                    n = len(of_kind)
                    result.hits.append(Hit(
                        lacking[0].url,
                        f"{len(lacking)}/{n} 个{PAGE_KINDS[kind]}缺少 <meta name=\"{tag}\"> 元数据",
                        {"meta": tag, "page_kind": PAGE_KINDS[kind], "pages_lacking": len(lacking), "pages": n,
                         "examples": [p.url for p in lacking[:5]]},
                        locator=f"meta:{kind}:{tag}",
                    ))
        return result


SOURCES = {"field_labels": ("field_labels",), "headings": ("headings",), "any": ("field_labels", "headings")}


def _newest(pages: list[Page], group: str | bool) -> list[Page]:
    """The most recently published page, or with a regex the newest page per distinct match in the title
    (预算 / 决算: the latest of each)."""
    def key(pg):
        return (pg.published or date.min, pg.url)
    if group is True:
        return [max(pages, key=key)] if pages else []
    groups: dict[str, Page] = {}
    pattern = re.compile(group)
    for pg in pages:
        m = pattern.search(pg.title or "")
        name = m.group(0) if m else ""
        if name not in groups or key(pg) > key(groups[name]):
            groups[name] = pg
    return sorted(groups.values(), key=lambda pg: pg.url)


class PageFields(CheckType):
    """Selected pages carry required fields (labels) or sections (headings); synonyms allowed per field.

    A page is a finding when more than `max_missing` required items are absent (SVC-05: missing ≥ 4 of 10).
    With `newest_only`, only the most recently published selected page is judged (a regex: the newest per
    distinct match in the title). With `aggregate`, one finding sums up every lacking page (a 目录 header
    missing on most items is one template problem, not hundreds).
    """

    def validate(self, params):
        problem = _validate_select(params)
        if problem:
            return problem
        if params.get("source", "field_labels") not in SOURCES:
            return f"params.source 必须是 {'/'.join(SOURCES)} 之一"
        required = params.get("required")
        if not isinstance(required, dict) or not required:
            return "params.required 必须是 {名称: [同义词…]} 映射"
        if not isinstance(params.get("max_missing", 0), int):
            return "params.max_missing 必须是整数"
        newest = params.get("newest_only", False)
        if isinstance(newest, str):
            return regex_problem(newest, "newest_only")
        elif not isinstance(newest, bool):
            return "params.newest_only 必须是 true/false 或正则表达式"
        return None

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        p = rule.params
        source, max_missing = p.get("source", "field_labels"), p.get("max_missing", 0)
        what = {"field_labels": "要素", "headings": "章节", "any": "内容"}[source]
        result = CheckResult()
        attachments = snap.pages_linking(ATTACHMENT)
        pages = _select(snap, p["select"])
        if p.get("newest_only") and pages:  # e.g. only the latest 年报 must follow the current format
            pages = _newest(pages, p["newest_only"])
        lacking = []
        for page in pages:
            present = [item for field in SOURCES[source] for item in (getattr(page, field) or [])]
            if not present and page.url in attachments:
                result.not_tested.append(("attachment", f"「{page.title or page.url}」的正文在附件中，{what}未检查"))
                continue
            missing = [name for name, synonyms in p["required"].items()
                       if not any(s in item for s in [name, *(synonyms or [])] for item in present)]
            if len(missing) > max_missing:
                lacking.append((page, missing))
        if p.get("aggregate") and lacking:
            page, missing = min(lacking, key=lambda pm: pm[0].url)
            counts: dict[str, int] = {}
            for _, miss in lacking:
                for name in miss:
                    counts[name] = counts.get(name, 0) + 1
            names = "、".join(f"{name}（{n}篇）" for name, n in counts.items())
            result.hits.append(Hit(
                page.url, f"{len(lacking)}/{len(pages)} 个页面缺少{what}：{names}",
                {"title": page.title, "missing": list(counts), "pages_lacking": len(lacking), "pages": len(pages),
                 "examples": [pg.url for pg, _ in sorted(lacking, key=lambda pm: pm[0].url)[:5]]},
                locator=f"aggregate:{rule.id}",
            ))
            return result
        for page, missing in lacking:
            title = page.title or page.url
            result.hits.append(Hit(
                page.url, f"「{title}」缺少{len(missing)}项{what}：{'、'.join(missing)}",
                {"title": page.title, "missing": missing, "required": len(p["required"])},
            ))
        return result


class DisclosureLag(CheckType):
    """Documents published more than N working days after they were formed (成文日期 → 发布日期).

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
        return _validate_select(params) if "select" in params else None

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        limit, above = rule.params["max_workdays"], rule.params.get("defer_above")
        pages = _select(snap, rule.params["select"]) if rule.params.get("select") else snap.ok_pages()
        result = CheckResult()
        for page in pages:
            if not (page.written and page.published) or page.published <= page.written:
                continue
            days, exact = workdays_between(page.written, page.published)
            if days > limit and (above is None or days <= above):
                result.hits.append(Hit(
                    page.url,
                    f"「{page.title or page.url}」成文于 {page.written.isoformat()}，{page.published.isoformat()} 才公开，"
                    f"相隔 {days} 个工作日（应在 {limit} 个工作日内公开）",
                    {"title": page.title, "written": page.written.isoformat(), "published": page.published.isoformat(),
                     "workdays": days, "calendar_exact": exact},
                ))
        return result


class PersonalData(CheckType):
    """Pages whose content shows personal data (ID numbers with a valid checksum, mobile numbers), masked in evidence."""

    def validate(self, params):
        types = params.get("types")
        return None if types and set(types) <= {"id_number", "mobile"} else "params.types 取自 id_number、mobile"

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        labels = {"id_number": "身份证号码", "mobile": "手机号码"}
        result = CheckResult()
        for page in snap.ok_pages():
            found = [d for d in page.personal_data or [] if d.get("type") in rule.params["types"]]
            if found:
                kinds = "、".join(sorted({labels[d["type"]] for d in found}))
                result.hits.append(Hit(
                    page.url, f"「{page.title or page.url}」公开了 {len(found)} 处个人信息（{kinds}）",
                    {"title": page.title, "items": [{"type": labels[d["type"]], "masked": d.get("masked"),
                                                     "snippet": d.get("snippet")} for d in found[:5]]},
                ))
        return result


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
