"""read_pdf on PDFs the tests generate: what a rule may trust, and what must end as `unreadable`, never content."""
from __future__ import annotations

import pytest
from reportlab.lib.pdfencrypt import StandardEncryption

from crawler.documents.model import Document, Unreadable
from crawler.documents.pdf import NO_UNICODE, PRIVATE_USE, VERTICAL, read_pdf
from tests.documents.pdfs import budget_lines, cell_across_pages, make_pdf, raw_pdf

HEADING = "某某县财政局2024年部门预算"


def test_text_per_page_in_print_order_with_form_feeds():
    doc = read_pdf(make_pdf([[(72, 790, HEADING), (72, 770, "一般公共预算支出合计 123.45 万元")],
                             [(72, 790, "第二部分 三公经费"), (72, 770, "公务接待费 3.20 万元")]]))
    assert doc.format == "pdf" and doc.pages == 2 and doc.text_layer and doc.unreadable is None
    assert doc.page_texts == [f"{HEADING}\n一般公共预算支出合计 123.45 万元", "第二部分 三公经费\n公务接待费 3.20 万元"]
    assert doc.text.split("\f") == doc.page_texts


def test_off_page_copy_of_a_paragraph_is_dropped_so_figures_are_not_doubled():
    # WPS-made budgets: the same paragraph once on the page and once beyond its right edge
    doc = read_pdf(make_pdf([[(72, 790, HEADING), (72, 770, "一般公共预算支出 123.45 万元"),
                              (640, 770, "一般公共预算支出 123.45 万元"), (72, -40, "页面下方之外 999.99 万元")]]))
    assert doc.page_texts[0].count("123.45") == 1
    assert "999.99" not in doc.text
    assert doc.page_texts[0] == f"{HEADING}\n一般公共预算支出 123.45 万元"  # no empty line left behind


def test_a_figure_printed_twice_on_the_page_is_kept_twice():
    # near miss: repetition inside the page is content (a total repeated under a table)
    doc = read_pdf(make_pdf([[(72, 790, "合计 123.45 万元"), (72, 400, "合计 123.45 万元")]]))
    assert doc.page_texts[0].count("123.45") == 2


def test_text_outside_the_cropbox_is_dropped_inside_kept():
    doc = read_pdf(make_pdf([[(72, 790, "裁切框之外的文字"), (72, 500, "裁切框之内的文字")]], cropbox=(0, 0, 595, 700)))
    assert doc.page_texts == ["裁切框之内的文字"]


def test_text_hidden_by_a_table_cell_clip_is_dropped_so_items_are_read_once():
    # WPS tables: a cell spanning two pages is drawn whole on both, clipped to its part on each page
    items = [f"{n}、负责本区第{n}项职能工作。" for n in range(1, 8)]
    doc = read_pdf(cell_across_pages(items))
    assert doc.page_texts[0] == "一、部门主要职能\n" + "\n".join(items[:3])
    assert doc.page_texts[1] == "一、部门主要职能\n" + "\n".join(items[3:])
    assert all(doc.text.count(item) == 1 for item in items)


def test_title_is_the_first_printed_line_producer_from_metadata():
    doc = read_pdf(make_pdf([[(72, 790, HEADING), (72, 770, "第一部分")]], title="元数据标题", producer="WPS 文字"))
    assert doc.title == HEADING
    assert doc.producer == "WPS 文字"


def test_title_skips_a_page_number_printed_first():
    doc = read_pdf(make_pdf([[(290, 40, "- 1 -"), (200, 790, "洪泽区人民政府"), (150, 770, "2023年政府信息公开工作年度报告")]]))
    assert doc.title == "洪泽区人民政府"
    # near miss: a heading that starts with a number is a heading
    assert read_pdf(make_pdf([[(72, 790, "2023年政府信息公开工作年度报告")]])).title == "2023年政府信息公开工作年度报告"


def test_title_falls_back_to_metadata_when_the_first_page_has_no_text():
    doc = read_pdf(make_pdf([[], [(72, 790, "第二页")]], title="关于印发某某办法的通知"))
    assert doc.title == "关于印发某某办法的通知"


def test_link_annotations_are_links_a_printed_url_is_not():
    doc = read_pdf(make_pdf([[(72, 790, "详见 https://printed.example.gov.cn/only-text.html")], [(72, 790, "附件")]],
                            links=[(0, "https://www.example.gov.cn/a.html"), (1, "https://www.example.gov.cn/b.xls")]))
    assert doc.links == ["https://www.example.gov.cn/a.html", "https://www.example.gov.cn/b.xls"]


