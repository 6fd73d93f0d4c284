"""GWS-V1c (advertising a hacker injected: veto) and GWS-V1d (hidden links to other sites: advice), one finding per
term or host across the site however many pages the injected template is on."""
from __future__ import annotations

from tests.builders import BASE, article, found


def hacked(site, n: int, injected: dict):
    for i in range(n):
        site.extra_pages.append(article(f"a{i}.html", title=f"通知{i}", extra={"injected": injected}))


SPAM_LINK = {"category": "博彩", "term": "www.xpj8888.com", "where": "domain", "url": "http://www.xpj8888.com/",
             "text": "澳门新葡京", "path": "/html/body/div[2]/a[1]"}
HIDDEN_SPAM = {"url": "http://www.xpj8888.com/", "text": "澳门新葡京", "how": "display:none", "path": "/html/body/div[2]/a[1]"}
HIDDEN_OTHER = {"url": "http://abc.example.com/x", "text": "好东西", "how": "position:absolute;left:-9999px",
                "path": "/html/body/div[3]/a"}


def test_an_injected_template_is_one_veto_finding_with_its_pages(site):
    hacked(site, 4, {"spam": [SPAM_LINK], "hidden_links": [HIDDEN_SPAM]})
    result = site.judge()
    assert found(result, "GWS-V1c") == [("GWS-V1c", "veto", f"{BASE}a0.html")]
    f = next(f for f in result.findings if f.rule == "GWS-V1c")
    assert f.evidence["pages"] == 4 and f.evidence["where"] == "外部链接域名" and f.evidence["target"] == SPAM_LINK["url"]
    assert "等 4 个页面" in f.message and result.sites[0].verdict == "fail"
    assert found(result, "GWS-V1d") == []  # the hidden link is the advertising already reported: one row


def test_a_hidden_link_to_another_site_is_advice_per_host(site):
    hacked(site, 2, {"hidden_links": [HIDDEN_OTHER, HIDDEN_OTHER | {"url": "http://abc.example.com/y"}]})
    result = site.judge()
    assert found(result, "GWS-V1d") == [("GWS-V1d", "advice", f"{BASE}a0.html")]
    f = next(f for f in result.findings if f.rule == "GWS-V1d")
    assert f.evidence["how"] == HIDDEN_OTHER["how"] and f.evidence["element"] == HIDDEN_OTHER["path"]
    assert f.evidence["targets"] == ["http://abc.example.com/x", "http://abc.example.com/y"]
    assert found(result, "GWS-V1c") == [] and result.sites[0].verdict == "pass"


def test_different_terms_are_different_findings_and_a_clean_site_has_none(site):
    assert found(site.judge(), "GWS-V1c") == []
    hacked(site, 1, {"spam": [{"category": "博彩", "term": "365足球数据", "where": "text", "snippet": "… 365足球数据 …"},
                              {"category": "色情", "term": "成人视频", "where": "text", "snippet": "成人视频"}]})
    assert len(found(site.judge(), "GWS-V1c")) == 2


def test_one_injected_link_is_one_finding_however_many_ways_it_matched(site):
    """Its host is a gambling domain, its text an advertising term, and the term is in the page text too."""
    hacked(site, 1, {"spam": [{"category": "博彩", "term": "澳门新葡京", "where": "text", "snippet": "… 澳门新葡京 …"},
                              SPAM_LINK,
                              {"category": "博彩", "term": "百家乐", "where": "hidden", "snippet": "百家乐 澳门新葡京"},
                              SPAM_LINK | {"where": "link", "term": "新葡京"}]})
    result = site.judge()
    assert len(found(result, "GWS-V1c")) == 1
    assert next(f for f in result.findings if f.rule == "GWS-V1c").evidence["target"] == SPAM_LINK["url"]


