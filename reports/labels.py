"""The words and forms of the human reports: the 整改清单 columns, evidence keys in Chinese, error and point
texts, how dates and times read.

Kept in one place so the HTML, XLSX and DOCX writers say the same thing. The vocabularies' labels (verdicts,
severities, statuses, kinds, not-tested reasons, site levels) are core.vocab's, read through the result's
label properties.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from checks.result import Finding, NotTested
from core.vocab import SEVERITIES, label

# 整改清单 columns, in the order observed in real evaluations (design.md, spec §8.4).
COLUMNS = [
    "序号", "网站名称", "网站标识码", "问题类型", "问题描述", "问题页面", "证据",
    "发现时间", "依据", "扣分", "整改要求", "整改时限", "状态",
]
PARENT_COLUMN = "父页面"
WHOLE_SITE = "整站"  # a not-tested entry without a rule: the whole site could not be checked

# Evidence keys, shown in this order; unknown keys follow, as-is, in input order.
EVIDENCE_KEY = {
    "status": "HTTP状态",
    "error": "错误信息",
    "anchor": "链接文字",
    "column_name": "栏目名称",
    "newest_date": "最后更新日期",
    "days": "未更新天数",
    "published": "发布日期",
    "published_source": "日期来源",
    "title": "页面标题",
    "snippet": "片段",
    "fetched_at": "抓取时间",
    "snapshot": "快照",
    "window_days": "更新时限（天）",
    "items": "信息条数",
    "undated_items": "未标注日期的条数",
    "identifier": "缺少的标识",
    "page_title": "页面标题",
    "homepage": "是否首页链接",
    "parent_title": "父页面标题",
    "parents": "引用该链接的页面数",
    "pages_crawled": "已抓取页面数",
    "column_type": "栏目类型",
    "item": "应公开事项",
    "due": "公开期限",
    "meta": "缺少的元数据",
    "page_kind": "页面类型",
    "pages_lacking": "缺少的页面数",
    "examples": "示例页面",
    "missing": "缺少的项",
    "required": "应有项数",
    "written": "成文日期",
    "workdays": "相隔工作日",
    "calendar_exact": "按法定节假日计算",
    "terms": "用词",
    "first_status": "首次访问状态",
    "confirmed": "已复核",
    "external": "外部链接",
    "fragment": "锚点",
    "jiucuo_sitecode": "找错入口 sitecode",
    "site_id_code": "网站标识码",
    "probes": "监测次数",
    "failures": "无法访问次数",
    "ratio": "不可访问比例",
    "blocked": "被拦截次数",
    "newest_url": "最新信息页面",
    # HTTPS (GUIDE-14a/b) and IPv6 (GUIDE-10)
    "https_url": "HTTPS 地址",
    "http_url": "HTTP 地址",
    "reason": "证书问题",
    "not_after": "证书到期时间",
    "days_left": "证书剩余天数",
    "subject": "证书域名",
    "issuer": "证书签发者",
    "hsts": "HSTS 响应头",
    "https_pages": "引用 http:// 资源的 HTTPS 页面数",
    "resources": "http:// 资源数",
    "host": "域名",
    "nameserver": "DNS 服务器",
    "dns": "AAAA 查询结果",
    "aaaa": "AAAA 记录",
    "home": "经 IPv6 访问首页",
    "sampled": "抽查的二、三级页面数",
    "failed": "不能经 IPv6 访问的页面数",
    "share": "经 IPv6 可访问比例",
    "note": "说明",
}

HTTP_STATUS = {
    400: "请求错误", 401: "需要登录", 403: "禁止访问", 404: "页面不存在", 410: "页面已删除",
    500: "服务器内部错误", 502: "网关错误", 503: "服务不可用", 504: "网关超时",
}


def value_text(value: Any) -> str:
    """One evidence value as plain text (JSON for nested values, 是/否 for booleans)."""
    if value is None:
        return "无"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def evidence_pairs(evidence: dict | None) -> list[tuple[str, str]]:
    """Evidence as (Chinese key, text) pairs: known keys first, in a fixed order; each attached document a finding
    was read in as 附件 (name, page, quotation) and 附件地址 (its URL, a link in the HTML)."""
    evidence = evidence or {}
    known = [k for k in EVIDENCE_KEY if k in evidence]
    rest = [k for k in evidence if k not in EVIDENCE_KEY and k != "attachments"]
    return [(EVIDENCE_KEY.get(k, str(k)), value_text(evidence[k])) for k in known + rest] + \
        [pair for item in evidence.get("attachments") or () for pair in attachment_pairs(item)]


def attachment_pairs(item: Any) -> list[tuple[str, str]]:
    """One attached document as evidence: 「name」第 N 页：“quotation”, then its address."""
    if not isinstance(item, dict):
        return [("附件", value_text(item))]
    where = f"「{item.get('name') or ''}」" + (f"第 {item['page']} 页" if item.get("page") else "")
    quote = f"：“{item['quote']}”" if item.get("quote") else ""
    if item.get("ocr_confidence") is not None:  # read by OCR (--ocr): the scan may say otherwise
        quote += f"（文字识别，置信度 {item['ocr_confidence']}%）"
    return [("附件", where + quote)] + ([("附件地址", str(item["url"]))] if item.get("url") else [])


def evidence_text(evidence: dict | None) -> str:
    """Evidence as one line per key, for a spreadsheet cell."""
    return "\n".join(f"{k}：{v}" for k, v in evidence_pairs(evidence))


def error_text(evidence: dict | None) -> str:
    """错误描述 of a dead link, from the HTTP status and/or the fetch error."""
    evidence = evidence or {}
    parts = []
    status = evidence.get("status")
    if status not in (None, ""):
        try:
            meaning = HTTP_STATUS.get(int(status))
        except (TypeError, ValueError):
            meaning = None
        parts.append(f"HTTP {status}" + (f"（{meaning}）" if meaning else ""))
    if evidence.get("error"):
        parts.append(str(evidence["error"]))
    return "；".join(parts)


def points_text(finding: Finding) -> str:
    """扣分 cell: the severity word for veto/advice, the number for a deduction."""
    if finding.severity == "deduct":
        return value_text(finding.points)
    return label(SEVERITIES, finding.severity)


def not_tested_line(item: NotTested) -> str:
    """「检测项：原因（说明）」, one line per not-tested entry."""
    return f"{item.rule or WHOLE_SITE}：{item.reason_label}" + (f"（{item.detail}）" if item.detail else "")


def local_time(value: datetime) -> datetime:
    """A datetime as people here read it: local wall-clock time, no offset, whole seconds (Excel knows no time
    zones; the store keeps aware datetimes)."""
    if value.tzinfo is not None:
        value = value.astimezone().replace(tzinfo=None)
    return value.replace(microsecond=0)


def when_text(value: date | datetime | None) -> str:
    """A date or a time for a page: 2026-11-20, or 2026-11-20 10:00 (local time); — when unknown."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return local_time(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()
