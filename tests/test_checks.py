"""Check types and the engine on hand-built stored runs (no network): the edge cases of judging."""
from __future__ import annotations

import json
from datetime import date

import pytest

from tests.builders import BASE, SiteBuilder, found


@pytest.fixture
def site(tmp_path):
    return SiteBuilder(tmp_path)


def test_complete_fresh_site_has_no_findings(site):
    result = site.judge()
    assert result.findings == ()
    assert result.sites[0].verdict == "pass" and result.sites[0].score == 100


def test_stale_windows_are_per_column_type(site):
    site.columns["工作动态"] = date(2026, 11, 6)  # 14 days: still fresh
    site.columns["通知公告"] = date(2026, 5, 21)  # 183 days: still fresh
    assert site.judge().findings == ()


def test_one_day_past_the_window_is_stale_advice_below_the_veto_count(site):
    site.columns["工作动态"] = date(2026, 11, 5)  # 15 days
    result = site.judge()
    assert found(result) == [("GWS-V4a", "advice", f"{BASE}col0/index.html")]
    assert result.findings[0].evidence["days"] == 15
    assert result.sites[0].verdict == "pass"


def test_stale_policy_docs_deduct_five_points(site):
    site.columns["政策文件"] = date(2026, 2, 10)
    result = site.judge()
    assert sorted(found(result)) == [("GWS-D1", "deduct", f"{BASE}col2/index.html"),
                                     ("GWS-V4a", "advice", f"{BASE}col2/index.html")]
    assert result.sites[0].score == 95


def test_five_stale_columns_are_a_veto(site):
    for i in range(5):
        site.columns[f"工作动态{i}"] = date(2026, 1, 1)
        site.column_items[f"工作动态{i}"] = 2
    site.types.update({f"工作动态{i}": "work_news" for i in range(5)})
    result = site.judge()
    assert {sev for rule, sev, _ in found(result, "GWS-V4a")} == {"veto"}
    assert result.sites[0].verdict == "fail"


def test_undated_items_count_as_not_updated(site):
    site.columns["通知公告"] = None
    result = site.judge()
    assert found(result) == [("GWS-V4a", "advice", f"{BASE}col1/index.html")]
    assert "未标注发布时间" in result.findings[0].message


def test_blank_column_is_blank_not_stale(site):
    site.columns["政策解读"] = None
    site.column_items["政策解读"] = 0
    result = site.judge()
    assert found(result) == [("GWS-V4d", "advice", f"{BASE}col8/index.html")]


def test_missing_columns_are_reported_on_the_homepage(site):
    del site.columns["政府信息公开年报"], site.columns["通知公告"]
    result = site.judge()
    assert sorted(found(result)) == [("GWS-D4", "deduct", BASE), ("OGI-04", "deduct", BASE)]
    assert "通知公告" in next(f.message for f in result.findings if f.rule == "GWS-D4")


def test_column_hidden_by_robots_is_not_tested_not_missing(site):
    del site.columns["政府信息公开年报"]
    site.extra_pages.append({"url": f"{BASE}ndbg/", "error": "robots", "column_type": "ogi_annual_report"})
    result = site.judge()
    assert found(result) == []
    assert [(n.rule, n.reason) for n in result.sites[0].not_tested] == [("OGI-04", "robots")]


def test_missing_column_after_page_budget_is_not_tested(site):
    del site.columns["通知公告"]
    site.budget = True
    result = site.judge()
    assert found(result) == []
    # the 环评 notice rules found no notice to judge either, nor BUD-03 a 预决算 page: they may lie beyond the budget too
    assert sorted((n.rule, n.reason) for n in result.sites[0].not_tested) == [
        ("BUD-03", "budget"), ("EIA-03a", "budget"), ("EIA-03b", "budget"), ("EIA-04", "budget"), ("GWS-D4", "budget")]


def test_interrupted_crawl_never_yields_stale_or_blank_or_missing(site):
    site.finished = False
    site.columns["工作动态"] = date(2025, 1, 1)
    del site.columns["通知公告"]
    site.home["icp"] = None
    result = site.judge()
    assert found(result) == [("GUIDE-05", "deduct", BASE)]  # the footer was seen; columns were not all seen
    reasons = {(n.rule, n.reason) for n in result.sites[0].not_tested}
    assert ("GWS-V4a", "interrupted") in reasons and ("GWS-D4", "interrupted") in reasons


@pytest.mark.parametrize("status, challenge, reason", [(521, "jsl", "blocked"), (403, None, "blocked"),
                                                      (200, "acw_sc__v2", "blocked"), (None, None, "unreachable")])
