"""Shared helpers: run the real `gkaudit` command as a user would."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

from fixtures.server import serve

ROOT = Path(__file__).resolve().parent.parent
GKAUDIT = str(Path(sys.executable).with_name("gkaudit"))
AS_OF = "2026-11-20"  # the bundled fixture sites are dated for this day


def gkaudit(*args, timeout=300, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([GKAUDIT, *map(str, args)], capture_output=True, text=True, timeout=timeout, **kwargs)


@pytest.fixture
def run_gkaudit():
    return gkaudit


@contextmanager
def audited_samples(tmp_path: Path, db: str, *names: str):
    """Copies of these bundled sample sites (tmp_path/sites, free to edit), served on loopback and audited once
    (no delay, reports in tmp_path/audit): yields (server, the sites folder) while they are served."""
    sites = tmp_path / "sites"
    for name in names:
        shutil.copytree(ROOT / "fixtures" / "sites" / name, sites / name)
    with serve(sites) as server:
        done = gkaudit("audit", "--sites", server.sites_file, "--as-of", AS_OF, "--out", tmp_path / "audit",
                       "--db", db, "--delay", "0")
        assert done.returncode == 0, done.stderr
        yield server, sites


# The slowest files (each a minute or more of `make test`, 2026-12), handed to the xdist workers first: with
# `--dist loadfile` a file runs whole on one worker, and a slow one left for the end keeps the other worker idle.
SLOW_FIRST = ["test_ledger_cli.py", "test_audit_e2e.py", "test_faults.py", "web/test_worker.py", "test_golden.py",
              "test_revalidate.py", "test_hostile.py", "test_cli_usage.py", "test_network.py", "web/test_users_cli.py",
              "test_ocr_crawl.py", "test_remind.py", "test_link_crawl.py", "test_interrupt.py"]


def pytest_collection_modifyitems(config, items):
    """SLOW_FIRST's files first, in that order; the others after them as collected (a file's tests keep theirs)."""
    rank = {f"tests/{name}": i for i, name in enumerate(SLOW_FIRST)}
    where = {id(item): rank.get(item.nodeid.split("::")[0], len(rank)) for item in items}
    items.sort(key=lambda item: where[id(item)])


PG_ADMIN_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"


@pytest.fixture
def pg_url():
    """A fresh PostgreSQL database of this test's own on the local server (trust auth), dropped afterwards: two
    suites on one machine never share one. Not skipped when the server is absent: fails."""
    with private_pg_database("gkaudit_test") as url:
        yield url


@contextmanager
def private_pg_database(prefix: str):
    """A PostgreSQL database of the caller's own, dropped afterwards (pg_url and tests that make several)."""
    from sqlalchemy import create_engine, text

    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield f"postgresql+psycopg2://postgres@127.0.0.1:5432/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """Both supported databases: the embedded default and a PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'gk.db'}"
    return request.getfixturevalue("pg_url")
