"""Page facts as a reader of the page sees them (issue 16): content after </html>, ICP numbers written with a colon,
找错 entrances written as links or scripts, section heads written inline. Each fact has a near miss."""
from __future__ import annotations

from datetime import date

import pytest

from crawler.facts import extract

AS_OF = date(2026, 11, 20)
URL = "http://www.example.gov.cn/index.html"
FOOTER = ('<div class="footer">网站标识码：5101000001 蜀ICP备19007388号 '
          '<a href="https://www.beian.gov.cn/portal/registerSystemInfo?recordcode=51010402000001">川公网安备 '
          '51010402000001号</a> <a href="https://bszs.conac.cn/sitename?method=show&id=1">党政机关</a>'
          '<script id="_jiucuo_" sitecode="5101000001" src="/js/jiucuo.js"></script></div>')


def page(body: str, after: str = "") -> bytes:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>成都市某局</title></head>'
            f"<body><p>欢迎访问。</p>{body}</body></html>{after}").encode()


def footer_facts(f):
    return f.site_id_code, f.icp, f.police_record, f.conac, f.jiucuo_sitecode


# --- content after </html> ----------------------------------------------------------------------------

@pytest.mark.parametrize("after", [FOOTER, f"\n<html><body>{FOOTER}</body></html>", f"{FOOTER}</body></html>"])
def test_a_footer_written_after_the_closing_html_tag_is_read_as_a_browser_shows_it(after):
    f = extract(page("", after), URL, as_of=AS_OF)
    assert footer_facts(f) == ("5101000001", "蜀ICP备19007388号", "51010402000001", True, "5101000001")
    assert "https://www.beian.gov.cn/portal/registerSystemInfo?recordcode=51010402000001" in [x.url for x in f.links]
    assert footer_facts(f) == footer_facts(extract(page(FOOTER), URL, as_of=AS_OF))  # as if it were in the body


def test_loose_text_after_the_closing_html_tag_is_text_of_the_page():
    f = extract(page("", after="\n网站标识码：5101000001 蜀ICP备19007388号"), URL, as_of=AS_OF)
    assert (f.site_id_code, f.icp) == ("5101000001", "蜀ICP备19007388号")


def test_a_footer_commented_out_after_the_closing_html_tag_is_not_read():
    f = extract(page("", after=f"<!-- {FOOTER} -->"), URL, as_of=AS_OF)
    assert footer_facts(f) == (None, None, None, False, None)


# --- ICP备案 ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("written, icp", [
    ("蜀ICP备：19007388号", "蜀ICP备19007388号"),
    ("蜀ICP备: 19007388号", "蜀ICP备19007388号"),
    ("蜀ICP备案：19007388号-2", "蜀ICP备19007388号-2"),
    ("京ICP备案号：05007181号", "京ICP备05007181号"),
    ("粤ICP备 12345678号", "粤ICP备12345678号"),
])
def test_an_icp_number_written_with_a_colon_or_spaces_after_bei_is_read(written, icp):
    assert extract(page(f"<p>{written}</p>"), URL, as_of=AS_OF).icp == icp


@pytest.mark.parametrize("written", [
    "京ICP证：030173号",  # an ICP licence (经营许可证), not a 备案 record
    "ICP备案：19007388号",  # no province
    "蜀ICP备：190073881234567号",  # fifteen digits: no record number
    "蜀ICP备案查询 电话：028-86001234",  # a telephone number near the word
    "川公网安备：51010402000001号",  # the police record is not the ICP number
])
def test_numbers_that_are_not_an_icp_record_are_not_read_as_one(written):
    assert extract(page(f"<p>{written}</p>"), URL, as_of=AS_OF).icp is None


# --- 找错 entrance --------------------------------------------------------------------------------------

