"""page_fields: selected pages carry their required fields or sections (GWS-V6 办事指南, OGI-12a 公开指南, OGI-12b 目录,
OGI-50 年报 sections, BUD-04 三公 breakdown, BUD-05 explanations)."""
from __future__ import annotations

from datetime import date

from tests.builders import BASE, SANGONG, SECTIONS, article, found, reasons


GUIDE_FIELDS = ["事项名称", "实施依据", "受理条件", "申请材料", "办理地点", "实施机关", "收费标准", "承诺时限", "咨询电话",
                "办理流程"]


def test_service_guides_missing_four_elements_veto_at_five_guides(site):
    site.extra_pages.append(article("g0.html", title="排污许可办事指南", field_labels=GUIDE_FIELDS))
    site.extra_pages.append(article("g1.html", title="环评审批办事指南", field_labels=GUIDE_FIELDS[:7]))  # 3 missing: ok
    result = site.judge()
    assert found(result) == []
    for i in range(5):
        site.extra_pages.append(article(f"h{i}.html", title=f"事项{i}服务指南", field_labels=GUIDE_FIELDS[:6]))
    result = site.judge()
    v6 = found(result, "GWS-V6")
    assert len(v6) == 5 and {sev for _, sev, _ in v6} == {"veto"}
    assert "缺少4项要素：收费标准、办理时间、联系电话、办理流程" in result.findings[0].message


def test_disclosure_guide_fields(site):
    site.extra_pages.append(article("zn.html", title="政府信息公开指南", column_type="ogi_guide",
                                    field_labels=["机构名称", "办公地址", "办公时间", "联系电话", "传真"]))
    result = site.judge()
    assert found(result) == [("OGI-12a", "deduct", f"{BASE}zn.html")]
    assert result.findings[0].evidence["missing"] == ["互联网联系方式"]


def test_annual_report_sections_and_reports_in_attachments(site):
    full = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    site.extra_pages += [
        article("nb1.html", title="测试局2025年政府信息公开工作年度报告", headings=full[:4], published=date(2026, 1, 20)),
        article("nb2.html", title="测试局2024年政府信息公开工作年度报告", headings=full[:3], published=date(2025, 1, 20)),
    ]
    result = site.judge()
    assert found(result) == [("OGI-50", "deduct", f"{BASE}nb1.html")]  # the latest report only
    assert "五、存在的主要问题及改进情况" in result.findings[0].message
    site.extra_pages[0] = article("nb1.html", title="测试局2025年政府信息公开工作年度报告", published=date(2026, 1, 20))
    site.links.append((f"{BASE}nb1.html", f"{BASE}nb1.pdf", "年报全文"))
    result = site.judge()
    assert found(result) == []
    assert ("OGI-50", "attachment") in {(n.rule, n.reason) for n in result.sites[0].not_tested}


def test_budget_documents_with_breakdown_and_explanations_pass(site):
    site.extra_pages.append(article("ys.html", title="测试局2026年部门预算", published=date(2026, 3, 20),
                                    field_labels=SANGONG, headings=SECTIONS))
    assert found(site.judge()) == []


def test_budget_without_breakdown_or_sections(site):
    site.extra_pages += [
        article("ys.html", title="测试局2026年部门预算", published=date(2026, 3, 20),
                field_labels=["公务用车购置及运行费", "公务接待费"], headings=SECTIONS[:2]),
        article("js.html", title="测试局2025年度部门决算", published=date(2026, 8, 20),
                field_labels=SANGONG, headings=SECTIONS),
        article("ys-old.html", title="测试局2025年部门预算", published=date(2025, 3, 20)),  # not the latest: not judged
    ]
    result = site.judge()
    assert sorted(found(result)) == [("BUD-04", "deduct", f"{BASE}ys.html"), ("BUD-05", "deduct", f"{BASE}ys.html")]
    bud04 = next(f for f in result.findings if f.rule == "BUD-04")
    assert bud04.evidence["missing"] == ["因公出国（境）费", "公务用车购置费", "公务用车运行费", "增减变化情况说明"]


