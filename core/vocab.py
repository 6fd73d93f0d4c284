"""The closed vocabularies gkaudit speaks, each with the Chinese words users read, in one place.

Distinct things get distinct names: a finding's kind is not a scheduled job's kind, a site's level is not a
severity. Reports, the command line and the checks all take their labels from here.
"""
from __future__ import annotations

# What kind of problem a finding is (design.md's closed vocabulary): 问题类型. Dict order is the order of the
# 问题类型 groups inside one severity in the 整改清单.
FINDING_KINDS = {
    "site-unreachable": "网站无法访问",
    "homepage-stale": "首页不更新",
    "column-missing": "栏目缺失",
    "column-stale": "栏目不更新",
    "column-blank": "空白栏目",
    "item-missing": "应公开信息缺失",
    "item-late": "信息公开不及时",
    "attachment-missing": "附件缺失",
    "guide-incomplete": "办事指南要素缺失",
    "identifier-missing": "网站标识缺失",
    "entrance-missing": "功能入口缺失",
    "link-broken": "链接不可用",
    "metadata-missing": "网页元数据缺失",
    "content-scripted": "内容依赖脚本生成",  # content only a browser running the page's scripts shows (GUIDE-13)
    "accessibility": "无障碍可访问性问题",  # axe-core's WCAG results by GB/T 37668 clause (GUIDE-12a)
    "popup-cover": "浮层遮挡页面",  # a pop-up or advertisement covering the homepage at first visit (GUIDE-12b)
    "wording-error": "表述错误",
    "illegal-content": "违法内容和暗链",  # advertising or hidden links a hacker injected (GWS-V1c/d)
    "date-suspect": "发稿日期存疑",  # a publish date after the crawl, or rewritten between audits (GWS-V1e1/e2)
    "interaction-unanswered": "互动回应差",
    "privacy-leak": "泄露个人信息",
    "notice-short": "公示期不足",  # a 公示 whose stated period is shorter than required (EIA-03b, EIA-04)
    "https-problem": "HTTPS 问题",  # certificate, redirect, mixed content, HSTS (GUIDE-14a/b)
    "ipv6-unsupported": "IPv6 支持不足",  # no AAAA, homepage or links not reachable over IPv6 (GUIDE-10)
}

# How much a finding weighs, most serious first (the order of the 整改清单's sections and of --fail-on).
SEVERITIES = {"veto": "单项否决", "deduct": "扣分", "advice": "提示"}
SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}

# A site's result in one run.
VERDICTS = {"pass": "合格", "fail": "不合格", "not_tested": "未检测"}

# Where a finding stands against earlier runs (fixed: it was found before and is gone now).
FINDING_STATUSES = {"new": "新发现", "open": "未整改", "reopened": "再次出现", "fixed": "已整改", "waived": "已豁免"}

# Why a rule (or a whole site) could not be judged.
NOT_TESTED_REASONS = {
    "blocked": "被反爬虫拦截",
    "unreachable": "无法访问",
    "moved": "首页跳转到其他网站",
    "robots": "robots.txt 禁止抓取",
    "timeout": "超时",
    "budget": "超出抓取预算",
    "interrupted": "抓取中断",
    "exempt": "已报备豁免",
    "attachment": "内容在附件中，未检查",
    "scanned": "附件为扫描件，无文字层",
    "unverified": "链接无法验证",
    "probes": "可用性监测样本不足",
    "no_evidence": "页面未显示判断所需的信息",  # e.g. no 留言时间/回复时间, no 公示期 stated
    "not_probed": "未进行网络检测",  # crawl option network off, or a crawl that stopped before its probes
    "no_https": "网站未启用 HTTPS",  # nothing to judge of a certificate; a finding only where HTTPS is required
    "no_ipv6_route": "审计主机无 IPv6 路由",  # the site has AAAA records the auditing host cannot reach
    "ip_address": "网址是 IP 地址，无域名可解析",
    "dns": "域名解析失败",
    "not_rendered": "页面内容由脚本生成，未能渲染",  # crawl option render off, no chromium, or render budget spent
    "not_browser_checked": "未能在浏览器中做无障碍自动检测",  # render off, no chromium, or the page's run failed
}

# A site's administrative level (sites file `level:`); rules apply per level.
SITE_LEVELS = {"province": "省级", "city": "市级", "county": "县级"}
# Every word a user may write for a level, in a sites file, a register or --level: one vocabulary everywhere.
SITE_LEVEL_WORDS = {**{key: key for key in SITE_LEVELS}, **{word: key for key, word in SITE_LEVELS.items()},
                    "省": "province", "市": "city", "地市级": "city", "县": "county", "区县": "county",
                    "区县级": "county", "区级": "county", "区": "county"}
