"""The closed vocabulary of finding kinds (design.md), with the Chinese 问题类型 shown to users."""

KINDS = {
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
    "wording-error": "表述错误",
    "interaction-unanswered": "互动回应差",
    "privacy-leak": "泄露个人信息",
    "notice-short": "公示期不足",  # a 公示 whose stated period is shorter than required (EIA-03b, EIA-04)
}

SEVERITIES = {"veto": "单项否决", "deduct": "扣分", "advice": "提示"}

NOT_TESTED_REASONS = {
    "blocked": "被反爬虫拦截",
    "unreachable": "无法访问",
    "robots": "robots.txt 禁止抓取",
    "timeout": "超时",
    "budget": "超出抓取预算",
    "interrupted": "抓取中断",
    "exempt": "已报备豁免",
    "attachment": "内容在附件中，未检查",
    "unverified": "链接无法验证",
    "probes": "可用性监测样本不足",
    "no_evidence": "页面未显示判断所需的信息",  # e.g. no 留言时间/回复时间, no 公示期 stated
}
