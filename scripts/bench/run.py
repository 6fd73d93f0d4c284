"""`make bench`: gkaudit against a bare Scrapy spider on the same generated province, in one run.

Generates a province (fixtures.generator), serves it on loopback (fixtures.server), measures the server's
raw capacity first, then the baseline spider and `gkaudit audit` (crawl, store, checks, reports), each in
its own process: pages/s, CPU ms per page, peak RSS. Prints `ratio: X.XX` = gkaudit pages/s ÷ baseline.
Then audits the unchanged province again into the same database (HTTP revalidation, crawler.revalidate) and
prints `repeat: X.XX× faster` = first audit's wall time ÷ the repeat's.

Before serving, each article file gets its publication date as mtime (the server's Last-Modified), as a
static CMS leaves the files it publishes, and so do the attachments and images it links; list pages and
homepages keep today's.
"""
from __future__ import annotations

import argparse
import os
import re
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


PHASES = re.compile(r"用时：抓取 ([\d.]+) 秒，检查 ([\d.]+) 秒，报告 ([\d.]+) 秒")


def run_measured(cmd: list[str]) -> dict:
    """Run a command; wall time, CPU time and peak RSS of that process (its own rusage, not its siblings')."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    samples: list[float] = []  # RSS in MB, once a second: flat or growing as the crawl goes on?
    sampler = threading.Thread(target=_sample_rss, args=(proc.pid, samples), daemon=True)
    sampler.start()
    stderr = proc.stderr.read().decode("utf-8", "replace")  # read before waiting: a full pipe would block it
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # 1: findings at --fail-on level, not a failure here
        raise SystemExit(f"{cmd[0]} failed:\n{stderr[-3000:]}")
    phases = PHASES.search(stderr)
    quarters = [samples[min(len(samples) - 1, len(samples) * q // 4)] for q in (1, 2, 3, 4)] if samples else []
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024,
            "rss_quarters": " / ".join(f"{mb:.0f}" for mb in quarters),
            "phases": "crawl {} s, checks {} s, reports {} s".format(*phases.groups()) if phases else ""}


DATE = re.compile(rb'name="(?:PubDate|firstpublishedtime)" content="(\d{4})-(\d{2})-(\d{2})'
                  rb'|(?:\xe5\x8f\x91\xe5\xb8\x83|\xe6\x88\x90\xe6\x96\x87)[^<]{0,30}?(\d{4})[-\xe5\xb9\xb4/](\d{1,2})[-\xe6\x9c\x88/](\d{1,2})')


HREF = re.compile(rb'(?:href|src)="([^"#?]+\.(?:pdf|docx?|xlsx?|wps|ofd|zip|rar|jpe?g|png|gif))"', re.I)


def date_files(province: Path) -> int:
    """Articles and single pages (机构概况 …) get their publication date (meta PubDate, or 发布/成文 … date) as
    mtime, and so do the files they link (attachments and images are uploaded with the article); lists and
    homepages keep today's: the CMS regenerates them whenever it publishes."""
    dated = 0
    for path in province.rglob("*.html"):
        body = path.read_bytes()
        if path.name.startswith("index") and b'name="ArticleTitle"' not in body[:4000]:
            continue  # a list or a homepage
        found = DATE.search(body[:20000])
        if found:
            y, m, d = (int(g) for g in (found.groups()[:3] if found.group(1) else found.groups()[3:]))
            stamp = time.mktime((y, m, d, 9, 0, 0, 0, 0, -1))
            os.utime(path, (stamp, stamp))
            dated += 1
            root = next(p for p in path.parents if p.name == "root")
            for href in HREF.findall(body):
                href = href.decode("utf-8", "replace")
                target = root / href.lstrip("/") if href.startswith("/") else path.parent / href
                if "://" not in href and target.is_file():
                    os.utime(target, (stamp, stamp))
    return dated


