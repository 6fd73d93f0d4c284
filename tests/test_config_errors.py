"""Bad input: a malformed sites file or rule is refused with file, line and field, and nothing runs."""
from __future__ import annotations

import os
import shutil
import subprocess
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


# Issue 22, "validated too late": each trap is refused before anything is crawled or stored, with the file's line
# and field, a Chinese message and exit code 2 — by `gkaudit audit` and by `gkaudit sites check` alike.
def site_with(line: str) -> str:
    """GOOD_SITE with one more field line (or a replaced one, when it names an existing key)."""
    key = line.split(":", 1)[0]
    fields = [f for f in GOOD_SITE.splitlines() if f.strip().lstrip("- ").split(":", 1)[0] != key]
    if key == "id":
        return "  - " + line + "\n" + "".join(f"    {f.strip()}\n" for f in fields)
    return GOOD_SITE + f"    {line}\n"


TRAPS = [  # (sites file, line, field, words of the message)
    ("sites:\n" + site_with('id: "../../x"'), 2, "'id'", "不能用作目录名"),
    ("sites:\n" + site_with('id: "a/b"'), 2, "'id'", "不能用作目录名"),
    ("sites:\n" + site_with('id: ".."'), 2, "'id'", "不能用作目录名"),
    ("sites:\n" + site_with('id: "a\\tb\\x07"'), 2, "'id'", "不能用作目录名"),
    ("sites:\n" + site_with("id: " + "x" * 300), 2, "'id'", "不能用作目录名"),
    ("sites:\n" + site_with("id: index.html"), 2, "'id'", "与报告文件或目录同名"),
    ("sites:\n" + site_with("id: FINDINGS.json"), 2, "'id'", "与报告文件或目录同名"),
    ("sites:\n" + site_with("id: 汇总.xlsx"), 2, "'id'", "不能用作目录名"),
    ("sites:\n" + site_with("{[1, 2]: x}: 1"), 6, None, "映射的键必须是文字或数字"),
    ("sites:\n  - id: a\n    name: 甲局\n    level: city\n    url: http://127.0.0.9:99999/\n", 5, "'url'", "端口"),
    ("sites:\n" + site_with("supervisor: [x, y]"), 6, "'supervisor'", "主管单位必须是一段文字"),
    ("crawl:\n  max_pages: .inf\nsites:\n" + GOOD_SITE, 2, "'crawl.max_pages'", "必须是整数"),
    ("crawl:\n  max_pages: 0\nsites:\n" + GOOD_SITE, 2, "'crawl.max_pages'", "不能小于 1"),
    ("crawl:\n  max_pages: 2.5\nsites:\n" + GOOD_SITE, 2, "'crawl.max_pages'", "必须是整数"),
    ("crawl:\n  timeout: 0\nsites:\n" + GOOD_SITE, 2, "'crawl.timeout'", "不能小于 0.1"),
    ("crawl:\n  delay: .nan\nsites:\n" + GOOD_SITE, 2, "'crawl.delay'", "必须是有限的数字"),
    ("sites:\n" + GOOD_SITE + "    rules:\n      GWS-V4a:\n        window: 30\n", 8, "'rules.GWS-V4a.window'",
     "规则 GWS-V4a 没有参数 'window'"),
]


def _ids(trap):
    return trap[3] + ":" + trap[2].strip("'") if trap[2] else trap[3]


