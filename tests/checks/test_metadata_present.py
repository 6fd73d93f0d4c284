"""metadata_present: the 网页设计规范 <meta> tags of each page kind (GUIDE-04)."""
from __future__ import annotations

from tests.builders import BASE, article, found


def test_metadata_missing_is_one_advice_per_page_kind_and_tag(site):
    site.extra_pages += [article("a1.html"), article("a2.html", meta_names=["ArticleTitle"]),
                         article("a3.html", meta_names=["ArticleTitle", "ContentSource"])]
    result = site.judge()
    rows = sorted((f.rule, f.severity, f.evidence["meta"], f.evidence["pages_lacking"])
                  for f in result.findings)
    assert rows == [("GUIDE-04", "advice", "ContentSource", 1, ), ("GUIDE-04", "advice", "PubDate", 2)]
    assert result.sites[0].score == 100  # advice costs nothing


def test_pages_carrying_their_kinds_tags_pass_and_documents_need_none(site):
    """Tags in any order pass; a PDF (not an HTML page) carries no <meta> and is not counted."""
    site.extra_pages += [article("a1.html"), article("a2.html", meta_names=["PubDate", "ContentSource", "ArticleTitle"]),
                         {"url": f"{BASE}doc.pdf", "status": 200, "content_type": "application/pdf", "length": 9000}]
    result = site.judge()
    assert found(result) == []
