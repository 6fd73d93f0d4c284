"""gkaudit serve over both supported databases: SQLite and PostgreSQL (127.0.0.1:5432, a private database; never
skipped): a real login, the scope of a webmaster, a site page, 404 for another site, logout."""
from __future__ import annotations

import re

from fastapi.testclient import TestClient

from .conftest import make_service
from .province import PASSWORD


def test_the_service_on_each_database(db_url, rules):
    engine, app, runs = make_service(db_url, rules)
    with TestClient(app) as client:
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
        done = client.post("/login", data={"name": "webmaster", "password": PASSWORD, "csrf": token, "next": "/"},
                           follow_redirects=False)
        assert done.status_code == 303, done.text[:300]
        page = client.get("/").text
        assert 'data-site="a"' in page and 'data-site="b"' not in page
        assert f"批次 {runs['recheck']}（2026-11-25）" in page
        assert "&lt;script&gt;" in client.get("/sites/a").text
        assert client.get("/sites/b").status_code == 404
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        assert client.post("/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
        assert client.get("/", follow_redirects=False).status_code == 302
    engine.dispose()
