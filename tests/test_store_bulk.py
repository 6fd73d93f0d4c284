"""store.bulk.insert_rows stores exactly what SQLAlchemy's own insert stores (dates, datetimes, JSON, booleans,
NULLs), in order, across chunk boundaries — on SQLite, where it writes multi-row statements, and on PostgreSQL."""
from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select
from sqlmodel import Session

import store.bulk
from core.clock import now
from store import connect
from store.bulk import insert_rows
from store.models import ColumnItem, Link, Page, Run
from crawler.pipelines import PAGE_COLUMNS


def _run(engine) -> int:
    with Session(engine) as session:
        run = Run(started_at=now(), as_of=date(2026, 11, 20))
        session.add(run)
        session.commit()
        return run.id


AT = now()


def _pages(run_id):
    rows = []
    for i, extra in enumerate([None, {"messages": [{"title": "关于噪声的留言", "asked": "2026-10-01"}]}]):
        page = dict.fromkeys(PAGE_COLUMNS)
        page.update(run_id=run_id, site="s", url=f"http://127.0.0.1/{i}.html", status=200, depth=1, is_home=i == 0,
                    probe=False, external=False, confirmed=False, conac=True, is_list=False, soft_404=False,
                    revalidated=False, fetched_at=AT, published=date(2026, 11, 1 + i), title="标题",
                    headings=["一、概况"] if i else None, extra=extra)
        rows.append(page)
    return rows


def _stored(engine, model, run_id):
    table = model.__table__
    with engine.connect() as conn:
        return [tuple(v for k, v in row._mapping.items() if k not in ("id", "run_id"))
                for row in conn.execute(select(table).where(table.c.run_id == run_id).order_by(table.c.id))]


def test_bulk_rows_equal_sqlalchemy_rows(db_url, monkeypatch):
    monkeypatch.setattr(store.bulk, "SQLITE_MAX_VARIABLES", 20)  # several statements per table on SQLite
    engine = connect(db_url)
    plain, bulk = _run(engine), _run(engine)
    links = [{"run_id": None, "site": "s", "page_url": "http://127.0.0.1/0.html", "target_url": f"http://127.0.0.1/{i}",
              "tag": "a", "text": None if i % 2 else f"链接{i}", "fragment": "top" if i == 3 else None,
              "internal": i % 3 != 0} for i in range(7)]
    items = [{"run_id": None, "site": "s", "column_url": "http://127.0.0.1/list.html", "title": f"通知{i}",
              "url": None, "date": date(2026, 11, i + 1) if i else None, "date_source": "list"} for i in range(3)]
    with engine.begin() as conn:
        for run_id, write in ((plain, lambda m, rows: conn.execute(insert(m), rows)),
                              (bulk, lambda m, rows: insert_rows(conn, m, rows))):
            write(Page, _pages(run_id))
            write(Link, [dict(r, run_id=run_id) for r in links])
            write(ColumnItem, [dict(r, run_id=run_id) for r in items])
    for model, count in ((Page, 2), (Link, 7), (ColumnItem, 3)):
        stored = _stored(engine, model, bulk)
        assert len(stored) == count and stored == _stored(engine, model, plain)
    engine.dispose()
