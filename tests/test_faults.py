"""A crawl that stops badly keeps a consistent database and can be continued.

SIGKILL, a full disk and a lost PostgreSQL connection each stop an audit halfway; in each case the pages
stored so far are complete (every stored page has all its links: batches are transactions), the run ends up
`incomplete`, and `gkaudit audit --resume RUN` finishes it without fetching the stored pages again.
"""
from __future__ import annotations

import json
import random
import resource
import signal
import socket
import sqlite3
import subprocess
import threading
import time
from urllib.parse import urlsplit

from sqlalchemy import create_engine, text

from fixtures.server import serve
from tests.conftest import AS_OF, GKAUDIT, gkaudit

PAGES = 40
HANZI = "的一是在不了有和人这中大为上们国我以要他时来用生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理世车"


def paged_site(tmp_path, *, delay=0.0, text_chars=200):
    """One bureau site: a homepage linking PAGES pages; each page links home and carries some text."""
    site = tmp_path / "sites" / "paged"
    (site / "root").mkdir(parents=True)
    (site / "site.yaml").write_text("id: paged\nname: 分页测试局\nlevel: city\naddress: 127.0.0.32\n", encoding="utf-8")
    if delay:
        (site / "faults.yaml").write_text(f'faults:\n  "/p*.html": {{delay: {delay}}}\n', encoding="utf-8")
    links = "".join(f'<li><a href="/p{i}.html">第{i}篇</a></li>' for i in range(PAGES))
    (site / "root" / "index.html").write_text(
        f'<html><head><meta charset="utf-8"><title>分页测试局</title></head><body><ul>{links}</ul></body></html>',
        encoding="utf-8")
    rng = random.Random(7)
    for i in range(PAGES):
        body = "".join(rng.choice(HANZI) for _ in range(text_chars))  # incompressible enough to fill a disk
        (site / "root" / f"p{i}.html").write_text(
            f'<html><head><meta charset="utf-8"><title>第{i}篇</title></head><body><p>{body}</p>'
            f'<a href="/">首页</a></body></html>', encoding="utf-8")
    return tmp_path / "sites"


def audit_cmd(server, db, out, *extra):
    return [GKAUDIT, "audit", "--sites", server.sites_file, "--as-of", AS_OF, "--out", out, "--db", db,
            "--delay", "0.05", "--quiet", *map(str, extra)]