@pytest.mark.parametrize("entrance", [
    ('<a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=5101000001&amp;url=http%3A%2F%2Fx.gov.cn%2F">'
     '<img src="/img/jiucuo.png" alt="政府网站找错"></a>'),
    '<a href="http://pucha.kaipuyun.cn/exposure/jiucuo.php?site_code=5101000001"><img src="/img/jc.png"></a>',
    ('<a href="javascript:void(0)" onclick="OpenUrl(\'http://121.43.68.40/exposure/jiucuo.html?site_code=5101000001'
     '&url=x\')"><img src="/img/jc.png"></a>'),
    ('<script>document.writeln("<a href=\\"https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=5101000001\\">'
     '找错</a>");</script>'),
    ("<span id=\"_span_jiucuo\"></span><script>var site_code = '5101000001'; $('#_span_jiucuo').click(function(){"
     'window.open("https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=" + site_code);});</script>'),
    ('<span id="_span_jiucuo" data-setting="{sitecode:\'5101000001\'}"></span>'
     '<script src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script>'),
    "<script id='_jiucuo_' sitecode='5101000001' src='/js/jiucuo.js'></script>",
])
def test_a_jiucuo_entrance_written_as_a_link_or_a_script_gives_its_sitecode(entrance):
    assert extract(page(entrance), URL, as_of=AS_OF).jiucuo_sitecode == "5101000001"


@pytest.mark.parametrize("not_an_entrance", [
    '<a href="/searchfs/?siteCode=5101000001&qt=环保">站内搜索</a>',  # a search box's siteCode
    '<div data-setting="{sitecode:\'5101000001\'}" class="wza-toolbar"></div>',  # a widget on a page without 找错
    '<img src="http://121.43.68.40/exposure/images/jiucuo.png?v=5101000001">',  # the 找错 picture, no link
    '<!-- <a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=5101000001">找错</a> -->',  # commented out
])
def test_a_sitecode_that_is_not_a_jiucuo_entrance_is_not_read_as_one(not_an_entrance):
    assert extract(page(not_an_entrance), URL, as_of=AS_OF).jiucuo_sitecode is None


def test_the_jiucuo_embed_wins_over_a_link_and_a_mismatch_stays_visible():
    f = extract(page(FOOTER.replace('sitecode="5101000001"', 'sitecode="5101000009"')
                     + '<a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=5101000001">找错</a>'),
                URL, as_of=AS_OF)
    assert f.jiucuo_sitecode == "5101000009"
    assert "找错 sitecode 5101000009 与网站标识码 5101000001 不一致" in f.disagreements


# --- section heads written inline ----------------------------------------------------------------------

SIX = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
       "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
BODIES = ["2025年，本局认真贯彻落实《条例》，统一、规范推进政务公开。", "全年主动公开政府信息120条。",
          "全年收到政府信息公开申请5件，均按时答复。", "本年度未发生行政复议、行政诉讼。",
          "公开内容的及时性有待提高，下一步将加强审核。", "本机关无其他需要报告的事项。"]
REPORT = ('<html><head><meta charset="utf-8"><title>某局2025年政府信息公开工作年度报告</title></head><body>'
          '<div class="article-content"><h1>某局2025年政府信息公开工作年度报告</h1><p>{}</p></div></body></html>')


@pytest.mark.parametrize("paragraph", [
    "".join(f"{head} {body}" for head, body in zip(SIX, BODIES)),  # a space after each head
    "".join(f"{head}{body}" for head, body in zip(SIX, BODIES)),  # not even a space
    "".join(f"{head}<br>{body}" for head, body in zip(SIX, BODIES)),  # lines of one paragraph
    "".join(SIX) + " " + "".join(BODIES),  # the heads run together, then the text
])
def test_six_section_heads_written_inline_in_one_paragraph_are_all_found(paragraph):
    heads = extract(REPORT.format(paragraph).encode(), URL, as_of=AS_OF).headings
    for want in SIX:  # as OGI-50 matches them: each section's words within a head
        assert any(h.startswith(want) for h in heads), (want, heads)


@pytest.mark.parametrize("sentence", [
    "一是加强组织领导，二是完善工作制度，三是强化监督检查。",  # 一是…二是…
    "今年重点做了三项工作：一、健全制度；二、规范流程；三、加强培训。",  # an enumeration inside a sentence
    "工作分三步推进。一、摸底排查。二、集中整治。三、巩固提升。",  # short items, no section text
    "本局在一、二、三季度分别开展专项检查，统一、规范执法。",  # numbers inside words
    "全年开展检查。一、大气治理成效明显，二、水质持续改善。",  # only two
])
def test_an_ordinary_sentence_with_numbers_gives_no_heading(sentence):
    assert extract(REPORT.format(sentence).encode(), URL, as_of=AS_OF).headings == ["某局2025年政府信息公开工作年度报告"]
