"""A minimal headless-chromium driver for the report tests: Chrome DevTools Protocol over --remote-debugging-pipe.

One browser per ``Browser()``; ``check(path)`` loads a local page at a fixed viewport, takes a screenshot and
returns what went wrong: console errors/warnings, uncaught exceptions, failed loads (Log domain), and tables
or table cells whose content is wider than the viewport or than the cell. No network, no JavaScript in the
pages themselves: the layout probe is evaluated by the driver after the load event.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
         "--remote-debugging-pipe", "--hide-scrollbars", "--mute-audio"]
WIDTH, HEIGHT = 1280, 900

# Layout probe: everything wider than the viewport, and every cell whose content overflows it.
PROBE = """(() => {
  const vw = document.documentElement.clientWidth, out = [];
  if (document.documentElement.scrollWidth > vw + 1)
    out.push(`page ${document.documentElement.scrollWidth}px > viewport ${vw}px`);
  document.querySelectorAll('table').forEach((t, i) => {
    const r = t.getBoundingClientRect();
    if (r.right > vw + 1 || t.scrollWidth > t.clientWidth + 1)
      out.push(`table #${i} (${t.className}): box ${Math.round(r.width)}px, content ${t.scrollWidth}px, ` +
               `right edge ${Math.round(r.right)}px, viewport ${vw}px`);
    t.querySelectorAll('td, th').forEach(c => {
      if (c.scrollWidth > c.clientWidth + 1)
        out.push(`table #${i} cell "${c.textContent.trim().slice(0, 40)}" content ${c.scrollWidth}px > cell ${c.clientWidth}px`);
    });
  });
  return JSON.stringify({overflow: out, tables: document.querySelectorAll('table').length,
                         svgs: document.querySelectorAll('svg').length, width: vw});
})()"""


class BrowserError(RuntimeError):
    pass


class Browser:
    def __init__(self, timeout: float = 15.0):
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="gkaudit-chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def wire():  # in the child: the browser reads commands on fd 3 and writes replies on fd 4
            r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)  # out of the way first, then into place
            w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(r, 3)
            os.dup2(w, 4)

        self._log = tempfile.TemporaryFile()
        # close_fds=False: subprocess would close fds 3 and 4 after preexec_fn; the parent's other fds are
        # non-inheritable (PEP 446), so nothing else leaks.
        self.proc = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={self.profile}", f"--window-size={WIDTH},{HEIGHT}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._log,
            preexec_fn=wire, close_fds=False)
        os.close(to_child_r)
        os.close(from_child_w)
        self._buf = b""
        self._id = 0
        self.events: list[dict] = []
        targets = self.call("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.call("Target.attachToTarget", targetId=page["targetId"], flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=True)
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=WIDTH, height=HEIGHT,
                  deviceScaleFactor=1, mobile=False)

    # --- protocol -------------------------------------------------------------------------------
    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_child], [], [], left)[0]:
                raise BrowserError("chromium did not answer in time")
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise BrowserError("chromium closed the pipe: " + self._stderr())
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, session: bool = False, **params) -> dict:
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params}
        if session:
            msg["sessionId"] = self.session
        os.write(self._to_child, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str) -> dict:
        deadline = time.monotonic() + self.timeout
        for i, e in enumerate(self.events):
            if e.get("method") == method:
                return self.events.pop(i)
        while True:
            e = self._read(deadline)
            if e.get("method") == method:
                return e
            self.events.append(e)

    # --- what the tests use -----------------------------------------------------------------------
    def check(self, page: Path, screenshot: Path | None = None) -> dict:
        """Load a page; return {"errors": [...], "overflow": [...], "tables": n, "svgs": n}."""
        self.events.clear()
        self.call("Page.navigate", session=True, url=Path(page).resolve().as_uri())
        self.wait_for("Page.loadEventFired")
        probe = self.call("Runtime.evaluate", session=True, expression=PROBE, returnByValue=True)
        layout = json.loads(probe["result"]["value"])
        if screenshot is not None:
            shot = self.call("Page.captureScreenshot", session=True, format="png", captureBeyondViewport=True)
            Path(screenshot).write_bytes(base64.b64decode(shot["data"]))
        self.call("Runtime.evaluate", session=True, expression="1")  # flush late console events
        errors = []
        for e in self.events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "warning", "assert"):
                errors.append(f"console.{p['type']}: " + " ".join(str(a.get("value", a.get("description")))
                                                                 for a in p.get("args", [])))
            elif m == "Runtime.exceptionThrown":
                d = p.get("exceptionDetails", {})
                errors.append("exception: " + str(d.get("exception", {}).get("description") or d.get("text")))
            elif m == "Log.entryAdded" and p.get("entry", {}).get("level") in ("error", "warning"):
                entry = p["entry"]
                errors.append(f"{entry.get('source')}: {entry.get('text')} {entry.get('url') or ''}".strip())
        return {"errors": errors, **layout}

    def print_pdf(self, page: Path) -> bytes:
        """The page printed as Chromium prints it (its own @page size and margins, backgrounds on), as PDF."""
        self.events.clear()
        self.call("Page.navigate", session=True, url=Path(page).resolve().as_uri())
        self.wait_for("Page.loadEventFired")
        pdf = self.call("Page.printToPDF", session=True, preferCSSPageSize=True, printBackground=True)
        return base64.b64decode(pdf["data"])

    def _stderr(self) -> str:
        self._log.seek(0)
        return self._log.read().decode(errors="replace")[-2000:]

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                try:
                    self.call("Browser.close")
                except (BrowserError, OSError):
                    pass
                try:
                    self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
        finally:
            for fd in (self._to_child, self._from_child):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self._log.close()
            shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> "Browser":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
