"""The loop as users run it: audit → 整改台账 → feedback → recheck → 销号; recheck --site builds on the site's own
latest run; the 整改时限 does not move with a recheck; a bureau's returned 整改清单.xlsx is imported once."""
from __future__ import annotations

import json
from datetime import date

from openpyxl import Workbook, load_workbook

from store import connect, ledger
from tests.conftest import AS_OF, audited_samples, gkaudit
from tests.test_ledger import run, seen
from tests.test_recheck import FOOTER_FIXED, FOOTER_OLD


def items(db: str, *args) -> list[dict]:
    proc = gkaudit("ledger", "list", "--json", "--db", db, *args)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def deadlines(xlsx) -> dict[str, object]:
    """编号 (the first 8 digits of the problem id) → 整改时限 of every row of a 整改清单.xlsx."""
    out = {}
    for ws in load_workbook(xlsx, read_only=True).worksheets:
        rows = list(ws.iter_rows(values_only=True))
        head = list(rows[0])
        if "编号" in head and "整改时限" in head:
            out.update({r[head.index("编号")]: r[head.index("整改时限")] for r in rows[1:]})
    return out


def first_found(xlsx) -> dict[str, object]:
    """编号 (the first 8 digits of the problem id) → 发现时间 on the 全部问题 sheet of a 整改清单.xlsx."""
    rows = list(load_workbook(xlsx, read_only=True)["全部问题"].iter_rows(values_only=True))
    head = list(rows[0])
    return {r[head.index("编号")]: r[head.index("发现时间")] for r in rows[1:]}


def test_the_loop_with_two_sites_rechecked_one_after_the_other(tmp_path):
    db = f"sqlite:///{tmp_path / 'gk.db'}"
    with audited_samples(tmp_path, db, "sthjt-trs", "sthjj-hanweb") as (server, sites):
        found = json.loads((tmp_path / "audit" / "findings.json").read_text(encoding="utf-8"))
        site_a, site_b = "sthjt-trs", "sthjj-hanweb"
        assert {s["site"] for s in found["sites"]} == {site_a, site_b}
        listed = items(db)
        assert {i["problem"] for i in listed} == {f["problem"] for f in found["findings"]}
        assert {i["status"] for i in listed} == {"open"} and {i["first_found"] for i in listed} == {AS_OF}
        plain = gkaudit("ledger", "list", "--db", db, "--site", site_a)
        assert plain.stdout.splitlines()[0].split("\t")[:3] == ["编号", "问题编号", "站点"]
        assert {line.split("\t")[2] for line in plain.stdout.splitlines()[1:]} == {site_a}

        # the webmaster of site a fixes the footer's 公安备案 and reports it
        index = sites / site_a / "root" / "index.html"
        index.write_text(index.read_text(encoding="utf-8").replace(FOOTER_OLD, FOOTER_FIXED), encoding="utf-8")
        of_a = items(db, "--site", site_a)
        footer = next(i for i in of_a if "GUIDE-05" in i["rules"])
        other = next(i for i in of_a if "GUIDE-05" not in i["rules"]
                     and i["kind"] in ("link-broken", "identifier-missing", "metadata-missing"))
        for item_id in (footer["id"], other["id"]):
            done = gkaudit("ledger", "feedback", str(item_id), "--note", "已整改", "--by", "王五", "--db", db)
            assert done.returncode == 0, done.stderr
        assert len(items(db, "--status", "feedback_received")) == 2

        first = gkaudit("recheck", "--site", site_a, "--out", tmp_path / "recheck-a", "--db", db,
                        "--as-of", "2026-11-25", "--delay", "0")
        assert first.returncode == 0, first.stderr
        # bug 1: a recheck of b after a recheck of a builds on b's audit, not on the recheck of a
        second = gkaudit("recheck", "--site", site_b, "--out", tmp_path / "recheck-b", "--db", db,
                         "--as-of", "2026-11-25", "--delay", "0")
        assert second.returncode == 0, second.stderr
        b_findings = [f for f in found["findings"] if f["site"] == site_b]
        after_b = json.loads((tmp_path / "recheck-b" / "findings.json").read_text(encoding="utf-8"))
        kept = {f["id"] for f in after_b["findings"]}  # five days later: a date-dependent finding may be gone
        assert kept <= {f["id"] for f in b_findings} and len(kept) >= len(b_findings) - 2 > 0
        assert "基于运行 1" in second.stderr and "仍未整改 0 项" not in second.stderr

        unknown = gkaudit("recheck", "--site", "nosuch", "--out", tmp_path / "x", "--db", db)
        assert unknown.returncode == 2
        assert "nosuch" in unknown.stderr and site_a in unknown.stderr and site_b in unknown.stderr

    # the fixed item is closed (销号), the other one failed its recheck and is open again
    state = {i["id"]: i for i in items(db)}
    assert state[footer["id"]]["status"] == "closed"
    assert state[other["id"]]["status"] == "open"
    shown = gkaudit("ledger", "show", str(footer["id"]), "--db", db)
    assert shown.returncode == 0, shown.stderr
    assert "检测发现" in shown.stdout and "反馈已整改（王五）" in shown.stdout and "复查通过，销号" in shown.stdout
    assert "复查未通过" in gkaudit("ledger", "show", str(other["id"]), "--db", db).stdout

    # bug 2: the 整改时限 is fixed at first detection (15 working days after 11-20 = 12-11), not moved to 11-25 + N
    assert state[other["id"]]["deadline"] == listed[[i["id"] for i in listed].index(other["id"])]["deadline"]
    before = deadlines(tmp_path / "audit" / site_b / "整改清单.xlsx")
    after = deadlines(tmp_path / "recheck-b" / site_b / "整改清单.xlsx")
    assert after and after == {k: v for k, v in before.items() if k in after}
    assert min(after.values()).date() >= date(2026, 12, 11)
    # 发现时间 is when the ledger first found the problem, not the recheck's date
    assert {str(v)[:10] for v in first_found(tmp_path / "recheck-b" / site_b / "整改清单.xlsx").values()} == {AS_OF}
    overdue = gkaudit("ledger", "list", "--overdue", "--as-of", "2027-03-01", "--db", db)
    assert "逾期" in overdue.stdout and "已销号" not in overdue.stdout

    # `gkaudit waive` (by the id findings.json gives) is recorded in the ledger too
    waived = next(i for i in items(db, "--site", site_b) if i["status"] == "open")
    proc = gkaudit("waive", waived["problem"][:10], "--reason", "备案变更办理中", "--db", db)
    assert proc.returncode == 0, proc.stderr
    assert {i["id"]: i["status"] for i in items(db)}[waived["id"]] == "waived"
    assert "豁免" in gkaudit("ledger", "show", str(waived["id"]), "--db", db).stdout

    # the offline loop: the bureau fills in the 整改清单.xlsx it received and the supervisor imports it
    sheet = tmp_path / "returned.xlsx"
    wb = load_workbook(tmp_path / "recheck-b" / site_b / "整改清单.xlsx")
    ws = wb["全部问题"]
    head = [c.value for c in ws[1]]
    still = {i["problem"] for i in items(db, "--site", site_b) if i["status"] == "open"}
    row = next(r for r in range(2, ws.max_row + 1)  # the list prints the first 8 digits of the problem id
               if any(p.startswith(str(ws.cell(r, head.index("编号") + 1).value)) for p in still))
    for name, value in (("整改情况", "已更正"), ("责任人", "赵六"), ("完成时间", date(2026, 11, 28))):
        ws.cell(row, head.index(name) + 1, value)
    wb.save(sheet)
    proc = gkaudit("ledger", "import", sheet, "--db", db)
    assert proc.returncode == 0, proc.stderr
    assert "已导入 1 项" in proc.stderr and len(items(db, "--status", "feedback_received")) == 1


