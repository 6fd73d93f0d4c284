"""`gkaudit inspect FILE --json/--text` on a document, through the real command; pages stay as they were."""
from __future__ import annotations

import json

from reportlab.lib.pdfencrypt import StandardEncryption

from tests.conftest import gkaudit
from tests.documents.pdfs import make_pdf

KEYS = {"format", "pages", "text_layer", "title", "producer", "scanned_pages", "links", "unreadable"}


def test_inspect_pdf_json_and_text(tmp_path):
    path = tmp_path / "download"  # no extension, as many 附件 URLs: the bytes say PDF
    path.write_bytes(make_pdf([[(72, 790, "某某县财政局2024年部门预算"), (72, 770, "合计 123.45 万元")], [], [(72, 790, "第三页")]],
                              producer="WPS 文字", images={1}, links=[(2, "https://www.example.gov.cn/a.html")]))
    result = gkaudit("inspect", path, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert KEYS <= set(data)
    assert data["format"] == "pdf" and data["pages"] == 3 and data["text_layer"] is True
    assert data["title"] == "某某县财政局2024年部门预算" and data["producer"] == "WPS 文字"
    assert data["scanned_pages"] == [2] and data["links"] == ["https://www.example.gov.cn/a.html"]
    assert data["unreadable"] is None

    text = gkaudit("inspect", path, "--text")
    assert text.returncode == 0, text.stderr
    assert text.stdout == "某某县财政局2024年部门预算\n合计 123.45 万元\f\f第三页\n"


def test_inspect_unreadable_pdf_says_why(tmp_path):
    path = tmp_path / "budget.pdf"
    path.write_bytes(make_pdf([[(72, 790, "加密")]], encrypt=StandardEncryption("user", "owner")))
    result = gkaudit("inspect", path, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["unreadable"] == "文档已加密，无法读取" and data["pages"] == 0


def test_inspect_page_is_unchanged(tmp_path):
    # near miss: an HTML page (even one saved under a .pdf name) is inspected as a page
    path = tmp_path / "budget.pdf"
    path.write_text("<html><head><title>部门预算</title></head><body><p>附件</p></body></html>", encoding="utf-8")
    data = json.loads(gkaudit("inspect", path, "--json").stdout)
    assert data["title"] == "部门预算" and "url" in data and "format" not in data
    refused = gkaudit("inspect", path, "--text")
    assert refused.returncode == 2 and "不是文档" in refused.stderr