def test_scanned_pages_and_a_document_without_text_layer():
    mixed = read_pdf(make_pdf([[(72, 790, HEADING)], [], [(72, 790, "正文")]], images={1, 2}))
    assert mixed.scanned_pages == [2]  # page 3 has a picture and text: not a scan
    assert mixed.text_layer is True
    scan = read_pdf(make_pdf([[], []], images={0, 1}))
    assert scan.scanned_pages == [1, 2] and scan.text_layer is False and scan.unreadable is None


def test_a_blank_page_without_pictures_is_not_a_scan():
    doc = read_pdf(make_pdf([[(72, 790, HEADING)], []]))
    assert doc.scanned_pages == [] and doc.text_layer is True and doc.page_texts[1] == ""


def test_encrypted_with_a_user_password_is_unreadable():
    data = make_pdf([[(72, 790, HEADING)]], encrypt=StandardEncryption("user", "owner"))
    with pytest.raises(Unreadable, match="文档已加密"):
        read_pdf(data)


def test_owner_password_only_copy_protection_is_read():
    data = make_pdf([[(72, 790, HEADING)]], encrypt=StandardEncryption("", "owner", canCopy=0, canModify=0))
    assert read_pdf(data).page_texts == [HEADING]


@pytest.mark.parametrize("data", [b"%PDF-1.4\n1 0 obj << /Type /Catalog", b"", b"not a pdf at all"])
def test_corrupt_is_unreadable(data):
    with pytest.raises(Unreadable, match="文件已损坏"):
        read_pdf(data)


def test_cid_font_without_unicode_map_is_unreadable_never_content():
    doc = read_pdf(raw_pdf([1, 2, 3, 4, 5, 6, 7, 8], to_unicode=None))
    assert doc.unreadable == f"第 1 页：{NO_UNICODE}"
    assert doc.page_texts == [""] and doc.title is None


def test_the_same_font_with_a_unicode_map_is_read():
    doc = read_pdf(raw_pdf([1, 2, 3], to_unicode={1: ord("预"), 2: ord("算"), 3: ord("表")}))
    assert doc.unreadable is None and doc.page_texts == ["预算表"]


def test_private_use_glyph_codes_are_unreadable():
    doc = read_pdf(raw_pdf([1, 2, 3, 4], to_unicode={c: 0xE000 + c for c in (1, 2, 3, 4)}))
    assert doc.unreadable == f"第 1 页：{PRIVATE_USE}" and doc.page_texts == [""]


def test_one_private_use_symbol_among_text_is_read():
    mapping = {1: 0xE001, **{c: ord(ch) for c, ch in zip(range(2, 13), "预算支出表合计万元公开")}}
    doc = read_pdf(raw_pdf(list(range(1, 13)), to_unicode=mapping))
    assert doc.unreadable is None and doc.page_texts == ["\ue001预算支出表合计万元公开"]


def test_vertical_font_page_is_unreadable_other_pages_read():
    doc = read_pdf(make_pdf([[(300, 760, "竖排文字的封面页标题")], [(72, 790, HEADING)]], vertical={0}))
    assert doc.unreadable == f"第 1 页：{VERTICAL}"
    assert doc.page_texts == ["", HEADING]


def test_a_header_wrapped_one_character_per_line_is_not_vertical_text():
    # near miss: a narrow table header cell 项/目/名/称 printed one character per line, plus ordinary rows
    header = [(72, 790 - 15 * i, ch) for i, ch in enumerate("项目名称")]
    rows = [(120, 790 - 15 * i, f"2080505 行政单位离退休 {100 + i}.00") for i in range(4)]
    doc = read_pdf(make_pdf([header + rows]))
    assert doc.unreadable is None
    assert "项\n目\n名\n称" in doc.page_texts[0] or all(ch in doc.page_texts[0] for ch in "项目名称")


def test_page_and_text_bounds_mark_truncated():
    data = make_pdf([budget_lines(i, rows=5) for i in range(5)])
    whole = read_pdf(data)
    assert whole.pages == 5 and len(whole.page_texts) == 5 and not whole.truncated
    paged = read_pdf(data, max_pages=3)
    assert paged.pages == 5 and len(paged.page_texts) == 3 and paged.truncated
    cut = read_pdf(data, max_chars=300)
    assert cut.truncated and sum(len(t) for t in cut.page_texts) == 300


def test_document_round_trips_through_its_dict():
    doc = read_pdf(make_pdf([[(72, 790, HEADING)]], links=[(0, "https://www.example.gov.cn/a.html")]))
    assert Document(**doc.as_dict()) == doc
