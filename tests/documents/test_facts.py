"""Facts read from a document's page texts (crawler/documents/facts.py), the same for every format: what a 预决算
is, its 三公 items and sections, the depth of its 科目编码 (joined, split across columns, rows merged on one line,
headers wrapped one character per line), a 年报's six sections, the document's own dates, personal numbers with
their page. Each with the near miss that must not count."""
from __future__ import annotations

from crawler.documents.facts import document_facts, masked_texts
from crawler.documents.model import Document


def doc(*pages: str, tables=None, fmt: str = "pdf") -> Document:
    return Document(format=fmt, pages=len(pages), page_texts=list(pages), tables=tables or [])


COVER = "某某县农业\n农村局\n2025 年度部门决算\n"
FUNCTION_SPLIT = ("支出决算表\n单位：万元\n科\n目\n编\n码\n类 款 项 科目名称 合计\n"
                  "213 农林水支出 120.00\n213 01 农业农村 120.00\n213 01 01 行政运行 80.00\n213 01 04 事业运行 40.00")
ECONOMIC_SPLIT = "基本支出决算表\n经\n济\n分\n类\n类 款 科目名称 决算数\n301 工资福利支出 60.00\n301 01 基本工资 30.00\n" \
                 "301 02 津贴补贴 30.00"
SANGONG_TABLE = ("财政拨款“三公”经费支出决算表\n单位：万元\n合计 因\n公\n出\n国\n（\n境\n）\n费\n公务用车购置及运行维护费\n"
                 "公务接待费\n小计 公务用车\n购置费\n公务用车\n运行维护费\n0.00 0.00 0.00 0.00 0.00 0.00")
SANGONG_TEXT = ("七、财政拨款“三公”经费支出决算情况说明\n2025 年度“三公”经费支出决算为 0 万元，比 2024 年度减少 0.15 万元，"
                "主要原因是严格落实中央八项规定。\n")
SECTIONS = ("一、部门主要职责\n负责全县农业农村工作。\n二、机构设置\n本部门设 6 个内设机构。\n"
            "（一）机关运行经费支出情况\n机关运行经费支出 42.80 万元。\n（二）政府采购支出情况\n政府采购金额 12.00 万元。\n"
            "（三）国有资产占有使用情况\n共有车辆 0 辆。\n十、预算绩效管理情况\n绩效自评项目 3 个。\n第四部分 名词解释\n"
            "一、财政拨款收入：指单位本年度从本级财政部门取得的财政拨款。")


def test_a_final_account_with_split_codes_wrapped_headers_and_a_zero_sangong_table():
    facts = document_facts(doc(COVER, SECTIONS, FUNCTION_SPLIT, ECONOMIC_SPLIT, SANGONG_TABLE, SANGONG_TEXT))
    assert facts["title"] == "某某县农业农村局2025年度部门决算"
    budget = facts["budget"]
    assert (budget["doc_type"], budget["fiscal_year"], budget["unit"]) == ("部门决算", 2025, "某某县农业农村局")
    assert (budget["function_code_max_digits"], budget["function_code_example"]) == (7, "2130101")
    assert (budget["economic_code_max_digits"], budget["economic_code_example"]) == (5, "30101")
    # a table of 0.00 figures under a header wrapped one character per line gives every item, explicitly 0
    assert budget["sangong_items"] == ["因公出国（境）费", "公务用车购置费", "公务用车运行费", "公务接待费"]
    assert budget["sangong_change_explained"] is True
    assert budget["sections"] == ["部门职责", "机构设置", "机关运行经费", "政府采购", "国有资产占有使用情况", "绩效", "名词解释"]
    assert "annual_report" not in facts


