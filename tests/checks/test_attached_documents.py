"""A 公示 or a 批复 published as an attachment behind a lead page (issue 17): EIA-03a/03b/04 read the 公示期, 受理日期
and 听证告知 the attached notice states, OGI-26/EIA-05 the 成文日期 printed in the page's own attachment, and the
finding names the document, its page and its address. Near misses: a 全本 beside a notice gives no period (the
crawl reads none from a report), a form attached to a page gives it no 成文日期, nor does a date after publication,
and a scan is `scanned`, never a finding."""
from __future__ import annotations

from datetime import date

from reports.labels import evidence_pairs
from tests.builders import ACCEPT, BASE, accept_notice, article, found, not_tested, notice

APPROVAL = "关于青川化工项目环境影响报告书的批复"


def attach(site, page: str, name: str, document: dict, file: str = "gs.pdf"):
    """The crawl read `file` (page.extra["document"], crawler.documents.stored) and `page` links it as `name`."""
    site.extra_pages.append({"url": f"{BASE}{file}", "status": 200, "content_type": "application/pdf", "length": 9000,
                             "extra": {"document": {"format": "pdf", "pages": 2, "text_layer": True,
                                                    "unreadable": None} | document}})
    site.links.append((f"{BASE}{page}", f"{BASE}{file}", name))


def notice_document(**facts) -> dict:
    return {"title": "建设项目环境影响评价文件受理情况公示表", "notice": notice(**facts),
            "page_texts": ["建设项目环境影响评价文件受理情况公示表\n项目名称 受理日期 公示期"]}


def test_the_period_of_an_attached_notice_is_judged_and_named(site):
    accept_notice(site, date(2026, 9, 28))  # the page states nothing: a lead
    attach(site, "sl.html", "受理公示表.pdf", notice_document(period=(date(2026, 9, 28), date(2026, 9, 30)),
                                                             documents=["报告书"]))
    result = site.judge()
    assert found(result, "EIA-03b") == [("EIA-03b", "deduct", f"{BASE}sl.html")]
    f = next(f for f in result.findings if f.rule == "EIA-03b")
    assert f.evidence["attachments"] == [{"name": "受理公示表.pdf", "url": f"{BASE}gs.pdf"}]
    assert f.evidence["how"].startswith("附件") and f.evidence["workdays"] == 3


def test_a_long_enough_attached_period_passes(site):
    accept_notice(site, date(2026, 9, 28))
    attach(site, "sl.html", "受理公示表.pdf", notice_document(period=(date(2026, 9, 28), date(2026, 10, 19)),
                                                             documents=["报告书"]))
    result = site.judge()
    assert found(result, "EIA-03b") == [] and not_tested(result, "EIA-03b") == []


def test_the_page_s_own_period_wins_over_its_attachment(site):
    accept_notice(site, date(2026, 9, 28), days=10, documents=["报告书"])
    attach(site, "sl.html", "受理公示表.pdf", notice_document(period=(date(2026, 9, 28), date(2026, 9, 29))))
    assert found(site.judge(), "EIA-03b") == []


def test_a_report_beside_the_notice_gives_no_period(site):
    """The crawl reads no notice facts from a 全本 (its 公众参与 chapter quotes the builder's own 公示): the lead
    page stays unjudged (`attachment`), not a finding from a period that is not the bureau's."""
    accept_notice(site, date(2026, 9, 28))
    attach(site, "sl.html", "报告书全本.pdf", {"title": "青川化工项目环境影响报告书", "pages": 180,
                                            "page_texts": ["青川化工项目环境影响报告书"]})
    result = site.judge()
    assert found(result, "EIA-03b") == [] and not_tested(result, "EIA-03b") == ["attachment"]


def test_a_scanned_notice_is_not_tested_as_a_scan(site):
    accept_notice(site, date(2026, 9, 28))
    attach(site, "sl.html", "受理公示.pdf", {"text_layer": False, "scanned_pages": [1, 2]})
    result = site.judge()
    assert found(result, "EIA-03b") == [] and not_tested(result, "EIA-03b") == ["scanned"]
    assert not_tested(result, "EIA-03a") == ["scanned"]


def test_the_acceptance_date_of_an_attached_notice_times_the_notice(site):
    accept_notice(site, date(2026, 9, 28))
    attach(site, "sl.html", "受理公示表.pdf", notice_document(accepted=[date(2026, 9, 21)],
                                                             period=(date(2026, 9, 28), date(2026, 10, 19))))
    result = site.judge()
    assert found(result, "EIA-03a") == [("EIA-03a", "deduct", f"{BASE}sl.html")]
    f = next(f for f in result.findings if f.rule == "EIA-03a")
    assert f.evidence["attachments"][0]["url"] == f"{BASE}gs.pdf" and f.evidence["how"].startswith("附件")


APPROVAL_NOTICE = "关于青川化工项目环境影响报告书拟审批的公示"


def test_an_attached_approval_notice_without_the_hearing_notice(site):
    site.extra_pages.append(article("np.html", title=APPROVAL_NOTICE, published=date(2026, 10, 12),
                                    extra={"notice": {}}))
    attach(site, "np.html", "拟审批公示.pdf", notice_document(period=(date(2026, 10, 12), date(2026, 10, 16))))
    result = site.judge()
    hits = [f for f in result.findings if f.rule == "EIA-04"]
    assert [(f.kind, f.url) for f in hits] == [("item-missing", f"{BASE}np.html")]
    assert "页面及附件中未找到听证告知" in hits[0].message and hits[0].evidence["attachments"][0]["name"] == "拟审批公示.pdf"


