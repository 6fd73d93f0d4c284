"""wording_terms: no content uses listed terms after a given date (WORD-01 institution names replaced in the 2018
reform)."""
from __future__ import annotations

from datetime import date

from tests.builders import BASE, article, found


def test_outdated_names_only_in_content_dated_after_the_rename(site):
    hit = [{"term": "环境保护局", "list": "outdated", "snippet": "市环境保护局召开会议"}]
    site.extra_pages += [article("o1.html", published=date(2018, 6, 1), term_hits=hit),
                         article("o2.html", published=date(2026, 5, 1), term_hits=hit)]
    result = site.judge()
    assert found(result) == [("WORD-01", "deduct", f"{BASE}o2.html")]


def test_serious_errors_whatever_the_date_and_undated_pages_never_outdated(site):
    """WORD-02 has no date: a serious error on an undated page is a veto; an outdated name there proves nothing."""
    site.extra_pages += [
        article("s1.html", title="领导简介", term_hits=[{"term": "付局长", "list": "serious", "snippet": "付局长主持"}]),
        article("o3.html", title="机构简介", term_hits=[{"term": "环境保护局", "list": "outdated", "snippet": "…"}]),
    ]
    result = site.judge()
    assert found(result) == [("WORD-02", "veto", f"{BASE}s1.html")]
    assert "使用了「付局长」" in result.findings[0].message and result.sites[0].verdict == "fail"


def _serious(term, right, category="国名/机构名称", **more):
    return {"term": term, "list": "serious", "right": right, "category": category, "source": "《中华人民共和国宪法》",
            "snippet": f"…{term}…"} | more


def test_one_veto_per_page_and_wrong_form_with_the_correct_form_and_source(site):
    site.extra_pages.append(article("w.html", title="工作动态", published=date(2026, 5, 1), term_hits=[
        _serious("中华人名共和国", "中华人民共和国"), _serious("宁夏自治区", "宁夏回族自治区", "行政区划")]))
    result = site.judge()
    assert found(result, "WORD-02") == [("WORD-02", "veto", f"{BASE}w.html")] * 2
    first = next(f for f in result.findings if f.evidence["term"] == "中华人名共和国")
    assert first.evidence["right"] == "中华人民共和国" and first.evidence["source"] == "《中华人民共和国宪法》"
    assert "应为「中华人民共和国」" in first.message
    assert len({f.id for f in result.findings if f.rule == "WORD-02"}) == 2  # two problems, two fingerprints


def test_a_leaders_wrong_title_counts_only_on_pages_published_since_the_appointment(site):
    """副厅长张三 was right until 张三 became 厅长 on 2026-03-01; an undated page proves nothing either."""
    hit = _serious("副厅长张三", "厅长张三", "领导人姓名职务", since="2026-03-01")
    site.extra_pages += [article("l1.html", published=date(2026, 2, 27), term_hits=[hit]),
                         article("l2.html", term_hits=[hit]),
                         article("l3.html", published=date(2026, 3, 1), term_hits=[hit])]
    assert found(site.judge(), "WORD-02") == [("WORD-02", "veto", f"{BASE}l3.html")]


def test_a_renamed_place_counts_only_in_content_published_after_the_change_and_its_grace(site):
    """WORD-03 (advice): 襄樊市 became 襄阳市 on 2010-12-09; the rule allows 180 days in which both names are used."""
    hit = [{"term": "襄樊市", "list": "renamed", "right": "襄阳市", "category": "已变更的行政区划名称",
            "source": "国务院批复", "since": "2010-12-09", "snippet": "襄樊市生态环境局召开会议"}]
    site.extra_pages += [article("r1.html", published=date(2009, 5, 1), term_hits=hit),   # before: right
                         article("r2.html", published=date(2011, 3, 1), term_hits=hit),   # within the grace
                         article("r3.html", term_hits=hit),                               # undated: never judged
                         article("r4.html", published=date(2026, 5, 1), term_hits=hit)]
    result = site.judge()
    assert found(result) == [("WORD-03", "advice", f"{BASE}r4.html")]
    f = result.findings[0]
    assert f.evidence["right"] == "襄阳市" and "应为「襄阳市」" in f.message and result.sites[0].verdict == "pass"
