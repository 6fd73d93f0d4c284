"""A small stored province for the web service's tests, written through the store's tables (no crawl): three
sites under two supervising units, two complete audits and a recheck, findings with hostile crawled text, the
整改台账 the first audit opened (site a's link item overdue), and a snapshot of site a's homepage."""
from __future__ import annotations

import zlib
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from store.ledger import Seen, record_run
from store.models import Finding, LedgerItem, Page, RuleOutcome, Run, SiteResult, SiteRun, Snapshot
from store.snapshots import digest
from store.users import add_user, start_session

HOSTILE = "<script>alert(1)</script>"
PASSWORD = "correct horse battery"
UNIT_A, UNIT_B = "省生态环境厅", "市生态环境局"
# site id → (name, supervising unit)
SITES = {"a": ("甲市生态环境局", UNIT_A), "b": ("乙市生态环境局", UNIT_B), "c": ("丙县生态环境局", UNIT_A)}
# fingerprint → the deadline the first audit fixed: a-link is overdue on any day after 2026-11-10; a-icp is closed
# by the recheck
DEADLINES = {"a-link": date(2026, 11, 10), "a-icp": date(2099, 12, 31)}
SNAPSHOT = f"<html><head><title>甲</title></head><body><p>首页底部</p>{HOSTILE}</body></html>".encode()
# role → (scope sites, scope units); each test user is named after their role
USERS = {"admin": ((), ()), "supervisor": ((), (UNIT_A,)), "webmaster": (("a",), ()), "readonly": ((), ())}


def fill(engine, with_ledger: bool = True) -> dict[str, int]:
    """Run 1 and 2 audit every site, run 3 is a recheck of site a; returns run ids by name. with_ledger=False
    leaves the 整改台账 empty (for `second_audit_ledger`)."""
    ids = {}
    with Session(engine) as s:
        for name, as_of, label, sites in (("first", date(2026, 10, 20), "sites.yaml", SITES),
                                          ("second", date(2026, 11, 20), "sites.yaml", SITES),
                                          ("recheck", date(2026, 11, 25), "recheck of run 2", {"a": SITES["a"]})):
            started = datetime.combine(as_of, datetime.min.time()).astimezone()
            run = Run(started_at=started, finished_at=started + timedelta(minutes=5), as_of=as_of, status="complete",
                      finish_reason="finished", sites_file=label)
            s.add(run)
            s.flush()
            ids[name] = run.id
            for site, (title, unit) in sites.items():
                url = f"http://127.0.0.{10 + list(SITES).index(site)}/"
                s.add(SiteRun(run_id=run.id, site=site, name=title, url=url, level="city", supervisor=unit,
                              pages=10, crawl_finished=True))
                s.add(Page(run_id=run.id, site=site, url=url, status=200, is_home=True, fetched_at=started,
                           title=HOSTILE, snapshot=digest(SNAPSHOT) if site == "a" else None))
                findings = _findings(run.id, site, url, name)
                for f in findings:
                    s.add(f)
                counts = {sev: sum(f.severity == sev for f in findings) for sev in ("veto", "deduct", "advice")}
                score = 100 - sum(f.points for f in findings)
                s.add(SiteResult(run_id=run.id, site=site, verdict="fail" if counts["veto"] else "pass", score=score,
                                 counts=counts | {"new": 0, "waived": 0}))
        s.add(Snapshot(hash=digest(SNAPSHOT), body=zlib.compress(SNAPSHOT), size=len(SNAPSHOT)))
        for rule, outcome in (("GUIDE-05", "pass"), ("GWS-DLINK", "fail")):  # what the recheck tested
            s.add(RuleOutcome(run_id=ids["recheck"], site="a", rule=rule, outcome=outcome))
        s.commit()
    for run_id in ids.values() if with_ledger else ():  # each run taken in: the recheck closes a-icp (销号)
        take_in(engine, run_id, lambda fingerprint: DEADLINES.get(fingerprint, date(2026, 12, 31)))
    return ids


def take_in(engine, run_id: int, deadline=lambda fingerprint: None) -> None:
    """The ledger takes a stored run's findings in (record_run), each due as `deadline(fingerprint)` says."""
    with Session(engine) as s:
        found = s.exec(select(Finding).where(Finding.run_id == run_id).order_by(Finding.id)).all()
    record_run(engine, run_id, [Seen(f.fingerprint, (f.fingerprint,), f.site, (f.rule,), f.kind, f.severity,
                                     f.message, f.url, deadline(f.fingerprint)) for f in found])


