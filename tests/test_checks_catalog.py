"""The catalog rules added for issue 5 (should-update columns, interaction, budgets, 环评, 目录, coverage, search,
and the rules reading page.extra: unanswered messages, 公示 timing and periods), each with its passing and failing
side, on hand-built stored runs."""
from __future__ import annotations

from datetime import date

import pytest

from tests.builders import BASE, SiteBuilder, budget_codes, found, message, notice

ARTICLE_META = ["ArticleTitle", "PubDate", "ContentSource"]


@pytest.fixture
def site(tmp_path):
    return SiteBuilder(tmp_path)


def article(url, **fields):
    return {"url": f"{BASE}{url}", "status": 200, "encoding": "utf-8", "meta_names": ARTICLE_META} | fields


def col_url(site, name):
    return f"{BASE}col{list(site.columns).index(name)}/index.html"


def add_column(site, name, newest, items=3):
    site.columns[name] = newest
    site.column_items[name] = items


def reasons(result):
    return {(n.rule, n.reason) for n in result.sites[0].not_tested}


# ---- GWS-V4c: should-update columns (§6.4 frequencies)

def test_should_update_column_within_its_frequency_passes(site):
    add_column(site, "环境监测", date(2026, 5, 21))  # 183 days
    add_column(site, "建议提案办理", date(2025, 11, 20))  # 365 days
    assert found(site.judge()) == []


def test_should_update_column_past_its_frequency_is_advice_below_ten(site):
    add_column(site, "环境监测", date(2026, 5, 20))  # 184 days
    result = site.judge()
    assert found(result) == [("GWS-V4c", "advice", col_url(site, "环境监测"))]
    assert result.findings[0].evidence["window_days"] == 183
    assert result.sites[0].verdict == "pass"


def test_ten_should_update_columns_stale_are_a_veto(site):
    for i in range(10):
        add_column(site, f"大气环境管理{i}", date(2025, 1, 1))
        site.types[f"大气环境管理{i}"] = "env_management"
    result = site.judge()
    v4c = found(result, "GWS-V4c")
    assert len(v4c) == 10 and {sev for _, sev, _ in v4c} == {"veto"}
    assert result.sites[0].verdict == "fail"
    assert found(result, "GWS-V4a") == []  # the two counts of 栏目不更新 never count one column twice


def test_interrupted_crawl_never_reports_should_update_columns_stale(site):
    site.finished = False
    add_column(site, "环境监测", date(2025, 1, 1))
    result = site.judge()
    assert found(result, "GWS-V4c") == [] and ("GWS-V4c", "interrupted") in reasons(result)


# ---- interaction: GWS-V5a channel, GWS-D3 replies, GWS-D6 published replies and statistics; GWS-D2 办件统计

def test_no_consultation_channel_is_a_veto(site):
    del site.columns["领导信箱"]
    result = site.judge()
    assert found(result) == [("GWS-V5a", "veto", BASE)]
    assert result.sites[0].verdict == "fail"
    assert "「互动交流」" in result.findings[0].message


def test_channel_behind_robots_is_not_tested(site):
    del site.columns["领导信箱"]
    site.extra_pages.append({"url": f"{BASE}hdjl/", "error": "robots", "column_type": "interaction"})
    result = site.judge()
    assert found(result) == [] and ("GWS-V5a", "robots") in reasons(result)


@pytest.mark.parametrize("newest, expected", [(date(2026, 9, 20), []),  # 61 days
                                              (date(2026, 9, 19), [("GWS-D3", "deduct")])])  # 62 days
def test_published_replies_within_two_months(site, newest, expected):
    site.columns["留言选登"] = newest
    result = site.judge()
    assert [(r, s) for r, s, _ in found(result)] == expected
    if expected:
        assert result.sites[0].score == 97


def test_published_replies_and_statistics_missing(site):
    del site.columns["留言选登"], site.columns["留言统计"]
    result = site.judge()
    assert sorted(f.message[:13] for f in result.findings) == ["网站未设置「留言统计」栏目", "网站未设置「留言选登」栏目"]
    assert {f.rule for f in result.findings} == {"GWS-D6"} and result.sites[0].score == 98


@pytest.mark.parametrize("newest, expected", [(date(2026, 8, 20), []),  # 92 days
                                              (date(2026, 8, 19), [("GWS-D2", "deduct"), ("GWS-V4c", "advice")])])
