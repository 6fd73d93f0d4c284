"""The web service over a stored province (tests/web/province.py), driven through Starlette's TestClient."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from checks.rules import load_rules
from core.resources import RULES_DIR
from gkaudit.web.app import create_app
from gkaudit.worker import Worker
from store import connect

from .province import add_users, fill, write_schedules


@pytest.fixture(scope="session")
def rules():
    return load_rules(RULES_DIR)


def make_service(url: str, rules, worker_out=None, schedules=None):
    """worker_out: give the app a recheck worker (not started: 「立即复查」 and 「立即运行」 only queue) writing
    there; schedules: the schedules file the audits page lists (tests/web/province.py write_schedules)."""
    engine = connect(url)
    runs = fill(engine)
    add_users(engine)
    worker = Worker(url, RULES_DIR, worker_out, schedules=schedules.path if schedules else None) if worker_out else None
    return engine, create_app(engine, rules, worker, schedules), runs


@pytest.fixture(scope="module")
def service(tmp_path_factory, rules):
    """(engine, app, run ids) over SQLite, shared by a module's tests (they only add what they name)."""
    folder = tmp_path_factory.mktemp("web")
    return make_service(f"sqlite:///{folder / 'gk.db'}", rules, folder / "rechecks", write_schedules(folder))


@pytest.fixture
def client(service):
    with TestClient(service[1]) as c:
        yield c
