"""Copy stored observations from one run into another with plain INSERT … SELECT (no rows through Python)."""
from __future__ import annotations

from sqlalchemy import Boolean, Column, Integer, MetaData, String, Table, and_, case, delete, insert, literal, select, text

# The pages of a batch to copy, joined against each observation table: one statement per table per batch.
REUSE = Table("gk_reuse", MetaData(), Column("from_run", Integer), Column("site", String), Column("url", String),
              Column("validated", Boolean), prefixes=["TEMPORARY"])


def copy_rows(conn, model, to_run: int, *where, set_values: dict | None = None) -> None:
    """Copy the rows of `model` matching `where` into run `to_run`; set_values overrides columns with constants."""
    table = model.__table__
    set_values = set_values or {}
    cols = [c for c in table.columns if c.name not in ("id", "run_id")]
    values = [literal(set_values[c.name], c.type).label(c.name) if c.name in set_values else c for c in cols]
    conn.execute(insert(table).from_select(["run_id", *[c.name for c in cols]],
                                           select(literal(to_run), *values).where(*where)))


def copy_pages(conn, to_run: int, pages: list[tuple[int, str, str, bool]], tables, now) -> None:
    """Copy whole pages — (from run, site, url, validated) — with their rows in `tables` ((model, url column), …).

    The page row is marked `revalidated`; a validated one (answered 304 now) also gets fetched_at = now.
    """
    conn.execute(text("CREATE TEMPORARY TABLE IF NOT EXISTS gk_reuse "
                      "(from_run INTEGER, site VARCHAR, url VARCHAR, validated BOOLEAN)"))
    conn.execute(insert(REUSE), [{"from_run": r, "site": s, "url": u, "validated": v} for r, s, u, v in pages])
    for model, url_column in tables:
        table = model.__table__
        cols = [c for c in table.columns if c.name not in ("id", "run_id")]
        out = []
        for c in cols:
            if c.name == "revalidated":
                out.append(literal(True, c.type).label(c.name))
            elif c.name == "fetched_at" and model.__tablename__ == "page":
                out.append(case((REUSE.c.validated, literal(now, c.type)), else_=c).label(c.name))
            else:
                out.append(c)
        joined = table.join(REUSE, and_(table.c.run_id == REUSE.c.from_run, table.c.site == REUSE.c.site,
                                         table.c[url_column] == REUSE.c.url))
        conn.execute(insert(table).from_select(["run_id", *[c.name for c in cols]],
                                               select(literal(to_run), *out).select_from(joined)))
    conn.execute(delete(REUSE))
