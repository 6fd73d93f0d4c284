"""Page-fact extraction on fixture pages written for gkaudit (tests/facts/pages)."""
from __future__ import annotations

import codecs
from datetime import date
from pathlib import Path

import pytest

from core.columns import classify_column, column_label
from crawler.facts import Link, ListItem, decode, extract

PAGES = Path(__file__).parent / "pages"
AS_OF = date(2024, 12, 31)


def page(name: str, encoding: str = "utf-8") -> bytes:
    """A fixture page as the server would send it (non-UTF-8 pages are re-encoded here)."""
    text = (PAGES / name).read_text(encoding="utf-8")
    if encoding == "utf-16-bom":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    return text.encode(encoding)


def facts(name: str, url: str | None = None, encoding: str = "utf-8", **kw):
    kw.setdefault("as_of", AS_OF)
    return extract(page(name, encoding), url or f"http://www.example.gov.cn/a/b/{name}", **kw)


# --- decoding -------------------------------------------------------------------------------------

def test_gbk_without_any_charset_is_gb18030():
    f = facts("encoding_gbk.html", encoding="gbk")
    assert (f.encoding, f.title, f.published) == ("gb18030", "环境质量月报", date(2024, 3, 5))


def test_gbk_page_whose_meta_says_utf8():
    f = facts("encoding_gbk_meta_utf8.html", encoding="gbk")
    assert (f.encoding, f.title) == ("gb18030", "环境质量月报")


def test_utf16_bom_beats_meta_gb2312():
    text, enc = decode(page("encoding_utf16_meta_gb2312.html", "utf-16-bom"))
    assert enc == "utf-16" and "湘江流域水质持续改善" in text
    f = facts("encoding_utf16_meta_gb2312.html", encoding="utf-16-bom")
    assert (f.encoding, f.title, f.published, f.published_source) == ("utf-16", "部门动态", date(2024, 9, 30), "text:发布时间")


def test_utf8_page_whose_meta_says_gbk():
    f = facts("encoding_utf8_meta_gbk.html")
    assert (f.encoding, f.title) == ("utf-8", "政策解读")


def test_header_charset_and_gb2312_alias():
    body = "<p>生态环境</p>".encode("gbk")
    assert decode(body, "text/html; charset=GB2312") == ("<p>生态环境</p>", "gb18030")
    assert decode(body, "text/html; charset=ISO-8859-1") == ("<p>生态环境</p>", "gb18030")  # server default ignored


# --- dates ----------------------------------------------------------------------------------------

DATE_NOTE = "元数据 PubDate 2024-03-05 与页面显示的发布时间 2024-03-06 不一致"


def test_meta_pubdate_wins_over_text_and_the_contradiction_is_reported():
    f = facts("trs_article.html")
    assert (f.published, f.published_source) == (date(2024, 3, 5), "meta:PubDate")
    assert DATE_NOTE in f.disagreements


def test_meta_pubdate_agreeing_with_text_gives_no_note():
    body = page("trs_article.html").replace("2024-03-06 09:00".encode(), "2024-03-05 10:30".encode())
    assert extract(body, "http://x.gov.cn/", as_of=AS_OF).disagreements == []


def test_gkmlpt_header_prefers_publish_over_written_date():
    f = facts("gkmlpt_article.html")
    assert (f.published, f.published_source) == (date(2024, 3, 5), "text:发布日期")


def test_full_width_and_chinese_numeral_dates():
    f = facts("date_forms.html")
    assert (f.published, f.published_source) == (date(2024, 3, 6), "text:发布日期")
    # without the 发布日期 line, the Chinese-numeral 成文日期 is read
    body = page("date_forms.html").replace("发布日期：２０２４年３月６日".encode(), b"")
    f = extract(body, "http://x.gov.cn/a.html", as_of=AS_OF)
    assert (f.published, f.published_source) == (date(2024, 3, 5), "text:成文日期")


