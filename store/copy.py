"""Copy stored observations from one run into another with plain INSERT … SELECT (no rows through Python)."""
from __future__ import annotations

from sqlalchemy import Boolean, Column, Integer, MetaData, String, Table, and_, case, delete, insert, literal, select
from sqlalchemy.schema import CreateTable

# The pages of a batch to copy, joined against each observation table: one statement per table per batch.
REUSE = Table("gk_reuse", MetaData(), Column("from_run", Integer), Column("site", String), Column("url", String),
              Column("validated", Boolean), prefixes=["TEMPORARY"])


def _insert_copy(conn, table, to_run: int, replace: dict, source, *where) -> None:
    """INSERT … SELECT of every column but id into run `to_run`; `replace` maps column names to expressions."""
    cols = [c for c in table.columns if c.name not in ("id", "run_id")]
    values = [replace[c.name](c).label(c.name) if c.name in replace else c for c in cols]
    conn.execute(insert(table).from_select(["run_id", *[c.name for c in cols]],
                                           select(literal(to_run), *values).select_from(source).where(*where)))


def copy_rows(conn, model, to_run: int, *where, set_values: dict | None = None) -> None:
    """Copy the rows of `model` matching `where` into run `to_run`; set_values overrides columns with constants."""
    replace = {name: (lambda c, v=value: literal(v, c.type)) for name, value in (set_values or {}).items()}
    _insert_copy(conn, model.__table__, to_run, replace, model.__table__, *where)


def copy_pages(conn, to_run: int, pages: list[tuple[int, str, str, bool]], tables, now) -> None:
    """Copy whole pages — (from run, site, url, validated) — with their rows in `tables` ((model, url column), …).

    The page row is marked `revalidated`; a validated one (answered 304 now) also gets fetched_at = now.
    """
    conn.execute(CreateTable(REUSE, if_not_exists=True))
    conn.execute(insert(REUSE), [{"from_run": r, "site": s, "url": u, "validated": v} for r, s, u, v in pages])
    page_columns = {"revalidated": lambda c: literal(True, c.type),
                    "fetched_at": lambda c: case((REUSE.c.validated, literal(now, c.type)), else_=c)}
    for model, url_column in tables:
        table = model.__table__
        joined = table.join(REUSE, and_(table.c.run_id == REUSE.c.from_run, table.c.site == REUSE.c.site,
                                         table.c[url_column] == REUSE.c.url))
        _insert_copy(conn, table, to_run, page_columns if table.name == "page" else {}, joined)
    conn.execute(delete(REUSE))
