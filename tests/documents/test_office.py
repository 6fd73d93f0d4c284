"""The office readers on documents generated here: what a rule reads from a bureau's XLSX, XLS, DOCX, DOC/WPS and
OFD attachment, and hostile files ending as a Chinese reason instead of a crash or a runaway worker.

XLS: no maintained library writes BIFF8 and LibreOffice is not installed here, so the XLS tests cover what can be
generated (a workbook under the wrong name, a web page saved as .xls, a broken OLE file); the WPS-made XLS of the
dev set is measured by the evaluation, not here. DOC likewise: no generator for Word 97 files.
"""
from __future__ import annotations

import io
import shutil
import zipfile
from datetime import datetime

import docx
import openpyxl
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from crawler.documents import office
from crawler.documents.doc import read_doc
from crawler.documents.docx import read_docx
from crawler.documents.model import Unreadable
from crawler.documents.ofd import read_ofd
from crawler.documents.xls import read_xls
from crawler.documents.xlsx import read_xlsx

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rezip(data: bytes, replace: dict[str, bytes | None]) -> bytes:
    """The package with some members replaced (bytes) or removed (None)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in replace:
                if replace[info.filename] is not None:
                    dst.writestr(info.filename, replace[info.filename])
            else:
                dst.writestr(info.filename, src.read(info))
    return out.getvalue()


def _budget_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "一般公共预算支出表"
    ws["B2"] = "2026年部门一般公共预算支出功能分类预算表"  # A1 and row 1 empty: the title is the first non-empty cell
    ws.append([])
    ws.append(["科目编码", "科目名称", "金额", "类", "款"])
    ws.append([2080505.0, "机关事业单位基本养老保险缴费支出", 47.91, 205, "02"])
    ws.append([None, None, None])  # an empty row: no line
    ws.append(["编制日期", datetime(2026, 1, 20)])
    ws["A8"] = "公开网址"
    ws["B8"].value = "预算公开专栏"
    ws["B8"].hyperlink = "http://czj.example.gov.cn/yusuan/2026.html"
    notes = wb.create_sheet("三公经费说明")
    notes.append(["“三公”经费比上年减少0.15万元，主要原因是压减公务接待。"])
    return _save(wb)


def test_xlsx_sheets_are_pages_with_codes_as_integers():
    doc = read_xlsx(_budget_xlsx())
    assert doc.format == "xlsx" and doc.pages == 2 and not doc.truncated
    assert doc.title == "2026年部门一般公共预算支出功能分类预算表"
    first = doc.page_texts[0].split("\n")
    assert first[0] == "\t2026年部门一般公共预算支出功能分类预算表"
    assert first[2] == "2080505\t机关事业单位基本养老保险缴费支出\t47.91\t205\t02"  # not 2080505.0; 02 keeps its zero
    assert first[3] == "编制日期\t2026-01-20"  # empty rows give no line; a date prints as a date
    assert doc.page_texts[1].startswith("“三公”经费比上年减少0.15万元")
    assert doc.tables[0][2] == ["2080505", "机关事业单位基本养老保险缴费支出", "47.91", "205", "02"]
    assert len(doc.tables) == 2 and len(doc.tables[0]) == 5
    assert doc.links == ["http://czj.example.gov.cn/yusuan/2026.html"]


def test_xlsx_forged_dimension_does_not_pad_every_row():
    wb = openpyxl.Workbook()
    for i in range(300):
        wb.active.append([2080505 + i, "支出"])
    data = _save(wb)
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    forged = sheet.replace(b'<dimension ref="A1:B300"/>', b'<dimension ref="A1:XFD1048576"/>')
    assert forged != sheet
    doc = read_xlsx(_rezip(data, {"xl/worksheets/sheet1.xml": forged}))  # 16,384 columns a row would hit the bound
    assert len(doc.tables[0]) == 300 and doc.tables[0][-1] == ["2080804", "支出"] and not doc.truncated


def test_xlsx_zip_bomb_refused_before_opening_but_a_large_real_sheet_is_read():
    data = _budget_xlsx()
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    padded = sheet.replace(b"<sheetData>", b"<sheetData>" + b" " * (30 * 1024 * 1024))  # 30 MB of blanks ≈ 30 KB packed
    with pytest.raises(Unreadable, match="压缩炸弹"):
        read_xlsx(_rezip(data, {"xl/worksheets/sheet1.xml": padded}))

    wb = openpyxl.Workbook(write_only=True)  # near miss: 5,000 real rows compress well but not like a bomb
    ws = wb.create_sheet("明细")
    for i in range(5000):
        ws.append([2080505 + i, "机关事业单位基本养老保险缴费支出", 12.5])
    doc = read_xlsx(_save(wb))
    assert len(doc.tables[0]) == 5000 and doc.tables[0][-1][0] == "2085504" and not doc.truncated


def test_xlsx_cell_bound_truncates(monkeypatch):
    monkeypatch.setattr(office, "MAX_CELLS", 12)  # rows count their cells and one more
    doc = read_xlsx(_budget_xlsx())
    assert doc.truncated and doc.title == "2026年部门一般公共预算支出功能分类预算表"
    assert "机关事业单位基本养老保险缴费支出" not in doc.text


@pytest.mark.parametrize("data, reason", [
    (b"PK\x03\x04" + b"\x00" * 200, "损坏"),  # a truncated download
    (OLE + b"\x00" * 504, "加密"),  # an encrypted OOXML package is an OLE file
    (b"not a workbook", "损坏"),
])
def test_xlsx_broken_or_encrypted_is_unreadable_with_a_reason(data, reason):
    with pytest.raises(Unreadable, match=reason):
        read_xlsx(data)


def test_xlsx_without_its_sheet_part_is_unreadable():
    with pytest.raises(Unreadable, match="XLSX 文件损坏：声明 2 个工作表，只能读取 1 个"):
        read_xlsx(_rezip(_budget_xlsx(), {"xl/worksheets/sheet1.xml": None}))  # not a workbook of one sheet


def test_xls_name_on_other_formats():
    doc = read_xls(_budget_xlsx())  # a workbook saved as .xlsx but published as .xls is still read
    assert doc.format == "xlsx" and doc.tables[0][2][0] == "2080505"
    with pytest.raises(Unreadable, match="网页"):
        read_xls("<html><body><table><tr><td>姓名</td></tr></table></body></html>".encode())
    with pytest.raises(Unreadable, match="XLS 文件损坏"):
        read_xls(OLE + b"\x00" * 2000)


def _docx() -> bytes:
    d = docx.Document()
    d.add_paragraph("附件1")
    d.add_heading("某某项目环境影响报告书（全本）", level=1)
    p = d.add_paragraph("报告全文见 ")
    rid = d.part.relate_to("http://hbj.example.gov.cn/qb.pdf",
                           "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
                           is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "环评全本"
    run.append(text)
    link.append(run)
    p._p.append(link)
    d.add_heading("一、建设项目概况", level=2)
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "项目名称"
    table.cell(0, 1).text = "某某污水处理厂"
    table.cell(1, 0).text = "建设地点"
    table.cell(1, 1).text = "某某区"
    wps = d.add_paragraph("二、工程分析")  # WPS marks a heading by outline level on a body-text paragraph
    ppr = wps._p.get_or_add_pPr()
    level = OxmlElement("w:outlineLvl")
    level.set(qn("w:val"), "1")
    ppr.append(level)
    d.add_paragraph("三、环境现状调查与评价").runs[0].bold = True  # near miss: bold is not a heading
    deleted = OxmlElement("w:del")
    gone = OxmlElement("w:r")
    gone_text = OxmlElement("w:delText")
    gone_text.text = "已删除的文字"
    gone.append(gone_text)
    deleted.append(gone)
    d.add_paragraph("结论：可行。")._p.append(deleted)
    return _save(d)


def test_docx_paragraphs_and_tables_in_order_with_headings_and_links():
    doc = read_docx(_docx())
    assert doc.format == "docx" and doc.pages == 0 and len(doc.page_texts) == 1
    assert doc.text.split("\n") == [
        "附件1", "某某项目环境影响报告书（全本）", "报告全文见 环评全本", "一、建设项目概况",
        "项目名称\t某某污水处理厂", "建设地点\t某某区", "二、工程分析", "三、环境现状调查与评价", "结论：可行。"]
    assert doc.title == "某某项目环境影响报告书（全本）"  # the attachment mark above it is not the title
    assert doc.headings == ["某某项目环境影响报告书（全本）", "一、建设项目概况", "二、工程分析"]
    assert doc.tables == [[["项目名称", "某某污水处理厂"], ["建设地点", "某某区"]]]
    assert doc.links == ["http://hbj.example.gov.cn/qb.pdf"]


def test_docx_corrupt_is_unreadable():
    data = _docx()
    with pytest.raises(Unreadable, match="DOCX 文件损坏"):
        read_docx(data[: len(data) // 2])
    with pytest.raises(Unreadable, match="DOCX 文件损坏"):
        read_docx(_rezip(data, {"word/document.xml": b"<w:document><w:body><w:p>"}))


def test_doc_without_antiword_or_catdoc(monkeypatch):
    monkeypatch.setenv("PATH", "")
    with pytest.raises(Unreadable, match="^未安装 antiword/catdoc，无法读取 DOC 文件$"):
        read_doc(OLE + b"\x00" * 2000)


def test_doc_name_on_other_formats_and_a_broken_doc():
    assert shutil.which("antiword") and shutil.which("catdoc"), "make install puts antiword and catdoc here"
    doc = read_doc(_docx())  # a DOCX published as .doc
    assert doc.format == "docx" and doc.title == "某某项目环境影响报告书（全本）"
    with pytest.raises(Unreadable, match="RTF"):
        read_doc(rb"{\rtf1\ansi report}")
    with pytest.raises(Unreadable, match="DOC 文件损坏"):
        read_doc(OLE + b"\x00" * 2000)  # both tools run and fail: a reason, not an exception or plain bytes


NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'


def _text(x, y, size, text, obj_id) -> str:
    return (f'<ofd:TextObject ID="{obj_id}" Boundary="{x} {y} 160 {size * 1.3}" Font="1" Size="{size}">'
            f'<ofd:TextCode X="0" Y="{size}" DeltaX="g {len(text) - 1} {size}">{text}</ofd:TextCode></ofd:TextObject>')


def _page(*objects, template=None) -> str:
    ref = f'<ofd:Template TemplateID="{template}" ZOrder="Background"/>' if template else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {NS}>{ref}<ofd:Content><ofd:Layer ID="9">'
            + "".join(objects) + "</ofd:Layer></ofd:Content></ofd:Page>")


def _ofd(drop: str | None = None, page2_template: str = "3") -> bytes:
    parts = {
        "OFD.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {NS} DocType="OFD" Version="1.1"><ofd:DocBody>'
                   "<ofd:DocInfo><ofd:Title>某某市人民政府</ofd:Title><ofd:Creator>Suwell OFD convertor</ofd:Creator>"
                   "</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        "Doc_0/Document.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {NS}><ofd:CommonData>'
                              '<ofd:TemplatePage ID="3" BaseLoc="Tpls/Tpl_0/Content.xml"/></ofd:CommonData>'
                              '<ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/>'
                              '<ofd:Page ID="2" BaseLoc="/Doc_0/Pages/Page_1/Content.xml"/></ofd:Pages></ofd:Document>',
        # written out of reading order, as producers do: body first, then the title, then the issuer's mark
        "Doc_0/Pages/Page_0/Content.xml": _page(
            _text(25, 80, 5.6, "南货场铁路涵洞下穿建设方案", 10), _text(25, 90, 5.6, "2023年7月12日", 11),
            _text(40, 55, 7.7, "关于加快南货场铁路涵洞", 12), _text(40, 64, 7.7, "下穿建设的函", 13),
            _text(30, 25, 12, "某某市自然资源局文件", 14)),
        "Doc_0/Pages/Page_1/Content.xml": _page(_text(60, 40, 5.6, "测试数据甲", 20),
                                                template=page2_template),
        "Doc_0/Tpls/Tpl_0/Content.xml": _page(_text(25, 40, 5.6, "当事人：", 30)),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in parts.items():
            if name != drop:
                z.writestr(name, xml.encode())
    return out.getvalue()


def test_ofd_pages_in_reading_order_with_templates_title_and_producer():
    doc = read_ofd(_ofd())
    assert doc.format == "ofd" and doc.pages == 2 and len(doc.page_texts) == 2
    assert doc.page_texts[0].split("\n") == [
        "某某市自然资源局文件", "关于加快南货场铁路涵洞", "下穿建设的函", "南货场铁路涵洞下穿建设方案", "2023年7月12日"]
    assert doc.title == "关于加快南货场铁路涵洞下穿建设的函"  # not the metadata title, not the issuer's mark
    assert doc.producer == "Suwell OFD convertor"
    assert doc.page_texts[1] == "当事人： 测试数据甲"  # the referenced template's label, on the value's line


def test_ofd_template_not_referenced_is_not_read():
    assert read_ofd(_ofd(page2_template="")).page_texts[1] == "测试数据甲"


def test_ofd_missing_page_content_is_unreadable():
    with pytest.raises(Unreadable, match="缺少第 2 页的内容"):
        read_ofd(_ofd(drop="Doc_0/Pages/Page_1/Content.xml"))
    with pytest.raises(Unreadable, match="缺少 OFD.xml"):
        read_ofd(_ofd(drop="OFD.xml"))


def test_ofd_private_use_text_is_unreadable():
    page = _page(_text(25, 80, 5.6, "\ue001\ue002\ue003x", 1)).encode()
    data = _rezip(_ofd(), {"Doc_0/Pages/Page_0/Content.xml": page})
    with pytest.raises(Unreadable, match="私有区字符"):
        read_ofd(data)
