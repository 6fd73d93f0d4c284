"""The writer table: write_outputs writes exactly the files its writers name, findings.json first, then in each
site's folder the page snapshots its findings rest on; a new format is one module and one line."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote

import lxml.html

import reports
from reports import RUN_WRITERS, SITE_WRITERS, findings_json, write_outputs

from .sample import SNAPSHOT, SNAPSHOT_HTML, load_snapshots, make_result


def test_write_outputs_writes_the_writer_table_in_order(written, result):
    out, paths = written
    assert RUN_WRITERS[0] is findings_json and paths[0] == out / "findings.json"
    expected = [out / w.NAME for w in RUN_WRITERS]
    for site in result.sites:
        expected += [out / site.site / w.NAME for w in SITE_WRITERS]
    expected.append(out / "sthjt-trs" / "页面快照" / f"{SNAPSHOT}.html")
    assert paths == expected
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)
    assert sorted(p for p in out.rglob("*") if p.is_file()) == sorted(paths)  # nothing written outside the table


def test_the_table_names_every_format_once():
    names = [w.NAME for w in RUN_WRITERS + SITE_WRITERS]
    assert names == ["findings.json", "index.html", "汇总.xlsx", "junit.xml", "gkaudit.sarif",
                     "整改清单.html", "整改清单.xlsx", "整改通知.docx"]
    assert all(callable(w.write) for w in RUN_WRITERS + SITE_WRITERS)


def test_findings_json_is_the_result_contract(written, result):
    out, _ = written
    raw = (out / "findings.json").read_text(encoding="utf-8")
    assert raw == json.dumps(result.contract(), ensure_ascii=False, indent=2) + "\n"
    data = json.loads(raw)
    assert list(data) == ["as_of", "sites", "findings", "resolved"] and data["as_of"] == "2026-11-20"
    assert list(data["sites"][0]) == ["site", "verdict", "score", "not_tested"]
    assert list(data["findings"][0]) == ["site", "rule", "kind", "severity", "url", "parent_url", "message",
                                         "evidence", "id", "status", "problem"]
    assert list(data["resolved"][0]) == ["site", "rule", "kind", "url", "message", "id", "first_seen"]


def test_snapshots_the_lists_link_to_are_written_in_the_site_folder(written):
    out, _ = written
    snapshot = out / "sthjt-trs" / "页面快照" / f"{SNAPSHOT}.html"
    page = snapshot.read_text(encoding="utf-8")
    assert SNAPSHOT_HTML.decode("utf-8").split("<body>")[1].split("</body>")[0] in page  # the page's own text
    assert "本页为检测时的快照" in page
    doc = lxml.html.fromstring((out / "sthjt-trs" / "整改清单.html").read_text(encoding="utf-8"))
    (link,) = doc.cssselect("a.snapshot")
    assert unquote(link.get("href")) == f"页面快照/{SNAPSHOT}.html"  # inside the folder: it can be sent alone
    assert (out / "sthjt-trs" / unquote(link.get("href"))).resolve() == snapshot.resolve()


def _plain_writer(name: str):
    def write(where: Path, result, report=None) -> Path:
        path = where / name
        path.write_text(report.site.name if report else str(result.as_of), encoding="utf-8")
        return path
    return SimpleNamespace(NAME=name, write=write)


def test_a_new_format_is_one_entry_in_the_table(tmp_path, monkeypatch):
    monkeypatch.setattr(reports, "RUN_WRITERS", RUN_WRITERS + (_plain_writer("run.txt"),))
    monkeypatch.setattr(reports, "SITE_WRITERS", SITE_WRITERS + (_plain_writer("site.txt"),))
    result = make_result()
    paths = write_outputs(tmp_path, result, load_snapshots)
    assert paths[len(RUN_WRITERS)] == tmp_path / "run.txt"
    assert (tmp_path / "run.txt").read_text(encoding="utf-8") == "2026-11-20"
    for site in result.sites:  # written by the per-site workers
        assert tmp_path / site.site / "site.txt" in paths
        assert (tmp_path / site.site / "site.txt").read_text(encoding="utf-8") == site.name
