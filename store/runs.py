"""Runs whose process is gone: a crawl killed with SIGKILL (or a power loss) cannot mark its own run.

Every batch of observations is one transaction, so what such a run stored is consistent; it only needs its
status. The next gkaudit command on the same machine finds it (`running`, this host, pid not alive) and marks
it incomplete with the reason `abandoned`, which `gkaudit audit --resume RUN` accepts.
"""
from __future__ import annotations

import os
import socket

from sqlalchemy import update
from sqlmodel import Session, select

from store.db import now
from store.models import Run


def this_process() -> dict:
    return {"host": socket.gethostname(), "pid": os.getpid()}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def mark_abandoned(engine) -> list[int]:
    """Mark this machine's `running` runs whose process no longer exists as incomplete (abandoned)."""
    host = socket.gethostname()
    with Session(engine) as session:
        running = session.exec(select(Run).where(Run.status == "running", Run.host == host)).all()
        dead = [run.id for run in running if run.pid and not _alive(run.pid)]
        if dead:
            session.exec(update(Run).where(Run.id.in_(dead), Run.status == "running")
                         .values(status="incomplete", finish_reason="abandoned", finished_at=now()))
            session.commit()
    return dead
