"""gkaudit serve in Debian's headless chromium (tests/reports/browser.py's CDP driver): `gkaudit serve` runs as a
subprocess on a free loopback port; a webmaster logs in through the form, sees only their site, the pages load
without console errors (a CSP violation would be one), and a form stripped of its CSRF token is refused."""
from __future__ import annotations

import json
import socket
import subprocess
import time

import pytest

from store import connect
from tests.conftest import GKAUDIT
from tests.reports.browser import Browser

from .province import PASSWORD, add_users, fill


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
    port = _free_port()
    proc = subprocess.Popen([GKAUDIT, "serve", "--db", db, "--port", str(port)], stdout=subprocess.DEVNULL,
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