def test_service_statistics_within_three_months(site, newest, expected):
    add_column(site, "办件统计", newest)
    assert sorted((r, s) for r, s, _ in found(site.judge())) == expected


# ---- GWS-D4 basic columns, OGI-20 coverage, ENV-05/06

def test_leader_column_missing_is_a_basic_column_deduction(site):
    del site.columns["领导信息"]
    result = site.judge()
    assert found(result) == [("GWS-D4", "deduct", BASE)]
    assert "「领导信息」" in result.findings[0].message


def test_statutory_disclosure_coverage_one_finding_per_missing_item(site):
    del site.columns["政府采购"], site.columns["应急管理"]
    result = site.judge()
    assert sorted(f.message.split("」")[0] for f in result.findings) == ["网站未设置「（九）政府采购",
                                                                             "网站未设置「（十二）突发环境事件应对"]
    assert {f.rule for f in result.findings} == {"OGI-20"}


def test_an_item_is_covered_by_any_of_its_column_types(site):
    del site.columns["环评审批"]
    add_column(site, "行政许可", date(2026, 11, 1))
    site.types["行政许可"] = "licensing"
    assert found(site.judge()) == []
    del site.columns["行政许可"]
    result = site.judge()
    assert found(result) == [("OGI-20", "deduct", BASE)]
    assert "（「行政许可」、「环评审批」）" in result.findings[0].message


def test_penalty_decisions_missing(site):
    del site.columns["行政处罚"]
    assert sorted(found(site.judge())) == [("ENV-05", "deduct", BASE), ("ENV-06", "advice", BASE)]


def test_coercion_decisions_in_their_own_column(site):
    add_column(site, "查封扣押", date(2026, 10, 1))
    site.types["查封扣押"] = "coercion"
    del site.columns["行政处罚"]
    assert found(site.judge()) == [("ENV-05", "deduct", BASE)]


# ---- GUIDE-09 site search

def test_no_search_entrance_on_the_homepage(site):
    site.links = []
    result = site.judge()
    assert found(result) == [("GUIDE-09", "deduct", BASE)]


def test_search_form_counts_and_its_missing_target_is_reported_once(site):
    site.links = [(BASE, f"{BASE}was5/web/search", "请输入关键字 搜索", None, "form")]
    site.extra_pages.append({"url": f"{BASE}was5/web/search", "status": 200, "content_type": "text/html"})
    assert found(site.judge()) == []
    site.extra_pages[-1] = {"url": f"{BASE}was5/web/search", "status": 404, "confirmed": True, "confirm_status": 404}
    result = site.judge()
    assert found(result) == [("GUIDE-09", "deduct", BASE)]  # not also GWS-DLINK: a form is not a link
    assert "HTTP 404" in result.findings[0].message


def test_a_login_form_is_not_a_search_entrance(site):
    site.links = [(BASE, f"{BASE}oa/login.do", "用户名 密码 登录", None, "form")]
    assert found(site.judge()) == [("GUIDE-09", "deduct", BASE)]


# ---- BUD-04 三公 breakdown, BUD-05 explanations

SANGONG = ["因公出国（境）费", "公务用车购置费", "公务用车运行费", "公务接待费"]
SECTIONS = ["一、部门职责", "二、机构设置", "七、“三公”经费增减变化情况说明", "八、机关运行经费", "九、政府采购情况",
            "十、国有资产占有使用情况", "十一、预算绩效管理情况", "第四部分 名词解释"]


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


# ---- BUD-03 功能分类 to 项, 基本支出 经济分类 to 款 (page.extra["budget_codes"])

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


# ---- OGI-12b 目录 fields on 法定主动公开内容

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


# ---- EIA-02 全本, EIA-05 批复 within 7 working days, ENV-01 stages

ACCEPT = "关于青川化工项目环境影响报告书受理情况的公示"


def test_acceptance_notice_without_full_text(site):
    site.extra_pages.append(article("sl.html", title=ACCEPT))
    result = site.judge()
    assert found(result) == [("EIA-02", "deduct", f"{BASE}sl.html")]
    assert result.findings[0].kind == "attachment-missing"


