"""page_fields: selected pages carry their required fields (labels) or sections (headings)."""
from __future__ import annotations

import re
from datetime import date

from checks.base import CheckResult, CheckType, Hit, regex_problem
from checks.rule import Rule
from checks.select import document_pages, newest_pages, select_pages, validate_select
from checks.snapshot import Attached, SiteSnapshot

# Labels every article carries around its body (page metadata and page tools), never its content: a page showing only
# these and an attachment publishes the document in the attachment.
PAGE_METADATA = re.compile(r"^(发布|更新|上传|录入)?(时间|日期)|来源|浏览|点击|访问|阅读|字号|字体|作者|编辑|审核|校对|打印|关闭|"
                           r"分享|收藏|纠错|附件|下载")
# The 政府信息公开目录 header above a document (gkmlpt and most 信息公开 platforms): it describes the page, whatever
# the document is, so a lead under it is still only a lead. Whole labels only (名称, not 项目名称).
CATALOG_HEADER = re.compile(r"(索引号|(主题|信息|公开)?分类|发布机构|发文机关|(成文|生成|印发|发文)(日期|时间)|名称|"
                            r"文号|发文字号|主题词|关键词|有效性|公开方式|公开范围|公开时限)")
SOURCES = {"field_labels": ("field_labels",), "headings": ("headings",), "any": ("field_labels", "headings")}


class PageFields(CheckType):
    """Selected pages carry required fields (labels) or sections (headings); synonyms allowed per field.

    A page is a finding when more than `max_missing` required items are absent (SVC-05: missing ≥ 4 of 10).
    With `newest_only`, only the most recently published selected page is judged (a regex: the newest per
    distinct match in the title). A page whose HTML is only a lead (page metadata such as 发布时间/来源 or the 目录
    header's 索引号/分类/发布机构/成文日期/名称/文号, its own title) beside an attached document is judged on that
    document (not tested when it cannot be read: `attachment`, `scanned`), unless the fields are the page's own header
    (`page_header: true`, the 目录 header of OGI-12b), which no attachment carries. With `aggregate`, one finding
    sums up every
    lacking page (a 目录 header missing on most items is one template problem, not hundreds).
    """

    def validate(self, params):
        problem = validate_select(params)
        if problem:
            return problem
        if params.get("source", "field_labels") not in SOURCES:
            return f"params.source 必须是 {'/'.join(SOURCES)} 之一"
        required = params.get("required")
        if not isinstance(required, dict) or not required:
            return "params.required 必须是 {名称: [同义词…]} 映射"
        if not isinstance(params.get("page_header", False), bool):
            return "params.page_header 必须是 true/false"
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
        attachments = set() if p.get("page_header") else document_pages(snap)
        pages = select_pages(snap, p["select"])
        if p.get("newest_only") and pages:  # e.g. only the latest 年报 must follow the current format
            pages = newest_pages(pages, p["newest_only"])
        lacking = []
        read_in: dict[str, list[Attached]] = {}  # page → the attached documents its items were read from
        for page in pages:
            present = [item for field in SOURCES[source] for item in (getattr(page, field) or [])]
            if page.url in attachments and not _content(page, present, p["required"]):
                present, read_in[page.url], why = _from_documents(snap, page.url)
                if not read_in[page.url]:
                    result.not_tested.append(why or ("attachment", f"「{page.title or page.url}」的正文在附件中，{what}未检查"))
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
            documents = read_in.get(page.url)
            where = f"（附件「{'」「'.join(a.name for a in documents)}」）" if documents else ""
            result.hits.append(Hit(
                page.url, f"「{title}」{where}缺少{len(missing)}项{what}：{'、'.join(missing)}",
                {"title": page.title, "missing": missing, "required": len(p["required"])}
                | ({"attachments": [a.evidence() for a in documents]} if documents else {}),
            ))
        return result


def _from_documents(snap: SiteSnapshot, page_url: str) -> tuple[list[str], list[Attached], tuple[str, str] | None]:
    """The text lines of the readable documents a lead page links to, and those documents; when none, why."""
    readable, why = snap.attached(page_url)
    lines = [line.strip() for att in readable for text in att.doc.get("page_texts") or [] for line in text.splitlines()
             if line.strip()]
    return lines, readable, why


def _content(page, present: list[str], required: dict) -> list[str]:
    """The labels and headings of the page's own content: page metadata (发布时间, 来源 …, the 目录 header's 索引号,
    分类, 发布机构, 成文日期, 名称, 文号 …) and the page's title are not content, unless the rule asks for them (OGI-12b's
    生成日期)."""
    names = [n for name, synonyms in required.items() for n in [name, *(synonyms or [])]]
    title = page.title or ""
    return [item for item in present if any(n in item for n in names)
            or not (PAGE_METADATA.search(item) or CATALOG_HEADER.fullmatch(item.strip()) or item.strip() in title)]
