"""End to end: `gkaudit audit` on the bundled fixture sites reports exactly their planted problems.

Each fixture site's expected.yaml is the manifest: every planted problem must be found, nothing else
reported, and a blocked site is not tested (never given compliance findings).
"""
from __future__ import annotations

import json
import os
import pty
import sqlite3
import subprocess
from urllib.parse import quote, urljoin

import openpyxl
import pytest
import yaml

from fixtures.server import serve
from tests.conftest import AS_OF, GKAUDIT, ROOT, gkaudit

SITES_DIR = ROOT / "fixtures" / "sites"
SITE_IDS = sorted(p.name for p in SITES_DIR.iterdir() if (p / "expected.yaml").exists())


@pytest.fixture(scope="module")
def audit(tmp_path_factory):
    out = tmp_path_factory.mktemp("audit")
    with serve(only=SITE_IDS) as server:
        proc = gkaudit("audit", "--sites", server.sites_file, "--as-of", AS_OF, "--out", out / "report",
                       "--db", f"sqlite:///{out / 'gk.db'}", "--delay", "0", "--timeout", "3")
    assert proc.returncode == 0, proc.stderr
    findings = json.loads((out / "report" / "findings.json").read_text(encoding="utf-8"))
    return {"out": out, "urls": server.urls, "json": findings, "stderr": proc.stderr}


