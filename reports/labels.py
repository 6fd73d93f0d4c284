"""The words and forms of the human reports: the 整改清单 columns, evidence keys in Chinese, error and point
texts, how dates and times read.

Kept in one place so the HTML, XLSX and DOCX writers say the same thing. The vocabularies' labels (verdicts,
severities, statuses, kinds, not-tested reasons, site levels) are core.vocab's, read through the result's
label properties.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from checks.result import Finding, NotTested
from core.columns import column_label
from core.vocab import SEVERITIES, label

# 整改清单 columns, in the order observed in real evaluations (design.md, spec §8.4).
COLUMNS = [
    "序号", "网站名称", "网站标识码", "问题类型", "问题描述", "问题页面", "证据",
    "发现时间", "依据", "扣分", "整改要求", "整改时限", "状态",
]
PARENT_COLUMN = "父页面"
WHOLE_SITE = "整站"  # a not-tested entry without a rule: the whole site could not be checked

# Evidence keys in Chinese, shown in this order; keys not listed here are left out of what a bureau reads (the
# machine outputs, findings.json and SARIF, keep every key). tests/reports/test_plain_chinese.py fails when a
# check emits a key with no label.
EVIDENCE_KEY = {
    "status": "HTTP 状态",
    "error": "错误信息",
    "anchor": "链接文字",
    "column_name": "栏目名称",
    "column_type": "栏目类型",
    "newest_date": "最后更新日期",
    "days": "天数",
    "item": "应公开事项",
    "due": "公开期限",
    "published": "发布日期",
    "published_source": "日期来源",
    "source": "来源",
    "before": "此前的发布日期",
    "after": "现在的发布日期",
    "title": "页面标题",
    "page_title": "页面标题",
    "snippet": "页面原文",
    "term": "用词",
    "terms": "用词",
    "right": "正确表述",
    "category": "类别",
    "where": "位置",
    "target": "链接目标",
    "targets": "链接目标",
    "element": "页面位置",
    "how": "判断方法",
    "window_days": "统计期限（天）",
    "items": "信息条数",
    "undated_items": "未标注日期的条数",
    "articles_read": "读取的文章页数",
    "dated_by": "日期依据",
    "identifier": "缺少的标识",
    "homepage": "是否首页链接",
    "parent_title": "所在页面标题",
    "parents": "引用该链接的页面数",
    "pages_crawled": "已抓取页面数",
    "meta": "缺少的元数据",
    "page_kind": "页面类型",
    "pages": "页数",
    "min_pages": "最少页数",
    "page": "页码",
    "pages_lacking": "缺少该项的页面数",
    "missing": "缺少的项",
    "required": "应有项数",
    "documents": "文件类型",
    "missing_stage": "未找到的环节",
    "projects": "项目数",
    "written": "成文日期",
    "workdays": "相隔工作日",
    "max_workdays": "最多工作日",
    "calendar_exact": "按法定节假日计算",
    "accepted": "受理日期",
    "period_start": "公示开始日期",
    "period_end": "公示截止日期",
    "asked": "留言日期",
    "answered": "回复日期",
    "state": "办理状态",
    "months": "月数",
    "deadline": "答复期限",
    "economic": "支出经济分类科目",
    "function": "支出功能分类科目",
    "first_status": "首次访问状态",
    "confirmed": "已复核",
    "external": "外部链接",
    "fragment": "锚点",
    "search_url": "搜索地址",
    "jiucuo_sitecode": "找错入口的网站标识码",
    "site_id_code": "网站标识码",
    "probes": "监测次数",
    "failures": "无法访问次数",
    "ratio": "不可访问比例",
    "blocked": "被拦截次数",
    "newest_url": "最新信息页面",
    "examples": "示例",
    "attachment": "附件地址",
    "from_attachment": "取自附件的信息",
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
    "fetched_at": "抓取时间",
}
# Keys that only tie a finding to the tool's bookkeeping: never shown to a bureau.
INTERNAL_KEYS = {"counted_by", "previous_run", "previous_fetched_at", "snapshot", "attachments"}

# Coded values, in words.
VALUE_WORDS = {
    "dns": {"nodata": "无 AAAA 记录", "nxdomain": "域名不存在", "error": "查询失败", "ok": "有 AAAA 记录"},
    "state": {"replied": "已回复", "pending": "未回复", "dated": "已回复", "invalid": "无效留言"},
    "dated_by": {"articles": "栏目列表未标注日期，按文章页的发布日期"},
}
DATE_SOURCES = {"meta": "网页元数据", "url": "网址中的日期", "text": "页面文字", "list": "栏目列表", "body": "正文",
                "text-indent": "页面文字"}
TLS_REASONS = {"expired": "已过期", "not_yet_valid": "尚未生效", "untrusted": "不受信任", "hostname": "与网站域名不符",
               "protocol": "只支持已淘汰的 TLS 协议", "other": "无效"}
HTML_TAGS = {"script": "脚本", "iframe": "框架", "frame": "框架", "embed": "插件", "object": "插件", "img": "图片",
             "source": "媒体", "video": "媒体", "audio": "媒体", "track": "媒体", "css": "样式中的图片或字体",
             "link": "样式表"}
CODE_LEVELS = {3: "类", 5: "款", 7: "项"}

HTTP_STATUS = {
    400: "请求错误", 401: "需要登录", 403: "禁止访问", 404: "页面不存在", 410: "页面已删除",
    500: "服务器内部错误", 502: "网关错误", 503: "服务不可用", 504: "网关超时",
}


def value_text(value: Any) -> str:
    """One evidence value as plain text: lists joined with 、, mappings as 「名称：值」 pairs, 是/否 for booleans."""
    if value is None:
        return "无"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple, set)):
        return "、".join(value_text(v) for v in value) or "无"
    if isinstance(value, dict):
        return "；".join(f"{EVIDENCE_KEY.get(k, '')}{'：' if k in EVIDENCE_KEY else ''}{value_text(v)}"
                        for k, v in value.items() if k not in INTERNAL_KEYS)
    return str(value)


def _date_source(value: Any) -> str:
    kind, _, name = str(value).partition(":")
    words = DATE_SOURCES.get(kind)
    if words is None:
        return str(value)
    return f"{words} {name}" if kind == "meta" and name else words


def _personal(items: list) -> str:
    """[{type, masked, …}] → 「身份证号码 2 条（329001********0030、…）」."""
    by_type: dict[str, list[str]] = {}
    for item in items:
        if isinstance(item, dict):
            by_type.setdefault(str(item.get("type") or "个人信息"), []).append(str(item.get("masked") or ""))
    return "；".join(f"{kind} {len(masked)} 条（{'、'.join(m for m in masked if m)}）" if any(masked)
                    else f"{kind} {len(masked)} 条" for kind, masked in by_type.items())


def _example(item: Any) -> str:
    """One entry of 示例: a URL, a project and its stages, a failed IPv6 page, an http:// resource."""
    if not isinstance(item, dict):
        return value_text(item)
    if "project" in item:
        name = f"“{item['project']}”" if item.get("project") else "未写明项目名称的公示"
        shown = "、".join(item.get("stages") or {}) or "无"
        due = f"，本环节应于 {item['due']} 前公开" if item.get("due") else ""
        return f"{name}已公开{shown}{due}"
    if "resource" in item:
        return f"{item.get('page')} 以 http:// 加载{HTML_TAGS.get(item.get('tag'), '资源')} {item['resource']}"
    if "answer" in item:
        return f"{item.get('url')}（{item['answer']}）"
    return value_text(item)