def test_budget_published_as_an_attachment_is_not_tested(site):
    site.extra_pages.append(article("ys.html", title="测试局2026年部门预算", published=date(2026, 3, 20)))
    site.links.append((f"{BASE}ys.html", f"{BASE}ys.pdf", "2026年部门预算.pdf"))
    result = site.judge()
    assert found(result) == []
    assert {("BUD-04", "attachment"), ("BUD-05", "attachment")} <= reasons(result)


HEADER = ["索引号", "分类", "发布机构", "成文日期", "名称", "文号", "发布日期"]


def test_catalog_header_missing_is_one_finding_for_the_column(site):
    site.extra_pages += [article(f"gk{i}.html", title=f"信息{i}", column_type="ogi_statutory",
                                 field_labels=HEADER if i < 2 else ["发布日期"]) for i in range(5)]
    result = site.judge()
    assert found(result) == [("OGI-12b", "deduct", f"{BASE}gk2.html")]
    ev = result.findings[0].evidence
    assert (ev["pages_lacking"], ev["pages"]) == (3, 5) and ev["missing"] == ["索引号", "名称", "生成日期"]


def test_catalog_header_present_passes(site):
    site.extra_pages += [article(f"gk{i}.html", column_type="ogi_statutory", field_labels=HEADER) for i in range(3)]
    assert found(site.judge()) == []


def test_catalog_header_is_the_pages_own_even_with_an_attachment(site):
    """The 目录 header (索引号/名称/生成日期) belongs to the page: an attached document does not excuse its absence."""
    site.extra_pages += [article(f"gk{i}.html", title=f"信息{i}", column_type="ogi_statutory",
                                 field_labels=["发布时间", "来源"]) for i in range(2)]
    site.links += [(f"{BASE}gk{i}.html", f"{BASE}gk{i}.pdf", f"信息{i}.pdf") for i in range(2)]
    result = site.judge()
    assert found(result, "OGI-12b") == [("OGI-12b", "deduct", f"{BASE}gk0.html")]
    assert ("OGI-12b", "attachment") not in reasons(result)


def test_budget_lead_with_page_metadata_and_an_attachment_is_not_tested(site):
    """A one-line lead whose only labels are 发布时间/来源/浏览次数 publishes the budget in its attachment."""
    site.extra_pages.append(article("ys.html", title="测试局2026年部门预算", published=date(2026, 3, 20),
                                    field_labels=["发布时间", "来源", "浏览次数", "字号"], headings=["测试局2026年部门预算"]))
    site.links.append((f"{BASE}ys.html", f"{BASE}ys.pdf", "2026年部门预算.pdf"))
    result = site.judge()
    assert found(result) == []
    assert {("BUD-04", "attachment"), ("BUD-05", "attachment")} <= reasons(result)
    site.links.pop()  # near miss: the same page without the attachment lacks everything, in the HTML
    lead = f"{BASE}ys.html"
    assert sorted(found(site.judge())) == [("BUD-04", "deduct", lead), ("BUD-05", "deduct", lead)]


def test_a_guide_list_is_not_a_guide(site):
    """GWS-V6 judges guides, never the 办事指南 list pages that link them (undated, linking several guides), nor a
    list page the crawler saw as a list through its pagination."""
    for i in range(5):
        site.extra_pages.append(article(f"bszn{i}.html", title="办事指南", field_labels=["发布时间"]))
        site.links += [(f"{BASE}bszn{i}.html", f"{BASE}g{i}{j}.html", f"事项{j}办事指南") for j in range(3)]
    site.extra_pages.append(article("bszn_p.html", title="服务指南", field_labels=["发布时间"]))
    site.links.append((f"{BASE}bszn_p.html", f"{BASE}bszn_p_1.html", "下一页"))
    result = site.judge()
    assert found(result, "GWS-V6") == []
    site.links = [lk for lk in site.links if not lk[0].startswith(f"{BASE}bszn")]  # near miss: guides themselves
    assert len(found(site.judge(), "GWS-V6")) == 6