def _sample_rss(pid: int, samples: list[float]) -> None:
    status = Path(f"/proc/{pid}/status")
    while True:
        try:
            line = next(x for x in status.read_text().splitlines() if x.startswith("VmRSS:"))
        except (OSError, StopIteration):
            return
        samples.append(int(line.split()[1]) / 1024)
        time.sleep(1.0)


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
    parser.add_argument("--skip-baseline", action="store_true", help="only gkaudit (e.g. for the RSS of --large)")
    parser.add_argument("--documents", choices=("on", "off"), default="on",
                        help="read attachments (crawl option documents); off: only check that they download")
    parser.add_argument("--delay", type=float, default=0.0,
                        help="gkaudit's per-host delay (default 0: CPU-bound; real audits use 1 s: politeness-bound)")
    args = parser.parse_args()
    if args.large:
        args.sites, args.pages = 150, 2000
    work = Path(args.keep or tempfile.mkdtemp(prefix="gkaudit-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    province = work / "province"
    t = time.perf_counter()
    generate(args.sites, args.pages, args.seed, province)
    print(f"province: {args.sites} sites × {args.pages} pages, generated in {time.perf_counter() - t:.1f} s ({work}); "
          f"{date_files(province)} article and single-page files dated by their publication date")
    with serve(sites_dir=province) as server:
        urls = list(server.urls.values())
        print(f"server raw capacity: {server_capacity(urls):.0f} requests/s (homepages, 8 clients)")
        base, base_pages = None, 0
        if not args.skip_baseline:
            baseline_count = work / "baseline.count"
            base = run_measured([str(BIN / "python"), str(ROOT / "scripts/bench/baseline_spider.py"),
                                 str(server.sites_file), str(baseline_count)])
            base_pages = int(baseline_count.read_text())
        db = work / "bench.db"
        db.unlink(missing_ok=True)
        audit = [str(BIN / "gkaudit"), "audit", "--sites", str(server.sites_file), "--as-of", "2026-11-20",
                 "--db", f"sqlite:///{db}", "--delay", str(args.delay), "--max-pages", str(args.pages * 3), "--progress", "0",
                 "--documents", args.documents]
        gk = run_measured(audit + ["--out", str(work / "report")])
        again = run_measured(audit + ["--out", str(work / "report-repeat")])
    con = sqlite3.connect(db)
    gk_pages = con.execute("select count(*) from page where run_id = 1 and encoding is not null").fetchone()[0]
    gk_requests = con.execute("select count(*) from page where run_id = 1").fetchone()[0]
    gk_rate = gk_pages / gk["wall"]
    if base:
        base_rate = base_pages / base["wall"]
        print(f"baseline (bare Scrapy + LinkExtractor): {base_pages} pages in {base['wall']:.1f} s = "
              f"{base_rate:.1f} pages/s, CPU {1000 * base['cpu'] / base_pages:.1f} ms/page, "
              f"peak RSS {base['rss_mb']:.0f} MB")
    print(f"gkaudit audit (crawl, store, checks, reports): {gk_pages} pages ({gk_requests} requests incl. resources) "
          f"in {gk['wall']:.1f} s = {gk_rate:.1f} pages/s, CPU {1000 * gk['cpu'] / gk_pages:.1f} ms/page, "
          f"peak RSS {gk['rss_mb']:.0f} MB ({gk['phases']}); RSS at 1/4, 1/2, 3/4, end: {gk['rss_quarters']} MB")
    if base and args.delay == 0:
        print(f"ratio: {gk_rate / base_rate:.2f}")
    elif base:
        print(f"(no ratio: gkaudit ran with --delay {args.delay}, the baseline without a delay)")
    reused, asked = con.execute("select sum(revalidated), count(*) from page where run_id = 2").fetchone()
    unasked = con.execute("select count(*) from page where run_id = 2 and revalidated "
                          "and fetched_at < (select started_at from run where id = 2)").fetchone()[0]
    print(f"repeat audit of the unchanged province: {again['wall']:.1f} s, CPU {again['cpu']:.1f} s, peak RSS "
          f"{again['rss_mb']:.0f} MB ({again['phases']}); {reused} of {asked} pages reused ({unasked} fresh, not asked; "
          f"{reused - unasked} answered 304)")
    print(f"repeat: {gk['wall'] / again['wall']:.2f}× faster")
    documents = "json_extract(extra, '$.document') is not null"
    first_docs = con.execute(f"select count(*) from page where run_id = 1 and {documents}").fetchone()[0]
    reused_docs, again_docs = con.execute(f"select coalesce(sum(revalidated), 0), coalesce(sum(not revalidated), 0) "
                                          f"from page where run_id = 2 and {documents}").fetchone()
    print(f"documents: {first_docs} read in the first audit; repeat: {reused_docs} reused, {again_docs} read again")
    return 0


if __name__ == "__main__":
    sys.exit(main())
