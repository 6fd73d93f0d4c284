"""复查: after the bureau fixes its pages, a recheck fetches only what the findings rest on and says what is fixed."""
from __future__ import annotations

import json
import sqlite3

from tests.conftest import AS_OF, audited_samples, gkaudit

FOOTER_OLD = '苏ICP备10023456号-1</a></p>'
FOOTER_FIXED = '苏ICP备10023456号-1</a>　<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=32010202000123">苏公网安备 32010202000123号</a></p>'


def test_recheck_reports_fixed_and_open_findings_from_a_few_pages(tmp_path):
    db = f"sqlite:///{tmp_path / 'gk.db'}"
    with audited_samples(tmp_path, db, "sthjt-trs") as (server, sites):
        root = sites / "sthjt-trs" / "root"
        before = json.loads((tmp_path / "audit" / "findings.json").read_text(encoding="utf-8"))
        # the webmaster fixes two problems: the footer's 公安备案 and a dead homepage link
        index = root / "index.html"
        index.write_text(index.read_text(encoding="utf-8").replace(FOOTER_OLD, FOOTER_FIXED), encoding="utf-8")
        (root / "ztzl" / "dewrypc").mkdir(parents=True)
        (root / "ztzl" / "dewrypc" / "index.html").write_text(
            '<html><head><meta charset="utf-8"><meta name="ArticleTitle" content="第二轮污染源普查">'
            '<meta name="PubDate" content="2026-11-19 09:00"><meta name="ContentSource" content="江南省生态环境厅">'
            '<title>第二轮污染源普查</title></head><body>专题</body></html>',
            encoding="utf-8")
        again = gkaudit("recheck", "--out", tmp_path / "recheck", "--db", db, "--as-of", AS_OF, "--delay", "0")
    assert again.returncode == 0, again.stderr
    after = json.loads((tmp_path / "recheck" / "findings.json").read_text(encoding="utf-8"))
    fixed = {(r["rule"], r["url"].rsplit(":", 1)[-1].split("/", 1)[-1]) for r in after["resolved"]}
    assert fixed == {("GUIDE-05", ""), ("GWS-DLINK", "ztzl/dewrypc/index.html")}
    assert {f["id"] for f in after["findings"]} == {f["id"] for f in before["findings"]} - {
        f["id"] for f in before["findings"] if (f["rule"], f["url"].split("/", 3)[-1]) in
        {("GUIDE-05", ""), ("GWS-DLINK", "ztzl/dewrypc/index.html")}}
    assert {f["status"] for f in after["findings"]} == {"open"}
    con = sqlite3.connect(tmp_path / "gk.db")
    (fetched,), = con.execute("select count(*) from page where run_id = 2 and fetched_at > "
                              "(select started_at from run where id = 2)").fetchall()
    (total,), = con.execute("select count(*) from page where run_id = 1").fetchall()
    assert 0 < fetched <= 15 < total  # only the pages the findings rest on
    assert "已整改 2 项" in again.stderr
