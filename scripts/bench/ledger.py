"""Benchmark of the 整改台账 (store/ledger.py) at province scale: taking audits in and reading the ledger.

A province of SITES sites × PROBLEMS problems (default 150 × 700 ≈ 105,000 items). Measured, in order:
  baseline     a plain bulk INSERT of the same item rows (store.bulk.insert_rows), no ledger logic
  audit 1      record_run of the first audit: every problem new (items + their `detected` events)
  audit 2      the next audit: 95 % found again, 5 % gone (closed, with events), 1 % new
  recheck      a recheck of one site
  queries      list_items of one site, the overdue list of the province, site_totals, an item's timeline

    .venv/bin/python scripts/bench/ledger.py [--db URL] [--sites 150] [--problems 700]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from sqlmodel import Session, delete  # noqa: E402

from core.workdays import rectification_deadline  # noqa: E402
from store import connect, ledger  # noqa: E402
from store.bulk import insert_rows  # noqa: E402
from store.models import LedgerItem, Run, RuleOutcome, SiteResult, SiteRun  # noqa: E402
from store.runs import RECHECK_LABEL  # noqa: E402

RULES = [f"R{i}" for i in range(20)]


def register(engine, sites: list[str], as_of: date, recheck: bool = False) -> int:
    with Session(engine) as session:
        run = Run(started_at=datetime.now().astimezone(), as_of=as_of, status="complete",
                  sites_file=f"{RECHECK_LABEL} 1" if recheck else "bench")
        session.add(run)
        session.commit()
        rows = []
        for s in sites:
            rows.append(SiteRun(run_id=run.id, site=s, name=s, url=f"http://{s}/", level="city"))
            rows.append(SiteResult(run_id=run.id, site=s, verdict="fail", counts={}))
            rows += [RuleOutcome(run_id=run.id, site=s, rule=r, outcome="fail") for r in RULES]
        session.add_all(rows)
        session.commit()
        return run.id


def seen(site: str, n: int, as_of: date, tag: str = "") -> ledger.Seen:
    pid = f"{site}-{tag}{n:05d}"
    rule = RULES[n % len(RULES)]
    return ledger.Seen(pid, (pid,), site, (rule,), "link-broken", "deduct", f"链接不可用 {n}", f"http://{site}/{n}",
                       rectification_deadline(as_of, 15 if n % 2 else 30))


def timed(what: str, fn):
    started = time.perf_counter()
    out = fn()
    seconds = time.perf_counter() - started
    print(f"{what:44} {seconds:8.2f} s", flush=True)
    return out, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=None, help="database URL (default: a new SQLite file)")
    parser.add_argument("--sites", type=int, default=150)
    parser.add_argument("--problems", type=int, default=700)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="gkaudit-bench-ledger-")
    engine = connect(args.db or f"sqlite:///{work}/ledger.db")
    print(f"{engine.dialect.name}: {args.sites} sites × {args.problems} problems "
          f"= {args.sites * args.problems:,} items")
    sites = [f"site{i:03d}" for i in range(args.sites)]
    first_day, second_day = date(2026, 10, 20), date(2026, 11, 20)
    first = [seen(s, n, first_day) for s in sites for n in range(args.problems)]
    now = datetime.now().astimezone()
    plain = [{"key": s.problem, "problem": s.problem, "fingerprints": list(s.fingerprints), "site": s.site,
              "rules": list(s.rules), "kind": s.kind, "severity": s.severity, "message": s.message, "url": s.url,
              "first_run": 0, "first_found": first_day, "deadline": s.deadline, "last_run": 0,
              "last_seen": first_day, "status": "open", "updated_at": now} for s in first]

    def baseline():
        with engine.begin() as conn:
            insert_rows(conn, LedgerItem, plain)
        with engine.begin() as conn:
            conn.execute(delete(LedgerItem))

    _, base = timed("baseline: bulk INSERT of the item rows", baseline)
    run1 = register(engine, sites, first_day)
    applied, audit1 = timed("audit 1: record_run, all new", lambda: ledger.record_run(engine, run1, first))
    assert applied.detected == len(first)
    second = [s for s in first if int(s.problem[-5:]) % 20 != 0]  # 5 % fixed
    second += [seen(s, n, second_day, "n") for s in sites for n in range(args.problems // 100)]  # 1 % new
    run2 = register(engine, sites, second_day)
    applied, audit2 = timed("audit 2: record_run, 5 % closed, 1 % new", lambda: ledger.record_run(engine, run2, second))
    print(f"{'':44} detected {applied.detected:,}, closed {applied.closed:,}")
    run3 = register(engine, sites[:1], date(2026, 11, 25), recheck=True)
    timed("recheck of one site: record_run", lambda: ledger.record_run(
        engine, run3, [s for s in second if s.site == sites[0]][: args.problems // 2]))
    today = date(2026, 12, 20)
    per_site = []
    for s in sites[:20]:
        started = time.perf_counter()
        ledger.list_items(engine, site=s, today=today)
        per_site.append(time.perf_counter() - started)
    print(f"{'list_items of one site (20 sites), median':44} {statistics.median(per_site) * 1000:8.1f} ms")
    items, _ = timed("list_items --overdue of the province", lambda: ledger.list_items(engine, overdue=True,
                                                                                       today=today))
    print(f"{'':44} {len(items):,} overdue")
    timed("site_totals of the province", lambda: ledger.site_totals(engine, today=today))
    timed("timeline of one item", lambda: ledger.timeline(engine, items[0].id))
    print(f"audit 1 ÷ baseline: {audit1 / base:.1f}×; audit 2 ÷ baseline: {audit2 / base:.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
