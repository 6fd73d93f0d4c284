"""Done-when of issue 19 on a real audit of the bundled fixture sites: what a bureau receives (整改清单.html,
整改清单.xlsx, 整改通知.docx) is plain Chinese — no identifier with an underscore, no gkaudit command, no 「」, no
JSON bracket — every evidence key the checks emit has a Chinese label, and the printed list is compact
(A4 landscape in Chromium: at most one page per four problems)."""

from __future__ import annotations

import gzip
import json
import math
import os
import re
import shutil
from pathlib import Path

import docx
import lxml.html
import openpyxl
import pypdfium2
import pytest

from fixtures.server import serve
from reports.labels import EVIDENCE_KEY, INTERNAL_KEYS
from tests.conftest import AS_OF, ROOT, gkaudit

from .browser import CHROMIUM, Browser

SITES_DIR = ROOT / "fixtures" / "sites"
SITE_IDS = sorted(p.name for p in SITES_DIR.iterdir() if (p / "expected.yaml").exists())
BUREAU_FILES = ("整改清单.html", "整改清单.xlsx", "整改通知.docx")

URL = re.compile(r"(?:https?|ftp|javascript):[^\s，。；、“”（）]*", re.I)  # addresses may hold anything
RULES = {
    "identifier": re.compile(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]*"),  # missing_stage, search_url
    "command": re.compile(r"gkaudit\s+[a-z]"),  # gkaudit probe, gkaudit waive
    "quotes": re.compile("[「」『』]"),  # GB/T 15834: “ ” and ‘ ’
    "json": re.compile(r'[\[{]\s*["\[{]|["\]}]\s*[\]}]'),  # ["…"], [{…}], {"…"}
}


def violations(where: str, text: str) -> list[str]:
    plain = URL.sub(" ", text)
    return [f"{where}: {name}: …{plain[max(0, m.start() - 30):m.end() + 30]}…"
            for name, rule in RULES.items() for m in rule.finditer(plain)]


def html_texts(path: Path):
    doc = lxml.html.fromstring(path.read_text(encoding="utf-8"))
    for el in doc.xpath("//style"):
        el.drop_tree()
    for el in doc.iter():
        yield from (t for t in (el.text, el.tail) if t and t.strip())
        yield from (el.get(a) for a in ("title", "alt") if el.get(a))


def xlsx_texts(path: Path):
    for ws in openpyxl.load_workbook(path).worksheets:
        yield ws.title
        yield from (v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str))


def docx_texts(path: Path):
    doc = docx.Document(path)
    yield from (p.text for p in doc.paragraphs)
    yield from (c.text for t in doc.tables for r in t.rows for c in r.cells)
    yield from (p.text for s in doc.sections for p in s.footer.paragraphs)


READERS = {"整改清单.html": html_texts, "整改清单.xlsx": xlsx_texts, "整改通知.docx": docx_texts}


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bureau")
    with serve(only=SITE_IDS) as server:
        proc = gkaudit("audit", "--sites", server.sites_file, "--as-of", AS_OF, "--out", out / "report",
                       "--db", f"sqlite:///{out / 'gk.db'}", "--delay", "0", "--timeout", "3")
    assert proc.returncode == 0, proc.stderr
    return out / "report"


def test_the_checker_catches_each_kind_of_internal_text():
    bad = ["栏目类型: interaction_x", "missing_stage：受理", "请用 gkaudit probe 定时监测", "栏目「通知公告」",
           '缺少的项: ["部门职责"]', '信息条数: [{"type": "手机号码"}]', '{"count": 2}']
    assert all(violations("t", text) for text in bad), [t for t in bad if not violations("t", t)]
    good = ["栏目“通知公告”", "缺少的项：部门职责、机构设置", "个人信息：手机号码 1 条（138****0000）",
            "http://127.0.0.2/xxgk/t20261101_1.html", "由 gkaudit 生成", "首页不能通过 IPv6 访问：[2001:db8::1]"]
    assert not [v for t in good for v in violations("t", t)]


def test_what_a_bureau_receives_is_plain_chinese(report):
    found = []
    for site in SITE_IDS:
        for name in BUREAU_FILES:
            path = report / site / name
            assert path.is_file(), path
            found += [v for text in READERS[name](path) for v in violations(f"{site}/{name}", text)]
    assert not found, "\n".join(found[:40])


def test_every_evidence_key_the_checks_emit_has_a_label(report):
    emitted = {k for f in json.loads((report / "findings.json").read_text(encoding="utf-8"))["findings"]
               for k in f["evidence"]}
    for golden in (ROOT / "tests" / "golden").glob("*.json.gz"):
        emitted |= {k for f in json.loads(gzip.decompress(golden.read_bytes()))["findings"] for k in f["evidence"]}
    assert emitted - set(EVIDENCE_KEY) - INTERNAL_KEYS == set()


@pytest.mark.skipif(not (shutil.which("chromium") or os.access(CHROMIUM, os.X_OK)),
                    reason="chromium not installed (make install adds it)")
def test_printed_list_takes_at_most_a_page_per_four_problems(report, tmp_path):
    pages = {}
    with Browser(timeout=60) as browser:
        for site in SITE_IDS:
            page = report / site / "整改清单.html"
            pdf = browser.print_pdf(page)
            (tmp_path / f"{site}.pdf").write_bytes(pdf)
            document = pypdfium2.PdfDocument(pdf)
            width, height = document[0].get_size()
            assert width > height  # A4 landscape (842 × 595 pt)
            assert abs(width - 842) < 3 and abs(height - 595) < 3
            problems = len(lxml.html.fromstring(page.read_text(encoding="utf-8")).cssselect("tr.finding"))
            pages[site] = (len(document), problems)
    busy = {s: v for s, v in pages.items() if v[1] >= 8}
    assert busy, pages  # the fixture sites with real lists: 23 and 35 problems
    for site, (count, problems) in pages.items():
        allowed = max(1, math.ceil(problems / 4)) + (0 if problems >= 8 else 1)  # a short list: one page of notes
        assert count <= allowed, f"{site}: {count} pages for {problems} problems ({pages})"