SITE_LEVEL_HINT = "省级/市级/县级/区县（或 province/city/county）"


def site_level(word) -> str | None:
    """The level key of what a user wrote (省级, 区县, City…), None when it is not a level."""
    return SITE_LEVEL_WORDS.get(str(word).strip().lower()) if word is not None else None


# The state of a stored run.
RUN_STATUSES = {"running": "进行中", "complete": "完成", "incomplete": "未完成"}

# Why a run ended (run.finish_reason): Scrapy's own reasons, then gkaudit's. Only `finished` is complete; a run
# whose judging or reports failed is not (its crawl is kept: `gkaudit audit --resume RUN` writes them again).
FINISH_REASONS = {
    "finished": "已完成",
    "shutdown": "已中断（Ctrl-C 或 SIGTERM）",
    "cancelled": "已取消",
    "store_error": "数据库写入失败",
    "abandoned": "进程意外退出",
    "judge_error": "检查出错",
    "report_error": "报告写入失败",
    "freshness": "更新检查（不评判）",
    "unknown": "原因不明",
    "closespider_timeout": "达到时间上限",
    "closespider_pagecount": "达到页面上限",
    "closespider_itemcount": "达到条目上限",
    "closespider_errorcount": "错误过多",
}
REPORT_FAILURES = ("judge_error", "report_error")

# How firm a rule's wording and threshold are (requirements.md's evidence tags, `evidence:` of a rule).
EVIDENCE_TAGS = {"V": "原文核实：依据原文已读到", "P": "转述：所读文本不全或为转载",
                 "R": "未核实：未找到原文，阈值可配置", "I": "建议做法：不是规定"}

# Where an item of the rectification ledger (整改台账) stands; 逾期 is computed (open past its deadline).
LEDGER_STATUSES = {"open": "待整改", "feedback_received": "已整改待复查", "closed": "已销号", "waived": "已豁免",
                   "disputed": "误报申诉中"}
OVERDUE = "逾期"

# What happened to a ledger item (全过程留痕), in the words of its timeline.
LEDGER_EVENTS = {
    "detected": "检测发现",
    "reminded": "已提醒",
    "feedback": "反馈已整改",
    "recheck_queued": "已申请复查",
    "recheck_passed": "复查通过，销号",
    "recheck_failed": "复查未通过，仍未整改",
    "disputed": "误报申诉",
    "dispute_accepted": "申诉成立，豁免",
    "dispute_rejected": "申诉驳回",
    "waived": "豁免",
    "waiver_revoked": "撤销豁免，恢复待整改",
    "reopened": "再次出现",
    "recheck_incomplete": "复查未完成（未能访问或被拦截），稍后重试",
    "comment": "留言",
}

# What a scheduled job does (schedules file `kind:`).
JOB_KINDS = {"audit": "全面检查", "freshness": "更新检查", "probe": "可用性监测"}

# What a web account may do (gkaudit serve, gkaudit users); gkaudit/web/policy.py says which role does what.
ROLES = {"admin": "管理员", "supervisor": "监管员", "webmaster": "网站管理员", "readonly": "只读"}

# What the audit log records (table auditlog): who did what to whom.
AUDIT_ACTIONS = {"login": "登录", "login_failed": "登录失败", "login_throttled": "登录被限制", "logout": "退出登录",
                 "user_add": "添加用户", "user_disable": "停用用户", "item_feedback": "反馈已整改",
                 "item_dispute": "误报申诉", "item_decide": "裁决申诉", "item_waive": "豁免问题",
                 "item_comment": "留言", "recheck_now": "立即复查", "job_run_now": "立即运行定时任务",
                 "token_add": "创建 API 令牌", "token_revoke": "吊销 API 令牌"}

# Answers that mean "we could not verify" (a WAF, a login, rate limiting), never "broken" or "down".
BLOCKING_STATUSES = {401: "需要登录", 403: "拒绝访问", 412: "前置条件拦截", 429: "请求过多", 521: "反爬虫验证"}


def label(vocabulary: dict, key) -> str:
    """The Chinese word for a key; the key itself when the vocabulary grew before its labels did; '' for None."""
    if key is None:
        return ""
    return vocabulary.get(key, str(key))
