"""OCR of scanned attachments in a crawl (`--ocr`), end to end: a small site on loopback whose 批复 and 部门决算 are
one-line leads with a scanned PDF attached (pictures only, generated here), audited by the real crawler.

Without --ocr the scans are read as before: BUD-05 `not_tested` (`scanned`), no OGI-26 finding. With --ocr the
决算's missing 名词解释 is a BUD-05 finding and the 批复's 成文日期 an OGI-26 finding, the evidence naming the
attachment, its page and the recognition's confidence. Near miss: a blurred, noisy 预算 scan is recognised below
the confidence threshold and stays `not_tested` (`scanned`), the reason saying so. An audit with --ocr after one
without reads the scans again; the next audit with --ocr reuses them (304), and a repeat without --ocr reads them
again without OCR.
"""
from __future__ import annotations

import json

from sqlalchemy import create_engine, text

from fixtures.server import serve
from tests.conftest import AS_OF, gkaudit
from fixtures.scans import scanned_page, scanned_pdf
from tests.test_documents_crawl import APPROVAL, write_leads

ACCOUNTS = ["测试局2025年度部门决算", "第一部分 部门概况", "一、部门职责", "二、机构设置", "“三公”经费支出情况",
            "因公出国（境）费 0 万元，公务用车购置费 0 万元，", "公务用车运行维护费 3.2 万元，公务接待费 1.0 万元，",
            "比上年减少 0.5 万元，增减变化原因是压减公务接待。", "三、机关运行经费", "四、政府采购情况",
            "五、国有资产占有使用情况", "六、预算绩效管理情况"]  # no 名词解释
APPROVAL_TEXT = ["江南省生态环境厅", APPROVAL, "青川化工有限公司：", "你公司报送的环境影响报告书收悉。经研究，批复如下：",
                 "一、同意该项目建设。", "江南省生态环境厅", "2026年9月3日"]  # published 2026-11-02: OGI-26 (20)
BUDGET = ["测试局2026年部门预算", "一、部门职责", "二、机构设置", "三、机关运行经费"]


def scanned_site(tmp_path):
    site = tmp_path / "sites" / "scans"
    root = site / "root"
    root.mkdir(parents=True)
    (site / "site.yaml").write_text("id: scans\nname: 测试局\nlevel: county\naddress: 127.0.0.52\n", encoding="utf-8")
    leads = [("js.html", "测试局2025年度部门决算", "2026-08-20", "js.pdf", "2025年度部门决算.pdf"),
             ("ys.html", "测试局2026年部门预算", "2026-03-20", "ys.pdf", "2026年部门预算.pdf"),
             ("pf.html", APPROVAL, "2026-11-02", "pf.pdf", "批复.pdf")]
    write_leads(root, leads)
    (root / "js.pdf").write_bytes(scanned_pdf([scanned_page(ACCOUNTS, size=38)]))
    (root / "ys.pdf").write_bytes(scanned_pdf([scanned_page(BUDGET, blur=3, noise=0.01)]))  # a bad scan
    (root / "pf.pdf").write_bytes(scanned_pdf([scanned_page(APPROVAL_TEXT)]))
    return tmp_path / "sites"


def audit(server, out, db, *more):
    proc = gkaudit("audit", "--sites", server.sites_file, "--as-of", AS_OF, "--out", out, "--db", db,
                   "--delay", "0", "--quiet", "--network", "off", *more)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))


def reasons(data, rule):
    return [n for n in data["sites"][0]["not_tested"] if n["rule"] == rule]


def test_scanned_attachments_are_read_with_ocr_only(tmp_path):
    db = f"sqlite:///{tmp_path / 'gk.db'}"
    with serve(scanned_site(tmp_path)) as server:
        base = server.urls["scans"]
        plain = audit(server, tmp_path / "plain", db)
        ocr = audit(server, tmp_path / "ocr", db, "--ocr")
        again = audit(server, tmp_path / "again", db, "--ocr")
        off = audit(server, tmp_path / "off", db)

    plain_rows = {(f["rule"], f["url"]) for f in plain["findings"]}
    assert ("BUD-05", f"{base}js.html") not in plain_rows and ("OGI-26", f"{base}pf.html") not in plain_rows
    assert {n["reason"] for n in reasons(plain, "BUD-05")} == {"scanned"}

    rows = {(f["rule"], f["url"]): f for f in ocr["findings"]}
    bud05 = rows[("BUD-05", f"{base}js.html")]
    assert "附件「2025年度部门决算.pdf」" in bud05["message"] and bud05["evidence"]["missing"] == ["名词解释"]
    assert bud05["evidence"]["attachments"][0]["ocr_confidence"] >= 60
    ogi26 = rows[("OGI-26", f"{base}pf.html")]
    assert ogi26["evidence"]["written"] == "2026-09-03"
    attachment = ogi26["evidence"]["attachments"][0]
    assert attachment["page"] == 1 and attachment["quote"] == "落款日期：2026年9月3日"
    assert attachment["ocr_confidence"] >= 60
    report = next((tmp_path / "ocr").rglob("整改清单.html")).read_text(encoding="utf-8")  # the webmaster's list
    assert f"（文字识别，置信度 {attachment['ocr_confidence']}%）" in report
    # the bad scan: recognised below the threshold, still a scan, never "missing"
    assert ("BUD-05", f"{base}ys.html") not in rows
    bad = reasons(ocr, "BUD-05")
    assert [n["reason"] for n in bad] == ["scanned"] and "低于 60%" in json.dumps(bad, ensure_ascii=False)

    assert {(f["rule"], f["url"]) for f in again["findings"]} == set(rows)
    assert {(f["rule"], f["url"]) for f in off["findings"]} == plain_rows  # without --ocr: as before
    engine = create_engine(db)
    with engine.connect() as con:
        read = con.execute(text("select run_id, revalidated, extra from page where url like '%pf.pdf' "
                                "order by run_id")).all()
    engine.dispose()
    documents = [json.loads(r.extra)["document"] for r in read]
    # run 2 (--ocr after a run without) reads the scan again; run 3 (--ocr again) reuses it; run 4 (no OCR) reads
    # it again, without OCR
    assert [(r.run_id, bool(r.revalidated)) for r in read] == [(1, False), (2, False), (3, True), (4, False)]
    assert ["ocr" in d for d in documents] == [False, True, True, False]
    assert documents[3] == documents[0]
