"""The renderer in Debian's chromium (crawler/render/browser.py), page by page: its tabs are reused from one page to
the next, so what one page leaves behind (cookies, storage, requests it still makes) must not reach the next, and a
page is read only once the data its scripts asked for has arrived, however many requests follow one another.

The crawl's own path (the spider marks pages, the middleware answers with the rendered DOM) is
tests/test_render_crawl.py."""
from __future__ import annotations

import asyncio
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from crawler.render.browser import Budget, Renderer

CHROMIUM = Path("/usr/bin/chromium")

if not CHROMIUM.exists() and os.environ.get("CI") != "true":
    pytest.skip("chromium 未安装（make install 会安装）", allow_module_level=True)

SHOW = """<html><body><ul class="list"></ul><script>
fetch('/first.json').then(r => r.json()).then(d => fetch(d.next)).then(r => r.json()).then(d => {
  const ul = document.querySelector('ul.list');
  d.items.forEach(t => { const li = document.createElement('li'); li.textContent = t; ul.appendChild(li); });
  const p = document.createElement('p'); p.id = 'left';
  p.textContent = (localStorage.getItem('seen') || 'no-storage') + '|' + (document.cookie || 'no-cookie');
  document.body.appendChild(p);
});
</script></body></html>"""
LEAVE = """<html><body><p>首页</p><script>
localStorage.setItem('seen', 'yes'); document.cookie = 'visited=1; path=/';
setInterval(() => fetch('/beacon?' + Date.now()).catch(() => {}), 100);
</script></body></html>"""


def handler(log: list):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            log.append(self.path.split("?")[0])
            if self.path == "/first.json":
                time.sleep(0.4)  # longer than the renderer's quiet time: still pending, not quiet
                body, kind = b'{"next": "/second.json"}', "application/json"
            elif self.path == "/second.json":
                time.sleep(0.4)
                body, kind = '{"items": ["通知一", "通知二", "通知三"]}'.encode(), "application/json"
            elif self.path.startswith("/leave"):
                body, kind = LEAVE.encode(), "text/html; charset=utf-8"
            elif self.path.startswith("/show"):
                body, kind = SHOW.encode(), "text/html; charset=utf-8"
            else:
                body, kind = b"", "text/plain"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture(scope="module")
def rendered():
    logs: dict[str, list] = {"a": [], "b": []}
    servers = {name: ThreadingHTTPServer((address, 0), handler(logs[name]))
               for name, address in (("a", "127.0.0.161"), ("b", "127.0.0.162"))}
    for server in servers.values():
        threading.Thread(target=server.serve_forever, daemon=True).start()
    base = {name: "http://%s:%d" % server.server_address for name, server in servers.items()}

    async def run():
        renderer = Renderer(Budget(10, 100.0), 30.0, "gkaudit-test")
        try:
            out = {"leave": await renderer.render(base["a"] + "/leave", "a")}
            before_b = len(logs["a"])
            out["show-b"] = await renderer.render(base["b"] + "/show", "b")  # the same tab, another site
            await asyncio.sleep(0.5)
            out["a-asked-meanwhile"] = logs["a"][before_b:]
            out["show-a"] = await renderer.render(base["a"] + "/show", "a")  # the site that left storage
            out["tabs"] = len(renderer._tabs) + len(renderer._allowed)
            return out
        finally:
            await renderer.close()

    try:
        yield asyncio.run(run()), logs
    finally:
        for server in servers.values():
            server.shutdown()


def test_a_page_is_read_once_its_chained_data_requests_have_answered(rendered):
    out, _ = rendered
    html, error = out["show-b"]
    assert error is None
    assert html.count("<li>") == 3 and "通知三" in html


def test_the_next_page_is_a_first_visit_even_on_the_same_site(rendered):
    out, _ = rendered
    html, error = out["show-a"]
    assert error is None and "通知一" in html
    assert '<p id="left">no-storage|no-cookie</p>' in html


def test_a_page_left_behind_stops_asking_its_site(rendered):
    out, logs = rendered
    assert "/beacon" in logs["a"]  # it did ask while it was rendered
    assert "/beacon" not in out["a-asked-meanwhile"]  # not once the tab moved on to the other site
    assert "/beacon" not in logs["b"] and "/first.json" in logs["b"]


def test_tabs_are_reused(rendered):
    out, _ = rendered
    assert out["tabs"] == 1  # three pages, one after another: one tab