def test_acceptance_notice_with_a_downloadable_full_text_passes(site):
    site.extra_pages += [article("sl.html", title=ACCEPT),
                         {"url": f"{BASE}qb.pdf", "status": 200, "content_type": "application/pdf", "length": 9000}]
    site.links.append((f"{BASE}sl.html", f"{BASE}qb.pdf", "报告书全本"))
    assert found(site.judge()) == []


def test_broken_full_text_is_reported_but_deducted_once(site):
    site.extra_pages += [article("sl.html", title=ACCEPT),
                         {"url": f"{BASE}qb.pdf", "status": 404, "confirmed": True, "confirm_status": 404}]
    site.links.append((f"{BASE}sl.html", f"{BASE}qb.pdf", "报告书全本"))
    result = site.judge()
    assert sorted(found(result)) == [("EIA-02", "deduct", f"{BASE}sl.html"), ("GWS-DLINK", "deduct", f"{BASE}qb.pdf")]
    eia = next(f for f in result.findings if f.rule == "EIA-02")
    assert eia.points == 0 and "无法下载" in eia.message
    assert result.sites[0].score == 99.9  # the broken link's 0.1 only


@pytest.mark.parametrize("published, rules", [
    (date(2026, 10, 19), []),                # 7 working days after 2026-10-09 (the 10-10 调休 Saturday counts)
    (date(2026, 10, 20), ["EIA-05"]),        # 8
    (date(2026, 11, 9), ["OGI-26"]),         # 21: the 20-day rule's finding, not deducted twice
])
def test_approval_published_within_seven_working_days(site, published, rules):
    site.items = {ACCEPT: date(2026, 8, 1), "青川化工项目环境影响报告书拟批复公示": date(2026, 8, 20)}  # ENV-01 stages
    site.extra_pages.append(article("pf.html", title="关于青川化工项目环境影响报告书的批复",
                                    written=date(2026, 10, 9), published=published))
    assert [r for r, _, _ in found(site.judge())] == rules


def test_an_approval_notice_before_the_decision_is_not_the_decision(site):
    site.extra_pages.append(article("nsp.html", title="青川化工项目环境影响报告书拟批复公示",
                                    written=date(2026, 9, 1), published=date(2026, 10, 20)))
    assert found(site.judge(), "EIA-05") == []


def test_eia_stages_missing_when_another_stage_is_published(site):
    site.items = {"关于青川化工项目环境影响报告书的批复": date(2026, 9, 1)}
    result = site.judge()
    assert sorted(f.evidence["missing_stage"] for f in result.findings) == ["受理情况公示", "拟审批公示"]
    assert {(f.rule, f.url) for f in result.findings} == {("ENV-01", col_url(site, "环评审批"))}


def test_eia_stages_complete_or_none_pass(site):
    assert found(site.judge()) == []
    site.items = {ACCEPT: date(2026, 8, 1), "青川化工项目环境影响报告书拟批复公示": date(2026, 8, 20),
                  "关于青川化工项目环境影响报告书的批复": date(2026, 9, 1),
                  "关于旧项目环境影响报告书的批复": date(2025, 6, 1)}
    assert found(site.judge()) == []
    site.items = {"关于旧项目环境影响报告书的批复": date(2025, 6, 1)}  # outside the 365-day window
    assert found(site.judge()) == []


# ---- GWS-V5b: a valid message unanswered for more than 3 months (veto)


def not_tested(result, rule):
    return [n.reason for n in result.sites[0].not_tested if n.rule == rule]


def letters(site, *msgs, name="领导信箱"):
    """The 领导信箱 column page shows these messages (a 信件查询 table)."""
    site.column_extra[name] = {"messages": list(msgs)}


def test_messages_answered_in_time_pass(site):
    result = site.judge()  # 留言选登: asked 11-03, answered 11-10
    assert found(result, "GWS-V5b") == [] and not_tested(result, "GWS-V5b") == []


@pytest.mark.parametrize("asked, vetoed", [(date(2026, 8, 20), False),  # 3 months end on the audit day
                                           (date(2026, 8, 19), True)])
def test_message_pending_for_more_than_three_months_is_a_veto(site, asked, vetoed):
    letters(site, message("关于化工园区异味问题的来信", asked, state="pending"))
    result = site.judge()
    assert found(result, "GWS-V5b") == ([("GWS-V5b", "veto", col_url(site, "领导信箱"))] if vetoed else [])
    if vetoed:
        f = result.findings[0]
        assert result.sites[0].verdict == "fail" and f.kind == "interaction-unanswered"
        assert "关于化工园区异味问题的来信" in f.message and "2026-08-19" in f.message and "仍未答复" in f.message
        assert f.evidence["deadline"] == "2026-11-19" and f.evidence["how"] == "表格列「来信时间」、「回复时间」"


