"""Benchmark of gkaudit serve at province scale: p50/p95 of its pages with 20 concurrent clients.

A generated database of SITES sites × AUDITS monthly audits (default 150 × 12: about 100,000 ledger items and
1,000,000 ledger events, the findings of every audit) is served by `gkaudit serve` (uvicorn, one process) on
127.0.0.1. CLIENTS threads, each with its own keep-alive connection and an administrator's session (or, for the API,
a bearer token), fetch one page each in turn; measured per page: p50 and p95 of the response time, and before them
the time of a request right after the data changed (a ledger comment stored: the dashboard and site pages, kept
per state of the data, are built anew). Baseline in the same run: the login form (a template and no query), so a
figure can be read against what the machine gives. The service runs without its recheck worker (--no-worker).

Generation is bulk: items through multi-row INSERTs, events and findings by INSERT … SELECT inside the database.

    .venv/bin/python scripts/bench/web.py                         # SQLite and PostgreSQL (127.0.0.1:5432)
    .venv/bin/python scripts/bench/web.py --only sqlite --sites 20 --requests 50
"""
from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from core.workdays import rectification_deadline  # noqa: E402
from store import connect, ledger  # noqa: E402
from store.bulk import insert_rows  # noqa: E402
from store.models import LedgerItem, LedgerRun, Run, SiteResult, SiteRun  # noqa: E402
from store.tokens import add_token  # noqa: E402
from store.users import add_user, list_users, start_session  # noqa: E402

PG_ADMIN = "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
PG_DB = "gkaudit_bench_web"
UNITS = [f"第{i}生态环境局" for i in range(10)]
RULES = [("GWS-DLINK", "link-broken", "deduct"), ("WORD-02", "wording-error", "veto"), ("PRIV-02", "personal-data",
          "advice"), ("GUIDE-04", "metadata-missing", "advice"), ("GWS-V4a", "column-stale", "veto")]
STATUSES = ["open"] * 30 + ["closed"] * 60 + ["feedback_received"] * 5 + ["waived"] * 3 + ["disputed"] * 2
EVENT_KINDS = ["detected", "reminded", "reminded", "feedback", "recheck_queued", "recheck_failed", "reminded",
               "feedback", "recheck_queued", "recheck_passed"]  # ten events an item, a busy history


