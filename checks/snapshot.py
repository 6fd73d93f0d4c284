"""A read-only view of what one run observed on one site: the only input of the checks."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy import select as sa_select
from sqlmodel import Session

from checks import fragments
from checks.link_verdict import ERRORS as LINK_ERRORS
from core.attachments import is_document
from core.columns import column_key, is_container
from core.urls import netloc
from core.vocab import BLOCKING_STATUSES
from store.history import DatedPage, PriorPage, previous_dates, previous_pages
from store.models import ColumnItem, Link, Page, ProbeSample, SiteColumn, SiteNetwork, SiteRun


class Attached(NamedTuple):
    """A readable document a page links to: the link's text (else the file name), its address, and what the crawl
    read of it (page.extra["document"], see crawler.documents.stored)."""

    name: str
    url: str
    doc: dict

    def evidence(self, page: int | None = None, quote: str | None = None) -> dict:
        """The document as a finding names it: a webmaster opens the file at the page and finds the quotation.
        Text read by OCR (--ocr) says so, with its confidence: the quotation may differ from the scan."""
        out = {"name": self.name, "url": self.url}
        if page:
            out["page"] = page
        if quote:
            out["quote"] = quote[:80]
        if (confidence := ocr_confidence(self.doc, page)) is not None:
            out["ocr_confidence"] = confidence
        return out


def ocr_confidence(doc: dict | None, page: int | None = None) -> int | None:
    """The confidence of the OCR text a fact was read from: that of its page, or without a page the lowest of
    the pages read by OCR; None when the fact cannot come from OCR (no page of the document was read so)."""
    found = (doc or {}).get("ocr") or {}
    read = set(found.get("read") or ())
    scores = {p.get("page"): p.get("confidence") for p in found.get("pages") or () if p.get("page") in read}
    if page is not None:
        return scores.get(page)
    return min(scores.values()) if scores else None


def scan_reason(name: str, doc: dict) -> str:
    """Why a scanned attachment was not checked: no text layer, and what OCR (if it ran) could not do."""
    found = doc.get("ocr")
    if not found:
        return f"附件「{name}」为扫描件（无文字层），未检查"
    scores = [p.get("confidence") for p in found.get("pages") or () if isinstance(p.get("confidence"), int)]
    ocr = f"，文字识别置信度 {max(scores)}% 低于 {found.get('min_confidence')}%" if scores else ""
    skipped = f"（{found['skipped']}）" if found.get("skipped") else ""
    return f"附件「{name}」为扫描件（无文字层）{ocr}，未检查{skipped}"


@dataclass
class ColumnView:
    """One column: its list pages (first page and pagination) folded together."""

    column_type: str | None
    name: str | None
    url: str
    item_count: int = 0
    undated_count: int = 0
    newest_date: date | None = None
    pages: list[str] = field(default_factory=list)


@dataclass
class SiteSnapshot:
    site: SiteRun
    pages: dict[str, Page]
    links: list[Link]
    columns: list[ColumnView]
    items: list[ColumnItem] = field(default_factory=list)  # every list item seen on the site
    probe: Page | None = None  # the answer to a URL that cannot exist (soft-404 reference)
    external: dict[str, Page] = field(default_factory=dict)  # external link targets checked in this run (any site)
    probes: list[ProbeSample] = field(default_factory=list)  # availability samples of the site (gkaudit probe)
    network: SiteNetwork | None = None  # HTTPS and IPv6 as the auditing host saw them after the crawl
    status: str = "ok"  # ok | blocked | unreachable | timeout | moved | interrupted
    detail: str = ""
    # the site's previous complete audit (store.history) and its dated pages by URL: publish date, text fingerprint
    previous_run: int | None = None
    previous_dates: dict[str, DatedPage] = field(default_factory=dict)
    # …and, from it, the homepage and the pages with injected content now, as it saw them (GWS-V1c/d/f)
    previous_pages: dict[str, PriorPage] = field(default_factory=dict)
    _memo: dict = field(default_factory=dict, repr=False)  # computed once per site: document_links(), ok_pages() …

    def document_links(self) -> dict[str, list[Link]]:
        """Per page, in order, its links to documents (core.attachments). Computed once per snapshot and each
        distinct target tested once: several rules ask, and a site has hundreds of thousands of links to a few
        thousand targets."""
        if "documents" not in self._memo:
            verdicts: dict[str, bool] = {}
            found: dict[str, list[Link]] = {}
            for lk in self.links:
                hit = verdicts.get(lk.target_url)
                if hit is None:
                    hit = verdicts[lk.target_url] = is_document(lk.target_url)
                if hit:
                    found.setdefault(lk.page_url, []).append(lk)
            self._memo["documents"] = found
        return self._memo["documents"]

    def attached(self, page_url: str) -> tuple[list[Attached], tuple[str, str] | None]:
        """The readable documents a page links to: their text may hold what the page's HTML only announces. When
        some could not be read, why (the first): a scan is `scanned`, a file the reader refused `attachment` with
        the reader's reason."""
        readable: list[Attached] = []
        why = None
        for lk in self.document_links().get(page_url, ()):
            target = self.pages.get(lk.target_url)
            doc = (target.extra or {}).get("document") if target is not None else None
            if doc is None:
                continue
            name = lk.text or lk.target_url.rsplit("/", 1)[-1]
            if doc.get("unreadable"):
                why = why or ("attachment", f"附件「{name}」无法读取：{doc['unreadable']}")
            elif not doc.get("text_layer", True) and not (doc.get("ocr") or {}).get("read"):
                why = why or ("scanned", scan_reason(name, doc))
            elif all(a.url != lk.target_url for a in readable):
                readable.append(Attached(name, lk.target_url, doc))
        return readable, why

    def unprobed(self) -> tuple[str, str]:
        """Why the network rules have no probe to judge: the crawl stopped before it, or probes were off."""
        if self.status == "interrupted":
            return "interrupted", "抓取在完成前被中断，未进行 HTTPS 和 IPv6 检测"
        return "not_probed", "本次检查未检测 HTTPS 和 IPv6（抓取设置 network: off）"

    def home_links(self) -> list[Link]:
        """The homepage's own links, in order; computed once."""
        if "home_links" not in self._memo:
            home = self.home
            self._memo["home_links"] = [lk for lk in self.links if home and lk.page_url == home.url]
        return self._memo["home_links"]

    def stylesheets(self, page_url: str) -> list[Page]:
        """The site's stylesheets a page links (<link rel="stylesheet">) and theirs (@import), as fetched; the
        index of stylesheet links is built once."""
        if "stylesheets" not in self._memo:
            index: dict[str, list[str]] = {}
            for lk in self.links:
                if lk.tag in ("link", "css") and lk.target_url.lower().split("?", 1)[0].endswith(".css"):
                    index.setdefault(lk.page_url, []).append(lk.target_url)
            self._memo["stylesheets"] = index
        index, found, todo = self._memo["stylesheets"], {}, list(self._memo["stylesheets"].get(page_url, ()))
        while todo and len(found) < 20:
            url = todo.pop(0)
            page = self.pages.get(url)
            if url not in found and page is not None and page.status == 200:
                found[url] = page
                todo += index.get(url, ())
        return list(found.values())

    @property
    def auditable(self) -> bool:
        """False when the homepage itself could not be verified: every rule is then not tested."""
        return self.status not in ("blocked", "robots", "unreachable", "timeout", "moved")

    @property
    def home(self) -> Page | None:
        return next((p for p in self.pages.values() if p.is_home), None)

    def ok_pages(self) -> list:
        """Pages answered 200 that are real content (not a soft 404, not a challenge, not a header or footer file a
        page's scripts load: checks/fragments.py); computed once."""
        if "ok_pages" not in self._memo:
            self._memo["ok_pages"] = [p for p in self.pages.values() if p.status == 200 and not p.soft_404
                                      and not p.challenge and not (p.extra or {}).get("fragment")]
        return self._memo["ok_pages"]

    def unseen_reason(self, column_types: str | list[str], what: str) -> tuple[str, str] | None:
        """Why something of these columns may exist unseen: a link that may lead to it was not fetched (blocked,
        timeout; robots.txt for the column's own link or a container's), or the page budget ran out. Absence is
        concluded only from what was fetched."""
        types = {column_types} if isinstance(column_types, str) else set(column_types)
        unread = [(why, p) for p in self.unread_links() if (why := unread_reason(p))
                  and (p.column_type in types or is_container(p.column_type)
                       or (why != "robots" and self._may_lead_anywhere(p)))]
        if unread:
            unread.sort(key=lambda wp: (wp[1].column_type not in types, wp[1].url))
            shown = "；".join(_describe(p, why) for why, p in unread[:3])
            more = f" 等 {len(unread)} 个链接" if len(unread) > 3 else ""
            return unread[0][0], f"{what}可能在未能抓取的链接之后：{shown}{more}，无法确认其缺失"
        if self.site.budget_exhausted:
            return "budget", f"抓取达到页面预算，未找到{what}，无法确认其缺失"
        return None

    def unread_links(self) -> list:
        """Pages of the site that were linked but could not be read (unread_reason); computed once."""
        if "unread" not in self._memo:
            self._memo["unread"] = [p for p in self.pages.values() if not p.is_home and unread_reason(p)]
        return self._memo["unread"]

    def _may_lead_anywhere(self, page) -> bool:
        """An unclassified link of the homepage or a list page that is not one of the list's items (a navigation
        link): any column may sit behind it. (A robots.txt rule on such a link is the site's choice: 内部办公.)"""
        if page.column_type is not None or is_document(page.url):
            return False
        if "item_urls" not in self._memo:
            self._memo["item_urls"] = {i.url for i in self.items if i.url}
        referer = self.pages.get(page.referer) if page.referer else None
        return (referer is not None and (referer.is_home or referer.is_list)
                and page.url not in self._memo["item_urls"])