def _budget_lead_with(site, document: dict):
    """A 部门预算 lead page (only page metadata) linking its PDF, which the crawl read (page.extra["document"])."""
    site.extra_pages.append(article("ys.html", title="测试局2026年部门预算", published=date(2026, 3, 20),
                                    field_labels=["发布时间", "来源"], headings=["测试局2026年部门预算"]))
    site.extra_pages.append({"url": f"{BASE}ys.pdf", "status": 200, "content_type": "application/pdf",
                             "extra": {"document": {"format": "pdf", "pages": 3, "text_layer": True,
                                                    "unreadable": None} | document}})
    site.links.append((f"{BASE}ys.html", f"{BASE}ys.pdf", "2026年部门预算.pdf"))


FULL_BUDGET = ["第一部分 部门概况", "一、部门职责", "二、机构设置", "“三公”经费支出情况",
               "因公出国（境）费 0 万元", "公务用车购置费 0", "公务用车运行维护费 3.2", "公务接待费 1.0",
               "比上年预算减少 0.5 万元，增减变化原因是压减公务接待", "三、机关运行经费", "四、政府采购情况",
               "五、国有资产占有使用情况", "六、预算绩效管理情况", "第四部分 名词解释"]


def test_a_budget_lead_is_judged_on_its_attached_document(site):
    _budget_lead_with(site, {"page_texts": ["\n".join(FULL_BUDGET[:8]), "\n".join(FULL_BUDGET[8:])]})
    result = site.judge()
    assert found(result, "BUD-04") == [] and found(result, "BUD-05") == []
    assert ("BUD-04", "attachment") not in reasons(result)


def test_what_the_attached_document_lacks_is_a_finding_naming_it(site):
    lacking = [line for line in FULL_BUDGET if "名词解释" not in line and "公务接待" not in line]
    _budget_lead_with(site, {"page_texts": ["\n".join(lacking)]})
    result = site.judge()
    lead = f"{BASE}ys.html"
    assert sorted(found(result)) == [("BUD-04", "deduct", lead), ("BUD-05", "deduct", lead)]
    bud05 = next(f for f in result.findings if f.rule == "BUD-05")
    assert "附件「2026年部门预算.pdf」" in bud05.message and bud05.evidence["missing"] == ["名词解释"]


def test_a_scanned_or_unreadable_attachment_is_not_tested_with_its_reason(site):
    _budget_lead_with(site, {"text_layer": False, "scanned_pages": [1, 2, 3], "page_texts": ["", "", ""]})
    result = site.judge()
    assert found(result) == [] and {("BUD-04", "scanned"), ("BUD-05", "scanned")} <= reasons(result)
    site.extra_pages, site.links = [], site.links[:-1]
    _budget_lead_with(site, {"unreadable": "文档已加密，无法读取"})
    result = site.judge()
    assert found(result) == [] and ("BUD-05", "attachment") in reasons(result)
    assert any("已加密" in n.detail for n in result.sites[0].not_tested if n.rule == "BUD-05")


def test_a_lead_under_the_catalog_header_is_still_a_lead(site):
    """gkmlpt and most 信息公开 platforms print the 目录 header (索引号/分类/发布机构/成文日期/名称/文号) above every
    document: over a one-line lead it describes the page, it is not the budget's content, so the attached budget is
    judged (the clean-gkmlpt fixture's 预算 post_1150 drew a false 「缺少5项内容」 BUD-04 before)."""
    _budget_lead_with(site, {"page_texts": ["\n".join(FULL_BUDGET[:8]), "\n".join(FULL_BUDGET[8:])]})
    site.extra_pages[-2]["field_labels"] = ["索引号", "分类", "发布机构", "成文日期", "名称", "文号", "发布日期",
                                            "发布时间", "来源", "附件"]
    result = site.judge()
    assert found(result, "BUD-04") == [] and found(result, "BUD-05") == []
    assert ("BUD-04", "attachment") not in reasons(result)
    # near miss: a label of the budget itself (项目名称 is not the header's 名称) makes the page content of its own
    site.extra_pages[-2]["field_labels"].append("项目名称")
    assert found(site.judge(), "BUD-04") == [("BUD-04", "deduct", f"{BASE}ys.html")]