def wait_for_pages(count_pages, proc, at_least, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        assert proc.poll() is None, "the audit ended before the fault could be injected"
        assert time.monotonic() < deadline, "the crawl stored nothing in time"
        try:
            if count_pages() >= at_least:
                return
        except Exception:  # the database is being created
            pass
        time.sleep(0.2)


def assert_consistent(conn):
    """Every stored page has exactly the links it carries: the homepage PAGES, each article one."""
    rows = conn.execute(text(
        "select p.url, count(l.id) from page p left join link l on l.run_id = p.run_id and l.page_url = p.url "
        "where p.status = 200 and p.content_type like 'text/html%' and not p.probe group by p.url")).all()
    assert rows, "nothing stored"
    for url, links in rows:
        assert links == (PAGES if url.endswith("/") else 1), url
    dupes = conn.execute(text("select url from page group by run_id, url having count(*) > 1")).all()
    assert dupes == []


def resume_and_check(server, db_url, out, run_id, stored_before: set[str]):
    log_start = server.log_size()
    proc = gkaudit("audit", "--resume", run_id, "--out", out, "--db", db_url, "--quiet")
    assert proc.returncode == 0, proc.stderr
    engine = create_engine(db_url)
    with engine.connect() as conn:
        status, reason = conn.execute(text("select status, finish_reason from run where id = :r"), {"r": run_id}).one()
        assert (status, reason) == ("complete", "finished")
        assert_consistent(conn)
        urls = {u for (u,) in conn.execute(text("select url from page where run_id = :r and not probe"), {"r": run_id})}
        pages = conn.execute(text("select pages from siterun where run_id = :r"), {"r": run_id}).scalar()
    engine.dispose()
    articles = {u for u in urls if "/p" in u and u.endswith(".html")}
    assert len(articles) == PAGES  # everything, once
    assert pages == len(urls) + 1  # the not-found probe counts as a fetched page
    again = {path for _, path, _ in server.requests(log_start) if path.startswith("/p")}
    assert not again & {urlsplit(u).path for u in stored_before}, "stored pages were fetched again"
    result = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert "interrupted" not in {n["reason"] for n in result["sites"][0]["not_tested"]}  # judged as a whole crawl


def stored_urls(db_url, run_id=1):
    engine = create_engine(db_url)
    with engine.connect() as conn:
        urls = {u for (u,) in conn.execute(text("select url from page where run_id = :r and not probe"),
                                           {"r": run_id})}
    engine.dispose()
    return urls


def test_sigkill_leaves_a_consistent_incomplete_run_that_resume_finishes(tmp_path):
    db = tmp_path / "gk.db"
    db_url = f"sqlite:///{db}"
    with serve(paged_site(tmp_path, delay=0.4), access_log=True) as server:
        proc = subprocess.Popen(audit_cmd(server, db_url, tmp_path / "out"), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

        def count():
            with sqlite3.connect(db) as con:
                return con.execute("select count(*) from page").fetchone()[0]
        wait_for_pages(count, proc, at_least=5)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)

        with sqlite3.connect(db) as con:
            assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
            assert con.execute("select status from run").fetchone()[0] == "running"  # nobody could mark it
        listing = gkaudit("runs", "--db", db_url)  # the next command finds the process gone
        assert listing.returncode == 0, listing.stderr
        assert "未完成" in listing.stdout and "进程意外退出" in listing.stdout
        engine = create_engine(db_url)
        with engine.connect() as conn:
            assert_consistent(conn)
        engine.dispose()
        before = stored_urls(db_url)
        assert 1 <= len([u for u in before if "/p" in u]) < PAGES
        resume_and_check(server, db_url, tmp_path / "out", 1, before)


def test_resume_refuses_a_complete_run_and_an_unknown_one(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'gk.db'}"
    with serve(paged_site(tmp_path), access_log=False) as server:
        first = subprocess.run(audit_cmd(server, db_url, tmp_path / "out"), capture_output=True, text=True, timeout=120)
        assert first.returncode == 0, first.stderr
    done = gkaudit("audit", "--resume", 1, "--out", tmp_path / "out2", "--db", db_url)
    assert done.returncode == 2 and "已完成" in done.stderr
    unknown = gkaudit("audit", "--resume", 9, "--out", tmp_path / "out2", "--db", db_url)
    assert unknown.returncode == 2 and "没有编号为 9 的运行" in unknown.stderr


def _limit_file_size(limit):
    def apply():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_a_full_disk_stops_the_audit_with_a_clear_error_and_no_partial_batch(tmp_path):
    """RLIMIT_FSIZE makes the database file unable to grow, as a full disk does (SQLite: SQLITE_FULL)."""
    db = tmp_path / "gk.db"
    db_url = f"sqlite:///{db}"
    assert gkaudit("db", "upgrade", "--db", db_url).returncode == 0  # the schema fits; the pages will not
    with serve(paged_site(tmp_path, delay=0.4, text_chars=3000), access_log=True) as server:
        proc = subprocess.run(audit_cmd(server, db_url, tmp_path / "out"), capture_output=True, text=True,
                              timeout=120, preexec_fn=_limit_file_size(250_000))
        assert proc.returncode == 1, proc.stderr
        assert "数据库写入失败（磁盘空间不足或数据库文件无法写入）" in proc.stderr, proc.stderr
        assert not (tmp_path / "out" / "findings.json").exists()  # no report from half a crawl
        with sqlite3.connect(db) as con:
            assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
        engine = create_engine(db_url)
        with engine.connect() as conn:
            assert_consistent(conn)
        engine.dispose()
        assert gkaudit("runs", "--db", db_url).returncode == 0
        with sqlite3.connect(db) as con:
            assert con.execute("select status from run").fetchone()[0] == "incomplete"
        before = stored_urls(db_url)
        assert len([u for u in before if "/p" in u]) < PAGES
        resume_and_check(server, db_url, tmp_path / "out", 1, before)  # space freed: the audit goes on


class CuttableProxy:
    """A TCP proxy on loopback in front of PostgreSQL; cut() drops every connection and refuses new ones."""

    def __init__(self, target=("127.0.0.1", 5432)):
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src, dst):
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self):
        self.listener.close()
        with self.lock:
            for s in self.sockets:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                    s.close()
                except OSError:
                    pass


def test_a_lost_database_connection_stops_the_audit_and_resume_finishes_it(tmp_path, pg_url):
    proxy = CuttableProxy()
    via_proxy = pg_url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")
    direct = create_engine(pg_url)
    with serve(paged_site(tmp_path, delay=0.4), access_log=True) as server:
        proc = subprocess.Popen(audit_cmd(server, via_proxy, tmp_path / "out"), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

        def count():
            with direct.connect() as conn:
                return conn.execute(text("select count(*) from page")).scalar()
        wait_for_pages(count, proc, at_least=5)
        proxy.cut()
        _, stderr = proc.communicate(timeout=60)
        assert proc.returncode == 1, stderr
        assert "数据库写入失败（数据库连接中断）" in stderr, stderr
        assert not (tmp_path / "out" / "findings.json").exists()
        with direct.connect() as conn:
            assert_consistent(conn)
        direct.dispose()
        assert gkaudit("runs", "--db", pg_url).returncode == 0  # the run's process is gone: incomplete
        before = stored_urls(pg_url)
        assert len([u for u in before if "/p" in u]) < PAGES
        resume_and_check(server, pg_url, tmp_path / "out", 1, before)
