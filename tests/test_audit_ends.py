"""The audit always ends (issue 22): a report that cannot be written ends a multi-site audit in seconds with exit
1 and a Chinese message, and the run is not stored complete; SIGTERM stops a crawl as Ctrl-C does, said at once,
and an interrupted run sends no 整改通知 nor calls a site 合格; one hostile character in an anchor text costs no
bureau its documents.

Every command runs under a `timeout`: a hang fails the test instead of stalling the suite.
"""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import docx
import openpyxl

from fixtures.server import serve
from tests.conftest import AS_OF, GKAUDIT, gkaudit

FAST = ("--delay", "0", "--confirm-delay", "0.2", "--network", "off", "--render", "off")


def small_sites(tmp_path: Path, pages: dict[str, bytes] | None = None, count: int = 2, delay: float = 0) -> Path:
    """`count` small bureau sites on loopback (ids a1, a2, …); `pages` adds files to the first one's root."""
    root = tmp_path / "sites"
    for n in range(1, count + 1):
        site = root / f"a{n}"
        (site / "root").mkdir(parents=True)
        (site / "site.yaml").write_text(f"id: a{n}\nname: 测试局{n}\nlevel: city\naddress: 127.0.0.{60 + n}\n",
                                        encoding="utf-8")
        if delay:
            (site / "faults.yaml").write_text(f'faults:\n  "/p*.html": {{delay: {delay}}}\n', encoding="utf-8")
        links = "".join(f'<li><a href="/p{i}.html">第{i}页</a></li>' for i in range(40 if delay else 3))
        (site / "root" / "index.html").write_text(
            f'<html><head><meta charset="utf-8"><title>测试局{n}</title></head><body><ul>{links}</ul>'
            + ('<a href="/hostile.html">专栏</a>' if n == 1 and pages else "") + "</body></html>", encoding="utf-8")
        for i in range(40 if delay else 3):
            (site / "root" / f"p{i}.html").write_text(f"<html><body>第{i}页</body></html>", encoding="utf-8")
        for name, body in (pages or {}).items() if n == 1 else ():
            (site / "root" / name).write_bytes(body)
    return root


def run_row(db: Path) -> tuple[str, str]:
    con = sqlite3.connect(db)
    try:
        return con.execute("select status, finish_reason from run order by id desc").fetchone()
    finally:
        con.close()


def test_a_report_that_cannot_be_written_ends_a_multi_site_audit_in_seconds(tmp_path):
    """The issue's hang: a site's 整改清单.xlsx fails in a forked worker (here: a folder of that name is in the
    way, as a full disk or a file locked by Excel would be). The audit ends at once with exit 1, says why in
    one Chinese line, keeps the run incomplete (report_error), and `--resume` writes the reports once fixed."""
    out, db = tmp_path / "out", tmp_path / "gk.db"
    in_the_way = out / "a2" / "整改清单.xlsx"
    in_the_way.mkdir(parents=True)
    env = dict(os.environ, GKAUDIT_WORKERS="2")  # the site folders are written by forked workers
    with serve(small_sites(tmp_path)) as server:
        started = time.monotonic()
        proc = gkaudit("audit", "--sites", server.sites_file, "--as-of", AS_OF, "--out", out, "--db",
                       f"sqlite:///{db}", *FAST, timeout=120, env=env)
        ended = time.monotonic() - started
        assert proc.returncode == 1, proc.stderr
        assert "报告未能生成" in proc.stderr and "报告写入失败" in proc.stderr and "a2" in proc.stderr
        assert "IsADirectoryError" in proc.stderr and "Traceback" not in proc.stderr
        assert "--resume" in proc.stderr
        assert ended < 100  # the timeout guard is the real check: a hang raises TimeoutExpired
        assert run_row(db) == ("incomplete", "report_error")

        verbose = gkaudit("audit", "--sites", server.sites_file, "--as-of", AS_OF, "--out", out, "--db",
                          f"sqlite:///{tmp_path / 'v.db'}", *FAST, "-v", timeout=120, env=env)
        assert verbose.returncode == 1 and "Traceback" in verbose.stderr  # -v shows the worker's traceback

        in_the_way.rmdir()
        run_id = sqlite3.connect(db).execute("select max(id) from run").fetchone()[0]
        resumed = gkaudit("audit", "--resume", run_id, "--out", out, "--db", f"sqlite:///{db}", *FAST,
                          timeout=120, env=env)
    assert resumed.returncode == 0, resumed.stderr
    assert run_row(db) == ("complete", "finished")
    assert (out / "a2" / "整改清单.xlsx").is_file() and (out / "a2" / "整改通知.docx").is_file()


