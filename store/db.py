"""Engine creation: one place decides the database URL and per-dialect settings."""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel, create_engine

DEFAULT_DB_URL = "sqlite:///gkaudit.db"


def resolve_db_url(url: str | None = None) -> str:
    """--db wins, then GKAUDIT_DB, then a SQLite file in the working directory."""
    return url or os.environ.get("GKAUDIT_DB") or DEFAULT_DB_URL


def connect(url: str | None = None) -> Engine:
    """Open the database and create any missing tables."""
    url = resolve_db_url(url)
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    import store.models  # noqa: F401  (registers the tables)

    SQLModel.metadata.create_all(engine)
    _check_columns(engine, url)
    return engine


class SchemaError(RuntimeError):
    """The database was created by an older gkaudit and lacks columns this version writes."""


def _check_columns(engine: Engine, url: str) -> None:
    """Refuse to write into an older schema (create_all adds tables, never columns) with a clear message."""
    from sqlalchemy import inspect

    inspector = inspect(engine)
    for table in SQLModel.metadata.sorted_tables:
        have = {c["name"] for c in inspector.get_columns(table.name)}
        missing = [c.name for c in table.columns if c.name not in have]
        if missing:
            raise SchemaError(f"数据库 {engine.url.render_as_string(hide_password=True)} 的表 {table.name} 缺少列 "
                              f"{', '.join(missing)}：它由旧版 gkaudit 创建。请换一个数据库文件（--db），或删除旧文件后重试。")


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # WAL lets `sqlite3 gkaudit.db` read while an audit writes; NORMAL sync is safe with WAL.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def now():
    """Timezone-aware local time: the store keeps aware datetimes (SQLModel requires them)."""
    from datetime import datetime

    return datetime.now().astimezone()