def test_an_attached_approval_notice_with_the_hearing_notice_passes(site):
    site.extra_pages.append(article("np.html", title=APPROVAL_NOTICE, published=date(2026, 10, 12),
                                    extra={"notice": {}}))
    attach(site, "np.html", "拟审批公示.pdf", notice_document(period=(date(2026, 10, 12), date(2026, 10, 16)),
                                                          hearing=True))
    assert found(site.judge(), "EIA-04") == []


def approval(site, published: date, document: dict, name: str = "批复.pdf"):
    site.extra_pages.append(article("pf.html", title=APPROVAL, published=published))
    attach(site, "pf.html", name, document, file="pf.pdf")


def dated(*lines: tuple[str, str, int]) -> dict:
    return {"dates": [{"label": label, "date": day, "page": page} for label, day, page in lines]}


def test_a_written_date_printed_in_the_page_s_own_attachment_times_it(site):
    approval(site, date(2026, 11, 2), {"title": "江南省生态环境厅", "page_texts": [
        f"江南省生态环境厅\n{APPROVAL[:12]}\n{APPROVAL[12:]}\n江环审〔2026〕12号"]} | dated(("落款", "2026-09-01", 2)))
    result = site.judge()
    assert found(result, "OGI-26") == [("OGI-26", "deduct", f"{BASE}pf.html")]
    f = next(f for f in result.findings if f.rule == "OGI-26")
    assert f.evidence["written"] == "2026-09-01" and "附件「批复.pdf」" in f.message
    assert f.evidence["attachments"] == [{"name": "批复.pdf", "url": f"{BASE}pf.pdf", "page": 2,
                                          "quote": "落款日期：2026年9月1日"}]


def test_the_attached_written_date_label_wins_over_the_closing_line(site):
    approval(site, date(2026, 9, 10), {"title": APPROVAL, "page_texts": [APPROVAL]}
             | dated(("落款", "2026-06-01", 1), ("成文日期", "2026-09-01", 1)))
    result = site.judge()
    assert found(result, "OGI-26") == [] and found(result, "EIA-05") == []  # 7 working days: on time


def test_the_late_approval_of_an_attached_batch_is_eia_05s(site):
    approval(site, date(2026, 9, 14), {"title": APPROVAL, "page_texts": [APPROVAL]} | dated(("落款", "2026-09-01", 1)))
    assert found(site.judge(), "EIA-05") == [("EIA-05", "deduct", f"{BASE}pf.html")]  # 9 working days > 7


def test_a_document_that_is_not_the_page_s_gives_no_written_date(site):
    """A form attached to the page prints a date of its own: not the page's 成文日期."""
    approval(site, date(2026, 11, 2), {"title": "建设项目环境影响评价公众意见表", "page_texts": ["建设项目环境影响评价公众意见表"]}
             | dated(("落款", "2026-06-01", 1)), name="公众意见表.pdf")
    result = site.judge()
    assert found(result, "OGI-26") == [] and found(result, "EIA-05") == []


def test_a_date_after_publication_is_not_the_written_date(site):
    approval(site, date(2026, 9, 1), {"title": APPROVAL, "page_texts": [APPROVAL]} | dated(("落款", "2026-11-02", 1)))
    assert found(site.judge(), "OGI-26") == []


def test_a_scanned_approval_is_never_late(site):
    approval(site, date(2026, 11, 2), {"text_layer": False, "scanned_pages": [1]})
    result = site.judge()
    assert found(result, "OGI-26") == [] and found(result, "EIA-05") == []


def test_reports_name_the_attachment_and_link_its_address():
    pairs = evidence_pairs({"title": ACCEPT, "attachments": [
        {"name": "批复.pdf", "url": f"{BASE}pf.pdf", "page": 2, "quote": "落款日期：2026年9月1日"}]})
    assert pairs[-2:] == [("附件", "“批复.pdf”第 2 页：“落款日期：2026年9月1日”"), ("附件地址", f"{BASE}pf.pdf")]


# --- scans read by OCR (--ocr; crawler.documents.ocr) ------------------------------------------------

def ocr_reading(read: list[int], confidence: int) -> dict:
    return {"text_layer": False, "scanned_pages": [1],
            "ocr": {"max_pages": 20, "min_confidence": 60, "read": read,
                    "pages": [{"page": 1, "confidence": confidence}]}}


def test_a_scan_read_by_ocr_is_judged_and_the_evidence_says_so(site):
    accept_notice(site, date(2026, 9, 28))
    attach(site, "sl.html", "受理公示.pdf", notice_document(period=(date(2026, 9, 28), date(2026, 9, 30)),
                                                          documents=["报告书"]) | ocr_reading([1], 81))
    result = site.judge()
    assert found(result, "EIA-03b") == [("EIA-03b", "deduct", f"{BASE}sl.html")]
    f = next(f for f in result.findings if f.rule == "EIA-03b")
    assert f.evidence["attachments"] == [{"name": "受理公示.pdf", "url": f"{BASE}gs.pdf", "ocr_confidence": 81}]
    assert ("附件", "“受理公示.pdf”（文字识别，置信度 81%）") in evidence_pairs(f.evidence)


def test_a_scan_ocr_read_below_the_threshold_stays_not_tested_with_its_confidence(site):
    accept_notice(site, date(2026, 9, 28))
    attach(site, "sl.html", "受理公示.pdf", ocr_reading([], 41))
    result = site.judge()
    assert found(result, "EIA-03b") == [] and not_tested(result, "EIA-03b") == ["scanned"]
    detail = next(n.detail for n in result.sites[0].not_tested if n.rule == "EIA-03b")
    assert "文字识别置信度 41% 低于 60%" in detail