def _codes(value: Any) -> str:
    """budget codes {max_digits, required_digits, example, count} → a sentence."""
    if not isinstance(value, dict):
        return value_text(value)
    most, need = value.get("max_digits"), value.get("required_digits")
    text = f"最细到{CODE_LEVELS.get(most, '')}级（{most} 位编码" + (f"，如 {value['example']}" if value.get("example") else "") + "）"
    return text + (f"，应到{CODE_LEVELS.get(need, '')}级（{need} 位编码）" if need else "")


def _ipv6_home(value: Any) -> str:
    if not isinstance(value, dict):
        return value_text(value)
    said = f"HTTP {value['status']}" if value.get("status") is not None else (value.get("error") or "无应答")
    return f"{value.get('url') or ''}（{said}）".strip()


def evidence_value(key: str, value: Any) -> str:
    """An evidence value as a webmaster reads it."""
    if key in VALUE_WORDS and isinstance(value, str):
        return VALUE_WORDS[key].get(value, value)
    if key == "column_type":
        return "、".join(_column(v) for v in (value if isinstance(value, list) else [value]))
    if key in ("published_source", "source") and isinstance(value, str) and ":" in value:
        return _date_source(value)
    if key == "items" and isinstance(value, list):
        return _personal(value)
    if key == "examples" and isinstance(value, list):
        return "；".join(_example(v) for v in value)
    if key in ("economic", "function"):
        return _codes(value)
    if key == "home":
        return _ipv6_home(value)
    if key == "reason":
        return TLS_REASONS.get(value, value_text(value))
    if key == "fetched_at" and isinstance(value, str):
        try:
            return when_text(datetime.fromisoformat(value))
        except ValueError:
            return value
    if key == "from_attachment" and isinstance(value, list):
        return "、".join(EVIDENCE_KEY.get(v, "其他") for v in value)
    if key == "ratio" or key == "share":
        try:
            return f"{float(value):.0%}"
        except (TypeError, ValueError):
            return value_text(value)
    return value_text(value)


