"""Pages whose content only a browser shows (issue 21, rendering), end to end in Debian's chromium against their
static twin.

The bundled clean-gkmlpt site is the twin. Its JavaScript copy builds the homepage footer (网站标识码, ICP备案,
公安备案, 党政机关标识, 找错) from a JSON API, the 工作动态 column as an application root (`<div id="app">`) from
another, and the 通知公告 list with XMLHttpRequest into an empty `<ul class="list">`: nothing the static fragment
resolver can read. Rendered only where needed, the audit gives exactly the twin's findings, plus the advice
GUIDE-13 that search engines and assistive tools may not see the content. A copy whose footer API is gone still
has no footer (GUIDE-05). A copy addressed by a host name that only the audit's nameserver knows (the fixture DNS
server, as a 政务内网's own) renders too: chromium asks the address the crawl resolved. The browser never fetches
anything outside the site.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
from pathlib import Path

import pytest

from fixtures import scripted
from fixtures.server import serve
from tests.conftest import AS_OF, gkaudit

TWIN = Path(__file__).resolve().parent.parent / "fixtures" / "sites" / "clean-gkmlpt"
CHROMIUM = Path("/usr/bin/chromium")
ADVICE = "GUIDE-13"
NAMED = "js-named.jiangnan.test"

if not CHROMIUM.exists() and os.environ.get("CI") != "true":
    pytest.skip("chromium 未安装（make install 会安装）", allow_module_level=True)

def scripted_copy(sites: Path, name: str, address: str, outside: str, footer_api: bool = True,
                  host: str | None = None) -> None:
    """A copy of the twin whose homepage footer, 工作动态 column and 通知公告 list come from JSON APIs."""
    site = sites / name
    shutil.copytree(TWIN, site)
    (site / "site.yaml").write_text((TWIN / "site.yaml").read_text(encoding="utf-8")
                                    .replace("id: clean-gkmlpt", f"id: {name}")
                                    .replace("address: 127.0.0.5", f"address: {address}")
                                    + (f"host: {host}\n" if host else ""), encoding="utf-8")
    root = site / "root"
    scripted.footer_from_api(root, outside, api=footer_api)
    scripted.app_root(root, "xwzx/gzdt/index.html", "gzdt")
    scripted.list_from_api(root, "xwzx/tzgg/index.html", "tzgg")


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    work = tmp_path_factory.mktemp("render")
    sites = work / "sites"
    shutil.copytree(TWIN, sites / "clean-gkmlpt")
    outside = socket.socket()  # another host the hostile page calls: it must never be asked
    outside.bind(("127.0.0.143", 0))
    outside.listen(8)
    outside.setblocking(False)
    address = "127.0.0.143:%d" % outside.getsockname()[1]
    scripted_copy(sites, "js-site", "127.0.0.141", address)
    scripted_copy(sites, "js-nofooter", "127.0.0.142", address, footer_api=False)
    scripted_copy(sites, "js-named", "127.0.0.144", address, host=NAMED)
    with serve(sites, access_log=True) as server, outside:
        assert server.nameserver  # the name is the fixture DNS server's only: neither /etc/hosts nor the system's
        proc = gkaudit("audit", "--sites", server.sites_file, "--as-of", AS_OF, "--out", work / "out",
                       "--db", f"sqlite:///{work / 'gk.db'}", "--delay", "0", "--quiet",
                       "--nameserver", server.nameserver, timeout=600)
        urls = server.urls
        log = server.requests()
        try:
            outside.accept()
            called = True
        except BlockingIOError:
            called = False
    assert proc.returncode in (0, 1), proc.stderr
    data = json.loads((work / "out" / "findings.json").read_text(encoding="utf-8"))
    by_site: dict[str, set] = {}
    for f in data["findings"]:
        by_site.setdefault(f["site"], set()).add((f["rule"], f["kind"], f["url"].replace(urls[f["site"]], "/")))
    return by_site, data, urls, work / "gk.db", (log, called)


def test_a_site_built_by_scripts_gives_the_findings_of_its_static_twin(audited):
    by_site, *_ = audited
    assert {f for f in by_site["js-site"] if f[0] != ADVICE} == by_site.get("clean-gkmlpt", set())


def test_a_site_named_only_by_the_audits_nameserver_renders_too(audited):
    by_site, _, urls, db, _ = audited
    assert urls["js-named"].startswith(f"http://{NAMED}:")
    # GUIDE-10: a name without an AAAA record is a site without IPv6 (an address alone is not probed); not rendering
    assert {f for f in by_site["js-named"] if f[0] not in (ADVICE, "GUIDE-10")} == by_site.get("clean-gkmlpt", set())
    with sqlite3.connect(db) as conn:
        home = conn.execute("SELECT extra FROM page WHERE site = 'js-named' AND url = ?", (urls["js-named"],)).fetchone()
    assert set(json.loads(home[0])["rendered"]["added"]) >= {"ICP备案", "公安备案"}  # shown by chromium only


def test_content_that_appears_only_when_rendered_is_advice(audited):
    by_site, data, *_ = audited
    assert {f[2] for f in by_site["js-site"] if f[0] == ADVICE} == {"/", "/xwzx/gzdt/index.html",
                                                                  "/xwzx/tzgg/index.html"}
    assert not any(f[0] == ADVICE for f in by_site.get("clean-gkmlpt", set()))
    advice = [f for f in data["findings"] if f["rule"] == ADVICE]
    assert all(f["severity"] == "advice" for f in advice)


def test_only_the_pages_that_need_it_are_rendered(audited):
    _, _, urls, db, _ = audited
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT site, url, extra FROM page WHERE extra LIKE '%\"rendered\"%'").fetchall()
    rendered = {(site, url.replace(urls[site], "/")): json.loads(extra)["rendered"] for site, url, extra in rows}
    assert {key for key in rendered} == {(s, p) for s in ("js-site", "js-nofooter", "js-named")
                                         for p in ("/", "/xwzx/gzdt/index.html", "/xwzx/tzgg/index.html")}
    assert rendered[("js-site", "/")]["why"] == "footer"
    assert rendered[("js-site", "/xwzx/gzdt/index.html")]["why"] == "app-root"
    assert rendered[("js-site", "/xwzx/tzgg/index.html")]["why"] == "list"
    assert rendered[("js-nofooter", "/")]["added"] == []


def test_a_footer_api_that_is_gone_is_still_a_missing_footer(audited):
    by_site, *_ = audited
    assert ("GUIDE-05", "identifier-missing", "/") in by_site["js-nofooter"]


def test_the_browser_fetches_nothing_outside_the_site(audited):
    *_, (log, called) = audited
    assert ("GET", "/api/site.json", 200) in log  # the page's own API: asked by the browser
    assert not called