def test_blocked_or_unreachable_site_is_not_tested(site, status, challenge, reason):
    site.home_status, site.challenge = status, challenge
    site.columns["工作动态"] = date(2020, 1, 1)
    result = site.judge()
    assert result.findings == ()
    s = result.sites[0]
    assert s.verdict == "not_tested" and s.score is None
    assert [(n.rule, n.reason) for n in s.not_tested] == [(None, reason)]


def test_footer_identifiers_one_finding_each(site):
    site.home.update(site_id_code=None, police_record=None)
    result = site.judge()
    messages = sorted(f.message for f in result.findings)
    assert messages == ["首页底部未标注公安机关备案编号", "首页底部未标注政府网站标识码"]
    assert result.sites[0].score == 98


def test_dead_links_weigh_more_on_the_homepage_and_name_their_parent(site):
    art = f"{BASE}art/1.html"
    site.extra_pages += [
        {"url": art, "status": 200, "title": "一篇文章"},
        {"url": f"{BASE}gone.html", "status": 404, "confirmed": True, "confirm_status": 404},
        {"url": f"{BASE}old.pdf", "status": 410, "confirmed": True, "confirm_status": 410},
        {"url": f"{BASE}soft.html", "status": 200, "soft_404": True},
        {"url": f"{BASE}flaky.html", "status": 503, "confirmed": True, "confirm_status": 200},  # healed: fine
    ]
    site.links += [(BASE, f"{BASE}gone.html", "办事服务"), (art, f"{BASE}gone.html", "办事服务"),
                   (art, f"{BASE}old.pdf", "附件"), (art, f"{BASE}soft.html", "旧文"), (art, f"{BASE}flaky.html", "x")]
    result = site.judge()
    rows = {(f.url, f.parent_url, f.evidence["homepage"]) for f in result.findings}
    assert rows == {(f"{BASE}gone.html", BASE, True), (f"{BASE}old.pdf", art, False), (f"{BASE}soft.html", art, False)}
    assert result.sites[0].score == 98.8  # 1 + 0.1 + 0.1


def test_broken_needs_confirmation_and_blocked_or_slow_links_are_unverified(site):
    art = f"{BASE}art/1.html"
    pages = {
        "e500.html": {"status": 500, "confirmed": True, "confirm_status": 502},  # persists: broken
        "refused.html": {"error": "refused", "confirmed": True, "confirm_error": "refused"},  # own host: broken
        "unconfirmed.html": {"status": 404},  # the second attempt never came (interrupted): unverified
        "forbidden.html": {"status": 403},
        "challenge.html": {"status": 200, "challenge": "acw_sc__v2"},
        "slow.html": {"error": "timeout"},
        "robots.html": {"error": "robots"},  # not checked at all
        "fake.pdf": {"status": 200, "content_type": "text/html; charset=utf-8", "length": 2048},
        "empty.doc": {"status": 200, "content_type": "application/msword", "length": 0},
        "good.pdf": {"status": 200, "content_type": "application/pdf", "length": 5000},
    }
    for name, fields in pages.items():
        site.extra_pages.append({"url": f"{BASE}{name}"} | fields)
        site.links.append((art, f"{BASE}{name}", name))
    site.extra_pages.append({"url": art, "status": 200, "title": "文章"})
    result = site.judge()
    broken = {f.url.rsplit("/", 1)[1]: f.evidence["error"] for f in result.findings}
    assert broken == {"e500.html": "HTTP 502", "refused.html": "连接被拒绝",
                      "fake.pdf": "附件地址返回的是网页（HTML），不是附件", "empty.doc": "附件为空文件"}
    unverified = [n for n in result.sites[0].not_tested if n.reason == "unverified"]
    assert len(unverified) == 1 and unverified[0].detail.startswith("4 个链接无法验证")


def test_a_page_looking_like_the_sites_own_not_found_answer_is_a_soft_404(site):
    art = f"{BASE}art/1.html"
    site.extra_pages += [
        {"url": art, "status": 200, "title": "文章"},
        {"url": f"{BASE}gkaudit-probe-1.html", "status": 200, "title": "出错了 - 测试局", "probe": True},
        {"url": f"{BASE}moved.html", "status": 200, "title": "出错了 - 测试局"},
        {"url": f"{BASE}fine.html", "status": 200, "title": "关于开展检查的通知"},
    ]
    site.links += [(art, f"{BASE}moved.html", "旧链接"), (art, f"{BASE}fine.html", "通知")]
    result = site.judge()
    assert [(f.url, f.evidence["error"]) for f in result.findings] == [
        (f"{BASE}moved.html", "HTTP 200，与本站“页面不存在”页面相同")]