@pytest.mark.parametrize("answered, late", [(date(2026, 4, 5), False), (date(2026, 4, 6), True)])
def test_message_answered_after_three_months(site, answered, late):
    letters(site, message("关于排污口整治进度的咨询", date(2026, 1, 5), answered))
    result = site.judge()
    assert [r for r, _, _ in found(result)] == (["GWS-V5b"] if late else [])
    if late:
        assert "2026-04-06 才答复" in result.findings[0].message and result.findings[0].evidence["days"] == 91


def test_late_reply_before_the_year_under_review_is_not_judged(site):
    letters(site, message("关于旧事的咨询", date(2025, 1, 2), date(2025, 6, 1)))
    assert found(site.judge(), "GWS-V5b") == []


def test_invalid_messages_and_other_channels_are_not_judged(site):
    letters(site, message("广告信息", date(2026, 2, 1), state="invalid"))  # 不予受理: not a 有效留言
    site.types["在线访谈"] = "interview"
    add_column(site, "在线访谈", date(2026, 10, 1))
    letters(site, message("网友提问：垃圾分类怎么做", date(2026, 2, 1), state="pending"), name="在线访谈")
    result = site.judge()
    assert found(result, "GWS-V5b") == [] and not_tested(result, "GWS-V5b") == []


def test_a_list_row_and_its_detail_page_are_one_message(site):
    """The list cuts the title and still says 办理中; the detail page shows the reply: answered in time."""
    letters(site, message("关于临江化工园区异味问题…", date(2026, 6, 1), state="pending"))
    site.extra_pages.append(article("xj/1.html", title="关于临江化工园区异味问题的来信", column_type="interaction",
                                    extra={"messages": [message("关于临江化工园区异味问题的来信", date(2026, 6, 1),
                                                                date(2026, 6, 12), source="label:留言时间|回复时间")]}))
    assert found(site.judge(), "GWS-V5b") == []


def test_no_message_dates_anywhere_is_not_tested(site):
    site.column_extra = {}
    result = site.judge()
    assert found(result, "GWS-V5b") == [] and not_tested(result, "GWS-V5b") == ["no_evidence"]
    site.extra_pages.append({"url": f"{BASE}hdjl/lyxd/", "error": "robots", "column_type": "messages"})
    assert not_tested(site.judge(), "GWS-V5b") == ["robots"]


def test_interrupted_crawl_is_not_a_pass_for_messages(site):
    site.finished = False
    assert not_tested(site.judge(), "GWS-V5b") == ["interrupted"]
    letters(site, message("关于化工园区异味问题的来信", date(2026, 3, 1), state="pending"))
    assert [r for r, _, _ in found(site.judge(), "GWS-V5b")] == ["GWS-V5b"]  # what was seen still proves it


# ---- EIA-03a 受理公示 within 1 working day, EIA-03b comment period 10 (书) / 5 (表), EIA-04 拟审批公示

APPROVAL_NOTICE = "关于青川化工项目环境影响报告书拟审批的公示"


def accept_notice(site, published, **facts):
    site.extra_pages.append(article("sl.html", title=ACCEPT, published=published, extra={"notice": notice(**facts)}))


@pytest.mark.parametrize("accepted, published, late", [
    (date(2026, 6, 12), date(2026, 6, 15), False),   # Friday → Monday: 1 working day
    (date(2026, 9, 30), date(2026, 10, 8), False),   # across 国庆: 10-08 is the first working day after
    (date(2026, 9, 30), date(2026, 10, 9), True),    # 2 working days
])
def test_acceptance_notice_within_one_working_day(site, accepted, published, late):
    accept_notice(site, published, accepted=[accepted], days=10, documents=["报告书"])
    result = site.judge()
    assert found(result, "EIA-03a") == ([("EIA-03a", "deduct", f"{BASE}sl.html")] if late else [])
    assert not_tested(result, "EIA-03a") == [] and found(result, "EIA-03b") == []
    if late:
        f = next(f for f in result.findings if f.rule == "EIA-03a")
        assert f.kind == "item-late" and f.evidence["workdays"] == 2 and f.points == 0.5


