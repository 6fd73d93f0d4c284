"""What a hacker injects (crawler/facts/injected.py): links to another site hidden by each technique hacked
government pages use, and gambling/porn advertising; near misses are what clean templates do with the same CSS
(collapsed menus of government links, a hidden 人民网 link, a 公安 notice about gambling, a relative link)."""
from __future__ import annotations

from datetime import date

import pytest

from crawler.facts import extract

URL = "http://sthjt.jiangnan.gov.cn/xxgk/a.html"


def page(body: str, head: str = "") -> dict:
    html = (f'<html><head><meta charset="utf-8"><title>关于开展执法检查的通知</title>{head}</head><body>'
            f'<p>发布时间：2026-10-12</p><p>为进一步加强生态环境执法，现将有关事项通知如下。</p>{body}</body></html>')
    return extract(html.encode(), URL, "text/html", as_of=date(2026, 11, 20)).extra.get("injected") or {}


LINKS = ('<a href="http://spam.example.com/">好站</a><a href="http://b.example.net/">二</a>'
         '<a href="https://c.example.org/x">三</a>')


@pytest.mark.parametrize("markup, how", [
    ('<div style="display:none">{LINKS}</div>', "display:none"),
    ('<div style="visibility: hidden">{LINKS}</div>', "visibility:hidden"),
    ('<span style="font-size:0px">{LINKS}</span>', "font-size:0"),
    ('<div style="height:1px;overflow:hidden">{LINKS}</div>', "height:1px"),
    ('<div style="position:absolute;top:-3000px">{LINKS}</div>', "top:-3000px"),
    ('<p style="text-indent:-9999px">{LINKS}</p>', "text-indent"),
    ('<p style="color:#fff;background:#FFFFFF">{LINKS}</p>', "color:#fff"),
    ('<marquee height="1" width="1">{LINKS}</marquee>', "marquee height=1"),
    ('<div hidden>{LINKS}</div>', "hidden 属性"),
    ('<script>document.write(\'<div style="display:none">{LINKS}</div>\')'
     '</script>', "document.write 写入，display:none"),
])
def test_each_hiding_technique_hides_a_link_farm(markup, how):
    hidden = page(markup.replace("{LINKS}", LINKS))["hidden_links"]
    assert [(h["url"], h["text"]) for h in hidden] == [("http://spam.example.com/", "好站"),
                                                       ("http://b.example.net/", "二"), ("https://c.example.org/x", "三")]
    assert how in hidden[0]["how"] and hidden[0]["path"]


def test_a_class_of_the_page_s_own_style_block_hides_it():
    found = page(f'<div class="c1">{LINKS}</div>',
                 head="<style>/* x */ .c1{position:absolute; left:-999px}</style>")
    assert found["hidden_links"][0]["how"] == "position:absolute;left:-999px"


def test_a_collapsed_menu_or_a_lone_widget_is_no_link_farm():
    """Real templates (a 云南 county portal): a display:none 友情链接 menu of gov.cn institutions with a 人才网 and a
    library among them; a hidden 智能问答 link; an accessibility badge."""
    found = page('<ul style="display:none"><li><a href="http://www.gov.cn/">中国政府网</a></li>'
                 '<li><a href="http://www.ynhr.com/">云南人才</a></li><li><a href="http://www.ynlib.cn/">云南省图书馆</a></li>'
                 '<li><a href="http://www.cas.cn/">中国科学院</a></li></ul>'
                 '<div style="display:none"><a href="https://znwd.example.cn/">智能问答</a></div>'
                 '<span style="display:none"><a href="http://wza.example.org.cn/2207.html"></a></span>')
    assert found == {}


