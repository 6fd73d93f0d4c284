"""Engine creation: one place decides the database URL and per-dialect settings."""
from __future__ import annotations

import json
import os
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlmodel import SQLModel, create_engine

from core.resources import real_dir
from store import models, tokens, users  # noqa: F401  (registers the tables)
from store.runs import mark_abandoned

DEFAULT_DB_URL = "sqlite:///gkaudit.db"


class DbUrlError(ValueError):
    """--db / GKAUDIT_DB is neither a file path nor a database URL gkaudit can open (the message is for users)."""


DB_URL_HINT = "应为文件路径如 out/demo.db、sqlite:///文件 或 postgresql://用户@主机/数据库"


def resolve_db_url(url: str | None = None) -> str:
    """--db wins, then GKAUDIT_DB, then a SQLite file in the working directory.

    A plain file path (out/demo.db) is a SQLite file. A plain postgresql:// URL gets the psycopg2 driver gkaudit
    installs (SQLAlchemy 2.1 would pick psycopg 3). A URL SQLAlchemy cannot parse, or whose database kind it does
    not know, raises DbUrlError.
    """
    url = url or os.environ.get("GKAUDIT_DB") or DEFAULT_DB_URL
    if "://" not in url:
        return "sqlite:///" + url
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            url = "postgresql+psycopg2://" + url.removeprefix(plain)
    try:
        make_url(url).get_dialect()
    except (ArgumentError, NoSuchModuleError, ValueError):
        raise DbUrlError(f"数据库地址无效：{url!r}（{DB_URL_HINT}）") from None
    return url


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for another database or an in-memory one)."""
    if not url.startswith("sqlite:///"):
        return None
    path = url.removeprefix("sqlite:///").split("?", 1)[0]
    return Path(path).expanduser() if path and path != ":memory:" else None


def connect(url: str | None = None) -> Engine:
    """Open the database and create any missing tables."""
    url = resolve_db_url(url)
    path = sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, json_deserializer=_json_loads)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    _ensure_schema(engine)
    mark_abandoned(engine)  # runs of this machine whose process was killed become `incomplete`
    return engine


MIGRATIONS = real_dir(Path(__file__).resolve().parent / "migrations")  # extracted when run from a zipped egg


def _alembic_config(connection):
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(_alembic_config(None)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Migrate the schema to the newest revision, keeping the data; returns (from, to)."""
    before = current_revision(engine)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")
    return before, head_revision()


SCHEMA_LOCK = 72_722_026  # PostgreSQL advisory lock key: one process at a time creates or checks the schema


@contextmanager
def _schema_lock(engine: Engine):
    """Serialise schema creation between processes (two audits starting on one new PostgreSQL database)."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": SCHEMA_LOCK})
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": SCHEMA_LOCK})


def _ensure_schema(engine: Engine) -> None:
    """A new database gets the newest schema; an older one must be upgraded explicitly (gkaudit db upgrade)."""
    with _schema_lock(engine):
        if not inspect(engine).get_table_names():
            upgrade(engine)
            return
    current, head = current_revision(engine), head_revision()
    if current == head:
        return
    where = engine.url.render_as_string(hide_password=True)
    if current is None:
        _check_columns(engine, where)  # created before migrations existed: usable only if nothing is missing
        raise SchemaError(f"数据库 {where} 没有版本记录（由早期 gkaudit 创建）：请换一个数据库文件（--db），或删除旧文件后重试。")
    raise SchemaError(f"数据库 {where} 的结构版本 {current} 落后于 {head}：请先运行 gkaudit db upgrade --db {where}"
                      "（升级保留已有数据）。")


class SchemaError(RuntimeError):
    """The database was created by an older gkaudit and lacks columns this version writes."""


def _check_columns(engine: Engine, where: str) -> None:
    """Name the first missing table or column of a database that predates migrations."""
    inspector = inspect(engine)
    tables = set(inspector.get_table_names())
    for table in SQLModel.metadata.sorted_tables:
        if table.name not in tables:
            raise SchemaError(f"数据库 {where} 缺少表 {table.name}：它由旧版 gkaudit 创建。请换一个数据库文件（--db），或删除旧文件后重试。")
        have = {c["name"] for c in inspector.get_columns(table.name)}
        missing = [c.name for c in table.columns if c.name not in have]
        if missing:
            raise SchemaError(f"数据库 {where} 的表 {table.name} 缺少列 {', '.join(missing)}：它由旧版 gkaudit 创建。"
                              "请换一个数据库文件（--db），或删除旧文件后重试。")


def _json_loads(text: str):
    """json.loads, with the stored JSON null (half of all page facts) decoded without the parser."""
    return None if text == "null" else json.loads(text)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # WAL lets `sqlite3 gkaudit.db` read while an audit writes; NORMAL sync is safe with WAL.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()
