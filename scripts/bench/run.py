"""`make bench`: gkaudit against a bare Scrapy spider on the same generated province, in one run.

Generates a province (fixtures.generator), serves it on loopback (fixtures.server), measures the server's
raw capacity first, then the baseline spider and `gkaudit audit` (crawl, store, checks, reports), each in
its own process: pages/s, CPU ms per page, peak RSS. Prints `ratio: X.XX` = gkaudit pages/s ÷ baseline.
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from fixtures.generator import generate  # noqa: E402
from fixtures.server import serve  # noqa: E402

BIN = Path(sys.executable).parent


def run_measured(cmd: list[str]) -> dict:
    """Run a command; wall time, CPU time and peak RSS of that process (its own rusage, not its siblings')."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read().decode("utf-8", "replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd[0]} failed:\n{stderr[-3000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024}


def server_capacity(urls: list[str], seconds: float = 3.0, threads: int = 8) -> float:
    """Requests/s the fixture server answers for homepages, with as many clients as the crawlers use."""
    count, stop = [0], time.monotonic() + seconds
    lock = threading.Lock()

    def client(i):
        url = urls[i % len(urls)]
        while time.monotonic() < stop:
            urllib.request.urlopen(url, timeout=10).read()
            with lock:
                count[0] += 1

    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return count[0] / seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--large", action="store_true", help="150 sites × 2,000 pages")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", help="keep the generated province and outputs in this directory")
    args = parser.parse_args()
    if args.large:
        args.sites, args.pages = 150, 2000
    work = Path(args.keep or tempfile.mkdtemp(prefix="gkaudit-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    province = work / "province"
    t = time.perf_counter()
    generate(args.sites, args.pages, args.seed, province)
    print(f"province: {args.sites} sites × {args.pages} pages, generated in {time.perf_counter() - t:.1f} s ({work})")
    with serve(sites_dir=province) as server:
        urls = list(server.urls.values())
        print(f"server raw capacity: {server_capacity(urls):.0f} requests/s (homepages, 8 clients)")
        baseline_count = work / "baseline.count"
        base = run_measured([str(BIN / "python"), str(ROOT / "scripts/bench/baseline_spider.py"),
                             str(server.sites_file), str(baseline_count)])
        base_pages = int(baseline_count.read_text())
        db = work / "bench.db"
        db.unlink(missing_ok=True)
        gk = run_measured([str(BIN / "gkaudit"), "audit", "--sites", str(server.sites_file), "--as-of", "2026-11-20",
                           "--out", str(work / "report"), "--db", f"sqlite:///{db}", "--delay", "0",
                           "--max-pages", str(args.pages * 3)])
    con = sqlite3.connect(db)
    gk_pages = con.execute("select count(*) from page where encoding is not null").fetchone()[0]
    gk_requests = con.execute("select count(*) from page").fetchone()[0]
    base_rate, gk_rate = base_pages / base["wall"], gk_pages / gk["wall"]
    print(f"baseline (bare Scrapy + LinkExtractor): {base_pages} pages in {base['wall']:.1f} s = {base_rate:.1f} pages/s, "
          f"CPU {1000 * base['cpu'] / base_pages:.1f} ms/page, peak RSS {base['rss_mb']:.0f} MB")
    print(f"gkaudit audit (crawl, store, checks, reports): {gk_pages} pages ({gk_requests} requests incl. resources) "
          f"in {gk['wall']:.1f} s = {gk_rate:.1f} pages/s, CPU {1000 * gk['cpu'] / gk_pages:.1f} ms/page, "
          f"peak RSS {gk['rss_mb']:.0f} MB")
    print(f"ratio: {gk_rate / base_rate:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