def test_clean_templates_hide_nothing_that_counts():
    """A collapsed menu (a descendant selector and inline display:none) of the site's own and government links, a
    hidden 人民网 link, a visible link to another site and a relative link are no hidden links."""
    found = page('<div class="nav"><ul><li><a href="/xxgk/">信息公开</a></li>'
                 '<li><a href="http://www.gov.cn/">中国政府网</a></li></ul></div>'
                 '<ul style="display:none"><li><a href="http://www.mee.gov.cn/">生态环境部</a></li>'
                 '<li><a href="http://www.jiangnan.gov.cn/">江南省人民政府</a></li>'
                 '<li><a href="https://sthj.city.jiangnan.gov.cn/">市生态环境局</a></li></ul>'
                 '<div style="display:none"><a href="http://www.people.com.cn/">人民网</a><a href="zcfg/">政策</a></div>'
                 '<a href="http://www.example-partner.com/">合作单位</a>',
                 head="<style>.nav ul{display:none}</style>")
    assert found == {}


def test_advertising_in_visible_text_hidden_text_links_and_domains():
    found = page('<p>365足球数据</p><div style="display:none">百家乐 真心推荐</div>'
                 '<a href="http://www.example.net/">六合彩</a><a href="http://www.xpj8888.com/">点击</a>')
    where = {(s["where"], s["term"]) for s in found["spam"]}
    assert where == {("text", "365足球数据"), ("hidden", "百家乐"), ("link", "六合彩"), ("domain", "www.xpj8888.com")}
    assert all(s["category"] == "博彩" for s in found["spam"])


def test_a_government_notice_about_gambling_is_no_advertising():
    """Context words in visible text (a 公安 notice) or linking a government site are what a bureau publishes."""
    found = page('<p>严厉打击网络赌博、六合彩、色情等违法犯罪活动，举报电话110。</p>'
                 '<a href="http://www.mps.gov.cn/">打击赌博专项行动</a><a href="/xwdt/1.html">六合彩诈骗案告破</a>')
    assert found == {}


def test_an_unambiguous_term_spaced_out_still_counts():
    assert page("<p>澳门 新葡京</p>")["spam"][0]["term"] == "澳门新葡京"


def test_a_visible_link_farm_with_a_class_is_kept_for_the_site_s_stylesheets():
    """The page cannot tell: a stylesheet is another response. The farm's selectors and links are kept; a block
    mixing the site's own or government links, or links in no block with a class or id, are not."""
    found = page(f'<div id="ft"><div class="hk">{LINKS}</div></div>'
                 '<div class="yqlj"><a href="http://www.gov.cn/">中国政府网</a><a href="http://a.example.com/">甲</a>'
                 '<a href="http://b.example.com/">乙</a><a href="http://c.example.com/">丙</a></div>')
    assert [(b["selectors"], [lk["url"] for lk in b["links"]]) for b in found["styled"]] == [
        ([".hk", "#ft"], ["http://spam.example.com/", "http://b.example.net/", "https://c.example.org/x"])]
    assert "hidden_links" not in found


def test_a_stylesheet_s_hiding_selectors_leave_out_drop_down_menus():
    from crawler.facts.injected import stylesheet_hiding

    css = (".hk{display:none} #x, .y {position:absolute;left:-2000px} .sub{display:none}"
           ".menu:hover .sub{display:block} .nav ul{display:none} .ok{color:red}")
    assert stylesheet_hiding(css) == {".hk": "display:none", "#x": "position:absolute;left:-2000px",
                                      ".y": "position:absolute;left:-2000px"}


def test_a_drop_down_group_of_other_sites_is_marked_as_a_menu():
    """A real 友情链接 drop-down (a 重庆 bureau): groups of the same class, each with its label; the last group, 其他网站,
    holds only museums and libraries. Its scripts open what the stylesheet hides: `menu`, never a hack by display:none."""
    gov = '<li><a href="http://www.mfa.gov.cn/">外交部</a></li>'
    other = "".join(f'<li><a href="http://www.museum{i}.cn/">博物馆{i}</a></li>' for i in range(4))
    found = page(f'<div class="groups"><div class="drop-down lf"><p class="tag">国务院部门网站</p><ul class="drop-lists">{gov}</ul>'
                 f'</div><div class="drop-down lf"><p class="tag">其他网站</p><ul class="drop-lists">{other}</ul></div></div>')
    assert [b.get("menu") for b in found["styled"]] == [True]
