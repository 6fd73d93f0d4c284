"""The attachments of the bundled fixture sites (fixtures/attachments, issue 17): committed as the generator makes them,
and read by the crawl's document readers as what each plants (the findings themselves: tests/test_audit_e2e.py against
each site's expected.yaml)."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import xlrd

from crawler.documents.stored import read_document
from fixtures.attachments import SITES, build
from fixtures.attachments.files import check_digit
from tests.conftest import ROOT

BUILT = build()


def test_the_committed_attachments_are_what_the_generator_makes():
    differ = [path for path, data in BUILT.items() if not (SITES / path).exists() or (SITES / path).read_bytes() != data]
    assert not differ, f"run `.venv/bin/python -m fixtures.attachments` and commit: {differ}"


def test_the_generator_makes_the_same_bytes_in_another_process():
    """Another hash seed, another process: no set order, time or random source reaches the bytes."""
    proc = subprocess.run([sys.executable, "-m", "fixtures.attachments", "--check"], cwd=ROOT, capture_output=True,
                          text=True, env=os.environ | {"PYTHONHASHSEED": "4242"}, timeout=120)
    assert proc.returncode == 0, proc.stderr


def read(path: str) -> dict:
    return read_document(BUILT[path], path.rsplit("/", 1)[-1], None)


def lines(doc: dict) -> list[str]:
    return [line for text in doc["page_texts"] for line in text.splitlines()]


def test_complete_budget_and_report_under_leads_on_the_clean_site():
    budget = read("clean-gkmlpt/root/attachment/0/150/1150_713208465921.pdf")
    facts = budget["budget"]
    assert (budget["format"], budget["pages"], facts["doc_type"], facts["fiscal_year"]) == ("pdf", 10, "部门预算", 2026)
    assert (facts["function_code_max_digits"], facts["economic_code_max_digits"]) == (7, 5)
    assert len(facts["sections"]) == 7 and facts["sangong_change_explained"]
    assert any("公务用车购置费" in line and "公务用车运行费" in line for line in lines(budget))  # the split 三公 head
    report = read("clean-gkmlpt/root/attachment/0/201/1201_520394817266.pdf")
    assert report["annual_report"] == {"year": 2025, "sections": [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]}


def test_final_accounts_one_without_the_car_split_one_coded_to_kuan_only():
    workbook = read("sthjt-trs/root/xxgk/czyjs/202508/P020250828390125746301.xlsx")
    assert (workbook["format"], workbook["pages"], workbook["title"]) == ("xlsx", 5, "江南省生态环境厅2024年度部门决算")
    assert (workbook["budget"]["function_code_max_digits"], workbook["budget"]["economic_code_max_digits"]) == (7, 5)
    text = "\n".join(lines(workbook))
    assert "公务用车购置及运行费" in text and not re.search(r"公务用车(购置|运行(维护)?)费|车辆(购置|运行)费", text)
    assert "增减变化" in text and "名词解释" in text
    city = read("sthjj-hanweb/root/attach/0/20250926104512837465.pdf")
    assert (city["budget"]["function_code_max_digits"], city["budget"]["function_code_example"]) == (5, "21101")
    assert city["budget"]["economic_code_max_digits"] == 5
    assert set(city["budget"]["sangong_items"]) == {"因公出国（境）费", "公务用车购置费", "公务用车运行费", "公务接待费"}


def test_the_2024_report_leaves_out_the_review_section_and_says_nothing_of_it():
    report = read("sthjj-hanweb/root/attach/0/20250124093027561848.pdf")
    assert report["annual_report"]["year"] == 2024
    assert "四、政府信息公开行政复议、行政诉讼情况" not in report["annual_report"]["sections"]
    assert len(report["annual_report"]["sections"]) == 5 and "行政复议" not in "".join(report["page_texts"])


def test_full_report_and_the_summary_posted_as_one():
    full = read("clean-gkmlpt/root/attachment/0/305/2305_dhyr_qb.pdf")
    text = "".join(full["page_texts"]).replace(" ", "")
    assert full["pages"] >= 20 and full["text_layer"]
    for chapter in ("建设项目概况", "工程分析", "环境现状调查与评价", "环境影响预测与评价", "环境保护措施", "结论"):
        assert chapter in text
    summary = read("sthjj-hanweb/root/attach/0/20261111090318264750.pdf")
    assert summary["pages"] == 5 and "工程分析" not in "".join(summary["page_texts"])
    for document in (full, summary):  # a 全本 is no notice: no 受理日期 or 公示期 a date reader could take from it
        assert not re.search("受理|公示期", "".join(document["page_texts"]))


def test_the_approval_is_a_scan():
    scan = read("clean-gkmlpt/root/attachment/0/290/2290_608417293504.pdf")
    assert (scan["pages"], scan["text_layer"], scan["scanned_pages"]) == (2, False, [1, 2])
    assert not "".join(scan["page_texts"]).strip()


def test_the_xls_list_shows_one_whole_id_number_and_the_registrations_none():
    assert check_digit("32900119850612003") == "0"  # the sthjt-trs 处罚决定书's number, valid (fixtures/README.md)
    xls = BUILT["sthjj-hanweb/root/attach/0/20260722151204938271.xls"]
    book = xlrd.open_workbook(file_contents=xls)  # a real Excel 97–2003 file, as xlrd (and Excel) read it
    assert book.biff_version == 80 and book.sheet_names() == ["合格人员名单", "公示说明"]
    assert book.sheet_by_index(0).row_values(2)[:2] == [1.0, "陈晓梅"]
    listed = read("sthjj-hanweb/root/attach/0/20260722151204938271.xls")
    assert listed["format"] == "xls" and listed["title"] == "青川市2026年生态环境监测人员持证上岗考核合格人员名单"
    assert [(p["type"], p["masked"], p["page"]) for p in listed["personal"]] == [
        ("id_number", "329002********4526", 1)]
    assert "329002199108214526" not in "".join(listed["page_texts"])  # masked in what the database keeps
    registrations = read("clean-gkmlpt/root/attachment/0/31/2031_391726450183.xlsx")
    shaped = re.findall(r"(?<!\d)329001(?:19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}\d{3}\d(?!\d)",
                        "\n".join(registrations["page_texts"]))
    assert len(shaped) == 6 and "personal" not in registrations  # ID-shaped 备案号, no valid check digit


@pytest.mark.parametrize("path", sorted(BUILT))
def test_every_attachment_is_linked_from_its_site(path):
    site, _, rest = path.partition("/root/")
    name = rest.rsplit("/", 1)[-1]
    pages = [p for p in (SITES / site / "root").rglob("*.html") if name.encode() in p.read_bytes()]  # GBK pages too
    assert pages, f"no page of {site} links {rest}"
