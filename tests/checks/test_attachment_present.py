"""attachment_present: each selected page links a document that downloads (EIA-02: the 全本 of an 环评 受理公示)."""
from __future__ import annotations

from tests.builders import ACCEPT, BASE, article, found


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