def test_traps_give_no_date():
    """Year in the title, a visit counter, a copyright range, dates after as_of: none is a publish date."""
    f = facts("traps.html")
    assert (f.published, f.published_source) == (None, None)


def test_future_date_is_not_published_but_becomes_valid_later():
    f = facts("traps.html", as_of=date(2031, 6, 1))
    assert (f.published, f.published_source) == (date(2031, 1, 1), "text:发布时间")


def test_event_dates_are_not_publish_dates():
    f = facts("event.html")
    assert f.published is None


def test_unlabelled_date_under_the_headline():
    f = facts("header_date.html")
    assert (f.published, f.published_source) == (date(2016, 8, 11), "text:header")


def test_bracketed_labels_and_slash_dates():
    """[发布日期] 2024/3/5 in its own span; the 成文时间 and a date in the prose do not win."""
    f = facts("bracket_label.html")
    assert (f.published, f.published_source) == (date(2024, 3, 5), "text:发布日期")
    body = page("bracket_label.html").replace("[发布日期]".encode(), "发布：".encode())
    f = extract(body, "http://x.gov.cn/a.html", as_of=AS_OF)
    assert (f.published, f.published_source) == (date(2024, 3, 5), "text:发布")
    # a bare 发布 that ends another word (信息发布：) is not a label; the 成文时间 is read instead
    body = page("bracket_label.html").replace("[发布日期]".encode(), "信息发布：".encode())
    f = extract(body, "http://x.gov.cn/a.html", as_of=AS_OF)
    assert (f.published, f.published_source) == (date(2024, 2, 27), "text:成文时间")


@pytest.mark.parametrize("year", ["二O二四", "二〇二四", "二○二四", "二零二四", "二0二四", "２０２４"])
def test_chinese_numeral_years_as_typed(year):
    """发布于 二O二四年三月五日: 〇 typed as O, ○, 零 or 0; full-width digits."""
    body = page("numeral_variants.html").replace("二O二四".encode(), year.encode())
    if year == "２０２４":
        body = body.replace("三月五日".encode(), "３月５日".encode())
    f = extract(body, "http://x.gov.cn/a.html", as_of=AS_OF)
    assert (f.published, f.published_source) == (date(2024, 3, 5), "text:发布于")


def test_source_block_when_the_headline_is_not_in_the_title():
    """<title> is only the site name, so the headline is unknown; the date beside 来源 is the header's."""
    f = facts("source_block.html")
    assert (f.published, f.published_source) == (date(2024, 3, 5), "text:来源")
    # the date after the source name, in full-width digits
    body = page("source_block.html").replace(
        "<span>2024-03-05 10:00</span>　<span>来源：市生态环境局</span>".encode(),
        "<span>来源：市生态环境局　２０２４－０３－０５</span>".encode())
    f = extract(body, "http://x.gov.cn/a.html", as_of=AS_OF)
    assert (f.published, f.published_source) == (date(2024, 3, 5), "text:来源")
    # without it, the 2023年12月1日 of the prose is not taken
    body = page("source_block.html").replace("<span>2024-03-05 10:00</span>".encode(), b"")
    assert extract(body, "http://x.gov.cn/a.html", as_of=AS_OF).published is None


def test_a_date_in_the_first_sentence_is_not_the_header_date():
    """为贯彻落实2024年1月10日召开的…: prose under the headline; the TRS URL date is used instead."""
    f = facts("header_prose.html", url="http://www.example.gov.cn/xxdt/gzdt/202403/t20240305_1.html")
    assert (f.published, f.published_source) == (date(2024, 3, 5), "url:trs")
    assert facts("header_prose.html").published is None


def test_visible_header_date_beats_the_url_date():
    """A URL date can differ from the document date: the date shown under the headline comes first."""
    f = facts("header_date.html", url="http://www.example.gov.cn/zwgk/201608/t20160810_1.html")
    assert (f.published, f.published_source) == (date(2016, 8, 11), "text:header")


