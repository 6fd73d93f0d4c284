"""整改通知 DOCX re-read with python-docx: layout, CJK font, the table, the closing line."""

from __future__ import annotations

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from reports import write_outputs

from .sample import FINDINGS, load_snapshots, make_result

NOTICE_COLUMNS = ["序号", "问题类型", "问题描述", "问题页面", "整改要求", "整改时限"]


def load(out, site):
    return docx.Document(str(out / site / "整改通知.docx"))


def body_text(doc) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def test_a4_landscape_with_cjk_font(written):
    out, _ = written
    doc = load(out, "sthjt-trs")
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert round(section.page_width.mm) == 297 and round(section.page_height.mm) == 210
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "宋体"
    # every run that carries text names its East Asian font, so WPS/Word never substitute one
    runs = [r for p in doc.paragraphs for r in p.runs if r.text] + [
        r for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs if r.text]
    assert runs and all(r._element.rPr.rFonts.get(qn("w:eastAsia")) in ("宋体", "黑体") for r in runs)
    assert doc.paragraphs[0].runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"  # the title


def test_notice_text_names_recipient_date_verdict_and_score(written):
    out, _ = written
    doc = load(out, "sthjt-trs")
    paras = [p.text for p in doc.paragraphs]
    assert paras[0] == "政府网站检测问题整改通知"
    assert paras[1] == "江南省生态环境厅："
    text = body_text(doc)
    assert "评估基准日 2026年11月20日" in text and "“不合格”" in text and "得分 58 分" in text
    assert "单项否决问题 1 项、扣分问题 4 项、提示问题 1 项" in text
    assert "另有 1 项已豁免" in text and "较上次检测已整改 2 项" in text
    assert "空白栏目（GWS-V4a）：robots.txt 禁止抓取（robots.txt 禁止抓取 /xxgk/）" in text
    assert "白名单" in text  # a site the crawler could not get into is told what to let through
    closing = next(p for p in paras if p.startswith("请你单位"))
    assert "最迟于 2026年12月20日 前" in closing and "报送江南省政府办公厅" in closing
    assert paras[-2:] == ["江南省政府办公厅", "2026年11月20日"]
    assert doc.core_properties.author == "gkaudit"


def test_table_lists_findings_to_fix_with_list_numbers(written):
    out, _ = written
    (table,) = load(out, "sthjt-trs").tables
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == NOTICE_COLUMNS
    header_flag = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
    assert header_flag is not None  # header repeats on every page
    mine = [f for f in FINDINGS if f.site == "sthjt-trs" and f.status != "waived"]
    assert len(rows) - 1 == len(mine)
    assert [r[0] for r in rows[1:]] == ["1", "2", "4", "5", "6", "7"]  # 3 is the waived one: numbers match the list
    first = rows[1]
    assert first[1] == "空白栏目\n（单项否决）" and first[2] == "栏目“重大项目”为空白栏目"
    assert first[3] == "http://127.0.0.2:8808/zdxm/" and first[4] == "请整改：空白栏目" and first[5] == "2026年11月27日"
    dead = next(r for r in rows if "missing.html" in r[3])
    assert dead[3].endswith("父页面：http://127.0.0.2:8808/") and "扣 1 分" in dead[1]
    assert any("<script>alert(1)</script>" in r[2] for r in rows)  # page text stays plain text
    assert "页脚缺少公安机关备案标识" not in "".join(c for r in rows for c in r)  # waived: not asked to fix


@pytest.mark.parametrize("site, phrase", [("hbj-county", "未能完成检测"), ("hbj-city", "“合格”")])
def test_other_sites(written, site, phrase):
    out, _ = written
    doc = load(out, site)
    text = body_text(doc)
    assert phrase in text
    if site == "hbj-county":
        assert not doc.tables and "整站：被反爬虫拦截（首页返回 521 加速乐验证页）" in text
        assert doc.paragraphs[-2].text == ""  # no 主管单位 to sign
    else:
        assert len(doc.tables[0].rows) == 1 + sum(f.site == site for f in FINDINGS)
        assert "报送检测单位" in text  # no 主管单位 named in the sites file


def test_clean_site_gets_a_notice_without_table(tmp_path):
    clean = make_result(findings=[f for f in FINDINGS if f.site != "hbj-city"])
    write_outputs(tmp_path, clean, load_snapshots)
    doc = load(tmp_path, "hbj-city")
    assert not doc.tables and "未发现需要整改的问题" in body_text(doc)
