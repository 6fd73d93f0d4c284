"""The schema is migrated, not re-created: Alembic revisions match the tables, and upgrades keep data."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

from store import connect
from store.db import current_revision, head_revision
from tests.conftest import gkaudit


def test_migrations_describe_exactly_the_tables_in_the_code(db_url):
    """Adding a column without a migration fails here, before it fails on a user's database."""
    engine = connect(db_url)  # a new database is created through the migrations
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


def test_db_upgrade_on_a_current_database_keeps_its_data(tmp_path):
    url = f"sqlite:///{tmp_path / 'gk.db'}"
    engine = connect(url)
    with engine.begin() as conn:
        conn.execute(text("insert into run (started_at, as_of, status) values ('2026-11-20 10:00:00', '2026-11-20', 'complete')"))
    proc = gkaudit("db", "upgrade", "--db", url)
    assert proc.returncode == 0, proc.stderr
    assert head_revision() in proc.stderr
    with create_engine(url).connect() as conn:
        assert conn.execute(text("select count(*) from run")).scalar() == 1
    assert head_revision() in gkaudit("db", "current", "--db", url).stdout


def test_a_database_behind_the_code_is_refused_with_the_upgrade_command(tmp_path, run_gkaudit):
    url = f"sqlite:///{tmp_path / 'gk.db'}"
    engine = connect(url)
    with engine.begin() as conn:
        conn.execute(text("update alembic_version set version_num = '0000'"))
    sites = tmp_path / "sites.yaml"
    sites.write_text("sites:\n  - id: a\n    name: 甲局\n    level: city\n    url: http://127.0.0.9:1/\n", encoding="utf-8")
    proc = run_gkaudit("audit", "--sites", sites, "--out", tmp_path / "out", "--db", url)
    assert proc.returncode == 2
    assert "gkaudit db upgrade" in proc.stderr and "0000" in proc.stderr


def test_upgrading_from_the_first_schema_keeps_the_data(db_url):
    """A database made by the first released schema (0001) upgrades in place, its runs and findings intact."""
    from alembic import command

    from store.db import _alembic_config

    engine = create_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0001")
    with engine.begin() as conn:
        conn.execute(text("insert into run (id, started_at, as_of, status) values (1, '2026-11-01 10:00:00', '2026-11-01', 'complete')"))
        conn.execute(text("insert into finding (run_id, site, rule, kind, severity, url, message, evidence, points, "
                          "fingerprint, status) values (1, 's', 'GUIDE-05', 'identifier-missing', 'deduct', 'http://a/', "
                          "'首页底部未标注ICP备案编号', '{}', 1.0, 'abc', 'new')"))
    assert current_revision(engine) == "0001"
    proc = gkaudit("db", "upgrade", "--db", db_url)
    assert proc.returncode == 0, proc.stderr
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        assert conn.execute(text("select message from finding")).scalar() == "首页底部未标注ICP备案编号"
        assert conn.execute(text("select count(*) from probesample")).scalar() == 0  # the new table exists


def test_processes_starting_together_on_a_new_database_create_the_schema_once(pg_url):
    """Two audits launched at the same moment on a fresh PostgreSQL database must not race to create tables."""
    import subprocess
    import sys

    code = f"from store import connect; connect({pg_url!r})"
    procs = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True) for _ in range(4)]
    errors = [p.communicate(timeout=60)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errors
    assert current_revision(create_engine(pg_url)) == head_revision()