def item_of(engine, fingerprint: str) -> int:
    """The ledger number of the item holding this finding (site a: a-link, a-icp; b: b-link, b-word; c: c-link)."""
    with Session(engine) as s:
        return s.exec(select(LedgerItem.id).where(LedgerItem.key == fingerprint)).one()


def new_item(engine, site: str, status: str = "open") -> int:
    """A fresh ledger item of this site in this state (the authorisation matrix acts on one per case)."""
    with Session(engine) as s:
        run = s.exec(select(Run.id).order_by(Run.id)).first()
        n = s.exec(select(LedgerItem.id).order_by(LedgerItem.id.desc())).first() or 0
        item = LedgerItem(key=f"{site}-new-{n + 1}", problem=f"{site}-new-{n + 1}", fingerprints=[], site=site,
                          rules=["GWS-DLINK"], kind="link-broken", severity="deduct", message="链接不可用",
                          url=f"http://127.0.0.1/{n + 1}", first_run=run, first_found=date(2026, 10, 20),
                          deadline=date(2026, 11, 10), last_run=run, last_seen=date(2026, 10, 20), status=status,
                          updated_at=datetime.now().astimezone())
        s.add(item)
        s.commit()
        return item.id


def _findings(run_id: int, site: str, url: str, run: str) -> list[Finding]:
    out = [Finding(run_id=run_id, site=site, rule="GWS-DLINK", kind="link-broken", severity="deduct", url=f"{url}x.html",
                   parent_url=url, message=f"链接不可用：{HOSTILE}", points=1.0, fingerprint=f"{site}-link",
                   evidence={"status": 404, "anchor": HOSTILE, "title": "<img src=x onerror=alert(2)>"},
                   status="open")]
    if site == "a" and run != "recheck":  # fixed by the recheck
        out.append(Finding(run_id=run_id, site=site, rule="GUIDE-05", kind="identifier-missing", severity="veto",
                           url=url, message="首页底部未标注ICP备案编号", points=0.0,
                           fingerprint="a-icp", evidence={"identifier": "ICP备案编号"}, status="new"))
    if site == "b":  # a link whose address is script: shown as text, never linked
        out.append(Finding(run_id=run_id, site=site, rule="WORD-02", kind="wording-error", severity="advice",
                           url="javascript:alert(3)", message="严重表述错误", fingerprint="b-word",
                           evidence={"snippet": HOSTILE}, status="open"))
    return out


def add_users(engine) -> None:
    for role, (sites, units) in USERS.items():
        add_user(engine, role, role, PASSWORD, display=f"{role}用户", sites=sites, supervisors=units)


def sign_in(client, engine, name: str) -> str:
    """A session of this user on the test client (as a login makes one); returns its CSRF token."""
    from store.users import list_users

    account = next(u for u in list_users(engine) if u.name == name)
    token, csrf = start_session(engine, account)
    client.cookies.set("gk_session", token)
    return csrf


def second_audit_ledger(engine, runs: dict[str, int]) -> None:
    """After fill(engine, with_ledger=False): the ledger as if the second audit were the first, every item open
    and due 2026-12-04 (the reminders' calendar)."""
    take_in(engine, runs["second"], lambda _fingerprint: date(2026, 12, 4))


def one_item_per_site(engine) -> dict[str, int]:
    """site → the ledger number of one of its items as `fill` leaves them (a: the overdue link, b: the wording)."""
    return {"a": item_of(engine, "a-link"), "b": item_of(engine, "b-word"), "c": item_of(engine, "c-link")}


def write_schedules(folder: Path):
    """A sites file of the province and a schedules file with two audits: job-a crawls the sites of 省生态环境厅
    (a, c), job-all every site. Returns the loaded schedules (gkaudit serve --schedules)."""
    from gkaudit.schedules import load_schedules

    lines = ["sites:"]
    for n, (site, (name, unit)) in enumerate(SITES.items()):
        lines += [f"  - id: {site}", f"    name: {name}", "    level: city", f"    url: http://127.0.0.{10 + n}:9/",
                  f"    supervisor: {unit}"]
    (folder / "sites.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "schedules.yaml").write_text(f"""timezone: Asia/Shanghai
sites: sites.yaml
groups:
  unit-a: {{supervisor: {UNIT_A}}}
jobs:
  - id: job-a
    kind: audit
    cron: "0 2 1 * *"
    group: unit-a
  - id: job-all
    kind: audit
    cron: "30 3 * * mon"
    group: all
""", encoding="utf-8")
    return load_schedules(folder / "schedules.yaml")