def test_sigterm_stops_a_crawl_like_ctrl_c_and_says_so_at_once(tmp_path):
    out, db = tmp_path / "out", tmp_path / "gk.db"
    (out / "a1").mkdir(parents=True)
    stale = out / "a1" / "整改通知.docx"  # an earlier run's notice must not pass for this one's
    stale.write_bytes(b"old")
    with serve(small_sites(tmp_path, count=1, delay=1.0), access_log=True) as server:
        proc = subprocess.Popen([GKAUDIT, "audit", "--sites", server.sites_file, "--as-of", AS_OF, "--out", out,
                                 "--db", f"sqlite:///{db}", "--delay", "0.1", "--network", "off"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lines: list[tuple[float, str]] = []
        reader = threading.Thread(target=lambda: lines.extend((time.monotonic(), line) for line in proc.stderr))
        reader.start()
        deadline = time.monotonic() + 60
        while server.log_file.read_text(encoding="utf-8", errors="replace").count("/p") < 3:
            assert time.monotonic() < deadline and proc.poll() is None, "the crawl did not start"
            time.sleep(0.1)
        signalled = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        finally:
            proc.kill()
            reader.join(timeout=10)
    said = [(at, line) for at, line in lines if "正在停止，已抓取的页面会保留" in line]
    assert said and said[0][0] - signalled < 5  # acknowledged at once, not when the crawl has wound down
    stderr = "".join(line for _, line in lines)
    assert proc.returncode == 130, stderr
    results = proc.stdout.read()  # the result table is on stdout, progress and messages on stderr
    assert "未完成" in stderr and "合格" not in (stderr + results).replace("不合格", "")
    assert "检测未完成" in results
    assert run_row(db) == ("incomplete", "shutdown")
    con = sqlite3.connect(db)
    assert 1 <= con.execute("select count(*) from page").fetchone()[0] < 41  # what was crawled is kept
    con.close()
    assert (out / "a1" / "整改清单.xlsx").is_file()
    assert not stale.exists()  # no 整改通知 for a crawl that did not finish
    assert "整改通知.docx" not in (out / "a1" / "整改清单.html").read_text(encoding="utf-8")


HOSTILE_TEXT = "政务\ufffe公开\uffff专栏\u202egpj.exe"


def test_one_hostile_character_costs_no_bureau_its_documents(tmp_path):
    """A hacked page's anchor text with U+FFFE, U+FFFF, a lone surrogate (bytes of a broken encoding) and a
    right-to-left override, on a broken link: the link's finding is in a valid 整改清单.xlsx and 整改通知.docx,
    and the run is stored complete."""
    surrogate = "\ud800".encode("utf-8", "surrogatepass")
    hostile = ('<html><head><meta charset="utf-8"><title>专栏</title></head><body>'
               f'<a href="/missing.html">{HOSTILE_TEXT}</a>').encode("utf-8") + surrogate + \
        "<p>正文</p></body></html>".encode("utf-8")
    out, db = tmp_path / "out", tmp_path / "gk.db"
    with serve(small_sites(tmp_path, {"hostile.html": hostile}, count=1)) as server:
        proc = gkaudit("audit", "--sites", server.sites_file, "--as-of", AS_OF, "--out", out, "--db",
                       f"sqlite:///{db}", *FAST, timeout=180)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr and "出错" not in proc.stderr
    assert run_row(db) == ("complete", "finished")
    book = openpyxl.load_workbook(out / "a1" / "整改清单.xlsx")
    cells = [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value]
    assert any("政务公开专栏" in c for c in cells), "the broken link's finding carries its (cleaned) anchor text"
    assert not any(ch in c for c in cells for ch in "\ufffe\uffff\ud800")
    notice = docx.Document(out / "a1" / "整改通知.docx")
    text = "\n".join(p.text for p in notice.paragraphs) + "\n".join(
        cell.text for table in notice.tables for row in table.rows for cell in row.cells)
    assert "政务公开专栏" in text and not any(ch in text for ch in "\ufffe\uffff\ud800")
    for name in ("findings.json", "junit.xml", "gkaudit.sarif", "index.html", "汇总.xlsx"):
        assert (out / name).is_file()