def expected(site_id: str) -> dict:
    return yaml.safe_load((SITES_DIR / site_id / "expected.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("site_id", SITE_IDS)
def test_exactly_the_planted_findings(audit, site_id):
    base = audit["urls"][site_id]
    manifest = expected(site_id)
    want = {
        (f["rule"], f["kind"], urljoin(base, f["path"]), urljoin(base, f["parent_path"]) if f.get("parent_path") else None)
        for f in manifest.get("findings") or []
    }
    got = {(f["rule"], f["kind"], f["url"], f["parent_url"]) for f in audit["json"]["findings"] if f["site"] == site_id}
    assert got == want, f"missing: {sorted(want - got)}\nunexpected: {sorted(got - want)}"


@pytest.mark.parametrize("site_id", SITE_IDS)
def test_not_tested_only_where_expected(audit, site_id):
    site = next(s for s in audit["json"]["sites"] if s["site"] == site_id)
    reasons = sorted({n["reason"] for n in site["not_tested"]})
    assert reasons == sorted(expected(site_id).get("not_tested") or [])
    if any(n["rule"] is None for n in site["not_tested"]):  # the whole site could not be audited
        assert site["verdict"] == "not_tested" and site["score"] is None
    else:
        assert site["verdict"] in ("pass", "fail") and 0 <= site["score"] <= 100


def test_findings_json_is_the_contract(audit):
    data = audit["json"]
    assert data["as_of"] == AS_OF
    assert set(data) == {"as_of", "sites", "findings", "resolved"}
    for site in data["sites"]:
        assert set(site) == {"site", "verdict", "score", "not_tested"}
    for f in data["findings"]:
        assert set(f) == {"site", "rule", "kind", "severity", "url", "parent_url", "message", "evidence", "id", "status",
                          "problem"}
        assert f["status"] == "new" and len(f["id"]) == 16  # a fresh database: every finding is new
        assert len(f["problem"]) == 16
        assert f["severity"] in ("veto", "deduct", "advice")
        assert f["message"]


def test_stale_column_evidence_says_how_old(audit):
    stale = [f for f in audit["json"]["findings"] if f["kind"] == "column-stale"]
    assert stale
    for f in stale:
        ev = f["evidence"]
        assert ev["column_name"] and ev["window_days"] in (14, 61, 92, 183)  # 动态; 留言答复; 办件统计; 6 months
        if ev["newest_date"]:
            assert ev["days"] > ev["window_days"] and ev["newest_date"] in f["message"]


def test_score_deducts_capped_points(audit):
    data = audit["json"]
    for site in data["sites"]:
        if site["verdict"] == "not_tested":
            continue
        own = [f for f in data["findings"] if f["site"] == site["site"]]
        assert site["verdict"] == ("fail" if any(f["severity"] == "veto" for f in own) or site["score"] < 60 else "pass")


def test_reports_written_for_every_site(audit):
    report = audit["out"] / "report"
    assert (report / "index.html").exists()
    for site_id in SITE_IDS:
        n = len({f["problem"] for f in audit["json"]["findings"] if f["site"] == site_id})  # one row per problem
        assert (report / site_id / "整改清单.html").exists()
        wb = openpyxl.load_workbook(report / site_id / "整改清单.xlsx")
        assert wb.sheetnames[0] == "全部问题" and wb["全部问题"].max_row - 1 == n  # every problem on the first sheet
        assert sum(ws.max_row - 1 for ws in wb.worksheets[1:-1]) == n  # and once on its 问题类型's sheet


def test_run_is_stored_and_complete(audit):
    db = sqlite3.connect(audit["out"] / "gk.db")
    status, = db.execute("select status from run").fetchone()
    assert status == "complete"
    pages = dict(db.execute("select site, count(*) from page group by site").fetchall())
    assert all(pages.get(s, 0) > 0 for s in SITE_IDS)
    assert db.execute("select count(*) from finding").fetchone()[0] == len(audit["json"]["findings"])
    outcomes = {r[0] for r in db.execute("select outcome from ruleoutcome")}
    assert outcomes <= {"pass", "fail", "not_tested"} and "pass" in outcomes


def test_unreachable_site_is_not_tested_and_the_audit_goes_on(tmp_path):
    sites = tmp_path / "sites.yaml"
    sites.write_text("sites:\n  - id: down\n    name: 停机局\n    level: county\n    url: http://127.0.0.99:9/\n",
                     encoding="utf-8")
    proc = gkaudit("audit", "--sites", sites, "--as-of", AS_OF, "--out", tmp_path / "out",
                   "--db", f"sqlite:///{tmp_path / 'gk.db'}", "--delay", "0")
    assert proc.returncode == 0, proc.stderr
    data = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    assert data["findings"] == []
    assert data["sites"] == [{"site": "down", "verdict": "not_tested", "score": None,
                              "not_tested": [{"rule": None, "reason": "unreachable", "detail": "首页无法访问（refused）"}]}]


def test_report_rejudges_a_stored_run_without_crawling(audit, tmp_path):
    proc = gkaudit("report", "--out", tmp_path / "again", "--db", f"sqlite:///{audit['out'] / 'gk.db'}")
    assert proc.returncode == 0, proc.stderr
    again = json.loads((tmp_path / "again" / "findings.json").read_text(encoding="utf-8"))
    assert again == audit["json"]


def test_audit_on_postgresql_stores_and_judges_the_same(pg_url, tmp_path):
    """Two sites, so they are judged in forked workers, each with its own connection to the server."""
    site_ids = ["sthjt-trs", "clean-gkmlpt"]
    with serve(only=site_ids) as server:
        proc = gkaudit("audit", "--sites", server.sites_file, "--as-of", AS_OF, "--out", tmp_path / "out",
                       "--db", pg_url, "--delay", "0", "--timeout", "3")
        bases = dict(server.urls)
    assert proc.returncode == 0, proc.stderr
    data = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    want = {(f["rule"], f["kind"], urljoin(bases[s], f["path"])) for s in site_ids for f in expected(s)["findings"]}
    assert {(f["rule"], f["kind"], f["url"]) for f in data["findings"]} == want
    assert [s["site"] for s in data["sites"]] == list(bases)  # in the order of the sites file


@pytest.mark.parametrize("level, code", [("veto", 0), ("deduct", 1), ("any", 1)])
def test_fail_on_sets_the_exit_code_for_ci(tmp_path, level, code):
    with serve(only=["clean-gkmlpt", "sthjt-trs"]) as server:
        proc = gkaudit("audit", "--sites", server.sites_file, "--as-of", AS_OF, "--out", tmp_path / "out",
                       "--db", f"sqlite:///{tmp_path / 'gk.db'}", "--delay", "0", "--fail-on", level)
    assert proc.returncode == code, proc.stderr


def test_a_static_export_on_disk_is_audited_as_its_future_url(tmp_path):
    """A webmaster's CI checks pages before publishing: same findings as the served site, under the real URL."""
    import shutil

    site_id, base = "sthjt-trs", "https://sthjt.jiangnan.gov.cn/"
    shutil.copytree(SITES_DIR / site_id / "root", tmp_path / "export")
    proc = gkaudit("audit", "--export", tmp_path / "export", "--base-url", base, "--level", "province", "--a11y", "on",
                   "--as-of", AS_OF, "--out", tmp_path / "out", "--db", f"sqlite:///{tmp_path / 'gk.db'}")
    assert proc.returncode == 0, proc.stderr
    data = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    # pages on disk are not opened in chromium even under --a11y on (it would ask the real host): not_tested
    want = {(f["rule"], urljoin(base, f["path"])) for f in expected(site_id)["findings"]}
    assert {(f["rule"], f["url"]) for f in data["findings"]} == want  # robots.txt of the export obeyed too
    untested = {(n["rule"], n["reason"]) for n in data["sites"][0]["not_tested"]}
    assert {("GUIDE-12a", "not_browser_checked"), ("GUIDE-12b", "not_browser_checked")} <= untested


def test_probe_samples_homepages_and_tells_blocked_from_down(tmp_path):
    import sqlite3

    db = tmp_path / "gk.db"
    with serve(only=["clean-gkmlpt", "blocked-jsl"]) as server:
        sites = yaml.safe_load(server.sites_file.read_text(encoding="utf-8"))
        sites["sites"].append({"id": "down", "name": "停机局", "level": "county", "url": "http://127.0.0.99:9/"})
        (tmp_path / "sites.yaml").write_text(yaml.safe_dump(sites, allow_unicode=True), encoding="utf-8")
        proc = gkaudit("probe", "--sites", tmp_path / "sites.yaml", "--db", f"sqlite:///{db}", "--count", "3",
                       "--timeout", "3")
    assert proc.returncode == 0, proc.stderr
    rows = sqlite3.connect(db).execute("select site, sum(ok), sum(blocked), count(*) from probesample group by site")
    assert sorted(rows.fetchall()) == [("blocked-jsl", 0, 3, 3), ("clean-gkmlpt", 3, 0, 3), ("down", 0, 0, 3)]


def test_progress_lines_name_sites_and_pages_and_quiet_prints_nothing(tmp_path):
    with serve(only=["clean-gkmlpt"]) as server:
        loud = gkaudit("audit", "--sites", server.sites_file, "--as-of", AS_OF, "--out", tmp_path / "a",
                       "--db", f"sqlite:///{tmp_path / 'a.db'}", "--delay", "0", "--progress", "0.2")
        quiet = gkaudit("audit", "--sites", server.sites_file, "--as-of", AS_OF, "--out", tmp_path / "b",
                        "--db", f"sqlite:///{tmp_path / 'b.db'}", "--delay", "0", "--quiet")
    assert loud.returncode == 0 and quiet.returncode == 0
    assert "完成：站点 1/1，已抓取" in loud.stderr
    assert "站点完成：" in loud.stderr and "个网址，错误" in loud.stderr  # a line per finished site, by name
    assert "检查结果" in loud.stdout and "检查结果" not in loud.stderr  # results on stdout, progress on stderr
    assert "否决原因" in loud.stdout and "扣分项" in loud.stdout  # the columns of the supervisor's summary
    assert quiet.stdout == "" and "进度" not in quiet.stderr and "完成：" not in quiet.stderr and "检查结果" not in quiet.stderr


def test_on_a_terminal_progress_is_a_live_table_of_the_sites(tmp_path):
    """stderr a terminal (a pseudo-terminal here): the live table with its columns, redrawn, then the site's line;
    the results still go to stdout, a pipe."""
    master, slave = pty.openpty()
    with serve(only=["clean-gkmlpt"]) as server:
        proc = subprocess.Popen([GKAUDIT, "audit", "--sites", str(server.sites_file), "--as-of", AS_OF,
                                 "--out", str(tmp_path / "out"), "--db", str(tmp_path / "a.db"), "--delay", "0.05"],
                                stdout=subprocess.PIPE, stderr=slave, text=True)
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal closed: the command ended
                break
            if not chunk:
                break
            seen += chunk
        stdout = proc.stdout.read()
        assert proc.wait(timeout=60) == 0
    os.close(master)
    terminal = seen.decode("utf-8", "replace")
    for column in ("站点", "已抓取", "待抓取", "错误", "状态"):
        assert column in terminal
    assert "抓取中" in terminal and "站点完成：江南省青川市东湖区生态环境局" in terminal and "完成：站点 1/1" in terminal
    assert "检查结果" in stdout and "检查结果" not in terminal


def test_findings_link_the_html_they_rest_on_and_only_those_pages_are_kept(audit):
    report = audit["out"] / "report"
    db = sqlite3.connect(audit["out"] / "gk.db")
    kept = {h for (h,) in db.execute("select hash from snapshot")}
    pages = db.execute("select count(distinct snapshot) from page where snapshot is not null").fetchone()[0]
    assert 0 < len(kept) < pages  # pruned to the pages findings rest on
    listing = (report / "sthjt-trs" / "整改清单.html").read_text(encoding="utf-8")
    home_hash, = db.execute("select snapshot from page where site = 'sthjt-trs' and is_home").fetchone()
    # GUIDE-05 rests on the homepage; its snapshot is in the site's own folder, so the folder can be sent alone
    assert home_hash in kept and f'href="{quote("页面快照")}/{home_hash}.html"' in listing
    assert "江南省生态环境厅" in (report / "sthjt-trs" / "页面快照" / f"{home_hash}.html").read_text(encoding="utf-8")
    assert not (report / "snapshots").exists()


def test_two_audits_at_once_on_postgresql_do_not_mix(pg_url, tmp_path):
    """Supervisors run audits in parallel against one shared database: each run keeps its own sites and findings."""
    import subprocess

    from tests.conftest import GKAUDIT

    with serve(only=["sthjt-trs", "sthjj-hanweb"]) as server:
        procs = {}
        for site_id in ("sthjt-trs", "sthjj-hanweb"):
            one = yaml.safe_load(server.sites_file.read_text(encoding="utf-8"))
            one["sites"] = [s for s in one["sites"] if s["id"] == site_id]
            (tmp_path / f"{site_id}.yaml").write_text(yaml.safe_dump(one, allow_unicode=True), encoding="utf-8")
            procs[site_id] = subprocess.Popen(
                [GKAUDIT, "audit", "--sites", tmp_path / f"{site_id}.yaml", "--as-of", AS_OF, "--out",
                 tmp_path / site_id, "--db", pg_url, "--delay", "0", "--timeout", "3", "--quiet"],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for site_id, proc in procs.items():
            _, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
        urls = server.urls
    for site_id in procs:
        data = json.loads((tmp_path / site_id / "findings.json").read_text(encoding="utf-8"))
        want = {(f["rule"], urljoin(urls[site_id], f["path"])) for f in expected(site_id)["findings"]}
        assert {(f["rule"], f["url"]) for f in data["findings"]} == want
        assert [s["site"] for s in data["sites"]] == [site_id]
