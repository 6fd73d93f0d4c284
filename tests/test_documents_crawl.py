"""Attachments read by the crawl (issue 17), end to end: a small site on loopback whose 部门预算 and 部门决算 pages are
one-line leads with the document attached, audited by the real crawler.

The PDF 预算 lacks its 名词解释: BUD-05 finds it, naming the attachment; the 决算 is a scan: `not_tested` (`scanned`);
an XLSX 公示名单 with a full ID number is a PRIV-01 finding with its page. With `--documents off` the attachments are
only checked, and the leads are `not_tested` (`attachment`) as before. A repeat audit asks with If-None-Match and does
not read an unchanged document again; one served without validators is downloaded again but, the same bytes, not read.
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
APPROVAL = "关于青川化工项目环境影响报告书的批复"
APPROVAL_TEXT = ["江南省生态环境厅", APPROVAL, "江环审〔2026〕12号", "青川化工有限公司：",
                 "你公司报送的环境影响报告书收悉。经研究，批复如下：", "一、同意该项目建设。", "江南省生态环境厅",
                 "2026年9月1日"]  # published 2026-11-02: 43 working days later (OGI-26: 20)


def write_leads(root, leads) -> None:
    """Lead pages (page, title, day, attachment href, attachment name), each a headline and one attachment link,
    and a homepage linking them all: how bureaus publish budgets and 批复."""
    for page, title, day, href, name in leads:
        (root / page).write_text(PAGE.format(title=title, body=LEAD.format(title=title, day=day, href=href, name=name)),
                                 encoding="utf-8")
    (root / "index.html").write_text(PAGE.format(title="测试局", body="".join(
        f'<a href="/{page}">{title}</a>' for page, title, *_ in leads)), encoding="utf-8")


def document_site(tmp_path):
    site = tmp_path / "sites" / "docs"
    root = site / "root"
    root.mkdir(parents=True)
    (site / "site.yaml").write_text("id: docs\nname: 测试局\nlevel: county\naddress: 127.0.0.51\n", encoding="utf-8")
    # a download handler that sends no ETag/Last-Modified: the repeat audit downloads js.pdf again, same bytes
    (site / "faults.yaml").write_text('faults:\n  /js.pdf: {validators: false}\n', encoding="utf-8")
    leads = [("ys.html", "测试局2026年部门预算", "2026-03-20", "ys.pdf", "2026年部门预算.pdf"),
             ("js.html", "测试局2025年度部门决算", "2026-08-20", "js.pdf", "2025年度部门决算.pdf"),
             ("gs.html", "行政处罚公示名单", "2026-10-20", "gs.xlsx", "公示名单.xlsx"),
             ("sl.html", "青川化工项目环境影响报告书受理情况公示", "2026-09-28", "sl.xlsx", "受理情况公示表.xlsx"),
             ("pf.html", APPROVAL, "2026-11-02", "pf.pdf", "批复.pdf")]
    write_leads(root, leads)
    (root / "ys.pdf").write_bytes(make_pdf([[(60, 780 - 24 * i, line) for i, line in enumerate(BUDGET)]]))
    (root / "js.pdf").write_bytes(make_pdf([[], []], images={0, 1}))  # a scan: pictures, no text layer
    (root / "gs.xlsx").write_bytes(xlsx([["姓名", "身份证号", "处罚决定"], ["张某", "11010519491231002X", "罚款"]]))
    # the 受理日期 is in the table only, a week before the notice (EIA-03a: 1 working day)
    (root / "sl.xlsx").write_bytes(xlsx([["建设项目环境影响评价文件受理情况公示表"],
                                         ["项目名称", "建设单位", "受理日期", "环评类别"],
                                         ["青川化工项目", "青川化工有限公司", "2026-09-21", "报告书"]]))
    # the 批复 links its 全本 (present), a page that is gone and a mail address (not a web link)
    (root / "pf.pdf").write_bytes(make_pdf([[(60, 780 - 24 * i, line) for i, line in enumerate(APPROVAL_TEXT)]],
                                           links=[(0, "/qb.html"), (0, "gone.html"),
                                                  (0, "mailto:hp@example.gov.cn")]))
    (root / "qb.html").write_text(PAGE.format(title="全本", body="<p>全本</p>"), encoding="utf-8")
    return tmp_path / "sites"


def xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


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
    eia03 = rows[("EIA-03a", f"{base}sl.html")]  # read from the attached table's 受理日期 column
    assert eia03["evidence"]["accepted"] == ["2026-09-21"]
    assert eia03["evidence"]["attachments"] == [{"name": "受理情况公示表.xlsx", "url": f"{base}sl.xlsx"}]
    ogi26 = rows[("OGI-26", f"{base}pf.html")]  # the 成文日期 is the 批复's 落款
    assert ogi26["evidence"]["written"] == "2026-09-01" and ogi26["evidence"]["attachments"][0]["page"] == 1
    dead = [f for f in data["findings"] if f["rule"] == "GWS-DLINK" and f["url"].endswith("/gone.html")]
    assert [(f["parent_url"], f["message"][:5]) for f in dead] == [(f"{base}pf.pdf", "页面附件内")]  # one, from the PDF
    assert not [f for f in data["findings"] if f["url"].endswith("/qb.html") or "mailto" in f["url"]]
    not_tested = {(n["rule"], n["reason"]) for n in data["sites"][0]["not_tested"]}
    assert ("BUD-05", "scanned") in not_tested  # the 决算 is a scan: never "missing"

    assert {(f["rule"], f["url"]) for f in again["findings"]} == set(rows)  # the same, from stored facts
    engine = create_engine(db)
    with engine.connect() as con:
        read = con.execute(text("select run_id, revalidated, extra from page where url like '%ys.pdf'")).all()
        scans = con.execute(text("select run_id, revalidated, extra from page where url like '%js.pdf' "
                                 "order by run_id")).all()
        stored = con.execute(text("select extra from page where url like '%gs.xlsx'")).scalars().all()
    engine.dispose()
    assert stored and all("11010519491231002X" not in value and "110105********002X" in value for value in stored)
    assert [(r.run_id, bool(r.revalidated)) for r in read] == [(1, False), (2, True)]  # not read again: reused
    assert all("名词解释" not in json.loads(r.extra)["document"]["page_texts"][0] for r in read)
    # no validators, so no 304: downloaded again, but the same bytes (sha1) are not read again
    assert [(r.run_id, bool(r.revalidated)) for r in scans[:2]] == [(1, False), (2, False)]
    first, second = (json.loads(r.extra)["document"] for r in scans[:2])
    assert "reused_from" not in first and second == first | {"reused_from": 1}

    off_rows = {(f["rule"], f["url"]) for f in off["findings"]}
    assert ("BUD-05", f"{base}ys.html") not in off_rows and ("PRIV-01", f"{base}gs.xlsx") not in off_rows
    assert ("BUD-05", "attachment") in {(n["rule"], n["reason"]) for n in off["sites"][0]["not_tested"]}