def test_codes_joined_in_rows_a_reader_merged_or_with_the_name_on_the_next_line():
    merged = ("2025年部门预算\n收入预算总表\n编制部门：某某县卫生健康委员会 单位：元\n2080505 机关事业单位基本养老保险缴费支出 446.11 2080506 职业年金缴费支出 225.12 "
              "2101101 行政单位医疗 40.35\n2200150\n事业运行\n4416.67")
    budget = document_facts(doc(merged))["budget"]
    assert budget["function_code_max_digits"] == 7 and "economic_code_max_digits" not in budget  # 3 codes, 1 kind
    assert budget["unit"] == "某某县卫生健康委员会"
    # a sheet: 类 | 款 | 项 in separate cells, the header row below a title, 科目编码 wrapped in its cell
    rows = [["2026年单位预算支出表"], ["编制单位：某某县某某中心", "", "单位：元"], ["项目"],
            ["功\n能\n分\n类\n科\n目\n编\n码", "", "", "科目名称"], ["类", "款", "项"],
            ["205", "", "", "教育支出"], ["205", "02", "", "普通教育"], ["205", "02", "05", "高等教育"]]
    sheet = document_facts(doc("2026年单位预算支出表", tables=[rows], fmt="xlsx"))["budget"]
    assert (sheet["doc_type"], sheet["function_code_max_digits"], sheet["function_code_example"]) == (
        "单位预算", 7, "2050205")


def test_figures_years_counts_and_codes_of_no_classification_are_not_codes():
    text = ("2026年部门预算\n合计 500 万元\n234.5 万元\n2026 年度\n300 人次\n共有 210 辆\n一、部门职责\n"
            "180 其他 1.00\n190 其他 2.00\n199 其他 3.00\n40101 其他 4.00\n40102 其他 5.00\n40103 其他 6.00")
    budget = document_facts(doc(text))["budget"]
    assert not any(key.endswith("code_max_digits") for key in budget)
    # two coded rows of a kind are a mention, not a 科目 table
    two = document_facts(doc("2026年部门预算\n301 工资福利支出 1.00\n30101 基本工资 1.00"))["budget"]
    assert "economic_code_max_digits" not in two


def test_sangong_items_count_with_a_figure_or_an_explicit_none_not_in_a_definition():
    definition = ("2025年部门预算\n名词解释\n（七）“三公”经费：是部门使用财政拨款安排的因公出国（境）费、公务用车购置及运行费、"
                  "公务接待费。其中：因公出国（境）费主要安排国际合作交流等支出；公务接待费主要安排执行公务所需住宿费等支出。")
    assert document_facts(doc(definition + "\n- 12 -\n12"))["budget"]["sangong_items"] == []  # page numbers
    header_only = SANGONG_TABLE.rsplit("\n", 1)[0]  # the same table without its row of figures
    assert document_facts(doc(COVER, header_only))["budget"]["sangong_items"] == []
    none = definition + "\n注：本部门2025年无“三公”经费预算，故本表为空表。\n合计 因公出国(境)费 公务接待费 公务用车购置及运行费"
    assert len(document_facts(doc(none))["budget"]["sangong_items"]) == 4
    only_two = "2025年部门预算\n“三公”经费预算情况说明\n因公出国（境）费 0 万元；公务接待费 1.35 万元。"
    assert document_facts(doc(only_two))["budget"]["sangong_items"] == ["因公出国（境）费", "公务接待费"]


def test_sangong_items_read_by_ocr_with_look_alike_brackets():
    # what Tesseract makes of a scanned 三公 说明 (scripts/eval_ocr.py on a real 部门预算): 〈 and 《 for （
    scanned = ("2024年部门预算\n“三公”经费预算情况说明\n(一)因公出国〈境)费0万元，比2023年预算持平。\n"
               "(二)公务用车购置及运行费46.56万元。\n(三)公务接待费1.35万元。")
    assert document_facts(doc(scanned))["budget"]["sangong_items"] == [
        "因公出国（境）费", "公务用车购置费", "公务用车运行费", "公务接待费"]
    definition = "2024年部门预算\n名词解释\n“三公”经费：是指因公出国《境〉费、公务用车购置及运行费、公务接待费。"
    assert document_facts(doc(definition))["budget"]["sangong_items"] == []  # named, never given a figure


