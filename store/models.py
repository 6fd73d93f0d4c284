"""Tables of one audit run: what was crawled (observations) and what was judged (findings).

Observations (Page, Link, SiteColumn, ColumnItem) are written by the crawler and never changed by the
checks, so rules can be re-run on an old crawl. Everything is plain SQL-inspectable (Datasette-style).
"""
from __future__ import annotations

import datetime as dt
from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, LargeBinary
from sqlmodel import Field, SQLModel


class Run(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime
    finished_at: datetime | None = None
    as_of: date
    status: str = "running"  # running | complete | incomplete
    finish_reason: str | None = None  # Scrapy's close reason: finished, shutdown, killed (process gone), ...
    sites_file: str | None = None
    host: str | None = None  # the machine and process crawling it: a `running` run whose process is gone
    pid: int | None = None  # was killed (SIGKILL, power loss) and is marked incomplete (store.runs)
    crawl_options: dict | None = Field(default=None, sa_column=Column(JSON))  # what --resume crawls with again


class SiteRun(SQLModel, table=True):
    """A site as audited in one run, with what the crawl of it observed overall."""

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="run.id", index=True)
    site: str
    name: str
    url: str
    level: str
    supervisor: str | None = None
    settings: dict | None = Field(default=None, sa_column=Column(JSON))  # per-site rule overrides and exemptions
    pages: int = 0
    budget_exhausted: bool = False  # the page budget stopped the crawl before the frontier was empty
    crawl_finished: bool = False  # the spider drained this site's frontier


class Page(SQLModel, table=True):
    __table_args__ = (Index("ix_page_run_site_url", "run_id", "site", "url"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="run.id")
    site: str
    url: str  # as requested (the link target)
    final_url: str | None = None  # after redirects
    status: int | None = None  # HTTP status; None when no response (see error)
    error: str | None = None  # timeout, dns, refused, robots, ...
    content_type: str | None = None
    length: int | None = None
    depth: int = 0
    is_home: bool = False
    probe: bool = False  # the not-found probe of the site (never linked)
    external: bool = False  # a link target on another host
    confirm_status: int | None = None  # second attempt of a URL that first looked broken
    confirm_error: str | None = None
    confirmed: bool = False  # the second attempt happened
    snapshot: str | None = None  # Snapshot.hash of the HTML as fetched
    etag: str | None = None  # validators of the answer: the next audit revalidates with them (HTTP 304)
    last_modified: str | None = None
    revalidated: bool = False  # answered 304: the row is a copy of the previous audit's (crawler.revalidate)
    referer: str | None = None
    anchor: str | None = None  # text of the link that led here
    fetched_at: datetime
    encoding: str | None = None
    title: str | None = None
    published: date | None = None
    published_source: str | None = None
    column_name: str | None = None
    column_type: str | None = None
    is_list: bool = False
    site_id_code: str | None = None
    icp: str | None = None
    police_record: str | None = None
    jiucuo_sitecode: str | None = None
    conac: bool = False
    challenge: str | None = None
    soft_404: bool = False
    disagreements: list | None = Field(default=None, sa_column=Column(JSON))
    written: date | None = None
    meta_names: list | None = Field(default=None, sa_column=Column(JSON))
    field_labels: list | None = Field(default=None, sa_column=Column(JSON))
    headings: list | None = Field(default=None, sa_column=Column(JSON))
    personal_data: list | None = Field(default=None, sa_column=Column(JSON))
    term_hits: list | None = Field(default=None, sa_column=Column(JSON))
    anchor_ids: list | None = Field(default=None, sa_column=Column(JSON))
    extra: dict | None = Field(default=None, sa_column=Column(JSON))  # PageFacts.extra: messages, notice periods …


class Link(SQLModel, table=True):
    __table_args__ = (Index("ix_link_run_site_target", "run_id", "site", "target_url"),
                      Index("ix_link_run_site_page", "run_id", "site", "page_url"))

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="run.id")
    site: str
    page_url: str
    target_url: str
    tag: str
    text: str | None = None
    fragment: str | None = None  # the #fragment of the href, if any
    internal: bool = True


