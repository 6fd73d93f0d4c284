"""One page checked before it is published (POST /api/v1/check): a CMS sends the HTML and its address and gets
back what an audit would find on that page alone.

The page goes through the crawler's own extractor (crawler.facts.extract) and the rules whose check reads a single
page, run by the checks engine (checks.engine.check_site) over a one-page snapshot held in memory: nothing is
stored and nothing is fetched. Rules that need the rest of the site (columns, freshness, links' targets) are not
run; the homepage's own rules (footer identifiers …) only when the caller says the page is a homepage.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from checks.engine import check_site
from checks.rule import Rule
from checks.snapshot import SiteSnapshot
from core.clock import now
from crawler.facts.extract import extract
from crawler.facts.wording import vocabulary
from store.models import Link, Page, SiteRun

MAX_HTML_BYTES = 2 * 1024 * 1024  # a page bigger than this is refused (413), never parsed
MAX_LINKS = 500  # links listed in the answer (their total is always given)
# Check types that judge one page from its own facts (checks/types/), and those that judge a homepage.
PAGE_CHECKS = frozenset({"wording_terms", "personal_data", "metadata_present", "date_future", "injected_content",
                         "empty_links", "scripted_content"})
HOME_CHECKS = frozenset({"footer_identifiers", "jiucuo_entrance", "care_entrance", "search_entrance"})
SITE = "page"


class PageRefused(ValueError):
    """A request /check cannot take (no address, not http(s)); the message is Chinese."""


@dataclass(frozen=True)
class PageCheck:
    url: str
    home: bool
    findings: list[dict]
    not_tested: list[dict]
    facts: dict
    links: list[dict]
    links_total: int
    rules: list[str]

    def contract(self) -> dict:
        return {"url": self.url, "home": self.home, "findings": self.findings, "not_tested": self.not_tested,
                "facts": self.facts, "links": self.links, "links_total": self.links_total, "rules": self.rules}


def page_rules(rules: list[Rule], home: bool) -> list[Rule]:
    kinds = PAGE_CHECKS | (HOME_CHECKS if home else frozenset())
    return [r for r in rules if r.check in kinds]


def check_page(html: bytes, url: str, rules: list[Rule], *, home: bool = False, level: str = "city",
               settings: dict | None = None, as_of: date | None = None) -> PageCheck:
    """The page-level findings of one page (html as the CMS will publish it, at url). level and settings: the
    site's, when the caller names it (its wording additions, rule parameters and exemptions apply, as in an
    audit)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PageRefused("url 必须是页面发布后的完整地址（http:// 或 https:// 开头）")
    if len(html) > MAX_HTML_BYTES:
        raise PageRefused(f"页面超过 {MAX_HTML_BYTES // 1024 // 1024} MB，未检查")
    url, as_of, at = url.strip(), as_of or now().date(), now()
    facts = extract(html, url, "text/html", as_of=as_of, wording_terms=vocabulary((settings or {}).get("wording")))
    page = Page(run_id=0, site=SITE, url=url, status=200, is_home=home, fetched_at=at, content_type="text/html",
                length=len(html), encoding=facts.encoding, title=facts.title, published=facts.published,
                published_source=facts.published_source, column_name=facts.column_name,
                column_type=facts.column_type, is_list=facts.is_list, site_id_code=facts.site_id_code, icp=facts.icp,
                police_record=facts.police_record, jiucuo_sitecode=facts.jiucuo_sitecode, conac=facts.conac,
                challenge=facts.challenge, soft_404=facts.soft_404, disagreements=facts.disagreements or None,
                written=facts.written, meta_names=facts.meta_names or None, field_labels=facts.field_labels or None,
                headings=facts.headings or None, personal_data=facts.personal_data or None,
                term_hits=facts.term_hits or None, anchor_ids=facts.anchor_ids or None, extra=facts.extra or None)
    host = parts.hostname
    links = [Link(run_id=0, site=SITE, page_url=url, target_url=lk.url, tag=lk.tag, text=lk.text,
                  fragment=lk.fragment, internal=urlsplit(lk.url).hostname == host) for lk in facts.links]
    site = SiteRun(run_id=0, site=SITE, name="", url=url, level=level, crawl_finished=True, settings=settings or None)
    snap = SiteSnapshot(site, {url: page}, links, [])
    chosen = page_rules(rules, home)
    checked = check_site(snap, chosen, as_of)
    findings, not_tested = [], []
    for rule, outcome, _ in checked.outcomes:
        severity = "advice" if rule.severity == "veto" and len(outcome.hits) < rule.min_count else rule.severity
        findings += [{"rule": rule.id, "title": rule.title, "severity": severity, "kind": hit.kind or rule.kind,
                      "message": hit.message, "url": hit.url, "evidence": hit.evidence, "fix": rule.fix}
                     for hit in outcome.hits]
        not_tested += [{"rule": rule.id, "reason": reason, "detail": detail} for reason, detail in outcome.not_tested]
    shown = {"title": facts.title, "published": facts.published.isoformat() if facts.published else None,
             "published_source": facts.published_source, "encoding": facts.encoding,
             "identifiers": {"site_id_code": facts.site_id_code, "icp": facts.icp,
                             "police_record": facts.police_record, "conac": facts.conac,
                             "jiucuo_sitecode": facts.jiucuo_sitecode},
             "meta_names": facts.meta_names, "personal_data": len(facts.personal_data),
             "wording_terms": len(facts.term_hits)}
    named = [{"url": lk.target_url, "tag": lk.tag, "text": lk.text, "internal": lk.internal} for lk in links[:MAX_LINKS]]
    return PageCheck(url, home, findings, not_tested, shown, named, len(links), [r.id for r in chosen])
