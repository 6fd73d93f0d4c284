"""Per-page cost of the scale-out path: one `site` spider vs two `site-shared` workers on one Redis frontier.

    .venv/bin/python scripts/bench/shared_frontier.py [--pages 1000] [--db URL]

Generates one site (fixtures.generator), serves it on loopback, crawls it with DOWNLOAD_DELAY 0 both ways into
the database, and prints pages, wall time, pages/s, CPU ms per page (all crawl processes together) and Redis
commands per page. Needs Redis at 127.0.0.1:6379 (keys under a unique prefix, removed afterwards).
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import redis  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from fixtures.generator import generate  # noqa: E402
from fixtures.server import serve  # noqa: E402

REDIS_URL = "redis://127.0.0.1:6379/0"


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def crawl(commands: list[list[str]]) -> tuple[float, float]:
    cpu, started = children_cpu(), time.monotonic()
    procs = [subprocess.Popen(c, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for c in commands]
    for p in procs:
        _, err = p.communicate()
        if p.returncode:
            raise SystemExit(err.decode()[-2000:])
    return time.monotonic() - started, children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--db", default=None, help="SQLAlchemy URL (default: a SQLite file in a temporary folder)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="gkaudit-bench-shared-"))
    db = args.db or f"sqlite:///{tmp / 'gk.db'}"
    generate(sites=1, pages=args.pages, seed=3, out=tmp / "province")
    frontier = f"gkaudit-bench:{uuid.uuid4().hex[:8]}"
    server = redis.Redis.from_url(REDIS_URL)
    base = [sys.executable, "-m", "scrapy", "crawl"]
    common = ["-s", "DOWNLOAD_DELAY=0", "-s", "GKAUDIT_MAX_PAGES=1000000", "-s", "HTTPCACHE_ENABLED=False", "-s", f"GKAUDIT_DB_URL={db}"]
    with serve(sites_dir=tmp / "province") as fx:
        results = {"single": crawl([base + ["site", "-a", f"sites={fx.sites_file}", *common]])}
        before = server.info("stats")["total_commands_processed"]
        shared = base + ["site-shared", "-a", f"frontier={frontier}", "-a", f"redis={REDIS_URL}",
                         "-a", f"sites={fx.sites_file}", *common]
        results["shared x2"] = crawl([shared, shared])
        redis_commands = server.info("stats")["total_commands_processed"] - before
    leftovers = list(server.scan_iter(f"{frontier}:*"))
    if leftovers:
        server.delete(*leftovers)
    with create_engine(db).connect() as conn:
        counts = [n for (n,) in conn.execute(text("SELECT count(*) FROM page GROUP BY run_id ORDER BY run_id"))]
    for (name, (wall, cpu)), pages in zip(results.items(), counts):
        extra = f", Redis {redis_commands / pages:.1f} commands/page" if name.startswith("shared") else ""
        print(f"{name:10} {pages} pages, {wall:.1f} s, {pages / wall:.0f} pages/s, CPU {1000 * cpu / pages:.1f} ms/page{extra}")


if __name__ == "__main__":
    main()
