"""Bulk inserts that hand the GIL back rarely: one multi-row INSERT per few thousand rows on SQLite.

The pipeline writes from a thread beside the crawl. Python's sqlite3 releases the GIL around every statement
step, so an executemany of 11,000 link rows re-acquires it 11,000 times against a busy crawl thread; measured,
a batch's links took 40× their CPU time in wall time. A multi-row VALUES statement is one step per chunk. Values
go through the columns' own SQLAlchemy bind processors, as an ordinary insert would. Other databases keep
SQLAlchemy's executemany (psycopg2 already sends one multi-row statement per page of rows).
"""
from __future__ import annotations

import sqlite3

from sqlalchemy import insert

SQLITE_MAX_VARIABLES = 32766 if sqlite3.sqlite_version_info >= (3, 32) else 999


def insert_rows(conn, model, rows: list[dict], prefix: str = "") -> None:
    """INSERT every row (dicts with the same keys) into model's table; prefix e.g. "OR IGNORE" (SQLite only)."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        statement = insert(model)
        conn.execute(statement.prefix_with(prefix) if prefix else statement, rows)
        return
    table = model.__table__
    names = list(rows[0])
    dialect = conn.dialect
    processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names]
    quote = dialect.identifier_preparer.quote
    head = f"INSERT {prefix} INTO {quote(table.name)} ({', '.join(map(quote, names))}) VALUES "
    one = "(" + ", ".join("?" * len(names)) + ")"
    start = 0
    for size in _chunk_sizes(len(rows), SQLITE_MAX_VARIABLES // len(names)):
        chunk = rows[start:start + size]
        start += size
        params = [process(row[name]) if process else row[name]
                  for row in chunk for name, process in zip(names, processors)]
        conn.exec_driver_sql(head + ", ".join([one] * size), tuple(params))


def _chunk_sizes(count: int, most: int) -> list[int]:
    """Chunk sizes that are powers of two: sqlite3 caches each distinct statement it prepares (128 per connection),
    and a prepared statement of thousands of rows is large, so only a dozen sizes per table may ever occur."""
    largest = 1 << max(0, most.bit_length() - 1)
    sizes = [largest] * (count // largest)
    rest = count % largest
    while rest:
        size = 1 << (rest.bit_length() - 1)
        sizes.append(size)
        rest -= size
    return sizes