def generate(url: str, sites: int, audits: int, items_per_site: int) -> dict:
    engine = connect(url)
    started = time.perf_counter()
    ids = [f"site{i:03d}" for i in range(sites)]
    runs = []
    with Session(engine) as s:
        for m in range(audits):
            as_of = date(2025, 12, 20) + timedelta(days=30 * m)
            at = datetime.combine(as_of, datetime.min.time()).astimezone()
            run = Run(started_at=at, finished_at=at + timedelta(hours=2), as_of=as_of, status="complete",
                      finish_reason="finished", sites_file="sites.yaml")
            s.add(run)
            s.flush()
            runs.append((run.id, as_of))
        s.commit()
    site_rows, result_rows, applied = [], [], []
    for run_id, as_of in runs:
        for n, site in enumerate(ids):
            site_rows.append({"run_id": run_id, "site": site, "name": f"第{n}号市生态环境局",
                              "url": f"http://127.0.9.{n % 250}/", "level": "city", "supervisor": UNITS[n % len(UNITS)], "pages": 2000,
                              "budget_exhausted": False, "crawl_finished": True})
            veto = (n + run_id) % 3 == 0
            result_rows.append({"run_id": run_id, "site": site, "verdict": "fail" if veto else "pass",
                                "score": 80.0 + n % 20, "counts": {"veto": int(veto), "deduct": 40 + n % 30,
                                                                   "advice": 100 + n % 50, "new": 5, "waived": 2}})
            applied.append({"run_id": run_id, "site": site, "applied_at": datetime.now().astimezone()})
    items = []
    at = datetime.now().astimezone()
    for n, site in enumerate(ids):
        for k in range(items_per_site):
            first = k % audits
            run_id, as_of = runs[first]
            status = STATUSES[(k * 7 + n) % len(STATUSES)]
            rule, kind, severity = RULES[k % len(RULES)]
            key = f"{site}-{k:05d}-{'%06x' % (k * 2654435761 % 16777216)}"
            items.append({"key": key, "problem": key, "fingerprints": [key], "site": site, "rules": [rule],
                          "kind": kind, "severity": severity, "message": f"问题描述 {k}：链接「第{k}篇」不可用",
                          "url": f"http://127.0.9.{n % 250}/art/{k}.html", "first_run": run_id, "first_found": as_of,
                          "deadline": rectification_deadline(as_of, 15), "last_run": runs[-1][0],
                          "last_seen": runs[-1][1], "status": status, "updated_at": at,
                          "first_recheck": ("passed" if k % 3 else "failed") if status == "closed" else None})
    with engine.begin() as conn:
        insert_rows(conn, SiteRun, site_rows)
        insert_rows(conn, SiteResult, result_rows)
        insert_rows(conn, LedgerRun, applied)
        for start in range(0, len(items), 20000):
            insert_rows(conn, LedgerItem, items[start:start + 20000])
        conn.execute(text("CREATE TEMPORARY TABLE bench_kinds (n INTEGER, kind VARCHAR)"))
        conn.execute(text("INSERT INTO bench_kinds VALUES " + ", ".join(f"({i}, '{k}')"
                                                                       for i, k in enumerate(EVENT_KINDS))))
        conn.execute(text("INSERT INTO ledgerevent (item_id, at, kind, run_id, note, by) SELECT i.id, i.updated_at, "
                          "k.kind, i.first_run, '第' || k.n || '步', 'bench' FROM ledgeritem i CROSS JOIN bench_kinds k "
                          "ORDER BY i.id, k.n"))
        for run_id, _ in runs:  # each audit's findings: the items it found (first found then or before, not closed)
            conn.execute(text(
                "INSERT INTO finding (run_id, site, rule, kind, severity, url, message, evidence, points, fingerprint, "
                "problem, status) SELECT :run, i.site, 'GWS-DLINK', i.kind, i.severity, i.url, i.message, '{}', 0.5, "
                "i.key, i.key, 'open' FROM ledgeritem i WHERE i.first_run <= :run AND "
                "(i.status <> 'closed' OR (i.id % 12) >= (:run - i.first_run))"), {"run": run_id})
    with engine.connect() as conn:
        counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                  for t in ("ledgeritem", "ledgerevent", "finding", "siterun")}
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    add_user(engine, "bench", "admin", "bench password 1")
    account = next(u for u in list_users(engine) if u.name == "bench")
    token, _ = start_session(engine, account)
    api = add_token(engine, "bench", "bench")[1]
    with engine.connect() as conn:
        item = conn.execute(text("SELECT id FROM ledgeritem WHERE site = :s ORDER BY id LIMIT 1 OFFSET 300"),
                            {"s": ids[sites // 2]}).scalar()
    engine.dispose()
    return {"seconds": time.perf_counter() - started, "counts": counts, "cookie": token, "token": api,
            "site": ids[sites // 2], "item": item}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(url: str, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([str(ROOT / ".venv/bin/gkaudit"), "serve", "--db", url, "--port", str(port), "--no-worker"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"gkaudit serve did not start: {proc.stderr.read().decode()[-2000:]}")


def measure(port: int, path: str, headers: dict, clients: int, requests: int) -> list[float]:
    """Each client sends `requests` requests on its own keep-alive connection; all start together."""
    times: list[float] = []
    lock, gate = threading.Lock(), threading.Barrier(clients)

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        gate.wait()
        for _ in range(requests):
            started = time.perf_counter()
            conn.request("GET", path, headers=headers)
            answer = conn.getresponse()
            answer.read()
            mine.append(time.perf_counter() - started)
            if answer.status != 200:
                raise SystemExit(f"{path}: HTTP {answer.status}")
        conn.close()
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def bench(name: str, url: str, args) -> None:
    made = generate(url, args.sites, args.audits, args.items)
    c = made["counts"]
    print(f"\n{name}: {args.sites} sites × {args.audits} audits — {c['ledgeritem']:,} items, {c['ledgerevent']:,} "
          f"events, {c['finding']:,} findings; generated in {made['seconds']:.1f} s", flush=True)
    port = free_port()
    proc = serve(url, port)
    try:
        cookie = {"Cookie": f"gk_session={made['cookie']}"}
        pages = [("baseline: login form", "/login", {}),
                 ("dashboard", "/", cookie),
                 ("site page", f"/sites/{made['site']}", cookie),
                 ("item page", f"/items/{made['item']}", cookie),
                 ("ledger list", "/ledger", cookie),
                 ("item (API)", f"/api/v1/items/{made['item']}", {"Authorization": f"Bearer {made['token']}"}),
                 ("site items (API)", f"/api/v1/sites/{made['site']}/items?status=open",
                  {"Authorization": f"Bearer {made['token']}"})]
        print(f"{'page':22} {'changed ms':>10} {'alone ms':>9} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8}   "
              f"(changed: one request right after the data changed; alone: one client's median; then "
              f"{args.clients} clients × {args.requests} requests)")
        engine = connect(url)
        for label, path, headers in pages:
            changed = []
            for n in range(5):  # a comment is a ledger step: every page built from the data is built anew
                ledger.comment(engine, made["item"], f"基准测试留言 {n}", by="bench")
                changed.extend(measure(port, path, headers, 1, 1))
            alone = statistics.median(measure(port, path, headers, 1, 10))
            started = time.perf_counter()
            times = measure(port, path, headers, args.clients, args.requests)
            wall = time.perf_counter() - started
            print(f"{label:22} {statistics.median(changed) * 1000:10.1f} {alone * 1000:9.1f} "
                  f"{statistics.median(times) * 1000:8.1f} {percentile(times, 95) * 1000:8.1f} "
                  f"{len(times) / wall:8.1f}", flush=True)
        engine.dispose()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sites", type=int, default=150)
    parser.add_argument("--audits", type=int, default=12)
    parser.add_argument("--items", type=int, default=667, help="ledger items per site")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=20, help="requests per client and page")
    parser.add_argument("--only", choices=("sqlite", "postgresql"), default=None)
    args = parser.parse_args()
    if args.only != "postgresql":
        work = tempfile.mkdtemp(prefix="gkaudit-bench-web-")
        bench("SQLite", f"sqlite:///{work}/web.db", args)
    if args.only != "sqlite":
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {PG_DB}"))
            conn.execute(text(f"CREATE DATABASE {PG_DB}"))
        try:
            bench("PostgreSQL", f"postgresql+psycopg2://postgres@127.0.0.1:5432/{PG_DB}", args)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"))
    print(f"\nmachine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
