"""A headless chromium that renders the few pages that need it, within a per-site budget (pages, seconds).

Debian's chromium is driven through its executable path (playwright's own browsers cannot be downloaded here).
Everything a rendered page asks for outside its own site (scripts, frames, beacons of other hosts) is aborted, and
so are images, media, fonts and style sheets (the DOM is read, not drawn): a hostile page must not make the auditing host fetch anything elsewhere. One
browser per crawl, started on first use, at most CONCURRENCY pages at a time.

Rendering reuses its tabs: one browser context, and up to CONCURRENCY tabs that go from one site's page to the next
(a tab's requests are let out only to its current page's own site; the site's cookies and storage are cleared after
each page, so every page is a first visit as in the crawl). A fresh context and tab per page cost chromium ~1.1 s of
CPU a page (new tab, new renderer process, DevTools set-up: the whole added wall time of `make bench-render` on a
two-core host); reused, ~0.3 s. A page is read once parsed, loaded (style sheets, images and fonts aborted) and quiet
— no XMLHttpRequest, fetch, or script or frame added after parsing still pending, and no node added for QUIET_MS
(SETTLE_JS counts them in the page) — rather than at network idle, which waits 500 ms more on every page. The
accessibility checks (a11y.py) still open each page in a fresh context: first visit, own style sheets, a wider window.
"""
from __future__ import annotations

import asyncio
import ipaddress
import os
import re
import time
from urllib.parse import urlsplit

from . import a11y

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
        "--disable-extensions", "--renderer-process-limit=2"]
CONCURRENCY = 2
LAUNCH_SECONDS = 60.0  # a loaded host may take long to start chromium
SETTLE_SECONDS = 3.0  # after the DOM is parsed, how long the page may keep fetching data before its DOM is read
MAX_HTML = 8 * 1024 * 1024  # characters of rendered markup kept
SKIPPED_TYPES = {"image", "media", "font", "stylesheet"}  # the DOM is read, not the layout
QUIET_MS = 150  # no request of the page's scripts pending and no node added for this long: its DOM is read
RECYCLE_SECONDS = 5.0  # a page still busy after this long (a script in a loop) takes its tab with it
TAB_PAGES = 50  # a reused tab is closed after this many pages (whatever a page leaves behind stays bounded)

# Counts, in the page, what its scripts still wait for: XMLHttpRequest and fetch calls, and scripts or frames added
# once the document is parsed (a parser's own scripts hold the load event); `last` moves with each node added.
SETTLE_JS = """(() => {
  const g = {pending: 0, last: performance.now()};
  try { Object.defineProperty(window, '__gkaudit_settle', {value: g}); } catch (e) { return; }
  const touch = () => { g.last = performance.now(); };
  const done = () => { g.pending = Math.max(0, g.pending - 1); touch(); };
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function () {
    g.pending++; touch();
    this.addEventListener('loadend', () => setTimeout(done, 0), {once: true});
    return send.apply(this, arguments);
  };
  const realFetch = window.fetch;
  if (realFetch) window.fetch = function () {
    g.pending++; touch();
    const answer = realFetch.apply(this, arguments);
    answer.then(() => setTimeout(done, 0), () => setTimeout(done, 0));
    return answer;
  };
  new MutationObserver((records) => {
    touch();
    if (document.readyState === 'loading') return;
    for (const r of records) for (const n of r.addedNodes) {
      if (n.nodeType !== 1 || !((n.tagName === 'SCRIPT' && n.src) || n.tagName === 'IFRAME')) continue;
      g.pending++;
      let over = false;
      const end = () => { if (!over) { over = true; done(); } };
      n.addEventListener('load', end); n.addEventListener('error', end); setTimeout(end, 3000);
    }
  }).observe(document, {childList: true, subtree: true});
})();"""
CLEAR_STORAGE_JS = "() => { try { localStorage.clear(); sessionStorage.clear(); } catch (e) {} }"
QUIET_JS = """(quiet) => { const g = window.__gkaudit_settle;
  return document.readyState === 'complete' && (!g || (g.pending === 0 && performance.now() - g.last >= quiet)); }"""


def unavailable(executable: str = CHROMIUM) -> str | None:
    """Why pages cannot be rendered on this host (a Chinese note), or None."""
    if not os.access(executable, os.X_OK):
        return f"未找到 chromium（{executable}），未渲染依赖脚本的页面"
    try:
        import playwright.async_api  # noqa: F401  (optional at run time: a missing package means no rendering)
    except ImportError:
        return "未安装 playwright，未渲染依赖脚本的页面"
    return None


class Budget:
    """Pages and seconds of rendering left to each site."""

    def __init__(self, pages: int, seconds: float):
        self.pages, self.seconds = pages, seconds
        self.used: dict[str, list[float]] = {}  # site → [pages, seconds]

    def allows(self, site: str) -> bool:
        pages, seconds = self.used.get(site, (0, 0.0))
        return pages < self.pages and seconds < self.seconds

    def take(self, site: str) -> None:
        self.used.setdefault(site, [0, 0.0])[0] += 1

    def spend(self, site: str, seconds: float) -> None:
        self.used.setdefault(site, [0, 0.0])[1] += seconds

    def left(self, site: str) -> float:
        return max(0.0, self.seconds - self.used.get(site, (0, 0.0))[1])