@pytest.mark.parametrize("text, line, field, needle", TRAPS, ids=[_ids(t) for t in TRAPS])
def test_each_trap_is_refused_before_the_crawl(tmp_path, run_gkaudit, text, line, field, needle):
    sites = write(tmp_path / "sites.yaml", text)
    db, out = tmp_path / "a.db", tmp_path / "out"
    proc = run_gkaudit("audit", "--sites", sites, "--out", out, "--db", f"sqlite:///{db}", timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert f"sites.yaml:{line}:" in proc.stderr and needle in proc.stderr
    assert field is None or f"字段 {field}" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not db.exists() and not out.exists()  # nothing crawled, nothing stored, no folder made
    checked = run_gkaudit("sites", "check", sites, timeout=60)  # checking the file says exactly the same
    assert checked.returncode == 2 and f"sites.yaml:{line}:" in checked.stderr and needle in checked.stderr


def test_every_problem_of_a_sites_file_and_the_flags_is_reported_at_once(tmp_path, run_gkaudit):
    text = ("crawl:\n  delay: .nan\n  max_pages: 0\nsites:\n" + site_with('id: "../x"')
            + "  - id: b\n    name: 乙局\n    level: town\n    url: http://127.0.0.8:99999/\n    supervisor: [x]\n")
    sites = write(tmp_path / "sites.yaml", text)
    afile = write(tmp_path / "file", "")
    proc = run_gkaudit("audit", "--sites", sites, "--out", afile / "out", "--as-of", "0001-01-01",
                       "--db", f"sqlite:///{tmp_path / 'a.db'}", timeout=60)
    assert proc.returncode == 2, proc.stderr
    for where in ("sites.yaml:2: 字段 'crawl.delay'", "sites.yaml:3: 字段 'crawl.max_pages'", "sites.yaml:5: 字段 'id'",
                  "sites.yaml:11: 字段 'level'", "sites.yaml:12: 字段 'url'", "sites.yaml:13: 字段 'supervisor'",
                  "字段 '--as-of'", "字段 '--out'"):
        assert where in proc.stderr, where
    assert not (tmp_path / "a.db").exists()


@pytest.mark.parametrize("as_of", ["0001-01-01", "1999-12-31", "9999-12-31"])
def test_an_audit_date_out_of_range_is_refused_before_the_crawl(tmp_path, run_gkaudit, as_of):
    sites = write(tmp_path / "sites.yaml", "sites:\n" + GOOD_SITE)
    db = tmp_path / "a.db"
    proc = run_gkaudit("audit", "--sites", sites, "--out", tmp_path / "out", "--as-of", as_of,
                       "--db", f"sqlite:///{db}", timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert "字段 '--as-of'" in proc.stderr and f"检查基准日期 {as_of} 超出范围" in proc.stderr
    assert not db.exists()
    recheck = run_gkaudit("recheck", "--out", tmp_path / "out", "--as-of", as_of, "--db", f"sqlite:///{db}",
                          timeout=60)
    assert recheck.returncode == 2 and "超出范围" in recheck.stderr


@pytest.fixture
def read_only(tmp_path):
    """A folder nobody may write into, root included (chattr +i: permission bits do not stop root)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
    yield folder
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        folder.chmod(0o755)


@pytest.mark.parametrize("below", ["", "reports/2026"])
def test_an_unwritable_out_folder_is_refused_before_the_crawl(tmp_path, run_gkaudit, read_only, below):
    sites = write(tmp_path / "sites.yaml", "sites:\n" + GOOD_SITE)
    db = tmp_path / "a.db"
    out = read_only / below if below else read_only
    proc = run_gkaudit("audit", "--sites", sites, "--out", out, "--db", f"sqlite:///{db}", timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert "命令行: 字段 '--out'" in proc.stderr and "无法写入" in proc.stderr
    assert not db.exists() and list(read_only.iterdir()) == []


def test_an_out_folder_under_a_file_is_refused_before_the_crawl(tmp_path, run_gkaudit):
    sites = write(tmp_path / "sites.yaml", "sites:\n" + GOOD_SITE)
    afile = write(tmp_path / "report.txt", "")
    proc = run_gkaudit("audit", "--sites", sites, "--out", afile / "2026", "--db", f"sqlite:///{tmp_path / 'a.db'}",
                       timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert "字段 '--out'" in proc.stderr and "是文件，无法在其下创建输出目录" in proc.stderr
    assert not (tmp_path / "a.db").exists()
