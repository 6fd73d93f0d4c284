"""Facts read from a document's text (crawler/documents/facts.py): personal numbers with their page, masked, and the
depth of the 科目编码 a 预决算 prints, joined or split across columns; figures with units are not codes."""
from __future__ import annotations

from crawler.documents.facts import document_facts, masked_texts
from crawler.documents.model import Document


def doc(*pages: str) -> Document:
    return Document(format="pdf", pages=len(pages), page_texts=list(pages))


def test_personal_numbers_are_found_with_their_page_and_masked_in_the_stored_text():
    d = doc("一、部门职责", "张某 11010519491231002X 罚款 2000 元，联系电话 13812345678")
    facts = document_facts(d)
    assert [(p["type"], p["page"], p["masked"]) for p in facts["personal"]] == [
        ("id_number", 2, "110105********002X"), ("mobile", 2, "138****5678")]
    assert "11010519491231002X" not in masked_texts(d)[1] and "13812345678" not in masked_texts(d)[1]
    # near miss: an ID-shaped number with a wrong checksum is not personal data
    assert "personal" not in document_facts(doc("编号 110105194912310021"))


def test_budget_codes_joined_or_split_give_their_depth():
    split = doc("208 社会保障和就业支出 100\n208 05 行政事业单位养老支出 50\n208 05 05 机关事业单位基本养老保险缴费支出 50\n"
                "301 工资福利支出 30\n30101 基本工资 20\n30102 津贴补贴 3")
    assert document_facts(split)["budget"] == {"function_code_max_digits": 7, "function_code_example": "2080505",
                                               "economic_code_max_digits": 5, "economic_code_example": "30101"}
    joined = doc("2080505\t机关事业单位基本养老保险缴费支出\t50", "20105\t人大事务\t1\n201\t一般公共服务支出\t2")
    assert document_facts(joined)["budget"] == {"function_code_max_digits": 7, "function_code_example": "2080505"}


def test_figures_years_and_sections_are_not_codes():
    assert "budget" not in document_facts(doc("合计 500 万元\n234.5 万元\n2026年部门预算\n300 人次\n一、部门职责"))
