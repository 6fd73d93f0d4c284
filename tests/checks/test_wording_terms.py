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
