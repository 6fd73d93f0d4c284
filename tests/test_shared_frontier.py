"""Scale-out with a shared frontier: two crawl workers on one Redis queue crawl every page once.

Real servers: Redis at 127.0.0.1:6379 (a unique key prefix, removed afterwards) and PostgreSQL at
127.0.0.1:5432 (a database of this test's own), as workers on several machines would use them.
"""
from __future__ import annotations

import re
import subprocess
import sys
import uuid
from collections import Counter

import pytest
import redis
from sqlalchemy import create_engine, text

from fixtures.generator import generate
from fixtures.server import serve
from tests.conftest import AS_OF, ROOT, private_pg_database

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def pg_db():
    """A PostgreSQL database of this test's own (other suites recreate gkaudit_test concurrently)."""
    with private_pg_database("gkaudit_shared") as url:
        yield url


@pytest.fixture
def frontier():
    name = f"gkaudit-test:{uuid.uuid4().hex[:10]}"
    server = redis.Redis.from_url(REDIS_URL)
    yield name
    leftovers = list(server.scan_iter(f"{name}:*"))
    if leftovers:
        server.delete(*leftovers)


def scrapy(*args) -> list[str]:
    return [sys.executable, "-m", "scrapy", "crawl", *args, "-s", "HTTPCACHE_ENABLED=False", "-s", f"GKAUDIT_AS_OF={AS_OF}"]


def pages(db_url: str, run_id: int) -> Counter:
    """(url, status, confirmation status) of every stored answer but the not-found probe, counted."""
    with create_engine(db_url).connect() as conn:
        rows = conn.execute(text("SELECT url, status, confirm_status FROM page WHERE run_id = :r AND NOT probe"),
                            {"r": run_id}).all()
    return Counter(tuple(row) for row in rows)


def test_two_workers_crawl_every_page_once(tmp_path, pg_db, frontier):
    # dead links too: their second attempts must stay with the worker that got the first answer
    generate(sites=1, pages=200, seed=11, out=tmp_path / "province", rates={"dead_link": 1.0, "missing_attachment": 1.0})
    with serve(sites_dir=tmp_path / "province") as fx:
        # Reference: the ordinary single-process spider on the same site.
        single = subprocess.run(scrapy("site", "-a", f"sites={fx.sites_file}", "-s", f"GKAUDIT_DB_URL={pg_db}",
                                       "-s", "DOWNLOAD_DELAY=0"), cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert single.returncode == 0, single.stderr[-3000:]
        workers = [subprocess.Popen(scrapy("site-shared", "-a", f"frontier={frontier}", "-a", f"redis={REDIS_URL}",
                                           "-a", f"db={pg_db}", "-a", f"sites={fx.sites_file}",
                                           "-s", "DOWNLOAD_DELAY=0.05", "-s", "LOG_LEVEL=INFO"),
                                    cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                   for _ in range(2)]
        logs = [w.communicate(timeout=300)[1] for w in workers]
    for worker, log in zip(workers, logs):
        assert worker.returncode == 0, log[-3000:]

    with create_engine(pg_db).connect() as conn:
        runs = conn.execute(text("SELECT id, status, sites_file FROM run ORDER BY id")).all()
        assert len(runs) == 2, runs  # the reference run, and ONE run shared by both workers
        shared_run = runs[1]
        assert shared_run.status == "complete" and frontier in shared_run.sites_file
        site_run = conn.execute(text("SELECT pages, crawl_finished FROM siterun WHERE run_id = :r"),
                                {"r": shared_run.id}).one()
        stored = conn.execute(text("SELECT count(*) FROM page WHERE run_id = :r"), {"r": shared_run.id}).scalar()
        probes = conn.execute(text("SELECT count(*) FROM page WHERE run_id = :r AND probe"), {"r": shared_run.id}).scalar()
        # HTTPS/IPv6 probes: once per site and run — by the last worker of the frontier, and by the plain crawl
        network = dict(conn.execute(text("SELECT run_id, count(*) FROM sitenetwork GROUP BY run_id")).all())

    reference, shared = pages(pg_db, runs[0].id), pages(pg_db, shared_run.id)
    assert len(reference) > 200 and any(confirm for _, _, confirm in reference)  # dead links, asked twice
    urls = Counter(url for url, _, _ in shared.elements())
    twice = {url: n for url, n in urls.items() if n > 1}
    assert not twice, f"crawled more than once: {dict(list(twice.items())[:10])}"
    # every page, with the same answers (and second attempts at the dead links) as the single-process crawl
    assert set(shared) == set(reference), (f"missing: {sorted(set(reference) - set(shared))[:10]} "
                                           f"extra: {sorted(set(shared) - set(reference))[:10]}")
    assert probes == 1  # the not-found probe too: one URL per frontier, fetched by one worker
    assert site_run.crawl_finished and site_run.pages == stored  # the last worker counted both workers' pages
    assert network == {runs[0].id: 1, shared_run.id: 1}

    per_worker = [int(m.group(1)) for log in logs for m in re.finditer(r"存储 (\d+) 个网址", log)]
    assert len(per_worker) == 2 and all(n > 0 for n in per_worker), per_worker  # both workers took part
    assert not list(redis.Redis.from_url(REDIS_URL).scan_iter(f"{frontier}:*"))  # a finished frontier is removed
