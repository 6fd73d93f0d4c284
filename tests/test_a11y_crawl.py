"""GUIDE-12a/b end to end: the crawl checks the homepage and the first `a11y_pages` 二级 pages of each site in
Debian's chromium (axe-core injected), stores the results as page.extra["a11y"], and the rules report them; the
clean twin passes; with render off nothing is checked and the rules are not_tested."""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from fixtures.server import serve
from tests.conftest import AS_OF, gkaudit

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "a11y"
CHROMIUM = Path("/usr/bin/chromium")

if not CHROMIUM.exists() and os.environ.get("CI") != "true":
    pytest.skip("chromium 未安装（make install 会安装）", allow_module_level=True)


def site(sites: Path, name: str, address: str, home: str) -> None:
    """A homepage (a fixtures/a11y page) whose first links are five 二级 pages, each a copy of the clean page."""
    root = sites / name / "root"
    root.mkdir(parents=True)
    (sites / name / "site.yaml").write_text(f"id: {name}\nname: 测试生态环境局\nlevel: county\naddress: {address}\n"
                                            "supervisor: 测试市生态环境局\n", encoding="utf-8")
    links = "".join(f'<p><a href="/c{i}/index.html">栏目{i}</a></p>' for i in range(5))
    (root / "index.html").write_text((PAGES / home).read_text(encoding="utf-8")
                                     .replace("<body>", "<body>" + links), encoding="utf-8")
    for i in range(5):
        (root / f"c{i}").mkdir()
        shutil.copy(PAGES / "passing.html", root / f"c{i}" / "index.html")


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    work = tmp_path_factory.mktemp("a11y")
    sites = work / "sites"
    site(sites, "a11y-bad", "127.0.0.152", "failing.html")
    site(sites, "a11y-popup", "127.0.0.153", "popup.html")
    site(sites, "a11y-clean", "127.0.0.154", "passing.html")
    out = {}
    with serve(sites) as server:
        for render in ("auto", "off"):
            proc = gkaudit("audit", "--sites", server.sites_file, "--as-of", AS_OF, "--out", work / render,
                           "--db", f"sqlite:///{work / render}.db", "--delay", "0", "--quiet", "--render", render,
                           "--a11y", "on", "--a11y-pages", "2", timeout=600)
            assert proc.returncode in (0, 1), proc.stderr
            out[render] = json.loads((work / render / "findings.json").read_text(encoding="utf-8"))
        urls = server.urls
    return out, urls, work / "auto.db"


def rules_of(data, site_id):
    return {f["rule"] for f in data["findings"] if f["site"] == site_id and f["rule"].startswith("GUIDE-12")}


def test_the_failing_homepage_is_reported_by_clause_and_the_clean_twin_passes(audited):
    out, urls, _ = audited
    data = out["auto"]
    failing = [f for f in data["findings"] if f["site"] == "a11y-bad" and f["rule"] == "GUIDE-12a"]
    assert {f["evidence"]["axe_rule"] for f in failing} >= {"image-alt", "color-contrast", "label", "html-has-lang"}
    assert {f["url"] for f in failing} == {urls["a11y-bad"]}  # its 二级 pages are clean copies
    assert rules_of(data, "a11y-clean") <= {"GUIDE-12"}  # the entrance (static) only
    assert rules_of(data, "a11y-popup") == {"GUIDE-12", "GUIDE-12b"}


def test_the_homepage_and_a_sample_of_pages_are_checked(audited):
    _, urls, db = audited
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT site, url, extra FROM page WHERE extra LIKE '%\"a11y\"%'").fetchall()
    checked = {}
    for site_id, url, extra in rows:
        checked.setdefault(site_id, []).append(url.replace(urls[site_id], "/"))
        assert "violations" in json.loads(extra)["a11y"]
    assert {k: len(v) for k, v in checked.items()} == {"a11y-bad": 3, "a11y-clean": 3, "a11y-popup": 3}
    assert all(sorted(v) == ["/", "/c0/index.html", "/c1/index.html"] for v in checked.values())  # its first links


def test_with_render_off_nothing_is_checked(audited):
    out, *_ = audited
    data = out["off"]
    assert not any(f["rule"] in ("GUIDE-12a", "GUIDE-12b") for f in data["findings"])
    untested = {(s["site"], n["rule"], n["reason"]) for s in data["sites"] for n in s["not_tested"]}
    assert {("a11y-bad", "GUIDE-12a", "not_browser_checked"), ("a11y-popup", "GUIDE-12b", "not_browser_checked")} \
        <= untested


