"""Content facts (written date, meta names, field labels, headings, personal data, wording terms) on
fixture pages written for gkaudit (tests/facts/pages)."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from crawler.facts import extract
from crawler.facts.content import field_labels, headings, normalise_label
from crawler.facts.personal import valid_id

PAGES = Path(__file__).parent / "pages"
AS_OF = date(2024, 12, 31)


def facts(name: str, **kw):
    kw.setdefault("as_of", AS_OF)
    return extract((PAGES / name).read_bytes(), f"http://www.example.gov.cn/a/b/{name}", **kw)

SVC_05 = ["事项名称", "设定依据", "申请条件", "申请材料", "办理机构", "办理地点", "收费标准", "办理时间", "联系电话", "办理流程"]


# --- written (成文日期) -------------------------------------------------------------------------------

def test_gkmlpt_written_date_differs_from_published():
    f = facts("gkmlpt_article.html")
    assert (f.written, f.published) == (date(2024, 2, 28), date(2024, 3, 5))


def test_written_date_forms():
    assert facts("date_forms.html").written == date(2024, 3, 5)  # 成文日期∶二〇二四年三月五日
    assert facts("bracket_label.html").written == date(2024, 2, 27)  # 【成文时间】 2024/2/27
    assert facts("trs_article.html").written is None


def test_written_date_in_a_header_cell_and_never_after_as_of():
    html = ("<html><body><table><tr><th>成文日期</th><td>2026年11月2日</td></tr>"
            "<tr><th>发布日期</th><td>2026年11月9日</td></tr></table></body></html>").encode()
    assert extract(html, "http://x.gov.cn/", as_of=date(2026, 11, 22)).written == date(2026, 11, 2)
    assert extract(html, "http://x.gov.cn/", as_of=date(2026, 11, 1)).written is None


def test_written_prefers_chengwen_over_yinfa():
    html = "<html><body><p>印发日期：2024-01-10</p><p>成文日期：2024-01-08</p></body></html>".encode()
    assert extract(html, "http://x.gov.cn/", as_of=AS_OF).written == date(2024, 1, 8)


# --- meta names ------------------------------------------------------------------------------------

def test_meta_names_on_article_list_and_home_pages():
    assert facts("trs_article.html").meta_names == [
        "SiteName", "SiteIDCode", "ColumnName", "ArticleTitle", "PubDate", "ContentSource"]
    assert facts("trs_list.html").meta_names == ["SiteIDCode", "ColumnName"]
    # lower-case name → canonical; empty ColumnName and non-vocabulary generator left out
    assert facts("home.html").meta_names == ["SiteName", "SiteDomain", "SiteIDCode", "Keywords"]


def test_meta_with_empty_content_is_not_present():
    assert "ContentSource" not in facts("service_guide.html").meta_names


# --- field labels ----------------------------------------------------------------------------------

def test_service_guide_all_ten_elements():
    labels = facts("service_guide.html").field_labels
    assert labels == SVC_05  # key-value table, dt, （1）/2. numbering, 【办理流程】, in order


def test_service_guide_missing_five_elements_footer_not_counted():
    labels = facts("service_guide_incomplete.html").field_labels
    assert labels == ["事项名称", "实施依据", "受理条件", "咨询电话", "是否收费"]  # <th> label cells
    for name in ("办理地点", "办公时间", "办理流程"):  # only in the footer
        assert not any(name in label for label in labels)


def test_ogi_guide_fields_and_not_the_footer_or_addressee():
    labels = facts("ogi_guide.html").field_labels
    assert labels == ["工作机构名称", "办公地址", "办公时间", "联系电话", "传真", "互联网联系方式电子邮箱"]
    assert "主办" not in labels and "地址" not in labels  # footer
    assert "各区生态环境分局" not in labels  # addressee of a notice, not a field


def test_gkmlpt_header_labels():
    assert facts("gkmlpt_article.html").field_labels == ["索引号", "分类", "发布机构", "成文日期", "名称", "文号", "发布日期"]


def test_breadcrumb_is_not_a_label():
    assert "当前位置" not in facts("trs_article.html").field_labels


def test_label_needs_a_value_but_a_label_cell_does_not():
    html = ("<html><body><div class='content'><table><tr><td class='label'>文号：</td><td></td>"
            "<td class='label'>传真：</td><td>0571-1</td></tr></table>"
            "<table><tr><th>事项</th><th>依据</th></tr><tr><td>甲</td><td>乙</td></tr></table></div></body></html>")
    assert extract(html.encode(), "http://x.gov.cn/", as_of=AS_OF).field_labels == ["传真", "事项", "依据"]


@pytest.mark.parametrize("raw,label", [
    ("一、事项名称", "事项名称"), ("（1）办理时间", "办理时间"), ("2.联系电话", "联系电话"), ("①收费标准", "收费标准"),
    ("名 称", "名称"), ("【发布机构】", "发布机构"), ("传真（号码）", "传真号码"),
    ("办理时限（法定时限/承诺时限）", "办理时限"), ("E-mail", "E-mail"),
    ("会议强调", None), ("各有关单位", None), ("http", None), ("关于进一步加强生态环境保护工作", None),
])
def test_normalise_label(raw, label):
    assert normalise_label(raw) == label


def test_labels_are_capped_and_deduplicated():
    text = " ".join(f"标签{chr(0x4e00 + i)}：值" for i in range(150)) + " 标签一：值"
    labels = field_labels(text)
    assert len(labels) == 100 and len(set(labels)) == 100


# --- headings --------------------------------------------------------------------------------------

SIX = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
       "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]


def test_annual_report_six_sections():
    heads = facts("annual_report.html").headings
    assert [h for h in heads if h in SIX] == SIX
    assert heads[0] == "某市生态环境局2023年政府信息公开工作年度报告"  # h1
    assert "（一）主动公开" in heads and "第三章 附则" in heads
    # rows of a data table and a numbering inside a sentence (统一、规范) are not headings
    assert not any(h.startswith(("一、本年", "二、上年", "（一）予以")) for h in heads)
    assert not any("规范" in h for h in heads)


def test_headings_cut_and_capped():
    assert headings("\ue0f2" + "长" * 60 + "\ue0f3") == ["长" * 40]
    assert headings(" 一、" + "长" * 41) == []  # a numbered paragraph of prose, not a heading
    many = " ".join(f"（{n}）标题{i}" for i, n in enumerate(["一", "二", "三"] * 30))
    assert len(headings(many)) == 50


def test_home_heading_drops_more_link():
    assert facts("home.html").headings == ["工作动态"]


# --- personal data ---------------------------------------------------------------------------------

def test_valid_id_and_mobiles_are_reported_masked():
    f = facts("personal_data.html")
    assert [(d["type"], d["masked"]) for d in f.personal_data] == [
        ("id_number", "110101********1233"), ("mobile", "138****5678"), ("mobile", "139****1111")]
    assert "身份证号码：110101********1233" in f.personal_data[0]["snippet"]


def test_personal_data_never_stored_unmasked():
    f = facts("personal_data.html")
    stored = json.dumps(f.personal_data + f.term_hits, ensure_ascii=False)
    for value in ("110101199003071233", "13812345678", "0000-1111", "19900307"):
        assert value not in stored


def test_invalid_checksum_long_digit_runs_and_footer_not_reported():
    f = facts("personal_data.html")
    assert not any(d["masked"].endswith("1234") for d in f.personal_data)  # checksum fails
    assert not any("13800138000" in d["snippet"] or d["masked"] == "138****8000" for d in f.personal_data)
    assert not any(d["masked"] == "139****1234" for d in f.personal_data)  # footer


def test_id_checksum_and_birth_date():
    assert valid_id("110101199003071233") and valid_id("44030420011231008X") and valid_id("44030420011231008x")
    assert not valid_id("110101199003071234")
    assert not valid_id("110101199002301239")  # 30 February
    assert not valid_id("110101203001011234", as_of=date(2024, 1, 1))


def test_personal_data_capped():
    body = ("<html><body><p>" + "，".join(f"手机1381234{i:04d}" for i in range(30)) + "</p></body></html>").encode()
    assert len(extract(body, "http://x.gov.cn/", as_of=AS_OF).personal_data) == 20


# --- wording ---------------------------------------------------------------------------------------

def test_outdated_names_in_content():
    hits = facts("wording.html").term_hits
    assert [(h["term"], h["list"]) for h in hits] == [("环保局", "outdated"), ("环境保护局", "outdated")]
    assert hits[1]["snippet"].endswith("报市环境保护局。")
    # not reported: 《…环境保护厅…》 (a citation), 原环境保护部, 环境保护部门/部署, 生态环境保护局,
    # 生态环境保护综合行政执法


def test_outdated_name_only_in_footer_is_not_reported():
    assert facts("wording_footer.html").term_hits == []


def test_serious_terms_from_a_given_vocabulary():
    from core.wording import Entry
    from crawler.facts import wording

    terms = wording.compile_vocabulary(["环保局"], [Entry("错误职务", "正确职务", "领导人姓名职务", "任职通知")], [])
    body = "<html><body><p>某某错误职务出席会议，市环保局参加。</p></body></html>".encode()
    hits = extract(body, "http://x.gov.cn/", as_of=AS_OF, wording_terms=terms).term_hits
    assert [(h["term"], h["list"]) for h in hits] == [("环保局", "outdated"), ("错误职务", "serious")]
    assert hits[1]["right"] == "正确职务"


# --- nothing else changed --------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["trs_article.html", "gkmlpt_article.html", "trs_list.html", "blank_column.html"])
def test_content_markers_do_not_leak(name):
    f = facts(name)
    blob = json.dumps([f.title, f.column_name, [i.title for i in f.list_items], f.field_labels, f.headings,
                       f.disagreements], ensure_ascii=False)
    assert not any("\ue0f1" <= c <= "\ue0f7" for c in blob)


def test_page_body_is_unchanged_for_other_facts():
    f = facts("trs_article.html")
    assert (f.published, f.site_id_code, f.icp, f.column_name) == (date(2024, 3, 5), "4400000123", "粤ICP备12345678号-2", "工作动态")


def test_former_name_with_a_place_between_is_not_reported():
    from crawler.facts.wording import hits

    assert hits("2019年机构改革后，原东湖区环境保护局的职责划入区生态环境局。") == []
    assert [h["term"] for h in hits("市环境保护局召开会议。")] == ["环境保护局"]


def test_a_place_name_ending_in_yuan_is_not_a_former_name():
    from crawler.facts.wording import hits

    assert [h["term"] for h in hits("太原市环境保护局召开会议。")] == ["环境保护局"]
    assert [h["term"] for h in hits("据平原县环境保护局通报，")] == ["环境保护局"]
    assert hits("职责划入区生态环境局，即原东湖区环境保护局的职责。") == []