class SiteColumn(SQLModel, table=True):
    """A list page of a column (栏目), with the summary of its items."""

    __table_args__ = (Index("ix_sitecolumn_run_site_url", "run_id", "site", "url"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="run.id", index=True)
    site: str
    url: str
    name: str | None = None
    column_type: str | None = None
    item_count: int = 0
    undated_count: int = 0
    newest_date: date | None = None


class ColumnItem(SQLModel, table=True):
    __table_args__ = (Index("ix_columnitem_run_site_column", "run_id", "site", "column_url"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="run.id", index=True)
    site: str
    column_url: str
    title: str
    url: str | None = None
    date: dt.date | None = None
    date_source: str | None = None


class Finding(SQLModel, table=True):
    __table_args__ = (Index("ix_finding_run_site", "run_id", "site"),)  # a site's findings of a run (site page)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="run.id", index=True)
    site: str
    rule: str
    kind: str
    severity: str  # veto | deduct | advice
    url: str
    parent_url: str | None = None
    message: str
    evidence: dict = Field(default_factory=dict, sa_column=Column(JSON))
    points: float = 0.0
    fingerprint: str = Field(default="", index=True)  # site + rule + locator: the same problem across runs
    problem: str = Field(default="", index=True)  # findings of several rules about one thing share it (one row)
    status: str = "new"  # new | open | reopened | waived
    first_seen: datetime | None = None


class Waiver(SQLModel, table=True):
    """A finding accepted for now (gkaudit waive): shown in reports, excluded from the score until it expires."""

    id: int | None = Field(default=None, primary_key=True)
    fingerprint: str = Field(index=True)
    site: str
    rule: str
    reason: str
    expires: date | None = None
    created_at: datetime


class Snapshot(SQLModel, table=True):
    """A page as it was fetched (zlib-compressed HTML), shared by every page row with the same bytes.

    Kept only for pages that findings rest on (store.snapshots.prune runs after each judgement).
    """

    hash: str = Field(primary_key=True)  # sha1 of the body, 20 hex digits
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    size: int  # uncompressed bytes


class ProbeSample(SQLModel, table=True):
    """One availability probe of a homepage (GWS-V2: ≥ 20 a day at random times, 15 s timeout, for a week)."""

    id: int | None = Field(default=None, primary_key=True)
    site: str = Field(index=True)
    url: str
    at: datetime = Field(index=True)
    ok: bool  # answered 200 within the timeout
    blocked: bool = False  # a challenge page or 401/403/412/429/521: not verifiable, never "down"
    status: int | None = None
    elapsed_ms: int | None = None
    error: str | None = None


class SiteNetwork(SQLModel, table=True):
    """How a site answered the auditing host's network probes after its crawl (crawler.netprobe): HTTPS (GUIDE-14)
    and IPv6 (GUIDE-10). Per site and run, so the rules judge stored observations and a re-judged run reads the
    same; what the auditing host itself lacks (a CA bundle, an IPv6 route) is recorded beside what the site did."""

    __table_args__ = (Index("ix_sitenetwork_run_site", "run_id", "site"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="run.id")
    site: str
    probed_at: datetime
    # HTTPS: the address handshaken (the site's, where http:// led, or the https:// twin of an http:// site)
    https_url: str | None = None
    tls: str | None = None  # valid | invalid | absent (no HTTPS service there) | error (timeout, reset: unknown)
    tls_reason: str | None = None  # invalid: expired | not_yet_valid | untrusted | hostname | protocol | other
    tls_error: str | None = None  # the handshake's own words
    cert_not_after: datetime | None = None
    cert_subject: str | None = None
    cert_issuer: str | None = None
    http_url: str | None = None  # the http:// address asked for the redirect
    http_redirect: str | None = None  # the https:// address http:// led to; None: it did not lead to HTTPS
    http_error: str | None = None  # http:// did not answer (status or error)
    hsts: str | None = None  # Strict-Transport-Security of the HTTPS homepage, as sent
    # IPv6: the AAAA records of the site's host, the auditing host's route to them, what answered over IPv6
    host: str | None = None
    aaaa: list | None = Field(default=None, sa_column=Column(JSON))  # addresses (DNS64 synthesised ones left out)
    dns: str | None = None  # ok | nodata | nxdomain | error | ip (the site's address is an IPv4 literal)
    dns_error: str | None = None
    nameserver: str | None = None  # the resolver asked ("system" or IP:port)
    ipv6_route: bool | None = None  # the auditing host can route to one of the AAAA addresses
    ipv6_source: str | None = None  # the local address it would use
    ipv6_home: dict | None = Field(default=None, sa_column=Column(JSON))  # {url, address, status, error}
    ipv6_links: list | None = Field(default=None, sa_column=Column(JSON))  # [{url, depth, status, error}]


class SiteResult(SQLModel, table=True):
    """One site's verdict in one run: the history behind trends and new/fixed counts."""

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="run.id", index=True)
    site: str = Field(index=True)
    verdict: str
    score: float | None = None
    counts: dict = Field(default_factory=dict, sa_column=Column(JSON))


class RuleOutcome(SQLModel, table=True):
    """Tri-state result of one rule on one site: pass, fail or not_tested (with the reason)."""

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="run.id", index=True)
    site: str
    rule: str
    outcome: str  # pass | fail | not_tested
    reason: str | None = None  # blocked, unreachable, robots, timeout, budget, interrupted
    detail: str | None = None


class LedgerItem(SQLModel, table=True):
    """整改台账: one problem of a site across runs, from first detection to 销号 (store.ledger keeps it).

    Its deadline is fixed when it is first found and never moves; 逾期 is computed (open past the deadline)."""

    __table_args__ = (Index("ix_ledgeritem_site_status", "site", "status"),
                      Index("ix_ledgeritem_status_deadline", "status", "deadline"))

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)  # the problem id when first found (a finding fingerprint, or its group's id)
    problem: str = Field(index=True)  # the problem id the newest 整改清单 printed (its 问题编号)
    fingerprints: list = Field(default_factory=list, sa_column=Column(JSON))  # findings of the problem, all rules
    site: str
    rules: list = Field(default_factory=list, sa_column=Column(JSON))  # most severe first
    kind: str
    severity: str
    message: str
    url: str
    first_run: int
    first_found: date  # the audit date of the run that first found it
    deadline: date | None = None  # 整改时限, counted from first_found in working days
    last_run: int  # the newest run that found it (or that closed it)
    last_seen: date
    status: str = "open"  # core.vocab.LEDGER_STATUSES
    updated_at: datetime
    # The first recheck after the bureau first reported it fixed: passed | failed (一次整改通过率); None before.
    first_recheck: str | None = None


class LedgerEvent(SQLModel, table=True):
    """One step of a ledger item's history (全过程留痕): who did what, when, from which run."""

    __table_args__ = (Index("ix_ledgerevent_item", "item_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="ledgeritem.id")
    at: datetime
    kind: str  # core.vocab.LEDGER_EVENTS
    run_id: int | None = None
    note: str | None = None
    by: str | None = None
    data: dict | None = Field(default=None, sa_column=Column(JSON))  # reason, expiry, completion date, source


class LedgerRun(SQLModel, table=True):
    """A run's verdicts on a site the ledger has taken in: an older run judged again never overrides a newer."""

    run_id: int = Field(primary_key=True, foreign_key="run.id")
    site: str = Field(primary_key=True)
    applied_at: datetime
