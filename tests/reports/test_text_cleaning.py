"""One hostile character must not cost a bureau its documents: every writer goes through reports.text.clean_text.

A stored run whose link text holds U+FFFE, U+FFFF and a control character (as a hacked page can), and a judged
result whose evidence holds a lone surrogate (a broken encoding), are written in full; every output opens.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace

import docx
import lxml.html
import openpyxl
import pytest

from reports import write_outputs
from reports.text import bureau_text, clean_filename, clean_text
from tests.builders import BASE, SiteBuilder

from .sample import FINDINGS, load_snapshots, make_result

HOSTILE = "政务\ufffe服务\uffff\x01\x0b\x0c\x1f"


def test_clean_text_removes_what_xml_forbids_and_keeps_the_rest():
    assert clean_text(HOSTILE + "\ud800x\udfff") == "政务服务x"
    assert clean_text("a\tb\nc\rd") == "a\tb\nc\rd"  # the whitespace XML allows stays
    assert clean_text(None) == "" and clean_text(3) == "3"
    assert clean_text("😀 emoji") == "😀 emoji"  # astral characters are fine
    assert clean_filename("报告\u202egpj.exe") == "报告gpj.exe"  # a right-to-left override would disguise a name
    assert clean_text("报告\u202e") == "报告\u202e"  # in body text it is only text
    assert bureau_text("栏目「通知『公告』」") == "栏目“通知‘公告’”"


def assert_every_output_opens(out, site: str) -> None:
    json.loads((out / "findings.json").read_text(encoding="utf-8"))
    json.loads((out / "gkaudit.sarif").read_text(encoding="utf-8"))
    ET.parse(out / "junit.xml")
    for name in ("index.html", f"{site}/整改清单.html"):
        lxml.html.fromstring((out / name).read_text(encoding="utf-8"))
    openpyxl.load_workbook(out / "汇总.xlsx")
    wb = openpyxl.load_workbook(out / site / "整改清单.xlsx")
    docx.Document(out / site / "整改通知.docx")
    return wb


def test_a_stored_run_with_xml_illegal_link_text_writes_every_output(tmp_path):
    site = SiteBuilder(tmp_path)
    site.links.append((BASE, f"{BASE}gone.html", HOSTILE))
    site.extra_pages.append({"url": f"{BASE}gone.html", "status": 404, "confirmed": True, "confirm_status": 404})
    result = site.judge()
    (dead,) = [f for f in result.findings if f.rule == "GWS-DLINK"]
    assert "\ufffe" in dead.evidence["anchor"]  # the hostile text reached the result
    out = tmp_path / "out"
    paths = write_outputs(out, result, lambda hashes: {})
    assert all(p.is_file() for p in paths)
    wb = assert_every_output_opens(out, "s")
    cells = [c.value for row in wb["全部问题"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any("政务服务" in c for c in cells)
    notice = "\n".join(c.text for t in docx.Document(out / "s" / "整改通知.docx").tables for r in t.rows
                       for c in r.cells)
    assert "首页链接“政务服务”无法访问" in notice
    assert "政务服务" in ET.parse(out / "junit.xml").getroot().find(".//failure").text


@pytest.mark.parametrize("where", ["anchor", "message"])
def test_a_lone_surrogate_anywhere_in_a_finding_is_dropped(tmp_path, where):
    f = FINDINGS[1]  # the dead link of sthjt-trs
    bad = replace(f, evidence=f.evidence | {"anchor": "政务\ud800服务"}) if where == "anchor" else \
        replace(f, message=f.message + "\udc00")
    result = make_result(findings=(bad,) + FINDINGS[2:])
    write_outputs(tmp_path, result, load_snapshots)
    assert_every_output_opens(tmp_path, "sthjt-trs")
    assert "\\ud800" not in (tmp_path / "findings.json").read_text(encoding="utf-8")
