"""budget_code_level: the latest 部门预算 and 决算 tables list their 科目编码 to 项 (功能分类) and 款 (经济分类) (BUD-03,
page.extra["budget_codes"])."""
from __future__ import annotations

from datetime import date

from tests.builders import BASE, SANGONG, SECTIONS, article, budget_codes, found, reasons


def budget_page(url, title, day, codes=None, **fields):
    return article(url, title=title, published=day, field_labels=SANGONG, headings=SECTIONS,
                   extra={"budget_codes": codes} if codes else None, **fields)


def test_budget_tables_to_item_and_section_pass(site):
    site.extra_pages += [budget_page("ys.html", "测试局2026年部门预算", date(2026, 3, 20), budget_codes()),
                         budget_page("js.html", "测试局2025年度部门决算", date(2026, 8, 20), budget_codes())]
    result = site.judge()
    assert found(result) == [] and not {r for r in reasons(result) if r[0] == "BUD-03"}


def test_budget_tables_stopping_above_the_required_level(site):
    site.extra_pages += [
        budget_page("ys.html", "测试局2026年部门预算", date(2026, 3, 20), budget_codes(function=5, economic=3)),
        budget_page("js.html", "测试局2025年度部门决算", date(2026, 8, 20), budget_codes()),
        budget_page("ys-old.html", "测试局2025年部门预算", date(2025, 3, 20), budget_codes(function=3)),  # not the latest
    ]
    result = site.judge()
    assert found(result) == [("BUD-03", "deduct", f"{BASE}ys.html")]
    hit = result.findings[0]
    assert "支出功能分类只公开到款级（最细为5位编码，如21101），应公开到项级（7位编码）" in hit.message
    assert "基本支出经济分类只公开到类级（最细为3位编码，如301），应公开到款级（5位编码）" in hit.message
    assert hit.evidence["function"] == {"max_digits": 5, "count": 12, "example": "21101", "required_digits": 7}
    assert hit.evidence["economic"]["example"] == "301"


def test_budget_tables_only_in_attachments_or_not_shown_are_not_tested(site):
    site.extra_pages += [budget_page("ys.html", "测试局2026年部门预算", date(2026, 3, 20)),
                         budget_page("js.html", "测试局2025年度部门决算", date(2026, 8, 20))]
    site.links.append((f"{BASE}ys.html", f"{BASE}ys-tables.xls", "2026年部门预算公开表.xls"))
    result = site.judge()
    assert found(result) == []
    assert {r for r in reasons(result) if r[0] == "BUD-03"} == {("BUD-03", "attachment"), ("BUD-03", "no_evidence")}


def test_budget_column_behind_robots_is_not_tested(site):
    site.extra_pages.append({"url": f"{BASE}czyjs/index.html", "status": None, "error": "robots",
                             "column_type": "budget"})
    assert ("BUD-03", "robots") in reasons(site.judge())


def test_budget_code_level_parameters_are_checked():
    from checks.types.budget_code_level import BudgetCodeLevel
    params = {"select": {"title_pattern": "部门(预算|决算)"}, "function_digits": 7, "economic_digits": 5}
    assert BudgetCodeLevel().validate(params) is None
    assert "function_digits" in BudgetCodeLevel().validate(params | {"function_digits": 6})


def _with_document(site, budget: dict):
    """Both documents are leads linking a PDF the crawl read; the 预算's codes as its reader found them."""
    for url, title, day, facts in (("ys", "测试局2026年部门预算", date(2026, 3, 20), budget),
                                   ("js", "测试局2025年度部门决算", date(2026, 8, 20),
                                    {"function_code_max_digits": 7, "economic_code_max_digits": 5})):
        site.extra_pages.append(budget_page(f"{url}.html", title, day))
        site.extra_pages.append({"url": f"{BASE}{url}.pdf", "status": 200, "extra": {"document": {
            "format": "pdf", "pages": 20, "text_layer": True, "unreadable": None, "budget": facts}}})
        site.links.append((f"{BASE}{url}.html", f"{BASE}{url}.pdf", f"{title}.pdf"))


def test_budget_codes_are_read_from_the_attached_document(site):
    _with_document(site, {"function_code_max_digits": 7, "economic_code_max_digits": 5})
    result = site.judge()
    assert found(result) == [] and not {r for r in reasons(result) if r[0] == "BUD-03"}


def test_an_attached_document_coded_above_the_level_is_a_finding(site):
    _with_document(site, {"function_code_max_digits": 5, "function_code_example": "20105",
                          "economic_code_max_digits": 5})
    result = site.judge()
    assert found(result) == [("BUD-03", "deduct", f"{BASE}ys.html")]
    finding = result.findings[0]
    assert "附件「测试局2026年部门预算.pdf」" in finding.message and "20105" in finding.message
    # named as BUD-04/05 name it: 「title」（附件「…」）, the document in the evidence
    assert finding.message.startswith(f"「{finding.evidence['title']}」（附件「测试局2026年部门预算.pdf」）")
    assert finding.evidence["attachments"] == [{"name": "测试局2026年部门预算.pdf", "url": f"{BASE}ys.pdf"}]
