"""A realistic judged run, typed as the checks return it: one failing site (veto), one passing with deductions,
one not tested."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

from checks.result import (
    AuditResult,
    Counts,
    Finding,
    HistoryPoint,
    NotTested,
    ResolvedFinding,
    RuleInfo,
    RunInfo,
    SiteVerdict,
    rank,
    supervisor_groups,
)

BASIS_DEDUCT = "国办秘函〔2019〕19号 扣分指标"
BASIS_VETO = "国办秘函〔2019〕19号 单项否决·空白栏目"
T0 = datetime(2026, 11, 20, 10, 0, 0)
T0_TEXT = "2026-11-20T10:00:00"  # as the checks write it into evidence
CST = timezone(timedelta(hours=8))
# An aware time, as the store keeps them: reports show it in local time (Excel has no time zones).
AWARE = datetime(2026, 11, 19, 21, 30, 15, 123456, tzinfo=CST)
SNAPSHOT = "ab" * 20  # digest of the stored HTML one finding rests on
SNAPSHOT_HTML = "<html><body>江南省生态环境厅 首页</body></html>".encode()

FAIL = SiteVerdict(
    site="sthjt-trs", name="江南省生态环境厅", url="http://127.0.0.2:8808/", level="province",
    site_id_code="3200000001", supervisor="江南省政府办公厅", verdict="fail", score=58.0,
    counts=Counts(veto=1, deduct=4, advice=1, new=4, waived=1),
    not_tested=(NotTested("GWS-V4a", "robots", "robots.txt 禁止抓取 /xxgk/"),),
    pages=37, resolved=2,
    # run 2 could not audit the site: a gap in the trend
    history=(HistoryPoint(1, "pass", 86.0), HistoryPoint(2, "not_tested", None)),
)
NOT_TESTED = SiteVerdict(
    site="hbj-county", name="江南省某县生态环境分局", url="http://127.0.0.4:8808/", level="county",
    site_id_code=None, supervisor=None, verdict="not_tested", score=None, counts=Counts(),
    not_tested=(NotTested(None, "blocked", "首页返回 521 加速乐验证页"),), pages=1, resolved=0,
    history=(HistoryPoint(2, "pass", 80.5),),
)
PASS = SiteVerdict(
    site="hbj-city", name="江南省某市生态环境局", url="http://127.0.0.3:8808/", level="city",
    site_id_code="3201000002", supervisor=None, verdict="pass", score=93.0,
    counts=Counts(veto=0, deduct=2, advice=1, new=3, waived=0), not_tested=(), pages=52, resolved=0,
    history=(HistoryPoint(1, "fail", 55.0), HistoryPoint(2, "pass", 90.0)),
)


def fid(site, rule, url) -> str:
    return hashlib.sha1(f"{site}\x1f{rule}\x1f{url}".encode()).hexdigest()[:16]


def finding(site, rule, kind, title, severity, url, message, evidence, points=0.0, parent_url=None,
            deadline=date(2026, 12, 20), status="new", basis=BASIS_DEDUCT, found_at=T0, snapshot=None) -> Finding:
    first_seen = {"new": T0, "open": datetime(2026, 10, 20, 10)}.get(status, datetime(2026, 9, 20, 10))
    return Finding(
        id=fid(site, rule, url), site=site, rule=rule, title=title, kind=kind, severity=severity, url=url,
        parent_url=parent_url, message=message, evidence=evidence, points=points, fix=f"请整改：{title}",
        basis=basis, deadline=deadline, found_at=found_at, status=status, first_seen=first_seen, snapshot=snapshot)


F = "http://127.0.0.2:8808/"
P = "http://127.0.0.3:8808/"
FINDINGS = (
    # The checks' order is deliberately not the report order: advice first, veto in the middle.
    finding("sthjt-trs", "GWS-META", "metadata-missing", "元数据缺失", "advice", F + "202611/t20261101_1.html",
            "文章页缺少 PubDate 元数据", {"fetched_at": T0_TEXT}, status="open"),
    finding("sthjt-trs", "GWS-DLINK", "link-broken", "链接不可用", "deduct", F + "missing.html",
            "首页链接「政务服务」无法访问（HTTP 404）",
            {"status": 404, "anchor": "政务服务", "fetched_at": T0_TEXT}, points=1.0, parent_url=F, found_at=AWARE),
    finding("sthjt-trs", "GWS-D3", "column-stale", "栏目不更新", "deduct", F + "tzgg/",
            "栏目「通知公告」172 天未更新",
            {"column_name": "通知公告", "newest_date": "2026-06-01", "days": 172,
             "published_source": "meta:PubDate", "fetched_at": T0_TEXT}, points=5.0, status="reopened"),
    finding("sthjt-trs", "GWS-V4a", "column-blank", "空白栏目", "veto", F + "zdxm/",
            "栏目「重大项目」为空白栏目", {"column_name": "重大项目", "items": 0, "fetched_at": T0_TEXT},
            basis=BASIS_VETO, deadline=date(2026, 11, 27)),
    finding("sthjt-trs", "GWS-WORD", "wording-error", "表述错误", "deduct", F + "202610/t20261012_9.html",
            '页面出现 <script>alert(1)</script> 及错误表述「环境保户」',
            {"snippet": '<img src=x onerror=alert(2)>环境保户', "fetched_at": T0_TEXT}, points=2.0),
    finding("sthjt-trs", "GWS-DLINK", "link-broken", "链接不可用", "deduct", F + "old/list.html",
            "栏目页链接无法访问（HTTP 500）",
            {"status": 500, "anchor": '=HYPERLINK("http://evil.example/","点击")', "fetched_at": T0_TEXT},
            points=1.0, parent_url=F + "zwgk/"),
    finding("hbj-city", "GWS-D7", "entrance-missing", "找错入口缺失", "deduct", P,
            "首页未设置「我为政府网站找错」入口", {"fetched_at": T0_TEXT}, points=5.0, parent_url="javascript:void(0)"),
    finding("hbj-city", "GWS-ID", "identifier-missing", "标识缺失", "deduct", P,
            "页脚缺少公安机关备案标识", {"fetched_at": T0_TEXT, "footer": "版权所有 江南省某市生态环境局"}, points=2.0),
    finding("hbj-city", "GUIDE-12", "guide-incomplete", "指南要素不全", "advice", P + "xxgk/zn/",
            "政府信息公开指南缺少「传真号码」", {"fetched_at": T0_TEXT, "missing": ["传真号码"]}, deadline=None,
            found_at=date(2026, 11, 20)),
    # waived (gkaudit waive): listed as 已豁免, not scored, not counted
    finding("sthjt-trs", "GUIDE-05", "identifier-missing", "网站标识缺失", "deduct", F,
            "页脚缺少公安机关备案标识", {"fetched_at": T0_TEXT, "identifier": "公安备案"}, status="waived",
            snapshot=SNAPSHOT),
)

# Findings of the previous audit that are gone now.
RESOLVED = (
    ResolvedFinding(fid("sthjt-trs", "GWS-D4", F + "zcwj/"), "sthjt-trs", "GWS-D4", "column-missing", F + "zcwj/",
                    "缺少「政策文件」栏目", datetime(2026, 9, 20, 10)),
    ResolvedFinding(fid("sthjt-trs", "GWS-DLINK", F + "old/<b>x</b>.html"), "sthjt-trs", "GWS-DLINK", "link-broken",
                    F + "old/<b>x</b>.html", "首页链接「<b>旧版</b>」无法访问（HTTP 404）", AWARE),
)


def _rule(id, title, kind, severity, basis=BASIS_DEDUCT, evidence="V", levels=("province", "city", "county")):
    return RuleInfo(id, title, kind, severity, f"{title}影响政务公开质量", f"请整改：{title}", basis, evidence, levels)


# The rules judged (GWS-D4 and GUIDE-06 have no finding this run).
RULES = (
    _rule("GWS-V4a", "空白栏目", "column-blank", "veto", basis=BASIS_VETO),
    _rule("GWS-D3", "栏目不更新", "column-stale", "deduct"),
    _rule("GWS-D4", "栏目缺失", "column-missing", "deduct"),
    _rule("GWS-DLINK", "链接不可用", "link-broken", "deduct"),
    _rule("GWS-WORD", "表述错误", "wording-error", "deduct"),
    _rule("GWS-META", "元数据缺失", "metadata-missing", "advice", evidence="P"),
    _rule("GWS-D7", "找错入口缺失", "entrance-missing", "deduct"),
    _rule("GWS-ID", "标识缺失", "identifier-missing", "deduct"),
    _rule("GUIDE-05", "网站标识缺失", "identifier-missing", "deduct"),
    _rule("GUIDE-06", "党政机关网站标识", "identifier-missing", "deduct"),
    _rule("GUIDE-12", "指南要素不全", "guide-incomplete", "advice"),
)

SITES = (FAIL, NOT_TESTED, PASS)  # not in rank order on purpose


def make_result(complete: bool = True, sites=SITES, findings=FINDINGS, resolved=RESOLVED, rules=RULES) -> AuditResult:
    """The run as checks.engine.judge() would return it: ranks and supervisor groups from checks.result."""
    ranks = rank(list(sites))
    sites = [replace(s, rank=ranks.get(s.site)) for s in sites]
    return AuditResult(
        as_of=date(2026, 11, 20), generated_at=T0.astimezone(),  # local and aware, like core.clock.now()
        run=RunInfo(3, datetime(2026, 11, 20, 8, 0), datetime(2026, 11, 20, 9, 40), complete),
        sites=tuple(sites), findings=tuple(findings), resolved=tuple(resolved), rules=tuple(rules),
        groups=tuple(supervisor_groups(sites)))


def load_snapshots(hashes: set[str]) -> dict[str, bytes]:
    return {h: SNAPSHOT_HTML for h in hashes if h == SNAPSHOT}


def unsupervised(result: AuditResult) -> AuditResult:
    """The same run with no site naming a 主管单位."""
    return make_result(sites=[replace(s, supervisor=None) for s in result.sites], findings=result.findings,
                       resolved=result.resolved, rules=result.rules)


def records(ws, max_row=None):
    """The sheet's first table (it ends at the first empty row: a legend may follow)."""
    header = [c.value for c in ws[1]]
    rows = []
    for row in ws.iter_rows(min_row=2, max_row=max_row, values_only=True):
        if not any(v is not None for v in row):
            break
        rows.append(dict(zip(header, row)))
    return header, rows