def unread_reason(page) -> str | None:
    """Why a page's content could not be read although it may be there (core.vocab NOT_TESTED_REASONS): blocked,
    timeout, robots. None when it was read, or is broken (404, 5xx, refused, a redirect loop): what a user cannot
    reach either is not hidden from us, and its link is GWS-DLINK's finding."""
    if page.challenge or page.status in BLOCKING_STATUSES:
        return "blocked"
    return page.error if page.status is None and page.error in ("robots", "timeout") else None


def _describe(page, why: str) -> str:
    """「anchor」URL（why） for a not_tested detail."""
    if page.challenge:
        cause = f"反爬虫验证页 {page.challenge}"
    elif page.status:
        cause = f"HTTP {page.status}"
    else:
        cause = page.error or why
    return f"「{page.anchor or '无链接文字'}」{page.url}（{cause}）"


def _rows(session: Session, model, *where, order_by):
    """Plain SQL rows (attribute access by column name), not ORM objects: ~10× cheaper on large sites."""
    return session.connection().execute(sa_select(model.__table__).where(*where).order_by(order_by)).all()


def load_external(session: Session, run_id: int) -> dict[str, Page]:
    """The run's external link targets (checked once per run for all sites): loaded once, shared by every site."""
    return {p.url: p for p in _rows(session, Page, Page.run_id == run_id, Page.external, order_by=Page.id)}


