"""attachment_present: each selected page links a document that downloads (EIA-02: the 全本 of an 环评 受理公示)."""
from __future__ import annotations

from tests.builders import ACCEPT, BASE, article, found, reasons


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


CHAPTERS = "1 总论\n2 工程分析\n3 环境现状调查与评价\n4 环境影响预测与评价\n5 环境保护措施及其可行性论证\n6 评价结论"


def _read_full_text(site, pages: int, text: str, **more):
    """The 受理公示 links its 全本, which the crawl downloaded and read (page.extra["document"])."""
    site.extra_pages += [article("sl.html", title=ACCEPT),
                         {"url": f"{BASE}qb.pdf", "status": 200, "content_type": "application/pdf",
                          "extra": {"document": {"format": "pdf", "pages": pages, "text_layer": True, "unreadable": None,
                                                 "page_texts": [text]} | more}}]
    site.links.append((f"{BASE}sl.html", f"{BASE}qb.pdf", "报告书全本.pdf"))


def test_a_full_report_with_its_chapters_passes(site):
    _read_full_text(site, 126, CHAPTERS)
    assert found(site.judge(), "EIA-02") == []


def test_a_short_extract_is_not_the_full_report(site):
    _read_full_text(site, 6, "1 总论\n2 工程分析\n公众意见反馈方式")  # a 简本: few pages, four chapters absent
    result = site.judge()
    assert found(result, "EIA-02") == [("EIA-02", "deduct", f"{BASE}sl.html")]
    finding = next(f for f in result.findings if f.rule == "EIA-02")
    assert "报告书全本.pdf" in finding.message and "共 6 页" in finding.message and finding.points == 1
    assert finding.evidence["missing"] == ["环境现状调查与评价", "环境影响预测与评价", "环境保护措施", "结论"]


def test_a_scanned_full_text_cannot_show_its_chapters(site):
    _read_full_text(site, 80, "", text_layer=False)
    result = site.judge()
    assert found(result, "EIA-02") == [] and ("EIA-02", "scanned") in reasons(result)