class Renderer:
    """render(url, site) → (html, None) or (None, why). Never raises for a page's fault."""

    def __init__(self, budget: Budget, timeout: float, user_agent: str, executable: str = CHROMIUM, hosts=None):
        self.budget, self.timeout, self.user_agent, self.executable = budget, timeout, user_agent, executable
        self.hosts = hosts  # async () → {host name: IPv4 address} as the crawl resolves them, or None
        self._start: asyncio.Task | None = None
        self._playwright = self._browser = None
        self._slots = asyncio.Semaphore(CONCURRENCY)
        self._context = None  # rendering's one context (created with the first page)
        self._opening = asyncio.Lock()
        self._tabs: list = []  # idle tabs, ready for the next page
        self._allowed: dict = {}  # tab → the netloc its page may fetch from
        self._used: dict = {}  # tab → pages it has rendered
        self.rendered = 0
        self.seconds = 0.0

    async def _browser_ready(self):
        if self._start is None:
            self._start = asyncio.ensure_future(self._launch())
        return await self._start

    async def _launch(self):
        from playwright.async_api import async_playwright

        rules = host_rules(await self.hosts()) if self.hosts is not None else ""
        self._playwright = await async_playwright().start()
        args = ARGS + ([f"--host-resolver-rules={rules}"] if rules else [])
        self._browser = await self._playwright.chromium.launch(executable_path=self.executable, args=args,
                                                              headless=True, timeout=LAUNCH_SECONDS * 1000)
        return self._browser

    async def render(self, url: str, site: str) -> tuple[str | None, str | None]:
        allowed = urlsplit(url).netloc.lower()
        try:  # the browser's start is not charged to the site that happens to need it first
            browser = await asyncio.wait_for(asyncio.shield(self._browser_ready()), LAUNCH_SECONDS)
        except Exception as exc:  # no browser: this and every later page stay static
            return None, "unavailable" if not isinstance(exc, asyncio.TimeoutError) else "timeout"
        async with self._slots:
            seconds = min(self.timeout, self.budget.left(site))
            if seconds <= 0:
                return None, "budget"
            started = time.monotonic()
            try:
                page = await asyncio.wait_for(self._tab(browser), LAUNCH_SECONDS)
            except Exception:  # the browser no longer opens tabs
                return None, "failed"
            self._allowed[page] = allowed
            try:
                html = await asyncio.wait_for(self._read(page, url, seconds), seconds + 5)
            except Exception as exc:  # playwright's own timeout, or a page that crashed the tab: not rendered
                self._allowed.pop(page, None)
                self._used.pop(page, None)
                asyncio.ensure_future(_quietly(page.close()))  # a fresh tab next time
                timeout = isinstance(exc, asyncio.TimeoutError) or "Timeout" in type(exc).__name__
                return None, "timeout" if timeout else "failed"
            finally:
                spent = time.monotonic() - started
                self.budget.spend(site, spent)
                self.seconds += spent
            self._allowed.pop(page, None)
            await self._recycle(page, urlsplit(url).hostname or "")  # in the slot: never more tabs than slots
            return html, None

    async def accessibility(self, url: str, seconds: float, keyboard: bool = False) -> dict:
        """The page's automated accessibility results (crawler/render/a11y.py) or {"error": why}, within seconds;
        with keyboard (the homepage), its first focus stops tried with Tab too. Not charged to the site's render
        budget: the homepage and a few sampled pages only (GKAUDIT_A11Y_PAGES)."""
        allowed = urlsplit(url).netloc.lower()
        try:
            browser = await asyncio.wait_for(asyncio.shield(self._browser_ready()), LAUNCH_SECONDS)
        except Exception as exc:
            return {"error": "unavailable" if not isinstance(exc, asyncio.TimeoutError) else "timeout"}
        async with self._slots:
            started = time.monotonic()
            try:
                context, page = await self._open(browser, allowed, a11y.SKIPPED_TYPES, viewport=a11y.VIEWPORT,
                                                 bypass_csp=True)
                try:
                    found = await asyncio.wait_for(a11y.check(page, url, seconds, SETTLE_SECONDS, keyboard),
                                                   seconds + 5)
                finally:
                    await context.close()
            except asyncio.TimeoutError:
                found = {"error": "timeout"}
            except Exception as exc:
                found = {"error": "timeout" if "Timeout" in type(exc).__name__ else "failed"}
            found["seconds"] = round(time.monotonic() - started, 2)
            self.seconds += found["seconds"]
            return found

    async def _open(self, browser, allowed: str, skipped: set, **options):
        """A fresh context whose page may fetch only its own site's resources, not of the skipped types."""
        context = await browser.new_context(user_agent=self.user_agent, ignore_https_errors=True,
                                            service_workers="block", accept_downloads=False, **options)

        async def route(r):
            target = urlsplit(r.request.url)
            if target.scheme in ("data", "blob") or (
                    target.scheme in ("http", "https") and target.netloc.lower() == allowed
                    and r.request.resource_type not in skipped):
                await r.continue_()
            else:
                await r.abort()

        await context.route("**/*", route)
        page = await context.new_page()
        page.on("dialog", lambda dialog: asyncio.ensure_future(dialog.dismiss()))
        return context, page

    async def _tab(self, browser):
        """An idle rendering tab, or a new one."""
        if self._tabs:
            return self._tabs.pop()
        async with self._opening:  # the first pages of a crawl arrive together: one context for all
            if self._context is None:
                self._context = await self._render_context(browser)
        page = await self._context.new_page()
        self._used[page] = 0
        page.on("dialog", lambda dialog: asyncio.ensure_future(dialog.dismiss()))
        return page

    async def _render_context(self, browser):
        """Rendering's context: each request let out only if it is a tab's, to its current page's own site."""
        context = await browser.new_context(user_agent=self.user_agent, ignore_https_errors=True,
                                            service_workers="block", accept_downloads=False)
        await context.add_init_script(SETTLE_JS)
        allowed = self._allowed

        async def route(r):
            try:
                netloc = allowed.get(r.request.frame.page)
            except Exception:  # no frame (a worker's request): not a tab's
                netloc = None
            target = urlsplit(r.request.url)
            if target.scheme in ("data", "blob") or (
                    netloc and target.scheme in ("http", "https") and target.netloc.lower() == netloc
                    and r.request.resource_type not in SKIPPED_TYPES):
                await r.continue_()
            else:
                await r.abort()

        await context.route("**/*", route)
        context.on("page", lambda page: asyncio.ensure_future(_close_popup(page)))
        return context

    async def _read(self, page, url: str, seconds: float) -> str:
        """The page's DOM once parsed, loaded and quiet (QUIET_JS), or as it is after SETTLE_SECONDS."""
        await page.goto(url, wait_until="domcontentloaded", timeout=seconds * 1000)
        try:
            await page.wait_for_function(QUIET_JS, arg=QUIET_MS, polling=50,
                                         timeout=min(SETTLE_SECONDS, seconds) * 1000)
        except Exception:  # still fetching or still changing: read what is there
            pass
        html = await page.content()
        self.rendered += 1
        return html[:MAX_HTML]

    async def _recycle(self, page, host: str) -> None:
        """Back to the idle tabs once the page's scripts are stopped and its site's storage and cookies cleared (the
        next page is a first visit, as every crawled page is); closed if that fails or the tab is worn. Not charged
        to the site: a few milliseconds."""
        async def clear():
            await page.evaluate(CLEAR_STORAGE_JS)
            await page.goto("about:blank")
            await self._context.clear_cookies(domain=_cookie_domains(host))

        try:
            await asyncio.wait_for(clear(), RECYCLE_SECONDS)
        except Exception:
            self._used.pop(page, None)
            await _quietly(page.close())
            return
        self._used[page] = self._used.get(page, 0) + 1
        if self._used[page] < TAB_PAGES:
            self._tabs.append(page)
        else:
            self._used.pop(page, None)
            await _quietly(page.close())

    async def close(self) -> None:
        if self._start is not None and self._start.done() and not self._start.exception():
            await self._browser.close()
        if self._playwright is not None:
            await self._playwright.stop()