def returned_sheet(path, rows) -> None:
    """A 整改清单 sheet as a bureau sends it back: its columns plus the three it filled in."""
    wb = Workbook()
    wb.active.title = "汇总"
    wb.active.append(["网站名称", "结论"])
    ws = wb.create_sheet("链接不可用")
    ws.append(["序号", "网站名称", "问题描述", "问题编号", "整改情况", "责任人", "完成时间"])
    for row in rows:
        ws.append(row)
    wb.save(path)


def test_import_of_a_returned_list_records_each_row_once_and_names_bad_rows(db_url, tmp_path):
    engine = connect(db_url)
    ledger.record_run(engine, run(engine, date(2026, 11, 20)),
                      [seen("aaaaaaaa11111111"), seen("bbbbbbbb22222222"), seen("cccccccc33333333")])
    sheet = tmp_path / "整改清单.xlsx"
    returned_sheet(sheet, [
        [1, "甲局", "链接不可用", "aaaaaaaa", "已删除失效链接", "张三", date(2026, 11, 24)],
        [2, "甲局", "链接不可用", "ffffffff", "已整改", "张三", "2026-11-24"],  # not in the ledger
        [3, "甲局", "链接不可用", "bbbbbbbb", "已修复", "李四", "下周"],  # not a date
        [4, "甲局", "链接不可用", "cccccccc", None, None, None],  # not filled in: not reported fixed
    ])
    proc = gkaudit("ledger", "import", sheet, "--db", db_url)
    assert proc.returncode == 1, proc.stderr
    assert "已导入 1 项" in proc.stderr
    assert f"{sheet} 工作表「链接不可用」第 3 行「问题编号」：ffffffff 整改台账中没有这个问题" in proc.stderr
    assert "第 4 行「完成时间」" in proc.stderr and "下周" in proc.stderr
    a = ledger.find_items(engine, "aaaaaaaa")[0]
    assert a.status == "feedback_received"
    fed = ledger.timeline(engine, a.id)[1]
    assert (fed.kind, fed.note, fed.by, fed.data["done"]) == ("feedback", "已删除失效链接", "张三", "2026-11-24")
    assert ledger.find_items(engine, "cccccccc")[0].status == "open"
    again = gkaudit("ledger", "import", sheet, "--db", db_url)
    assert "已导入 0 项整改反馈，1 项此前已导入" in again.stderr
    assert [e.kind for e in ledger.timeline(engine, a.id)] == ["detected", "feedback", "recheck_queued"]


def test_import_refuses_a_file_without_the_columns(tmp_path):
    db = f"sqlite:///{tmp_path / 'gk.db'}"
    connect(db).dispose()  # a database that exists (a missing one is refused before the file is read)
    wb = Workbook()
    wb.active.append(["序号", "问题描述"])
    wb.save(tmp_path / "其他.xlsx")
    proc = gkaudit("ledger", "import", tmp_path / "其他.xlsx", "--db", db)
    assert proc.returncode == 2 and "其他.xlsx" in proc.stderr and "整改情况" in proc.stderr
    (tmp_path / "坏.xlsx").write_text("not a workbook", encoding="utf-8")
    proc = gkaudit("ledger", "import", tmp_path / "坏.xlsx", "--db", db)
    assert proc.returncode == 2 and "坏.xlsx" in proc.stderr and "XLSX" in proc.stderr