def test_a_second_audit_says_whether_the_injection_was_already_there_or_appeared_since(site):
    """The earlier audit's page tells the webmaster where to look: left in place since then, or a window in which
    the intrusion happened (the server's logs between the two dates)."""
    site.extra_pages = [article("a0.html", title="通知0", extra={"injected": {"hidden_links": [HIDDEN_OTHER]}}),
                        article("a1.html", title="通知1")]
    first = next(f for f in site.judge().findings if f.rule == "GWS-V1d")
    assert "previous_state" not in first.evidence and "上次检查" not in first.message  # no earlier audit
    site.extra_pages = [article("a0.html", title="通知0", extra={"injected": {"hidden_links": [HIDDEN_OTHER]}}),
                        article("a1.html", title="通知1", extra={"injected": {"spam": [SPAM_LINK]}})]
    result = site.judge()
    kept = next(f for f in result.findings if f.rule == "GWS-V1d")
    assert kept.evidence["previous_state"] == "已存在" and "至今未处置" in kept.message
    new = next(f for f in result.findings if f.rule == "GWS-V1c")
    assert new.evidence["previous_state"] == "尚无" and "两次检查之间出现" in new.message
    assert new.evidence["previous_check"] == kept.evidence["previous_check"]


STYLED = {"block": "/html/body/div[4]", "selectors": [".hk", "#ft"],
          "links": [{"url": "http://abc.example.com/x", "text": "好东西", "path": "/html/body/div[4]/a[1]"},
                    {"url": "http://abc.example.com/y", "text": "二", "path": "/html/body/div[4]/a[2]"}]}


def _sheet(url, hiding):
    return article(url, title=None, extra={"hiding": hiding} if hiding else None)


def test_a_link_farm_hidden_by_the_site_s_stylesheet_is_a_hidden_link(site):
    site.extra_pages = [article("a0.html", title="通知0", extra={"injected": {"styled": [STYLED]}}),
                        _sheet("css/main.css", None), _sheet("css/hk.css", {"#ft": "display:none"})]
    site.links += [(f"{BASE}a0.html", f"{BASE}css/main.css", None, None, "link"),
                   (f"{BASE}css/main.css", f"{BASE}css/hk.css", None, None, "css")]  # an @import
    result = site.judge()
    assert found(result, "GWS-V1d") == [("GWS-V1d", "advice", f"{BASE}a0.html")]
    f = next(f for f in result.findings if f.rule == "GWS-V1d")
    assert f.evidence["how"] == f"样式表 {BASE}css/hk.css 中 #ft {{display:none}}"
    assert f.evidence["targets"] == ["http://abc.example.com/x", "http://abc.example.com/y"]


def test_near_misses_a_stylesheet_that_hides_another_selector_or_is_not_the_page_s(site):
    site.extra_pages = [article("a0.html", title="通知0", extra={"injected": {"styled": [STYLED]}}),
                        _sheet("css/main.css", {".nav": "display:none"}), _sheet("css/other.css", {".hk": "display:none"})]
    site.links += [(f"{BASE}a0.html", f"{BASE}css/main.css", None, None, "link"),
                   (f"{BASE}a1.html", f"{BASE}css/other.css", None, None, "link")]  # another page's stylesheet
    assert found(site.judge(), "GWS-V1d") == []


def test_a_drop_down_menu_collapsed_by_the_stylesheet_is_no_hidden_link_but_moved_off_screen_it_is(site):
    menu = STYLED | {"menu": True}
    site.extra_pages = [article("a0.html", title="通知0", extra={"injected": {"styled": [menu]}}),
                        _sheet("css/main.css", {".hk": "display:none"})]
    site.links += [(f"{BASE}a0.html", f"{BASE}css/main.css", None, None, "link")]
    assert found(site.judge(), "GWS-V1d") == []
    site.extra_pages[1] = _sheet("css/main.css", {".hk": "position:absolute;left:-3000px"})
    assert found(site.judge(), "GWS-V1d") == [("GWS-V1d", "advice", f"{BASE}a0.html")]
