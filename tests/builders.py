"""A stored run of one site, built by hand: judging tests need no crawl and no network."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session

from checks.engine import judge
from checks.rules import load_rules
from core.clock import now
from core.resources import RULES_DIR
from store import connect
from store.models import ColumnItem, Link, Page, ProbeSample, Run, SiteColumn, SiteNetwork, SiteRun

AS_OF = date(2026, 11, 20)
BASE = "http://127.0.0.9/"
FOOTER = {"site_id_code": "3200000001", "icp": "苏ICP备12345678号", "police_record": "32010202000001",
          "conac": True, "jiucuo_sitecode": "3200000001"}
ALL_COLUMNS = ["工作动态", "通知公告", "政策文件", "政府信息公开", "政府信息公开指南", "政府信息公开制度",
               "政府信息公开年报", "法定主动公开内容",
               # the other columns a compliant ecology bureau has (GWS-D4, GWS-V5a, GWS-D6, OGI-20, ENV-05)
               "政策解读", "机构概况", "机构职能", "领导信息", "领导信箱", "留言选登", "留言统计", "规划计划", "环评审批",
               "财政预决算", "政府采购", "应急管理", "监督检查", "行政处罚"]
TYPES = {"工作动态": "work_news", "通知公告": "notices", "政策文件": "policy_docs", "政府信息公开": "ogi",
         "政府信息公开指南": "ogi_guide", "政府信息公开制度": "ogi_rules", "政府信息公开年报": "ogi_annual_report",
         "法定主动公开内容": "ogi_statutory", "政策解读": "policy_interpretation", "机构概况": "overview",
         "机构职能": "functions", "领导信息": "leaders", "领导信箱": "interaction", "留言选登": "messages",
         "留言统计": "message_stats", "规划计划": "planning", "环评审批": "eia", "财政预决算": "budget",
         "政府采购": "procurement", "应急管理": "emergency", "监督检查": "inspection", "行政处罚": "penalties",
         "环境监测": "env_monitoring", "办件统计": "service_stats", "建议提案办理": "proposals"}


def network(**changes) -> dict:
    """The SiteNetwork row of a site with valid HTTPS (http:// redirects, HSTS) and full IPv6 (GUIDE-14, GUIDE-10),
    probed on the audit date; `changes` replace fields."""
    probed = datetime(2026, 11, 20, 9, 0).astimezone()
    https = BASE.replace("http://", "https://")
    return {"probed_at": probed, "https_url": https, "tls": "valid", "cert_not_after": probed + timedelta(days=200),
            "cert_subject": "127.0.0.9", "cert_issuer": "测试 CA", "http_url": BASE, "http_redirect": https,
            "hsts": "max-age=31536000", "host": "sthjj.example.gov.cn", "aaaa": ["2001:db8::9"], "dns": "ok",
            "nameserver": "system", "ipv6_route": True, "ipv6_source": "2001:db8::1",
            "ipv6_home": {"url": https, "address": "2001:db8::9", "status": 200, "error": None},
            "ipv6_links": [{"url": f"{https}col{i}/index.html", "address": "2001:db8::9", "status": 200, "error": None,
                            "depth": 1} for i in range(4)]} | changes


def message(title: str, asked: date, answered: date | None = None, state: str | None = None, **more) -> dict:
    """One message as crawler/facts/interaction.py records it (page.extra["messages"])."""
    return {"asked": asked.isoformat(), "answered": answered.isoformat() if answered else None,
            "state": state or ("replied" if answered else "pending"), "title": title,
            "source": "table:来信时间|回复时间", "snippet": title} | more


def notice(period: tuple[date, date] | None = None, *, days: int | None = None, unit: str = "工作日",
           accepted: list[date] | None = None, hearing: bool = False, documents: list[str] | None = None) -> dict:
    """A 公示's own statements as crawler/facts/notices.py records them (page.extra["notice"])."""
    out: dict = {}
    if period:
        out["period"] = {"start": period[0].isoformat(), "end": period[1].isoformat(), "label": "公示期",
                         "snippet": f"公示期为{period[0]:%Y年%m月%d日}至{period[1]:%Y年%m月%d日}"}
    if days:
        out["days"] = {"n": days, "unit": unit, "snippet": f"公示期为{days}个{unit}"}
    if accepted:
        out["accepted"] = [d.isoformat() for d in accepted]
    if hearing:
        out["hearing"] = "自公示之日起5个工作日内，申请人、利害关系人可以要求听证"
    if documents:
        out["documents"] = documents
    return out


def budget_codes(function: int | None = 7, economic: int | None = 5) -> dict:
    """A 预决算 page's table codes as crawler/facts/budget.py records them (page.extra["budget_codes"])."""
    examples = {3: ("211", "301"), 5: ("21101", "30101"), 7: ("2110101", None)}
    out = {}
    if function:
        out["function"] = {"max_digits": function, "count": 12, "example": examples[function][0]}
    if economic:
        out["economic"] = {"max_digits": economic, "count": 20, "example": examples[economic][1]}
    return out


class SiteBuilder:
    """A stored run of one site: a complete, fresh, compliant site unless a test changes it."""

    def __init__(self, tmp_path=None, level="city", db_url=None):
        self.engine = connect(db_url or f"sqlite:///{tmp_path / 'c.db'}")
        self.level, self.finished, self.budget, self.settings = level, True, False, None
        self.home = dict(FOOTER, extra={"care_entrance": {"label": "无障碍", "tag": "a"},  # GUIDE-12
                                        "a11y": {"violations": [], "popups": []}})  # GUIDE-12a/b, checked in chromium
        self.home_status, self.challenge, self.home_title = 200, None, "首页"
        self.columns = {name: date(2026, 11, 18) for name in ALL_COLUMNS}
        self.column_items = {name: 3 for name in ALL_COLUMNS}
        self.types = dict(TYPES)
        self.annual_reports = {"测试局2025年政府信息公开工作年度报告": date(2026, 1, 20)}
        self.budgets = {"测试局2026年部门预算": date(2026, 3, 20), "测试局2025年度部门决算": date(2026, 8, 20)}
        self.items: dict[str, date] = {}  # more list items (title → date), e.g. 环评 公示
        # page.extra of column list pages (column name → facts): 留言选登 shows its messages' dates (GWS-V5b)
        self.column_extra: dict[str, dict] = {"留言选登": {"messages": [
            message("关于小区夜间施工噪声的咨询", date(2026, 11, 3), date(2026, 11, 10))]}}
        self.extra_pages: list[dict] = []
        self.list_items: list[dict] = []  # more ColumnItem rows (column_url, title, url, date)
        self.probes: list[dict] = [{"at_day": d, "ok": True} for d in range(7) for _ in range(20)]  # a good week
        self.links: list[tuple[str, str, str]] = [(BASE, f"{BASE}search.html", "站内搜索")]  # GUIDE-09
        self.network: dict | None = network()  # HTTPS and IPv6 as the probes saw them (None: not probed)

    def judge(self, rules_dir=RULES_DIR):
        with Session(self.engine) as s:
            run = Run(started_at=now(), as_of=AS_OF, status="complete" if self.finished else "incomplete")
            s.add(run)
            s.commit()
            s.add(SiteRun(run_id=run.id, site="s", name="测试局", url=BASE, level=self.level,
                          crawl_finished=self.finished, budget_exhausted=self.budget, settings=self.settings))
            fetched = now()
            s.add(Page(run_id=run.id, site="s", url=BASE, status=self.home_status, is_home=True, fetched_at=fetched,
                       challenge=self.challenge, title=self.home_title, encoding="utf-8",
                       meta_names=["SiteName", "SiteDomain", "SiteIDCode"], **self.home))
            for i, (name, newest) in enumerate(self.columns.items()):
                url = f"{BASE}col{i}/index.html"
                s.add(Page(run_id=run.id, site="s", url=url, status=200, fetched_at=fetched, column_name=name,
                           column_type=self.types.get(name), is_list=True, encoding="utf-8", meta_names=["ColumnName"],
                           extra=self.column_extra.get(name)))
                s.add(SiteColumn(run_id=run.id, site="s", url=url, name=name, column_type=self.types.get(name),
                                 item_count=self.column_items[name], newest_date=newest,
                                 undated_count=self.column_items[name] if newest is None else 0))
            for title, day in (self.annual_reports | self.budgets | self.items).items():
                s.add(ColumnItem(run_id=run.id, site="s", column_url=f"{BASE}col6/index.html", title=title,
                                 url=f"{BASE}ndbg/{day.isoformat()}.html", date=day))
            for i, probe in enumerate(self.probes):
                at = datetime(2026, 11, 20 - probe["at_day"], 8, 0) + timedelta(minutes=i % 600)
                s.add(ProbeSample(site="s", url=BASE, at=at.astimezone(), ok=probe["ok"],
                                  blocked=probe.get("blocked", False), error=None if probe["ok"] else "timeout"))
            self.probes = []  # probes are stored once, not per run
            for item in self.list_items:
                s.add(ColumnItem(run_id=run.id, site="s", **item))
            if self.network is not None:
                s.add(SiteNetwork(run_id=run.id, site="s", **self.network))
            for page in self.extra_pages:
                s.add(Page(run_id=run.id, site="s", fetched_at=fetched, **page))
            for src, dst, text, *rest in self.links:  # (page, target, text[, fragment[, tag[, internal]]])
                s.add(Link(run_id=run.id, site="s", page_url=src, target_url=dst, tag=rest[1] if len(rest) > 1 else "a",
                           text=text, fragment=rest[0] if rest else None, internal=rest[2] if len(rest) > 2 else True))
            s.commit()
            run_id = run.id
        return judge(self.engine, run_id, load_rules(rules_dir))


def found(result, rule=None):
    return [(f.rule, f.severity, f.url) for f in result.findings if rule is None or f.rule == rule]


def reasons(result):
    """(rule, reason) of every part of the site that was not tested."""
    return {(n.rule, n.reason) for n in result.sites[0].not_tested}


def not_tested(result, rule):
    return [n.reason for n in result.sites[0].not_tested if n.rule == rule]


# ---- pages and columns a test adds to the site

ARTICLE_META = ["ArticleTitle", "PubDate", "ContentSource"]


def article(url, **fields):
    """An HTML article page of the site (with the 网页设计规范 meta tags of an article)."""
    return {"url": f"{BASE}{url}", "status": 200, "encoding": "utf-8", "meta_names": ARTICLE_META} | fields


def col_url(site, name):
    """The URL of a column's list page as SiteBuilder.judge() stores it."""
    return f"{BASE}col{list(site.columns).index(name)}/index.html"


def add_column(site, name, newest, items=3):
    site.columns[name] = newest
    site.column_items[name] = items


# 三公 breakdown and explanation sections of a complete 部门预算/决算 (BUD-04, BUD-05)
SANGONG = ["因公出国（境）费", "公务用车购置费", "公务用车运行费", "公务接待费"]
SECTIONS = ["一、部门职责", "二、机构设置", "七、“三公”经费增减变化情况说明", "八、机关运行经费", "九、政府采购情况",
            "十、国有资产占有使用情况", "十一、预算绩效管理情况", "第四部分 名词解释"]

# the 受理情况公示 of an 环评 报告书 (EIA-02, EIA-03a/b, EIA-05, ENV-01)
ACCEPT = "关于青川化工项目环境影响报告书受理情况的公示"


def accept_notice(site, published, **facts):
    """The 受理情况公示 page, stating the facts notice() takes."""
    site.extra_pages.append(article("sl.html", title=ACCEPT, published=published, extra={"notice": notice(**facts)}))