def _column(key: Any) -> str:
    try:
        return column_label(str(key))
    except KeyError:
        return "其他栏目"


def evidence_label(key: str, value: Any, evidence: dict | None = None) -> str:
    if key == "items" and isinstance(value, list):
        return "个人信息"
    evidence = evidence or {}
    if key == "days":
        if "newest_date" in evidence:
            return "未更新天数"
        if "asked" in evidence:
            return "留言后天数"
    if key == "required" and "workdays" in evidence:
        return "应有工作日"
    if key == "pages" and "pages_lacking" in evidence:
        return "检查的页面数"
    return EVIDENCE_KEY[key]


def evidence_pairs(evidence: dict | None) -> list[tuple[str, str]]:
    """Evidence as (Chinese label, text) pairs in a fixed order, keys without a label left out; each attached
    document a finding was read in as 附件 (name, page, quotation) and 附件地址 (its URL, a link in the HTML)."""
    evidence = evidence or {}
    known = [k for k in EVIDENCE_KEY if k in evidence and evidence[k] not in (None, "", [], {})]
    return [(evidence_label(k, evidence[k], evidence), evidence_value(k, evidence[k])) for k in known] + \
        [pair for item in evidence.get("attachments") or () for pair in attachment_pairs(item)]


def attachment_pairs(item: Any) -> list[tuple[str, str]]:
    """One attached document as evidence: “name”第 N 页：“quotation”, then its address."""
    if not isinstance(item, dict):
        return [("附件", value_text(item))]
    where = f"“{item.get('name') or ''}”" + (f"第 {item['page']} 页" if item.get("page") else "")
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


def not_tested_line(item: NotTested, titles: dict[str, str] | None = None) -> str:
    """「检测项：原因（说明）」, one line per not-tested entry; with titles (rule id → title), the rule's title first."""
    what = item.rule or WHOLE_SITE
    if item.rule and (titles or {}).get(item.rule):
        what = f"{titles[item.rule]}（{item.rule}）"
    return f"{what}：{item.reason_label}" + (f"（{item.detail}）" if item.detail else "")


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


def day(value: date | datetime | None) -> date | None:
    """The calendar day of a date or a time (local time), for 发现时间 and 首次发现."""
    if isinstance(value, datetime):
        return local_time(value).date()
    return value