def test_a_sangong_change_needs_its_reason_and_a_reason_must_be_about_sangong():
    base = "2025年部门预算\n其他相关情况说明\n"
    assert document_facts(doc(base + "“三公”经费预算数为1.00万元，与2024年预算持平。\n主要原因是无公务用车。"))[
        "budget"]["sangong_change_explained"] is True  # the reason in the next sentence
    assert document_facts(doc(base + "“三公”经费预算数为1.00万元，比2024年预算增加0.50万元。"))[
        "budget"]["sangong_change_explained"] is False
    assert document_facts(doc(base + "“三公”经费预算数为1.00万元，比2024年预算增加0.50万元。\n"
                                     "财政拨款收入增加的主要原因是项目调整。"))["budget"]["sangong_change_explained"] is False


def test_sections_listed_only_in_the_table_of_contents_or_named_otherwise_do_not_count():
    toc = "目 录\n一、部门主要职能\n二、部门机构设置\n三、名词解释\n四、政府采购预算情况 ……………… 5"
    body = "一、主要职能\n负责全区商务工作。\n二、部门决算单位构成\n包括本级及下属单位。"
    sections = document_facts(doc("某某区商务委员会2025年部门预算", toc, body))["budget"]["sections"]
    assert sections == ["部门职责"]  # 单位构成 is not 机构设置, a 目录 line is not the section


ANNUAL = ("某某区人民政府\n2023 年政府信息公开工作年度报告\n本报告根据《条例》编制。\n一、总体情况\n2023 年，本区…。\n"
          "二、主动公开政府信息情况\n第二十条第（一）项\n三、收到和处理政府信息公开申请情况\n"
          "一、本年新收政府信息公开申请数量 21 0 0 21\n四、结转下年度继续办理 0 0 0 0\n五、存在的主要问题及改进情况\n"
          "存在差距。\n六、其他需要报告的事项\n无。")