def test_external_links_checked_once_count_for_every_site_that_links_them(site):
    site.extra_pages += [{"url": "http://127.0.0.77/gone", "status": 404, "confirmed": True, "confirm_status": 404,
                          "external": True},
                         {"url": "http://127.0.0.78/", "error": "dns", "confirmed": True, "confirm_error": "dns",
                          "external": True}]
    site.links += [(BASE, "http://127.0.0.77/gone", "友情链接"), (BASE, "http://127.0.0.78/", "旧站")]
    result = site.judge()
    assert [(f.url, f.message) for f in result.findings] == [
        ("http://127.0.0.77/gone", "首页外部链接「友情链接」无法访问（HTTP 404）")]
    assert any(n.reason == "unverified" for n in result.sites[0].not_tested)  # external DNS: unverified


def test_homepage_not_updated_for_two_weeks_is_a_veto(site):
    for i, day in enumerate([date(2026, 11, 5), date(2026, 10, 1)]):
        url = f"{BASE}art/{i}.html"
        site.extra_pages.append({"url": url, "status": 200, "published": day})
        site.links.append((BASE, url, f"新闻{i}"))
    result = site.judge()
    assert found(result) == [("GWS-V3", "veto", BASE)]
    assert result.findings[0].evidence["days"] == 15
    assert result.sites[0].verdict == "fail"


def test_homepage_updated_within_two_weeks_passes(site):
    url = f"{BASE}art/new.html"
    site.extra_pages.append({"url": url, "status": 200, "published": date(2026, 11, 6)})
    site.links.append((BASE, url, "新闻"))
    assert found(site.judge()) == []


def test_navigation_only_homepage_is_judged_by_its_columns(site):
    site.columns = {name: date(2026, 10, 1) for name in site.columns}  # every column stale too
    result = site.judge()
    v3 = [f for f in result.findings if f.rule == "GWS-V3"]
    assert len(v3) == 1 and "二级栏目" in v3[0].message


def test_jiucuo_entrance_missing_or_pointing_at_another_site(site):
    site.home["jiucuo_sitecode"] = None
    assert found(site.judge(), "GUIDE-07") == [("GUIDE-07", "deduct", BASE)]


def test_jiucuo_sitecode_must_be_the_sites_own(tmp_path):
    site = SiteBuilder(tmp_path)
    site.home["jiucuo_sitecode"] = "3200000099"
    result = site.judge()
    assert found(result) == [("GUIDE-07", "deduct", BASE)]
    assert "3200000099" in result.findings[0].message and "3200000001" in result.findings[0].message


def test_conac_badge_missing(site):
    site.home["conac"] = False
    assert found(site.judge()) == [("GUIDE-06", "deduct", BASE)]


@pytest.mark.parametrize("reports, expected", [
    ({}, [("OGI-49", "item-missing")]),
    ({"测试局2025年政府信息公开工作年度报告": date(2026, 2, 3)}, [("OGI-49", "item-late")]),
    ({"测试局2025年度政府信息公开工作年度报告": date(2026, 1, 31)}, []),
    ({"测试局2024年政府信息公开工作年度报告": date(2025, 1, 20)}, [("OGI-49", "item-missing")]),
])
def test_previous_years_annual_report_by_january_31(site, reports, expected):
    site.annual_reports = reports
    result = site.judge()
    assert [(f.rule, f.kind) for f in result.findings] == expected


def test_annual_report_hidden_by_robots_is_not_tested(site):
    site.annual_reports = {}
    site.extra_pages.append({"url": f"{BASE}ndbg/", "error": "robots", "column_type": "ogi_annual_report"})
    result = site.judge()
    assert result.findings == ()
    assert ("OGI-49", "robots") in {(n.rule, n.reason) for n in result.sites[0].not_tested}


def test_budget_of_this_year_and_final_accounts_of_last_year(site):
    site.budgets = {"测试局2026年部门预算执行情况": date(2026, 3, 20), "测试局2025年部门决算": date(2026, 10, 9)}
    result = site.judge()
    assert sorted((f.rule, f.kind) for f in result.findings) == [("BUD-01a", "item-missing"),
                                                                         ("BUD-01b", "item-late")]


ARTICLE_META = ["ArticleTitle", "PubDate", "ContentSource"]


def article(url, **fields):
    return {"url": f"{BASE}{url}", "status": 200, "encoding": "utf-8", "meta_names": ARTICLE_META} | fields