def test_list_pages_take_no_header_date():
    """On a list page the first date under the heading is an item's date (newest_item_date says more)."""
    f = facts("trs_list.html", url="http://sthj.example.gov.cn/xxgk/tzgg/index.html")
    assert f.is_list and (f.published, f.published_source) == (None, None)


def test_url_dates():
    f = facts("hanweb_article.html", url="http://sthjj.example.gov.cn/art/2024/3/5/art_1234_5002.html")
    assert (f.published, f.published_source) == (date(2024, 3, 5), "url:hanweb")
    body = b"<html><body><p>\xe6\xad\xa3\xe6\x96\x87</p></body></html>"
    f = extract(body, "http://www.example.gov.cn/zwgk/202403/t20240305_1234567.html", as_of=AS_OF)
    assert (f.published, f.published_source) == (date(2024, 3, 5), "url:trs")


# --- identifiers ----------------------------------------------------------------------------------

def test_trs_footer_identifiers():
    f = facts("trs_article.html")
    assert f.site_id_code == "4400000123"
    assert f.icp == "粤ICP备12345678号-2"  # spaces in the source
    assert f.police_record == "44010602000001"
    assert f.jiucuo_sitecode == "4400000123"
    assert f.conac is True
    assert f.disagreements == [DATE_NOTE]  # no identifier disagreement; the date one is tested below


def test_footer_variants_and_mismatching_jiucuo():
    f = facts("footer_variants.html")
    assert (f.site_id_code, f.icp, f.police_record, f.jiucuo_sitecode, f.conac) == (
        "bm17000009", "京ICP备05007181号", "11010202000123", "1234567890", True)
    assert f.disagreements == ["找错 sitecode 1234567890 与网站标识码 bm17000009 不一致"]


def test_meta_and_footer_codes_disagree():
    body = page("trs_article.html").replace("政府网站标识码：4400000123".encode(), "政府网站标识码：4400000999".encode())
    f = extract(body, "http://x.gov.cn/", as_of=AS_OF)
    assert f.site_id_code == "4400000123"
    assert f.disagreements == ["元数据 SiteIDCode 4400000123 与页脚网站标识码 4400000999 不一致", DATE_NOTE]


def test_police_record_from_link_only_and_unquoted_jiucuo():
    body = ('<html><body><a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=23042202000005">'
            '<img src="ga.png"></a><script id="_jiucuo_" sitecode=2304220006 src=jiucuo.js></script></body></html>')
    f = extract(body.encode(), "http://x.gov.cn/", as_of=AS_OF)
    assert (f.police_record, f.jiucuo_sitecode, f.conac) == ("23042202000005", "2304220006", False)


def test_incomplete_icp_is_reported_not_extracted():
    f = extract("<p>鄂ICP备05009168 </p>".encode(), "http://x.gov.cn/", as_of=AS_OF)
    assert f.icp is None and f.disagreements == ["ICP备案号格式不完整：鄂ICP备05009168"]


# --- links ----------------------------------------------------------------------------------------

def test_links_are_absolute_typed_and_filtered():
    f = facts("trs_article.html")
    got = {(l.tag, l.url, l.fragment) for l in f.links}
    assert ("link", "http://www.example.gov.cn/css/style.css", None) in got
    assert ("script", "http://www.example.gov.cn/js/jquery.js", None) in got
    assert ("img", "http://www.example.gov.cn/a/b/W020240305123.jpg", None) in got
    assert ("a", "http://www.example.gov.cn/a/b/P020240305123456.pdf", "page=2") in got
    assert ("iframe", "https://video.example.gov.cn/player?id=1", None) in got
    assert ("object", "http://www.example.gov.cn/flash/intro.swf", None) in got
    assert ("embed", "http://www.example.gov.cn/media/intro.mp4", None) in got
    assert ("area", "http://www.example.gov.cn/map/a.html", None) in got
    assert not [l for l in f.links if l.url.startswith(("javascript", "mailto", "tel")) or "#" in l.url]
    assert Link(url="http://www.example.gov.cn/a/b/W020240305123.jpg", tag="img", text="会议现场") in f.links
    assert ("a", f.url, "main") in got  # a same-page #fragment link is a link of the page itself (LINK-FRAGMENT)
    assert len(f.links) == f.contract()["links"] == 17


