"""A headless chromium that renders the few pages that need it, within a per-site budget (pages, seconds).

Debian's chromium is driven through its executable path (playwright's own browsers cannot be downloaded here).
Everything a rendered page asks for outside its own site (scripts, frames, beacons of other hosts) is aborted, and
so are images, media, fonts and style sheets (the DOM is read, not drawn): a hostile page must not make the auditing host fetch anything elsewhere. One
browser per crawl, started on first use, at most CONCURRENCY pages at a time, each page in a fresh context.
"""
from __future__ import annotations

import asyncio
import os
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

    def __init__(self, budget: Budget, timeout: float, user_agent: str, executable: str = CHROMIUM):
        self.budget, self.timeout, self.user_agent, self.executable = budget, timeout, user_agent, executable
        self._start: asyncio.Task | None = None
        self._playwright = self._browser = None
        self._slots = asyncio.Semaphore(CONCURRENCY)
        self.rendered = 0
        self.seconds = 0.0

    async def _browser_ready(self):
        if self._start is None:
            self._start = asyncio.ensure_future(self._launch())
        return await self._start

    async def _launch(self):
        from playwright.async_api import async_playwright

        self._playwright = await async_playwright().start()
        self._browser = await self._playwright.chromium.launch(executable_path=self.executable, args=ARGS,
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
                return await asyncio.wait_for(self._page(browser, url, allowed, seconds), seconds + 5), None
            except asyncio.TimeoutError:
                return None, "timeout"
            except Exception as exc:  # playwright's own timeout, or a page that crashed the browser: not rendered
                return None, "timeout" if "Timeout" in type(exc).__name__ else "failed"
            finally:
                spent = time.monotonic() - started
                self.budget.spend(site, spent)
                self.seconds += spent

    async def accessibility(self, url: str, seconds: float) -> dict:
        """The page's automated accessibility results (crawler/render/a11y.py) or {"error": why}, within seconds.
        Not charged to the site's render budget: the homepage and a few sampled pages only (GKAUDIT_A11Y_PAGES)."""
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
                    found = await asyncio.wait_for(a11y.check(page, url, seconds, SETTLE_SECONDS), seconds + 5)
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

    async def _page(self, browser, url: str, allowed: str, seconds: float) -> str:
        context, page = await self._open(browser, allowed, SKIPPED_TYPES)
        try:
            await page.goto(url, wait_until="domcontentloaded", timeout=seconds * 1000)
            try:
                await page.wait_for_load_state("networkidle", timeout=min(SETTLE_SECONDS, seconds) * 1000)
            except Exception:  # still fetching: read what is there
                pass
            html = await page.content()
            self.rendered += 1
            return html[:MAX_HTML]
        finally:
            await context.close()

    async def close(self) -> None:
        if self._start is not None and self._start.done() and not self._start.exception():
            await self._browser.close()
        if self._playwright is not None:
            await self._playwright.stop()
