"""personal_data: no page shows ID numbers (PRIV-01) or mobile numbers (PRIV-02); evidence shows them masked."""
from __future__ import annotations

import json

from tests.builders import BASE, article, found


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


def test_mobile_numbers_alone_are_one_advice_per_page_and_never_the_id_deduction(site):
    site.extra_pages.append(article("zp.html", title="招聘公告", personal_data=[
        {"type": "mobile", "masked": "138****5678", "snippet": "联系人手机138****5678"},
        {"type": "mobile", "masked": "139****0001", "snippet": "…"}]))
    result = site.judge()
    assert found(result) == [("PRIV-02", "advice", f"{BASE}zp.html")]
    assert result.findings[0].message == "「招聘公告」公开了 2 处个人信息（手机号码）"
    assert result.sites[0].score == 100


def test_personal_data_in_an_attached_document_is_found_with_its_page(site):
    site.extra_pages.append({"url": f"{BASE}gs.xls", "status": 200, "title": "2026年第3批行政处罚公示名单",
                             "extra": {"document": {"format": "xls", "pages": 1, "text_layer": True, "unreadable": None,
                                                    "personal": [{"type": "id_number", "masked": "3201**********1234",
                                                                  "snippet": "张某 3201…", "page": 1}]}}})
    result = site.judge()
    assert found(result) == [("PRIV-01", "deduct", f"{BASE}gs.xls")]
    finding = result.findings[0]
    assert "附件「2026年第3批行政处罚公示名单」第 1 页" in finding.message and finding.evidence["items"][0]["page"] == 1
    # near miss: the same list with the number masked by the bureau holds no personal data
    site.extra_pages[-1]["extra"]["document"]["personal"] = []
    assert found(site.judge()) == []


def test_personal_data_read_by_ocr_from_a_scan_says_so(site):
    site.extra_pages.append({"url": f"{BASE}gs.pdf", "status": 200, "title": "行政处罚公示名单",
                             "extra": {"document": {"format": "pdf", "pages": 2, "text_layer": False,
                                                    "scanned_pages": [1, 2], "unreadable": None,
                                                    "ocr": {"max_pages": 20, "min_confidence": 60, "read": [2],
                                                            "pages": [{"page": 1, "confidence": 40},
                                                                      {"page": 2, "confidence": 88}]},
                                                    "personal": [{"type": "id_number", "masked": "110105********002X",
                                                                  "snippet": "张某 110105…", "page": 2}]}}})
    result = site.judge()
    assert found(result) == [("PRIV-01", "deduct", f"{BASE}gs.pdf")]
    f = result.findings[0]
    assert f.message.endswith("（文字识别，置信度 88%）") and f.evidence["items"][0]["ocr_confidence"] == 88