def test_base_href_is_respected():
    f = facts("hanweb_article.html", url="http://sthjj.example.gov.cn/art/2024/3/5/art_1234_5002.html")
    assert [(l.url, l.text) for l in f.links] == [
        ("http://sthjj.example.gov.cn/col/col1234/index.html", "返回列表"),
        ("http://sthjj.example.gov.cn/col/col1235/index.html", "上级栏目"),
    ]


# --- lists and columns ----------------------------------------------------------------------------

def test_trs_list_items_and_pagination():
    f = facts("trs_list.html", url="http://sthj.example.gov.cn/xxgk/tzgg/index.html")
    base = "http://sthj.example.gov.cn/xxgk/tzgg/"
    assert (f.is_list, f.column_name, f.column_type) == (True, "通知公告", "notices")
    assert f.list_items == [
        ListItem("关于开展2024年春季大气污染防治专项行动的通知", base + "202403/t20240305_101.html", date(2024, 3, 5), "text"),
        ListItem("关于2024年3月5日召开座谈会的通知", base + "202402/t20240220_100.html", date(2024, 2, 20), "text"),
        ListItem("某市2023年环境质量公报", base + "202401/t20240110_99.html", date(2024, 1, 10), "text"),
        ListItem("关于征求意见的公告", base + "202312/t20231201_98.html", date(2023, 12, 1), "url:trs"),
        ListItem("没有日期的旧公告", base + "other/notice.html", None, None),
    ]
    assert f.newest_item_date == date(2024, 3, 5)
    assert [l.url for l in f.links if l.tag == "pagination"] == [f"{base}index_{i}.html" for i in range(1, 5)]


def test_hanweb_datastore_list():
    f = facts("hanweb_list.html", url="http://sthjj.example.gov.cn/col/col1234/index.html")
    art = "http://sthjj.example.gov.cn/art/"
    assert (f.is_list, f.column_name, f.column_type) == (True, "公示公告", "notices")
    assert f.list_items == [
        ListItem("关于某项目环评受理情况的公示", art + "2024/3/5/art_1234_5001.html", date(2024, 3, 5), "text"),
        ListItem("关于某项目验收的公示", art + "2024/2/28/art_1234_5000.html", date(2024, 2, 28), "text"),
        ListItem("年度工作总结", art + "2024/1/9/art_1234_4999.html", date(2024, 1, 9), "url:hanweb"),
    ]
    assert [l.url for l in f.links if l.tag == "datastore"] == [i.url for i in f.list_items]


def test_blank_column():
    f = facts("blank_column.html")
    assert (f.is_list, f.list_items, f.column_name, f.column_type) == (True, [], "政策解读", "policy_interpretation")


def test_articles_are_not_lists():
    for name in ("trs_article.html", "gkmlpt_article.html", "header_date.html", "hanweb_article.html"):
        assert facts(name).is_list is False, name


def test_breadcrumb_column():
    assert facts("header_date.html").column_name == "州市动态"
    f = facts("hanweb_article.html")
    assert (f.column_name, f.column_type) == ("部门动态", "work_news")


