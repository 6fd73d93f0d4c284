"""gkaudit serve in Debian's headless chromium (tests/reports/browser.py's CDP driver): `gkaudit serve` runs as a
subprocess on a free loopback port; a webmaster logs in through the form, sees only their site, the pages load
without console errors (a CSP violation would be one), and a form stripped of its CSRF token is refused. The loop:
a webmaster reports an item of a fixture-server site fixed, the service's worker rechecks it and the item closes;
a supervisor reads the overdue list."""
from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import time

import pytest

from store import connect, ledger
from store.users import add_user
from tests.conftest import GKAUDIT, audited_samples
from tests.reports.browser import Browser
from tests.test_recheck import FOOTER_FIXED, FOOTER_OLD

from .province import PASSWORD, UNIT_A, add_users, fill, item_of


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    db = f"sqlite:///{tmp_path / 'gk.db'}"
    engine = connect(db)
    fill(engine)
    add_users(engine)
    engine.dispose()
    with _serving(db) as url:
        yield url


@contextlib.contextmanager
def _serving(db: str, *extra: str):
    port = _free_port()
    proc = subprocess.Popen([GKAUDIT, "serve", "--db", db, "--port", str(port), *extra], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert proc.poll() is None, proc.stderr.read()
            time.sleep(0.3)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _go(b: Browser, script: str | None = None, url: str | None = None) -> None:
    """Navigate (or run a script that submits a form) and wait for the next page."""
    b.events.clear()
    if url:
        b.call("Page.navigate", session=True, url=url)
    else:
        b.call("Runtime.evaluate", session=True, expression=script)
    b.wait_for("Page.loadEventFired")


def _eval(b: Browser, expression: str):
    return json.loads(b.call("Runtime.evaluate", session=True, expression=f"JSON.stringify({expression})",
                             returnByValue=True)["result"]["value"])


def _errors(b: Browser) -> list[str]:
    b.call("Runtime.evaluate", session=True, expression="1")
    return [json.dumps(e["params"])[:300] for e in b.events
            if e.get("method") in ("Runtime.exceptionThrown", "Log.entryAdded")
            and (e["method"] == "Runtime.exceptionThrown" or e["params"]["entry"]["level"] == "error")]


def test_a_webmaster_sees_only_their_site_and_a_form_without_its_token_is_refused(served):
    with Browser(timeout=60) as b:
        _go(b, url=served + "/")
        assert _eval(b, "location.pathname") == "/login"
        _go(b, "document.querySelector('[name=name]').value='webmaster';"
               f"document.querySelector('[name=password]').value={json.dumps(PASSWORD)};"
               "document.querySelector('form.login').submit()")
        assert _eval(b, "location.pathname") == "/"
        assert _eval(b, "[...document.querySelectorAll('tr.site')].map(r => r.dataset.site)") == ["a"]
        assert _eval(b, "document.querySelectorAll('svg.trend').length") == 1
        assert _eval(b, "typeof htmx") == "object"  # the static htmx loaded under the CSP
        assert _errors(b) == []
        _go(b, url=served + "/sites/b")
        assert _eval(b, "document.querySelector('#error-message') !== null") and "404" in _eval(b, "document.title")
        _go(b, url=served + "/sites/a")
        assert _eval(b, "document.querySelectorAll('script').length") == 1  # the hostile title stayed text
        assert _errors(b) == []
        _go(b, "document.querySelector('form.logout [name=csrf]').remove();"
               "document.querySelector('form.logout').submit()")
        assert "CSRF" in _eval(b, "document.querySelector('#error-message').textContent")
        assert "403" in _eval(b, "document.title")
        _go(b, url=served + "/")
        assert _eval(b, "location.pathname") == "/"  # still signed in: the refused logout did nothing


def _login(b: Browser, served: str, name: str) -> None:
    _go(b, url=served + "/login")
    _go(b, f"document.querySelector('[name=name]').value={json.dumps(name)};"
           f"document.querySelector('[name=password]').value={json.dumps(PASSWORD)};"
           "document.querySelector('form.login').submit()")
    assert _eval(b, "location.pathname") == "/"


def test_reported_fixed_the_worker_rechecks_and_the_item_closes(tmp_path):
    site = "sthjt-trs"
    db = f"sqlite:///{tmp_path / 'gk.db'}"
    with audited_samples(tmp_path, db, site) as (server, sites):
        engine = connect(db)
        fill(engine)  # three more sites, site a's link item overdue
        add_user(engine, "wm", "webmaster", PASSWORD, sites=[site])
        add_user(engine, "sup", "supervisor", PASSWORD, supervisors=["江南省人民政府办公厅", UNIT_A])
        item = next(i for i in ledger.list_items(engine, site=site) if "GUIDE-05" in i.rules)
        with _serving(db, "--worker-interval", "2", "--recheck-out", str(tmp_path / "rechecks")) as served, \
                Browser(timeout=60) as b:
            _login(b, served, "wm")
            assert _eval(b, "[...document.querySelectorAll('tr.site')].map(r => r.dataset.site)") == [site]
            _go(b, url=f"{served}/sites/{site}")
            href = _eval(b, f"document.querySelector('tr.item[data-item=\"{item.id}\"] a').getAttribute('href')")
            _go(b, url=served + href)
            assert _eval(b, "document.querySelector('#item-status').textContent") == "待整改"
            assert _errors(b) == []
            # the webmaster fixes the footer, then reports it
            index = sites / site / "root" / "index.html"
            index.write_text(index.read_text(encoding="utf-8").replace(FOOTER_OLD, FOOTER_FIXED), encoding="utf-8")
            _go(b, "document.querySelector('form.feedback [name=note]').value='页脚已补充公安备案号';"
                   "document.querySelector('form.feedback [name=done]').value='2026-11-21';"
                   "document.querySelector('form.feedback').submit()")
            assert _eval(b, "document.querySelector('#item-status').textContent") == "已整改待复查"
            status, deadline = "", time.monotonic() + 180
            while status != "已销号" and time.monotonic() < deadline:
                time.sleep(2)
                _go(b, url=f"{served}/items/{item.id}")
                status = _eval(b, "document.querySelector('#item-status').textContent")
            assert status == "已销号", ledger.timeline(engine, item.id)
            events = _eval(b, "[...document.querySelectorAll('table.timeline tr.event')].map(r => r.className)")
            assert events[-3:] == ["event feedback", "event recheck_queued", "event recheck_passed"]
            # a form stripped of its CSRF token is refused, and records nothing
            _go(b, "document.querySelector('form.comment [name=note]').value='无令牌';"
                   "document.querySelector('form.comment [name=csrf]').remove();"
                   "document.querySelector('form.comment').submit()")
            assert "CSRF" in _eval(b, "document.querySelector('#error-message').textContent")
            assert "comment" not in [e.kind for e in ledger.timeline(engine, item.id)]
            _go(b, "document.querySelector('form.logout').submit()")
            # the supervisor reads the overdue list: their units' overdue items only
            _login(b, served, "sup")
            _go(b, url=served + "/ledger?view=overdue")
            shown = _eval(b, "[...document.querySelectorAll('tr.item')].map(r => [+r.dataset.item, r.className])")
            assert [item_of(engine, "a-link"), "item open overdue"] in shown
            assert all("overdue" in cls for _, cls in shown)
            assert item_of(engine, "b-link") not in [i for i, _ in shown]  # another unit's site
            assert _errors(b) == []
        engine.dispose()
