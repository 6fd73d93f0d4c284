"""Copy stored observations from one run into another with plain INSERT … SELECT (no rows through Python)."""
from __future__ import annotations

from sqlalchemy import insert, literal, select


def copy_rows(conn, model, to_run: int, *where, set_values: dict | None = None) -> None:
    """Copy the rows of `model` matching `where` into run `to_run`; set_values overrides columns with constants."""
    table = model.__table__
    set_values = set_values or {}
    cols = [c for c in table.columns if c.name not in ("id", "run_id")]
    values = [literal(set_values[c.name], c.type).label(c.name) if c.name in set_values else c for c in cols]
    conn.execute(insert(table).from_select(["run_id", *[c.name for c in cols]],
                                           select(literal(to_run), *values).where(*where)))