def test_acceptance_notice_without_its_date_is_not_tested(site):
    accept_notice(site, date(2026, 6, 12), days=10, documents=["报告书"])
    assert not_tested(site.judge(), "EIA-03a") == ["no_evidence"]


@pytest.mark.parametrize("facts, short", [
    ({"period": (date(2026, 3, 2), date(2026, 3, 13)), "documents": ["报告书"]}, False),   # 10 working days
    ({"period": (date(2026, 3, 2), date(2026, 3, 12)), "documents": ["报告书"]}, True),    # 9
    ({"period": (date(2026, 3, 2), date(2026, 3, 6)), "documents": ["报告表"]}, False),    # 5 for a 报告表
    ({"period": (date(2026, 3, 2), date(2026, 3, 6)), "documents": ["报告书", "报告表"]}, True),  # the strictest
    ({"period": (date(2026, 3, 2), date(2026, 3, 5))}, True),                              # unnamed: 5 at least
    ({"days": 10, "documents": ["报告书"]}, False),
    ({"days": 7, "documents": ["报告书"]}, True),
    ({"days": 10, "unit": "日", "documents": ["报告书"]}, True),  # 10 calendar days from 09-28: 3 working days
])
def test_comment_period_of_the_acceptance_notice(site, facts, short):
    accept_notice(site, date(2026, 9, 28), **facts)
    result = site.judge()
    assert found(result, "EIA-03b") == ([("EIA-03b", "deduct", f"{BASE}sl.html")] if short else [])
    if short:
        f = next(f for f in result.findings if f.rule == "EIA-03b")
        assert f.kind == "notice-short" and f.evidence["workdays"] < f.evidence["required"]


def test_notice_stated_only_in_its_attachment_is_not_tested(site):
    accept_notice(site, date(2026, 9, 28))
    site.extra_pages.append({"url": f"{BASE}gs.pdf", "status": 200, "content_type": "application/pdf", "length": 9000})
    site.links.append((f"{BASE}sl.html", f"{BASE}gs.pdf", "受理公示.pdf"))
    result = site.judge()
    assert not_tested(result, "EIA-03b") == ["attachment"] and not_tested(result, "EIA-03a") == ["attachment"]


def approval_notice(site, published=date(2026, 10, 9), url="nsp.html", **facts):
    site.extra_pages.append(article(url, title=APPROVAL_NOTICE, published=published, extra={"notice": notice(**facts)}))


def test_approval_notice_of_five_working_days_with_hearing_passes(site):
    approval_notice(site, period=(date(2026, 10, 10), date(2026, 10, 15)), hearing=True)  # 10-10 is a 调休 Saturday
    result = site.judge()
    assert found(result, "EIA-04") == [] and not_tested(result, "EIA-04") == []


def test_approval_notice_too_short_and_without_hearing(site):
    approval_notice(site, period=(date(2026, 9, 30), date(2026, 10, 8)))  # 9 days, 2 working days
    result = site.judge()
    eia04 = sorted((f.kind, f.evidence.get("workdays")) for f in result.findings if f.rule == "EIA-04")
    assert eia04 == [("item-missing", None), ("notice-short", 2)]
    assert any("听证" in f.message for f in result.findings if f.kind == "item-missing")
    assert result.sites[0].score == 98 - 2  # two points here, and ENV-01 twice (no 受理公示, no 批复)


def test_old_and_undated_notices(site):
    approval_notice(site, published=date(2025, 6, 1), period=(date(2025, 6, 1), date(2025, 6, 2)))  # outside 365 days
    approval_notice(site, published=None, url="nsp2.html", period=(date(2026, 10, 10), date(2026, 10, 15)))
    result = site.judge()
    assert [f.url for f in result.findings if f.rule == "EIA-04"] == [f"{BASE}nsp2.html"]  # no 听证告知


def test_budget_code_level_parameters_are_checked():
    from checks.types.budget_code_level import BudgetCodeLevel
    params = {"select": {"title_pattern": "部门(预算|决算)"}, "function_digits": 7, "economic_digits": 5}
    assert BudgetCodeLevel().validate(params) is None
    assert "function_digits" in BudgetCodeLevel().validate(params | {"function_digits": 6})
