"""Opt-in OCR of scanned PDF pages (--ocr; crawler.documents.ocr): Tesseract (chi_sim) reads a scanned 批复 and a
scanned 公示 generated here, in the bounded document worker; the facts come from the recognised text the same way
as from a text layer (成文日期, 公示期, an ID number only with a valid checksum), with each page's confidence kept.
Near misses: without OCR the scan reads nothing, exactly as before; a blurred, noisy scan is recognised below the
confidence threshold and stays a scan; pages beyond the bound are not recognised. Tesseract is installed by
`make install`: these tests run, never skip."""
from __future__ import annotations

from datetime import date

from crawler.documents.ocr import OcrSettings, from_tsv, reusable
from crawler.documents.sandbox import read_bounded
from crawler.documents.stored import stored
from fixtures.scans import scanned_page, scanned_pdf

APPROVAL = ["江南省生态环境厅", "关于青川化工项目环境影响报告书的批复", "青川化工有限公司：",
            "你公司报送的环境影响报告书收悉。经研究，批复如下：", "一、同意该项目建设。", "江南省生态环境厅",
            "成文日期：2026年9月3日"]
NOTICE = ["青川化工项目环境影响评价受理情况公示", "受理日期：2026年9月21日",
          "公示期：2026年9月28日至2026年10月12日", "联系人身份证号：11010519491231002X",
          "备用号码：110105194912310021"]  # the second fails the checksum: not an ID number
AS_OF = date(2026, 11, 20)


def test_a_scanned_approval_is_read_by_ocr_with_its_confidence():
    data = scanned_pdf([scanned_page(APPROVAL)])
    plain = stored(read_bounded(data, "pf.pdf"), AS_OF)
    assert plain["text_layer"] is False and plain["scanned_pages"] == [1] and "ocr" not in plain
    assert "dates" not in plain and plain["page_texts"] == [""]  # without --ocr: as before, nothing read

    doc = read_bounded(data, "pf.pdf", ocr=OcrSettings())
    facts = stored(doc, AS_OF)
    assert facts["ocr"]["read"] == [1] and facts["ocr"]["pages"][0]["confidence"] >= 80
    assert {"label": "成文日期", "date": "2026-09-03", "page": 1} in facts["dates"]
    assert facts["title"] == "江南省生态环境厅关于青川化工项目环境影响报告书的批复"
    assert facts["text_layer"] is False  # the file still has none: what was read is marked as OCR's


def test_a_scanned_notice_gives_its_period_and_only_checksum_valid_id_numbers():
    facts = stored(read_bounded(scanned_pdf([scanned_page(NOTICE)]), "gs.pdf", ocr=OcrSettings()), AS_OF)
    notice = facts["notice"]
    assert (notice["period"]["start"], notice["period"]["end"]) == ("2026-09-28", "2026-10-12")
    assert notice["accepted"] == ["2026-09-21"]
    assert [p["masked"] for p in facts["personal"]] == ["110105********002X"]
    assert "11010519491231002X" not in "".join(facts["page_texts"])  # masked in what is stored


def test_a_bad_scan_below_the_confidence_threshold_stays_a_scan():
    data = scanned_pdf([scanned_page(APPROVAL, blur=3, noise=0.01)])
    doc = read_bounded(data, "pf.pdf", ocr=OcrSettings())
    assert doc.ocr["read"] == [] and doc.ocr["pages"][0]["confidence"] < 60
    assert doc.page_texts == [""] and doc.text_layer is False
    assert "dates" not in stored(doc, AS_OF)
    # the same scan, with the threshold lowered below its confidence, is read: the threshold decides
    low = read_bounded(data, "pf.pdf", ocr=OcrSettings(min_confidence=doc.ocr["pages"][0]["confidence"]))
    assert low.ocr["read"] == [1]


def test_pages_beyond_the_bound_are_not_recognised():
    data = scanned_pdf([scanned_page(APPROVAL), scanned_page(NOTICE)])
    doc = read_bounded(data, "two.pdf", ocr=OcrSettings(max_pages=1))
    assert [p["page"] for p in doc.ocr["pages"]] == [1] and doc.ocr["read"] == [1]
    assert doc.page_texts[1] == "" and "超过 1 页" in doc.ocr["skipped"]


def test_a_document_with_a_text_layer_is_not_recognised():
    from tests.documents.pdfs import make_pdf
    doc = read_bounded(make_pdf([[(72, 790, "某某县财政局2024年部门预算")]]), "a.pdf", ocr=OcrSettings())
    assert doc.ocr is None and doc.page_texts[0] == "某某县财政局2024年部门预算"


def test_tesseract_tsv_becomes_lines_and_a_mean_confidence():
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [(4, 1, 1, 1, 0, -1, ""), (5, 1, 1, 1, 1, 90, "成文"), (5, 1, 1, 1, 2, 80, "日期"),
            (5, 1, 1, 2, 1, 70, "GB/T"), (5, 1, 1, 2, 2, 60, "9704"), (5, 1, 1, 2, 3, -1, " ")]
    tsv = "\n".join([head] + [f"{lv}\t1\t{b}\t{p}\t{ln}\t{w}\t0\t0\t1\t1\t{c}\t{t}" for lv, b, p, ln, w, c, t in rows])
    assert from_tsv(tsv) == ("成文日期\nGB/T 9704", 75)
    assert from_tsv(head) == ("", 0)


def test_a_stored_reading_is_reused_only_under_the_same_ocr_settings():
    scan = {"scanned_pages": [1], "text_layer": False}
    with_ocr = scan | {"ocr": OcrSettings().key() | {"pages": [], "read": []}}
    assert reusable(scan, None) and not reusable(scan, OcrSettings())
    assert reusable(with_ocr, OcrSettings()) and not reusable(with_ocr, None)
    assert not reusable(with_ocr, OcrSettings(min_confidence=70))
    assert reusable({"scanned_pages": []}, OcrSettings())  # no scanned page: OCR changes nothing
