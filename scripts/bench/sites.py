"""`make bench-sites`: the time an audit of many sites spends after its crawl, recording each site's pages and
budget state (crawler/pipelines.py `_finish_sites`), against the store itself.

For each size (default 1,000 and 10,000 sites) a fresh SQLite store (or --db, a PostgreSQL URL: one database is
reused, each size its own run) gets a run with that many sites, as `gkaudit audit` registers them; then:

- now: `StorePipeline._finish_sites` as shipped (one executemany UPDATE over the run's sites);
- before: the code it replaced (an ORM UPDATE per site in one Session), measured in the same run up to
  --before-max sites (default 2,000: it grows quadratically; 4,000 took 234 s here, 10,000 would take many minutes).

Prints seconds per size and approach, and `finish 10000 sites: X.XX s` (target: under 10 s).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from types import SimpleNamespace

from sqlmodel import Session, select, update

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core.sites import Site  # noqa: E402
from crawler.pipelines import StorePipeline  # noqa: E402
from store import connect  # noqa: E402
from store.models import SiteRun  # noqa: E402
from store.runs import start_run  # noqa: E402


def before(engine, run_id: int, pages: dict[str, int], exhausted: set[str], finished: bool) -> None:
    """The replaced _finish_sites (commit 699a7fa): one ORM UPDATE per site."""
    with Session(engine) as session:
        for site_run in session.exec(select(SiteRun).where(SiteRun.run_id == run_id)).all():
            values = {"pages": pages.get(site_run.site, 0), "budget_exhausted": site_run.site in exhausted,
                      "crawl_finished": finished}
            session.exec(update(SiteRun).where(SiteRun.id == site_run.id).values(**values))
        session.commit()


def now(engine, run_id: int, pages: dict[str, int], exhausted: set[str], finished: bool) -> None:
    pipeline = StorePipeline(None, run_id, 500)
    pipeline.engine, pipeline.pages_per_site = engine, pages
    pipeline._finish_sites(SimpleNamespace(budget_exhausted=exhausted), finished)


def measure(engine, size: int, finish) -> float:
    sites = [Site(f"s{i:05d}", f"测试局{i}", "county", f"http://127.0.{i // 250 + 1}.{i % 250 + 1}:8808/")
             for i in range(size)]
    run_id = start_run(engine, sites, date(2026, 11, 20), None, "bench-sites")
    pages = {s.id: 37 + i % 11 for i, s in enumerate(sites)}
    exhausted = {s.id for s in sites[::7]}
    start = time.perf_counter()
    finish(engine, run_id, pages, exhausted, True)
    seconds = time.perf_counter() - start
    with Session(engine) as session:  # what was written is what a finished crawl records
        rows = session.exec(select(SiteRun).where(SiteRun.run_id == run_id)).all()
        assert all(r.pages == pages[r.site] and r.budget_exhausted == (r.site in exhausted) and r.crawl_finished
                   for r in rows) and len(rows) == size
    return seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="numbers of sites, comma-separated")
    parser.add_argument("--before-max", type=int, default=2000, help="largest size the old approach is timed at")
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file per measurement)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="gkaudit-bench-sites-"))
    print(f"{'sites':>7}  {'approach':<8} {'seconds':>8}")
    results = {}
    for size in sorted(set(sizes) | {s for s in (1000, 2000, 4000) if s <= args.before_max}):
        for name, finish in (("before", before), ("now", now)):
            if name == "before" and size > args.before_max:
                continue
            engine = connect(args.db or f"sqlite:///{tmp / f'{name}-{size}.db'}")
            results[size, name] = measure(engine, size, finish)
            engine.dispose()
            print(f"{size:>7}  {name:<8} {results[size, name]:>8.2f}", flush=True)
    largest = max(sizes)
    print(f"finish {largest} sites: {results[largest, 'now']:.2f} s (target: under 10 s)")
    return 0 if results[largest, "now"] < 10 else 1


if __name__ == "__main__":
    sys.exit(main())