def load_snapshot(session: Session, run_id: int, site: SiteRun, external: dict[str, Page]) -> SiteSnapshot:
    pages = _rows(session, Page, Page.run_id == run_id, Page.site == site.site, order_by=Page.id)
    links = _rows(session, Link, Link.run_id == run_id, Link.site == site.site, order_by=Link.id)
    cols = _rows(session, SiteColumn, SiteColumn.run_id == run_id, SiteColumn.site == site.site,
                 order_by=SiteColumn.id)
    by_url: dict[str, Page] = {}
    probe = None
    for page in pages:
        if page.probe:
            probe = page
        elif not page.external:
            by_url.setdefault(page.url, page)
    items = _rows(session, ColumnItem, ColumnItem.run_id == run_id, ColumnItem.site == site.site,
                  order_by=ColumnItem.id)
    probes = _rows(session, ProbeSample, ProbeSample.site == site.site, order_by=ProbeSample.at)
    network = _rows(session, SiteNetwork, SiteNetwork.run_id == run_id, SiteNetwork.site == site.site,
                    order_by=SiteNetwork.id)
    cols = [c for c in cols if c.url not in by_url or not unread_reason(by_url[c.url])]  # a challenge is no list
    by_url, links = fragments.merge(by_url, links)  # a footer or menu a page's scripts load is the page's
    snap = SiteSnapshot(site, by_url, list(links), _fold_columns(cols), list(items), probe, external, list(probes),
                        network[-1] if network else None)
    snap.status, snap.detail = _site_status(snap)
    snap.previous_run, snap.previous_dates = previous_dates(session, run_id, site.site, site.url)
    if snap.previous_run is not None:
        home = snap.home
        urls = [p.url for p in snap.ok_pages() if (p.extra or {}).get("injected")] + ([home.url] if home else [])
        snap.previous_pages = previous_pages(session, snap.previous_run, site.site, urls, home.url if home else None)
    return snap