@pytest.mark.parametrize("name,key", [
    ("工作动态", "work_news"), ("部门 动态", "work_news"), ("要闻", "work_news"), ("生态环境厅工作动态", "work_news"),
    ("公示公告", "notices"), ("通知", "notices"), ("规范性文件", "policy_docs"), ("政策解读", "policy_interpretation"),
    ("政务公开", "ogi"), ("信息公开指南", "ogi_guide"), ("政府信息公开制度", "ogi_rules"),
    ("政府信息公开工作年度报告", "ogi_annual_report"), ("法定主动公开内容", "ogi_statutory"), ("走进生态环境厅", "overview"),
    ("机构职能", "functions"), ("领导之窗", "leaders"), ("厅长信箱", "interaction"), ("网上办事", "services"),
    ("部门预决算", "budget"), ("建设项目环评", "eia"), ("【通知公告】", "notices"),
])
def test_classify_column_synonyms(name, key):
    assert classify_column(name) == key


@pytest.mark.parametrize("headline", [
    "省生态环境厅召开生态环境动态监测工作会议", "关于公布2024年政策解读工作要点的通知", "某市生态环境局通知", "动态", "", None,
    "全省生态环境系统深入学习贯彻党的二十大精神并开展工作动态督查",
])
def test_classify_column_rejects_headlines(headline):
    assert classify_column(headline) is None


def test_column_label():
    assert (column_label("work_news"), column_label("ogi_annual_report"), column_label("eia")) == (
        "工作动态", "政府信息公开年报", "环评审批")


# --- challenges and soft 404 ----------------------------------------------------------------------

@pytest.mark.parametrize("name,kind", [
    ("challenge_jsl.html", "jsl"), ("challenge_acw.html", "acw_sc__v2"), ("challenge_cookie.html", "js-cookie"),
])
def test_challenges(name, kind):
    f = facts(name)
    assert (f.challenge, f.is_list, f.soft_404) == (kind, False, False)


def test_normal_pages_are_not_challenges_or_404():
    for name in ("trs_article.html", "trs_list.html", "blank_column.html"):
        f = facts(name)
        assert (f.challenge, f.soft_404) == (None, False), name


def test_soft_404():
    assert facts("soft404.html").soft_404 is True


def test_article_mentioning_404_is_not_soft_404():
    body = page("trs_article.html").replace("持续深入打好污染防治攻坚战。".encode(), "持续深入打好污染防治攻坚战，网站 404 页面已整改。".encode())
    assert extract(body, "http://x.gov.cn/", as_of=AS_OF).soft_404 is False


def test_empty_and_contract():
    f = extract(b"", "http://x.gov.cn/", as_of=AS_OF)
    assert (f.title, f.links, f.encoding) == (None, [], "utf-8")
    c = facts("trs_article.html").contract()
    assert c == {
        "url": "http://www.example.gov.cn/a/b/trs_article.html", "title": "省生态环境厅召开2024年第一季度工作会议",
        "encoding": "utf-8", "published": "2024-03-05", "published_source": "meta:PubDate",
        "site_id_code": "4400000123", "icp": "粤ICP备12345678号-2", "police_record": "44010602000001",
        "jiucuo_sitecode": "4400000123", "conac": True, "column_name": "工作动态", "links": 17,
    }


# --- forms (GUIDE-09: the search box's target) -----------------------------------------------------

def test_a_form_action_is_a_link_of_tag_form_named_by_what_it_asks():
    html = ('<html><body><div class="search"><form action="/was5/web/search" method="get">'
            '<input type="hidden" name="channelid" value="231745"><input type="text" name="searchword" '
            'placeholder="请输入关键字"> <input type="submit" value="搜索"></form></div>'
            '<form method="post"><input name="q"></form>'  # no action: nothing to follow
            '<form action="login.do"><input name="u" title="用户名"><button>登 录</button></form></body></html>')
    f = extract(html.encode(), "http://www.example.gov.cn/index.html", as_of=AS_OF)
    forms = [(link.url, link.text) for link in f.links if link.tag == "form"]
    assert forms == [("http://www.example.gov.cn/was5/web/search", "请输入关键字 搜索"),
                     ("http://www.example.gov.cn/login.do", "用户名 登 录")]
