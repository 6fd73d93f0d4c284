"""Scrapyd: the project deploys as an egg that carries its config, and crawls run through a real Scrapyd.

A real Scrapyd on 127.0.0.1 (free port, temporary folders). The working tree is hidden from Scrapyd and its
crawl processes, so the crawl can only work if the egg itself is complete (code, config/, migrations).
"""
from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest
import requests

from fixtures.server import serve
from tests.conftest import AS_OF, ROOT, gkaudit

BIN = Path(sys.executable).parent
SITE = "clean-gkmlpt"
# Loaded via PYTHONPATH by Scrapyd and the crawls it starts: drop the editable install's import hook, so
# `gkaudit`, `crawler` … can only come from the deployed egg.
HIDE_WORKTREE = """
import sys
sys.meta_path[:] = [f for f in sys.meta_path if not getattr(f, "__module__", "").startswith("__editable__")]
sys.path_hooks[:] = [h for h in sys.path_hooks if "__editable__" not in getattr(h, "__module__", "")]
sys.path[:] = [p for p in sys.path if "__editable__" not in p and p.rstrip("/") != {root!r}]
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory):
    home = tmp_path_factory.mktemp("scrapyd")
    port = free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        f"bind_address = 127.0.0.1\nhttp_port = {port}\n"
        f"eggs_dir = {home / 'eggs'}\nlogs_dir = {home / 'logs'}\ndbs_dir = {home / 'dbs'}\nitems_dir =\n"
        "max_proc = 2\npoll_interval = 0.5\njobs_to_keep = 10\n", encoding="utf-8")
    (home / "hide").mkdir()
    (home / "hide" / "sitecustomize.py").write_text(HIDE_WORKTREE.format(root=str(ROOT)), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(home / "hide"))
    log = open(home / "scrapyd.log", "wb")
    proc = subprocess.Popen([str(BIN / "scrapyd")], cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(url + "daemonstatus.json", timeout=2).json()["status"] == "ok":
                break
        except (requests.RequestException, ValueError):
            pass
        assert proc.poll() is None and time.monotonic() < deadline, (home / "scrapyd.log").read_text()
        time.sleep(0.2)
    yield {"url": url, "home": home}
    proc.terminate()
    proc.wait(10)
    log.close()


@pytest.fixture(scope="module")
def deployed(scrapyd, tmp_path_factory):
    """Build the egg as `scrapyd-deploy` does and upload it (addversion.json)."""
    egg = tmp_path_factory.mktemp("egg") / "gkaudit.egg"
    build = subprocess.run([str(BIN / "scrapyd-deploy"), "--build-egg", str(egg)], cwd=ROOT,
                           capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    with open(egg, "rb") as f:
        answer = requests.post(scrapyd["url"] + "addversion.json", data={"project": "gkaudit", "version": "1"},
                               files={"egg": f}, timeout=60).json()
    assert answer["status"] == "ok", answer
    spiders = requests.get(scrapyd["url"] + "listspiders.json", params={"project": "gkaudit"}, timeout=60).json()
    assert sorted(spiders["spiders"]) == ["site", "site-run", "site-shared"], spiders
    return egg


def test_egg_carries_config_and_migrations(deployed):
    names = set(zipfile.ZipFile(deployed).namelist())
    for required in ("gkaudit/config/columns.yaml", "gkaudit/config/wording.yaml", "gkaudit/config/rules/gws.yaml",
                     "store/migrations/env.py", "crawler/settings.py", "EGG-INFO/entry_points.txt"):
        assert required in names, required
    entry_points = zipfile.ZipFile(deployed).read("EGG-INFO/entry_points.txt").decode()
    assert "[scrapy]" in entry_points and "crawler.settings" in entry_points


def wait_finished(url: str, jobid: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while True:
        state = requests.get(url + "status.json", params={"job": jobid, "project": "gkaudit"}, timeout=5).json()
        if state.get("currstate") == "finished":
            return
        assert time.monotonic() < deadline, state
        time.sleep(0.5)


def test_crawl_through_scrapyd_stores_pages_in_the_given_database(scrapyd, deployed, tmp_path):
    from core.sites import load_sites
    from store.runs import start_run
    from store import connect

    db = f"sqlite:///{tmp_path / 'gk.db'}"
    with serve(only=[SITE]) as fx:
        run_id = start_run(connect(db), load_sites(fx.sites_file).sites, date.fromisoformat(AS_OF), None, "scrapyd test")
        answer = requests.post(scrapyd["url"] + "schedule.json", data={
            "project": "gkaudit", "spider": "site-run", "db": db, "run_id": run_id, "delay": "0", "timeout": "5",
            "setting": ["LOG_LEVEL=INFO", "HTTPCACHE_ENABLED=False"]}, timeout=10).json()
        assert answer["status"] == "ok", answer
        wait_finished(scrapyd["url"], answer["jobid"])
    log = next((scrapyd["home"] / "logs" / "gkaudit" / "site-run").glob(f"{answer['jobid']}.log")).read_text("utf-8")
    assert ".egg" in log.split("gkaudit 代码位置", 1)[1].splitlines()[0], "the crawl did not run from the egg"
    con = sqlite3.connect(tmp_path / "gk.db")
    pages = con.execute("SELECT count(*), count(column_type) FROM page WHERE run_id = ? AND site = ?",
                        (run_id, SITE)).fetchone()
    finished, counted = con.execute("SELECT crawl_finished, pages FROM siterun WHERE run_id = ?", (run_id,)).fetchone()
    assert pages[0] > 25, log[-3000:]  # the fixture site has 30 HTML pages plus resources
    assert pages[1] > 0  # column names were classified: config/columns.yaml was found inside the egg
    assert finished == 1 and counted == pages[0]
    # the HTTPS/IPv6 probes ran in the worker after its crawl: a plain-HTTP site at an IPv4 address
    assert con.execute("SELECT tls, dns FROM sitenetwork WHERE run_id = ?", (run_id,)).fetchall() == [("absent", "ip")]


def test_scheduled_audit_handed_to_scrapyd(scrapyd, deployed, tmp_path):
    schedules = tmp_path / "schedules.yaml"
    schedules.write_text('jobs:\n  - {id: monthly, kind: audit, cron: "0 2 1 * *", crawl: {delay: 0, timeout: 5}}\n',
                         encoding="utf-8")
    db = tmp_path / "gk.db"
    with serve(only=[SITE]) as fx:
        proc = gkaudit("schedule", "run", "monthly", "--schedules", schedules, "--sites", fx.sites_file,
                       "--db", f"sqlite:///{db}", "--out", tmp_path / "out", "--scrapyd", scrapyd["url"])
    assert proc.returncode == 0, proc.stderr
    assert "已交给 Scrapyd" in proc.stderr and "[任务 monthly/audit]" in proc.stderr
    findings = json.loads(next((tmp_path / "out" / "monthly").glob("*/findings.json")).read_text("utf-8"))
    site = next(s for s in findings["sites"] if s["site"] == SITE)
    assert site["verdict"] in ("pass", "fail") and site["score"] is not None  # judged from Scrapyd's crawl
    con = sqlite3.connect(db)
    status, label = con.execute("SELECT status, sites_file FROM run").fetchone()
    assert status == "complete" and "scrapyd" in label
    jobs = requests.get(scrapyd["url"] + "listjobs.json", params={"project": "gkaudit"}, timeout=5).json()
    assert any(j["spider"] == "site-run" for j in jobs["finished"])
