"""Attachments read by the crawl (issue 17), end to end: a small site on loopback whose 部门预算 and 部门决算 pages are
one-line leads with the document attached, audited by the real crawler.

The PDF 预算 lacks its 名词解释: BUD-05 finds it, naming the attachment; the 决算 is a scan: `not_tested` (`scanned`);
an XLSX 公示名单 with a full ID number is a PRIV-01 finding with its page. With `--documents off` the attachments are
only checked, and the leads are `not_tested` (`attachment`) as before. A repeat audit asks with If-None-Match and does
not read an unchanged document again.
"""
from __future__ import annotations

import io
import json

import openpyxl
from sqlalchemy import create_engine, text

from fixtures.server import serve
from tests.conftest import AS_OF, gkaudit
from tests.documents.pdfs import make_pdf

PAGE = '<html><head><meta charset="utf-8"><title>{title}</title></head><body>{body}</body></html>'
LEAD = '<h1>{title}</h1><p>发布时间：{day}　来源：测试局</p><p>附件：<a href="{href}">{name}</a></p>'
BUDGET = ["测试局2026年部门预算", "第一部分 部门概况", "一、部门职责", "二、机构设置", "“三公”经费支出情况",
          "因公出国（境）费 0 万元，公务用车购置费 0 万元，公务用车运行维护费 3.2 万元，公务接待费 1.0 万元",
          "比上年预算减少 0.5 万元，增减变化原因是压减公务接待", "三、机关运行经费", "四、政府采购情况",
          "五、国有资产占有使用情况", "六、预算绩效管理情况"]  # no 名词解释


def document_site(tmp_path):
    site = tmp_path / "sites" / "docs"
    root = site / "root"
    root.mkdir(parents=True)
    (site / "site.yaml").write_text("id: docs\nname: 测试局\nlevel: county\naddress: 127.0.0.51\n", encoding="utf-8")
    leads = [("ys.html", "测试局2026年部门预算", "2026-03-20", "ys.pdf", "2026年部门预算.pdf"),
             ("js.html", "测试局2025年度部门决算", "2026-08-20", "js.pdf", "2025年度部门决算.pdf"),
             ("gs.html", "行政处罚公示名单", "2026-10-20", "gs.xlsx", "公示名单.xlsx")]
    for page, title, day, href, name in leads:
        (root / page).write_text(PAGE.format(title=title, body=LEAD.format(title=title, day=day, href=href, name=name)),
                                 encoding="utf-8")
    (root / "index.html").write_text(PAGE.format(title="测试局", body="".join(
        f'<a href="/{page}">{title}</a>' for page, title, *_ in leads)), encoding="utf-8")
    (root / "ys.pdf").write_bytes(make_pdf([[(60, 780 - 24 * i, line) for i, line in enumerate(BUDGET)]]))
    (root / "js.pdf").write_bytes(make_pdf([[], []], images={0, 1}))  # a scan: pictures, no text layer
    book = openpyxl.Workbook()
    book.active.append(["姓名", "身份证号", "处罚决定"])
    book.active.append(["张某", "11010519491231002X", "罚款"])
    data = io.BytesIO()
    book.save(data)
    (root / "gs.xlsx").write_bytes(data.getvalue())
    return tmp_path / "sites"


def audit(server, out, db, *more):
    proc = gkaudit("audit", "--sites", server.sites_file, "--as-of", AS_OF, "--out", out, "--db", db,
                   "--delay", "0", "--quiet", *more)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))


def test_attachments_are_read_and_judged(tmp_path):
    db = f"sqlite:///{tmp_path / 'gk.db'}"
    with serve(document_site(tmp_path)) as server:
        data = audit(server, tmp_path / "out", db)
        base = server.urls["docs"]
        again = audit(server, tmp_path / "again", db)
        off = audit(server, tmp_path / "off", f"sqlite:///{tmp_path / 'off.db'}", "--documents", "off")

    rows = {(f["rule"], f["url"]): f for f in data["findings"]}
    bud05 = rows[("BUD-05", f"{base}ys.html")]
    assert "附件「2026年部门预算.pdf」" in bud05["message"] and bud05["evidence"]["missing"] == ["名词解释"]
    assert ("BUD-04", f"{base}ys.html") not in rows  # the 三公 items are all in the PDF
    priv = rows[("PRIV-01", f"{base}gs.xlsx")]
    assert "第 1 页" in priv["message"] and "11010519491231002X" not in json.dumps(priv, ensure_ascii=False)
    not_tested = {(n["rule"], n["reason"]) for n in data["sites"][0]["not_tested"]}
    assert ("BUD-05", "scanned") in not_tested  # the 决算 is a scan: never "missing"

    assert {(f["rule"], f["url"]) for f in again["findings"]} == set(rows)  # the same, from stored facts
    engine = create_engine(db)
    with engine.connect() as con:
        read = con.execute(text("select run_id, revalidated, extra from page where url like '%ys.pdf'")).all()
        stored = con.execute(text("select extra from page where url like '%gs.xlsx'")).scalars().all()
    engine.dispose()
    assert stored and all("11010519491231002X" not in value and "110105********002X" in value for value in stored)
    assert [(r.run_id, bool(r.revalidated)) for r in read] == [(1, False), (2, True)]  # not read again: reused
    assert all("名词解释" not in json.loads(r.extra)["document"]["page_texts"][0] for r in read)

    off_rows = {(f["rule"], f["url"]) for f in off["findings"]}
    assert ("BUD-05", f"{base}ys.html") not in off_rows and ("PRIV-01", f"{base}gs.xlsx") not in off_rows
    assert ("BUD-05", "attachment") in {(n["rule"], n["reason"]) for n in off["sites"][0]["not_tested"]}
