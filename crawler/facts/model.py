"""Page facts: what the crawler observes on one page, before any judgement.

These dataclasses are the contract between extraction (crawler/facts), the spider that stores
them, and `gkaudit inspect`. Dates are `datetime.date`; every date says how it was found.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Link:
    """One outgoing reference found on a page."""

    url: str  # absolute, fragment removed
    tag: str  # a, img, script, link, iframe, area, embed, object, form (its action), pagination, datastore
    text: str = ""  # anchor text, or alt/title for non-anchor elements
    fragment: str | None = None  # the '#fragment' part of the original href, if any


@dataclass
class ListItem:
    """One entry of a column's list page (a news item, a notice, a document)."""

    title: str
    url: str | None
    date: date | None  # None: undated (counts as not updated)
    date_source: str | None = None  # e.g. "text", "url:trs"


@dataclass
class PageFacts:
    url: str
    title: str | None = None
    encoding: str | None = None
    published: date | None = None
    published_source: str | None = None  # e.g. "meta:PubDate", "text:发布时间", "url:trs", "url:hanweb"
    site_id_code: str | None = None
    icp: str | None = None
    police_record: str | None = None  # 14 digits
    jiucuo_sitecode: str | None = None
    conac: bool = False
    column_name: str | None = None  # as written on the page
    column_type: str | None = None  # catalog key from config/columns.yaml, e.g. "work_news"
    is_list: bool = False  # the page lists items of a column
    list_items: list[ListItem] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    challenge: str | None = None  # anti-bot page detected: "jsl", "acw_sc__v2", "js-cookie"
    soft_404: bool = False  # a 200 page that says 页面不存在 / 404
    disagreements: list[str] = field(default_factory=list)  # e.g. "找错 sitecode 123 ≠ 网站标识码 456"
    written: date | None = None  # 成文日期 / 印发日期 when the page shows one (OGI-26: 20 working days to publish)
    meta_names: list[str] = field(default_factory=list)  # 网页设计规范 <meta name> tags present (non-empty), canonical spelling
    field_labels: list[str] = field(default_factory=list)  # labels of "标签：值" pairs in the content (事项名称, 办公地址 …)
    headings: list[str] = field(default_factory=list)  # section headings of the content (一、总体情况 …)
    personal_data: list[dict] = field(default_factory=list)  # {"type": "id_number"|"mobile", "masked", "snippet"}
    anchor_ids: list[str] = field(default_factory=list)  # id= and <a name=> values: what #fragment links can reach
    # {"term", "list": "outdated"|"serious", "snippet"} (+ "right", "category", "source", "since" when serious):
    # config/wording.yaml terms and the site's additions in content
    term_hits: list[dict] = field(default_factory=list)
    # Structured facts that need no column of their own (stored as page.extra JSON, read by the checks; keys and
    # rules in docs/page-facts.md, "Extra facts"):
    #   "messages": [{"asked": ISO, "answered": ISO | None, "state": "replied"|"pending"|"invalid"|"unknown",
    #                 "title", "source", "snippet"}]  (interaction.py; GWS-V5b)
    #   "notice": {"period": {"start", "end", "label", "snippet"}, "days": {"n", "unit", "snippet"},
    #              "accepted": [ISO], "accepted_snippet": str, "hearing": str, "documents": ["报告书"|"报告表"]}
    #              (notices.py; EIA-03, EIA-04)
    #   "budget_codes": {"function"|"economic": {"max_digits": 3|5|7, "count": int, "example": "2110101"}}: the deepest
    #              科目编码 of a 预决算 page's HTML tables, a kind with no code left out (budget.py; BUD-03)
    #   "text_hash": 16 hex digits, the content text without its own date and view counters (redate.py; GWS-V1e2)
    #   "future_date": {"date": ISO, "source": "meta:PubDate"|"text:发布时间"…}: a publish date after as_of (GWS-V1e1)
    #   "injected": {"hidden_links", "spam", "styled": [{"block", "selectors", "links"}]} (injected.py; GWS-V1c/d)
    #   "hiding": {".name"|"#name": how}: the selectors a stylesheet of the site hides (injected.py; GWS-V1d)
    extra: dict = field(default_factory=dict)

    @property
    def newest_item_date(self) -> date | None:
        dates = [i.date for i in self.list_items if i.date]
        return max(dates) if dates else None

    def contract(self) -> dict:
        """The `gkaudit inspect --json` object of design.md."""
        return {
            "url": self.url,
            "title": self.title,
            "encoding": self.encoding,
            "published": self.published.isoformat() if self.published else None,
            "published_source": self.published_source,
            "site_id_code": self.site_id_code,
            "icp": self.icp,
            "police_record": self.police_record,
            "jiucuo_sitecode": self.jiucuo_sitecode,
            "conac": self.conac,
            "column_name": self.column_name,
            "links": len(self.links),
        }
