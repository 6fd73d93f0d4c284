"""`gkaudit probe`: availability samples of each homepage (GWS-V2), stored for the availability rule.

One call takes `count` samples per site, `interval` seconds apart with random jitter, all sites in parallel.
Run it from cron (or `count` > 1 in a long call) so each homepage gets ≥ 20 samples a day at random times.
"""
from __future__ import annotations

import random
import threading
import time
import urllib.error
import urllib.request

from sqlmodel import Session

from core.clock import now
from core.sites import Site
from core.vocab import BLOCKING_STATUSES
from crawler.facts import extract
from crawler.settings import USER_AGENT
from store.models import ProbeSample


def sample(site: Site, timeout: float) -> ProbeSample:
    """Fetch the homepage once: ok (200 in time), blocked (challenge / blocking status) or down (anything else)."""
    started = time.monotonic()
    status, error, body = None, None, b""
    try:
        request = urllib.request.Request(site.url, headers={"User-Agent": USER_AGENT})
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) sites file)
            status, body = response.status, response.read(200_000)
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read(200_000) if exc.fp else b""
    except TimeoutError:
        error = "timeout"
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        error = "timeout" if isinstance(reason, TimeoutError) else type(reason).__name__
    elapsed = int((time.monotonic() - started) * 1000)
    challenge = extract(body, site.url, as_of=now().date()).challenge if body else None
    blocked = status in BLOCKING_STATUSES or bool(challenge)
    return ProbeSample(site=site.id, url=site.url, at=now(), ok=status == 200 and not blocked, blocked=blocked,
                       status=status, elapsed_ms=elapsed, error=error or (f"challenge:{challenge}" if challenge else None))


def probe(engine, sites: list[Site], count: int = 1, interval: float = 0.0, timeout: float = 15.0) -> list[ProbeSample]:
    """Take the samples and store each as soon as it is taken (a killed probe keeps what it measured)."""
    lock, taken = threading.Lock(), []

    def run(site: Site):
        rng = random.Random()
        for i in range(count):
            if i:
                time.sleep(interval * rng.uniform(0.5, 1.5))
            s = sample(site, timeout)
            with lock, Session(engine) as session:
                session.add(s)
                session.commit()
                session.refresh(s)
                taken.append(s)

    threads = [threading.Thread(target=run, args=(site,)) for site in sites]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return taken
