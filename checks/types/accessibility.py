"""accessibility: axe-core's automated WCAG 2.x checks of the homepage and a few 二级 pages, by GB/T 37668-2019
clause (GUIDE-12a)."""
from __future__ import annotations

import re
from datetime import date
from functools import cache

import yaml

from checks.base import CheckResult, CheckType, Hit
from checks.rule import Rule
from checks.snapshot import SiteSnapshot
from core.resources import CONFIG_DIR

ERRORS = {"timeout": "检测超时", "failed": "浏览器检测失败", "unavailable": "本机无法启动 chromium",
          "not-html": "页面不是网页", "status": "浏览器中页面未正常打开"}
_WCAG_TAG = re.compile(r"wcag(\d)(\d)(\d+)$")


@cache
def mapping() -> dict:
    """config/a11y.yaml: WCAG guideline → GB/T 37668-2019 clause, axe rule id → {wcag, topic}."""
    return yaml.safe_load((CONFIG_DIR / "a11y.yaml").read_text(encoding="utf-8"))


def describe(violation: dict) -> tuple[str, str, str]:
    """(topic, WCAG success criterion, GB/T 37668-2019 clause) of one axe result."""
    table = mapping()
    known = table["rules"].get(violation["id"])
    wcag = known["wcag"] if known else next(
        (".".join(m.groups()) for t in violation.get("wcag") or () if (m := _WCAG_TAG.match(t))), "")
    clause = table["clauses"].get(".".join(wcag.split(".")[:2]), "")
    return (known["topic"] if known else f"未通过 axe 规则 {violation['id']}"), wcag, clause


def checked_pages(snap: SiteSnapshot) -> list:
    """The pages the crawl checked in chromium (page.extra "a11y"), the homepage first."""
    home = snap.home.url if snap.home else None
    pages = [p for p in snap.ok_pages() if (p.extra or {}).get("a11y")]
    return sorted(pages, key=lambda p: (p.url != home, p.url))


NOT_RUN = "未开启无障碍检测 a11y: on，或渲染已关闭、本机未安装 chromium"


def untested(snap: SiteSnapshot, pages: list) -> list[tuple[str, str]]:
    """not_tested entries: no page checked at all (a11y off, render off, no chromium), or pages whose run failed."""
    if not pages:
        return [("not_browser_checked", f"首页未在浏览器中检测（{NOT_RUN}）")]
    failed = [p for p in pages if p.extra["a11y"].get("error")]
    if not failed:
        return []
    why = failed[0].extra["a11y"]["error"]
    return [("not_browser_checked", f"{len(failed)} 个页面未能完成检测：{ERRORS.get(why, why)}（如 {failed[0].url}）")]


class Accessibility(CheckType):
    """Under the crawl option `a11y: on` (off by default), the crawl opens the homepage and the pages of its first
    `a11y_pages` links to its own site (default 3) in headless chromium with their own style sheets, and runs
    axe-core's WCAG 2.0/2.1 A and AA rules (crawler/render/a11y.py; only with rendering on). Each failed axe rule on a page is one finding, named by its
    GB/T 37668-2019 clause, WCAG success criterion and axe rule id (config/a11y.yaml), with the number of elements
    and up to three examples (selector and markup). On the homepage the keyboard is tried too: Tab through its
    first 30 focus stops; `focus-visible` when a stop's element is hidden or looks the same focused and unfocused
    (WCAG 2.4.7), `keyboard-trap` when focus loops back before reaching every focusable element and Escape does not
    free it (WCAG 2.1.2). `ignore`: axe rule ids (and these two) not to report; `min_impact`: minor,
    moderate, serious or critical — results below it are not reported. Pages not checked are `not_tested`."""

    IMPACTS = ("minor", "moderate", "serious", "critical")

    def validate(self, params: dict) -> str | None:
        if params.get("min_impact", "minor") not in self.IMPACTS:
            return "params.min_impact 必须是 minor、moderate、serious 或 critical"
        if not isinstance(params.get("ignore", []), list):
            return "params.ignore 必须是 axe 规则编号的列表"
        return None

    def run(self, rule: Rule, snap: SiteSnapshot, as_of: date) -> CheckResult:
        pages = checked_pages(snap)
        result = CheckResult(not_tested=untested(snap, pages))
        ignore = set(rule.params.get("ignore", []))
        floor = self.IMPACTS.index(rule.params.get("min_impact", "minor"))
        home = snap.home.url if snap.home else None
        for page in pages:
            where = "首页" if page.url == home else f"「{page.title or page.url}」"
            for violation in page.extra["a11y"].get("violations") or ():
                impact = violation.get("impact")
                if violation["id"] in ignore or (impact in self.IMPACTS and self.IMPACTS.index(impact) < floor):
                    continue
                topic, wcag, clause = describe(violation)
                standard = f"GB/T 37668-2019 {clause}；" if clause else ""
                how = "Tab 键检测" if violation.get("source") == "keyboard" else f"axe 规则 {violation['id']}"
                result.hits.append(Hit(
                    page.url, f"{where}{topic}，共 {violation['count']} 处（{standard}WCAG {wcag or '2.x'}，{how}）",
                    {"clause": clause, "wcag": wcag, "axe_rule": violation["id"], "impact": impact,
                     "count": violation["count"], "examples": violation.get("examples") or [],
                     "title": page.title}, locator=f"a11y:{violation['id']}"))
        return result
