"""Retries wait, doubling each time, so a struggling server is asked again a moment later."""
import asyncio
import time

import scrapy

from crawler.middlewares import RetryBackoffMiddleware


def elapsed(retry_times: int, base: float = 0.05) -> float:
    mw = RetryBackoffMiddleware(base)
    request = scrapy.Request("http://127.0.0.1/", meta={"retry_times": retry_times} if retry_times else {})
    start = time.monotonic()
    assert asyncio.run(mw.process_request(request)) is None  # it only waits; the request goes on
    return time.monotonic() - start


def test_first_attempt_does_not_wait_and_retries_back_off_exponentially():
    assert elapsed(0) < 0.02
    assert 0.05 <= elapsed(1) < 0.09
    assert 0.10 <= elapsed(2) < 0.16
