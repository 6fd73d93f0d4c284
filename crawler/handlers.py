"""HTTP download handler whose connection pool keeps more idle connections per host than Scrapy's default.

Scrapy sizes the pool by CONCURRENT_REQUESTS_PER_DOMAIN (2). With a positive delay that is all a host ever gets,
so nothing changes for polite crawls. With a zero delay (static exports, benchmarks) Scrapy runs up to
CONCURRENT_REQUESTS at once on one host, and all but two of those connections were closed after one answer and
opened again for the next: a new TCP handshake per request. Reusing them costs the server less, not more.
"""
from __future__ import annotations

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler


class PooledHTTP11DownloadHandler(HTTP11DownloadHandler):
    def __init__(self, crawler):
        super().__init__(crawler)
        self._pool.maxPersistentPerHost = max(self._pool.maxPersistentPerHost,
                                              crawler.settings.getint("GKAUDIT_PERSISTENT_PER_HOST"))