def test_metadata_missing_is_one_advice_per_page_kind_and_tag(site):
    site.extra_pages += [article("a1.html"), article("a2.html", meta_names=["ArticleTitle"]),
                         article("a3.html", meta_names=["ArticleTitle", "ContentSource"])]
    result = site.judge()
    rows = sorted((f.rule, f.severity, f.evidence["meta"], f.evidence["pages_lacking"])
                  for f in result.findings)
    assert rows == [("GUIDE-04", "advice", "ContentSource", 1, ), ("GUIDE-04", "advice", "PubDate", 2)]
    assert result.sites[0].score == 100  # advice costs nothing


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


def test_disclosure_later_than_twenty_working_days(site):
    site.extra_pages += [
        article("w1.html", title="关于印发方案的通知", written=date(2026, 9, 30), published=date(2026, 11, 3)),  # 20 (National Day week off)
        article("w2.html", title="关于开展检查的通知", written=date(2026, 9, 30), published=date(2026, 11, 4)),  # 21
    ]
    result = site.judge()
    assert found(result) == [("OGI-26", "deduct", f"{BASE}w2.html")]
    assert result.findings[0].evidence["workdays"] == 21


def test_personal_data_id_numbers_deduct_mobiles_advise(site):
    site.extra_pages += [
        article("p1.html", personal_data=[{"type": "id_number", "masked": "110101********123X", "snippet": "…"}]),
        article("p2.html", personal_data=[{"type": "mobile", "masked": "138****5678", "snippet": "…"}]),
    ]
    result = site.judge()
    assert sorted(found(result)) == [("PRIV-01", "deduct", f"{BASE}p1.html"), ("PRIV-02", "advice", f"{BASE}p2.html")]
    assert "110101********123X" in json_dump(result)


def json_dump(result):
    """What findings.json says of the result."""
    return json.dumps(result.contract(), ensure_ascii=False)


def test_outdated_names_only_in_content_dated_after_the_rename(site):
    hit = [{"term": "环境保护局", "list": "outdated", "snippet": "市环境保护局召开会议"}]
    site.extra_pages += [article("o1.html", published=date(2018, 6, 1), term_hits=hit),
                         article("o2.html", published=date(2026, 5, 1), term_hits=hit)]
    result = site.judge()
    assert found(result) == [("WORD-01", "deduct", f"{BASE}o2.html")]


def test_site_override_and_exemption_from_the_sites_file(tmp_path):
    site = SiteBuilder(tmp_path)
    hit = [{"term": "环境保护局", "list": "outdated", "snippet": "…"}]
    site.extra_pages += [article("o2.html", published=date(2019, 6, 1), term_hits=hit)]
    del site.columns["通知公告"]
    site.settings = {"rules": {"WORD-01": {"after": "2019-12-31"}}, "exempt": {"GWS-D4": "栏目整合已报备"}}
    result = site.judge()
    assert found(result) == []
    assert ("GWS-D4", "exempt") in {(n.rule, n.reason) for n in result.sites[0].not_tested}


def test_fragment_links_to_missing_anchors_are_advice(site):
    target = f"{BASE}guide.html"
    site.extra_pages.append(article("guide.html", anchor_ids=["step1", "step2"]))
    site.links += [(BASE, target, "第一步", "step1"), (BASE, target, "第三步", "step3")]
    result = site.judge()
    assert [(f.rule, f.severity, f.url, f.parent_url) for f in result.findings] == [
        ("LINK-FRAGMENT", "advice", f"{target}#step3", BASE)]


def week(failures=0, blocked=0, per_day=20, days=7):
    samples = [{"at_day": d, "ok": True} for d in range(days) for _ in range(per_day)]
    for i in range(failures):
        samples[i * 3]["ok"] = False
    for i in range(blocked):
        samples[i * 3 + 1].update(ok=False, blocked=True)
    return samples


@pytest.mark.parametrize("failures, blocked, vetoed", [
    (6, 0, False),   # 6 / 140 = 4.3 %
    (7, 0, True),    # 7 / 140 = 5.0 %: veto
    (5, 40, True),   # blocked probes are neither up nor down: 5 of the 100 verifiable = 5.0 %
    (4, 40, False),  # 4 / 100
])
def test_availability_veto_at_five_percent_of_a_week(site, failures, blocked, vetoed):
    site.probes = week(failures, blocked)
    result = site.judge()
    assert [f.rule for f in result.findings] == (["GWS-V2"] if vetoed else [])
    if vetoed:
        assert result.findings[0].severity == "veto" and result.sites[0].verdict == "fail"


def test_availability_needs_twenty_probes_every_day(site):
    site.probes = week(per_day=19)
    result = site.judge()
    assert result.findings == ()
    assert [(n.rule, n.reason) for n in result.sites[0].not_tested] == [("GWS-V2", "probes")]
