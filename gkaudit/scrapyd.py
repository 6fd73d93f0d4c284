"""A small Scrapyd client: hand a crawl to Scrapyd (schedule.json) and wait for it (status.json).

The crawl runs the `site-run` spider (crawler/spiders/remote.py) of the deployed gkaudit egg: it reads the
sites of a run that gkaudit registered in the database and stores pages into that database, so the worker
needs only the database URL and the run id.
"""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request

PROJECT = "gkaudit"  # scrapy.cfg [deploy] project
SPIDER = "site-run"


class ScrapydError(RuntimeError):
    """Scrapyd refused the request or could not be reached; the message says which."""


def _call(base: str, endpoint: str, data: list[tuple[str, str]] | None = None, timeout: float = 30.0) -> dict:
    url = base.rstrip("/") + "/" + endpoint
    body = urllib.parse.urlencode(data).encode() if data is not None else None  # POST with data, else GET
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=timeout) as response:  # noqa: S310
            answer = json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise ScrapydError(f"无法访问 Scrapyd {url}: {exc}") from None
    if answer.get("status") != "ok":
        raise ScrapydError(f"Scrapyd {endpoint} 返回错误: {answer.get('message') or answer}")
    return answer


def schedule(base: str, args: dict, settings: dict | None = None, project: str = PROJECT, spider: str = SPIDER) -> str:
    """Queue a crawl; returns Scrapyd's job id. `args` become spider arguments, `settings` Scrapy settings."""
    data = [("project", project), ("spider", spider)]
    data += [("setting", f"{k}={v}") for k, v in (settings or {}).items() if v is not None]
    data += [(k, str(v)) for k, v in args.items() if v is not None]
    return _call(base, "schedule.json", data)["jobid"]


def state(base: str, jobid: str, project: str = PROJECT) -> str:
    """pending | running | finished | unknown."""
    query = urllib.parse.urlencode({"job": jobid, "project": project})
    answer = _call(base, f"status.json?{query}")
    return answer.get("currstate") or answer.get("currentstate") or "unknown"  # Scrapyd 1.5+ says currstate


def cancel(base: str, jobid: str, project: str = PROJECT) -> None:
    _call(base, "cancel.json", [("project", project), ("job", jobid)])


def wait(base: str, jobid: str, project: str = PROJECT, poll: float = 2.0, stop=None) -> str:
    """Poll until the job is finished; setting `stop` (a threading.Event) cancels the job and waits until it stopped."""
    while True:
        current = state(base, jobid, project)
        if current in ("finished", "unknown"):
            return current
        if stop is not None and stop.wait(poll):
            cancel(base, jobid, project)  # Scrapyd stops the crawl cleanly (SIGINT), what was stored stays
            deadline = time.monotonic() + 120
            while state(base, jobid, project) not in ("finished", "unknown") and time.monotonic() < deadline:
                time.sleep(poll)  # judge only once the crawl has stopped writing
            return "cancelled"
        if stop is None:
            time.sleep(poll)