def _fold_columns(rows: list[SiteColumn]) -> list[ColumnView]:
    """Pagination pages (index.html, index_1.html, ?page=2) of one column fold into one (core.columns.column_key)."""
    views: dict[tuple, ColumnView] = {}
    for row in rows:
        key = column_key(row.url, row.column_type or row.name)
        view = views.get(key)
        if view is None:
            view = views[key] = ColumnView(row.column_type, row.name, row.url)
        elif len(row.url) < len(view.url):
            view.url = row.url
        view.pages.append(row.url)
        view.item_count += row.item_count
        view.undated_count += row.undated_count
        if row.newest_date and (view.newest_date is None or row.newest_date > view.newest_date):
            view.newest_date = row.newest_date
    return list(views.values())


def _site_status(snap: SiteSnapshot) -> tuple[str, str]:
    home = snap.home
    if home is None:
        return "unreachable", "首页未能抓取"
    if home.challenge:
        return "blocked", f"首页返回反爬虫验证页（{home.challenge}，HTTP {home.status}）"
    if home.status in BLOCKING_STATUSES:
        return "blocked", f"首页拒绝访问（HTTP {home.status}）"
    if home.status is None:
        if home.error == "robots":
            return "robots", "robots.txt 禁止抓取首页（或 robots.txt 过大，无法完整读取）"
        if home.error == "timeout":
            return "timeout", "首页请求超时"
        if home.error in ("too-large", "private-address"):  # not the site's failure: said in words
            return "unreachable", f"首页无法访问（{LINK_ERRORS[home.error]}）"
        return "unreachable", f"首页无法访问（{home.error}）"
    if home.status != 200 or home.soft_404:
        return "unreachable", f"首页返回 HTTP {home.status}"
    elsewhere = next((lk.target_url for lk in snap.home_links() if lk.tag == "meta"
                      and netloc(lk.target_url) != netloc(home.url)), None)
    if elsewhere:  # the bureau's pages are on the other host: judging the refresh page would report what is not true
        return "moved", f"首页通过 <meta http-equiv=refresh> 跳转到其他网站 {elsewhere}；请在网站清单中登记实际网址后再检测"
    if not snap.site.crawl_finished:
        return "interrupted", "抓取在完成前被中断"
    return "ok", ""