async def _close_popup(page) -> None:
    """A window a rendered page opened is closed (its requests were never let out: it is not a tab of ours)."""
    try:
        if await page.opener() is not None:
            await page.close()
    except Exception:
        pass


async def _quietly(awaitable) -> None:
    try:
        await awaitable
    except Exception:  # the tab or the browser is already gone
        pass


_HOST_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$")


def host_rules(addresses: dict[str, str]) -> str:
    """chromium's --host-resolver-rules for the sites' host names: each asked at the address the crawl reached it at
    (its resolver: the audit's nameserver, a 政务内网's own, or the system's), not through chromium's own resolver,
    which knows neither the nameserver nor would be bound to the address the crawl's address guard checked. Other
    names are left to chromium (a rendered page fetches only from its own site's host anyway)."""
    rules = []
    for name, address in sorted(addresses.items()):
        try:
            ip = ipaddress.IPv4Address(address)
        except ValueError:
            continue
        if _HOST_NAME.match(name.lower().rstrip(".")):
            rules.append(f"MAP {name.lower().rstrip('.')} {ip}")
    return ", ".join(rules)


def _cookie_domains(host: str) -> re.Pattern:
    """Cookie domains a page of host may have set: the host and its parent domains (with or without the dot)."""
    labels = host.lower().split(".")
    suffixes = {".".join(labels[i:]) for i in range(len(labels))} if not host.replace(".", "").isdigit() else {host}
    return re.compile(r"^\.?(?:%s)$" % "|".join(re.escape(s) for s in sorted(suffixes)))
