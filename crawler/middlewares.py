"""Downloader middlewares: retry backoff, and serving a static site export from disk."""
from __future__ import annotations

import asyncio
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from scrapy.http import HtmlResponse, Response

INDEX_NAMES = ("index.html", "index.htm", "index.shtml", "default.html")


class RetryBackoffMiddleware:
    """Wait before a retried request goes out: GKAUDIT_RETRY_BACKOFF seconds, doubling with each retry.

    Scrapy's RetryMiddleware re-queues a 5xx or a failed connection at once; a struggling government server is
    better asked again a moment later (and a broken verdict still needs the later confirmation).
    """

    def __init__(self, base: float):
        self.base = base

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getfloat("GKAUDIT_RETRY_BACKOFF"))

    async def process_request(self, request, spider=None):
        tries = request.meta.get("retry_times", 0)
        if tries and self.base > 0:
            await asyncio.sleep(self.base * 2 ** (tries - 1))
        return None


class ExportFilesMiddleware:
    """Answer requests under a base URL from a folder of static pages (a site export).

    Lets a webmaster's CI audit pages before they are published: the spider crawls `--base-url` as usual and this
    middleware reads the files instead of the network (a folder → its index.html, a missing file → 404).
    """

    def __init__(self, root: str | None, base_url: str | None):
        self.root = Path(root).resolve() if root else None
        self.base = base_url.rstrip("/") + "/" if base_url else None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.get("GKAUDIT_EXPORT_DIR"), crawler.settings.get("GKAUDIT_EXPORT_BASE"))

    def process_request(self, request, spider=None):
        if self.root is None or not request.url.startswith(self.base):
            return None
        relative = unquote(urlsplit(request.url).path[len(urlsplit(self.base).path):])
        path = (self.root / relative).resolve()
        if self.root not in (path, *path.parents):  # ../ never leaves the export
            return Response(request.url, status=404, request=request)
        if path.is_dir():
            path = next((path / n for n in INDEX_NAMES if (path / n).is_file()), path / INDEX_NAMES[0])
        if not path.is_file():
            return Response(request.url, status=404, body=b"<html><title>404</title><body>404</body></html>",
                            headers={"Content-Type": "text/html"}, request=request)
        body = b"" if request.method == "HEAD" else path.read_bytes()
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        headers = {"Content-Type": kind, "Content-Length": str(path.stat().st_size)}
        cls = HtmlResponse if kind == "text/html" else Response
        return cls(request.url, status=200, body=body, headers=headers, request=request)
