"""Bad input: a malformed sites file or rule is refused with file, line and field, and nothing runs."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


GOOD_SITE = "  - id: a\n    name: 甲局\n    level: city\n    url: http://127.0.0.9:1/\n"


@pytest.mark.parametrize("text, line, needle", [
    ("sites:\n  - id: a\n    name: [unclosed\n", 3, "YAML 语法错误"),
    ("sites:\n  - id: a\n    name: 甲局\n    level: city\n", 2, "'url'"),
    ("sites:\n  - id: a\n    name: 甲局\n    level: town\n    url: http://127.0.0.9:1/\n", 4, "'level'"),
    ("sites:\n" + GOOD_SITE + "  - id: a\n    name: 乙局\n    level: city\n    url: http://127.0.0.8:1/\n", 6, "'id'"),
    ("sites:\n  - id: a\n    name: 甲局\n    level: city\n    url: ftp://x/\n", 5, "'url'"),
    ("crawl:\n  max_pagez: 3\nsites:\n" + GOOD_SITE, 2, "'crawl.max_pagez'"),
])
def test_broken_sites_file_names_line_and_field(tmp_path, run_gkaudit, text, line, needle):
    sites = write(tmp_path / "sites.yaml", text)
    db = tmp_path / "a.db"
    proc = run_gkaudit("audit", "--sites", sites, "--out", tmp_path / "out", "--db", f"sqlite:///{db}")
    assert proc.returncode == 2
    assert f"sites.yaml:{line}" in proc.stderr
    assert needle in proc.stderr
    assert not db.exists() and not (tmp_path / "out").exists()  # nothing ran


def test_missing_sites_file(tmp_path, run_gkaudit):
    proc = run_gkaudit("audit", "--sites", tmp_path / "nope.yaml", "--out", tmp_path / "out")
    assert proc.returncode == 2 and "nope.yaml" in proc.stderr and "文件不存在" in proc.stderr


@pytest.mark.parametrize("mutate, needle", [
    (lambda s: s.replace("kind: column-stale", "kind: column-old", 1), "'kind'"),
    (lambda s: s.replace("check: column_fresh", "check: column_freshh", 1), "'check'"),
    (lambda s: s.replace("    points: 5 ", "    points: 0 ", 1), "'points'"),
    (lambda s: s.replace("        work_news: 14", "        work_newz: 14", 1), "'params'"),
])
def test_broken_rule_names_file_line_and_field(tmp_path, run_gkaudit, mutate, needle):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "config" / "rules", rules)
    gws = rules / "gws.yaml"
    original = gws.read_text(encoding="utf-8")
    broken = mutate(original)
    assert broken != original
    gws.write_text(broken, encoding="utf-8")
    sites = write(tmp_path / "sites.yaml", "sites:\n" + GOOD_SITE)
    proc = run_gkaudit("audit", "--sites", sites, "--rules", rules, "--out", tmp_path / "out",
                       "--db", f"sqlite:///{tmp_path / 'a.db'}")
    assert proc.returncode == 2, proc.stderr
    assert "gws.yaml:" in proc.stderr and needle in proc.stderr
    assert not (tmp_path / "out").exists()


def test_database_from_an_older_version_is_refused_clearly(tmp_path, run_gkaudit):
    import sqlite3

    db = tmp_path / "old.db"
    con = sqlite3.connect(db)
    con.execute("create table page (id integer primary key, run_id integer, site varchar, url varchar)")
    con.commit()
    con.close()
    sites = write(tmp_path / "sites.yaml", "sites:\n" + GOOD_SITE)
    proc = run_gkaudit("audit", "--sites", sites, "--out", tmp_path / "out", "--db", f"sqlite:///{db}")
    assert proc.returncode == 2
    assert "旧版 gkaudit" in proc.stderr and "old.db" in proc.stderr