def test_annual_report_year_and_sections_as_headings_not_a_table_row_of_the_same_number():
    facts = document_facts(doc(ANNUAL))
    assert facts["title"] == "某某区人民政府2023年政府信息公开工作年度报告"
    assert facts["annual_report"] == {"year": 2023, "sections": [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项"]}  # 四、结转下年度继续办理 is a row of table 三, not section 四
    assert "budget" not in facts
    inline = ("某某县2023年度政府信息公开工作年度报告\n一、总体情况 2023年，本县深化公开。二、主动公开政府信息情况 见下表。"
              "三、收到和处理政府信息公开申请情况 共收到申请3件。四、政府信息公开行政复议、行政诉讼情况 无。"
              "五、存在的主要问题及改进情况 仍有差距。六、其他需要报告的事项 无。")
    assert len(document_facts(doc(inline))["annual_report"]["sections"]) == 6
    prose = "某某县2023年政府信息公开工作年度报告\n本报告包括总体情况、主动公开政府信息情况、其他需要报告的事项等内容。"
    assert document_facts(doc(prose))["annual_report"]["sections"] == []


def test_dates_are_the_documents_own_lines_not_dates_in_sentences():
    facts = document_facts(doc("关于加快涵洞建设的函\n成文日期：2023年7月10日\n根据2023年7月7日会议要求，请尽快落实。",
                               "某某市自然资源和规划局\n二〇二三年七月十二日"))
    assert facts["dates"] == [{"label": "成文日期", "date": "2023-07-10", "page": 1},
                              {"label": "落款", "date": "2023-07-12", "page": 2}]


def test_a_document_that_is_neither_budget_nor_report_has_neither_key():
    facts = document_facts(doc("关于做好2025年部门预算公开工作的通知\n各单位：请按时公开部门预算。\n2025年3月1日"))
    assert "budget" not in facts and "annual_report" not in facts
    assert facts["title"] == "关于做好2025年部门预算公开工作的通知"


def test_a_sheet_title_ends_where_its_header_row_of_cells_begins():
    """A 公示名单 sheet: its title in the first row, the column heads in the next (tab-separated cells, as the XLS/XLSX
    readers give rows); the heads are not part of the title the findings quote (sthjj-hanweb's 持证上岗 公示 .xls)."""
    sheet = "青川市2026年持证上岗考核合格人员名单\n序号\t姓名\t性别\t工作单位\t身份证号码\n1\t陈某\t女\t监测站\t329001********0026"
    assert document_facts(doc(sheet, fmt="xls"))["title"] == "青川市2026年持证上岗考核合格人员名单"
    # near miss: a title wrapped over two rows of one cell each is still joined
    wrapped = "青川市2026年持证上岗\n考核合格人员名单\n序号\t姓名"
    assert document_facts(doc(wrapped, fmt="xlsx"))["title"] == "青川市2026年持证上岗考核合格人员名单"


def test_personal_numbers_are_found_with_their_page_and_masked_in_the_stored_text():
    d = doc("一、部门职责", "张某 11010519491231002X 罚款 2000 元，联系电话 13812345678")
    facts = document_facts(d)
    assert [(p["type"], p["page"], p["masked"]) for p in facts["personal"]] == [
        ("id_number", 2, "110105********002X"), ("mobile", 2, "138****5678")]
    assert "11010519491231002X" not in masked_texts(d)[1] and "13812345678" not in masked_texts(d)[1]
    # near miss: an ID-shaped number with a wrong checksum is not personal data
    assert "personal" not in document_facts(doc("编号 110105194912310021"))


def test_a_notice_in_a_document_states_its_period_acceptance_date_and_hearing():
    from datetime import date
    text = ("关于青川化工项目环境影响报告书拟审批意见的公示\n根据建设项目环境影响评价审批程序的有关规定，现将拟作出审批意见的"
            "基本情况予以公示。\n公示期为2026年10月12日至2026年10月16日（5个工作日）。\n听证权利告知：自公示之日起5个"
            "工作日内，申请人、利害关系人可以书面提出听证申请。\n江南省生态环境厅\n2026年10月12日")
    facts = document_facts(doc(text), as_of=date(2026, 11, 20))
    assert facts["notice"]["period"]["start"] == "2026-10-12" and facts["notice"]["period"]["end"] == "2026-10-16"
    assert facts["notice"]["hearing"]


def test_a_notice_table_gives_its_acceptance_date_column():
    from datetime import date
    sheet = [["项目名称", "建设单位", "受理日期", "环评类别"], ["青川化工项目", "青川化工有限公司", "2026-09-21", "报告书"]]
    facts = document_facts(doc("建设项目环境影响评价文件受理情况公示表\n" + "\n".join("\t".join(r) for r in sheet),
                               tables=[sheet], fmt="xlsx"), as_of=date(2026, 11, 20))
    assert facts["notice"]["accepted"] == ["2026-09-21"]


def test_a_report_quoting_the_builder_s_own_notice_is_no_notice():
    """A 全本's 公众参与 chapter quotes the builder's earlier 公示 (its period is not the bureau's)."""
    from datetime import date
    facts = document_facts(doc("青川化工项目环境影响报告书\n（全本）", "第八章 公众参与\n建设单位于2025年3月1日进行了第一次"
                               "公示，公示期为2025年3月1日至2025年3月14日，公众可在公示期内反映意见。"),
                           as_of=date(2026, 11, 20))
    assert "notice" not in facts


def test_a_notice_table_with_characters_xml_refuses_is_still_read():
    from datetime import date
    sheet = [["项目名称", "受理日期"], ["青川\x00化工\ufffe项目", "2026-09-21"]]
    facts = document_facts(doc("受理情况公示表\n受理日期", tables=[sheet], fmt="xlsx"), as_of=date(2026, 11, 20))
    assert facts["notice"]["accepted"] == ["2026-09-21"]
