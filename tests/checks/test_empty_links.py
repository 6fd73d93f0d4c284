"""LINK-EMPTY: a menu item or link with an empty address (<a href="">) leads nowhere (空链); a template placeholder
left in an address is a broken link of GWS-DLINK, judged without fetching it. Near misses: an anchor a script
handles, an anchor without text, `#` anchors."""
from __future__ import annotations

from datetime import date

from crawler.facts import extract
from crawler.facts.links import invalid
from tests.builders import BASE, article, found


def empty_links(body: str) -> list[dict]:
    html = f'<html><head><meta charset="utf-8"><title>首页</title></head><body>{body}</body></html>'
    return extract(html.encode(), BASE, "text/html", as_of=date(2026, 11, 20)).extra.get("empty_links") or []


def test_an_empty_address_with_a_text_leads_nowhere():
    got = empty_links('<ul class="nav"><li><a href="">政策解读</a></li><li><a href="/xxgk/">信息公开</a></li></ul>'
                      '<a href="" onclick="go(1)">搜索</a><a href="" data-toggle="tab">图片</a><a href=""><img src="/a.png"></a>'
                      '<a href="#">更多</a><a href="javascript:;">切换</a>')
    assert [(e["text"], e["path"]) for e in got] == [("政策解读", "/html/body/ul/li[1]/a")]


def test_a_template_placeholder_is_a_broken_address():
    assert invalid(f"{BASE}xxgk/{{{{el.url}}}}") == "template" and invalid(f"{BASE}a/%7B%7Burl%7D%7D") == "template"
    assert invalid(f"{BASE}a/${{url}}") == "template" and invalid(f"{BASE}a/[!--url--]") == "template"
    assert invalid(f"{BASE}a/{{id}}.html") is None  # a single brace is a legal (if odd) character in a path


def test_one_finding_per_empty_menu_item_across_the_site(site):
    nav = [{"text": "政策解读", "path": "/html/body/ul/li[1]/a"}]
    site.extra_pages += [article(f"a{i}.html", title=f"通知{i}", extra={"empty_links": nav}) for i in range(3)]
    result = site.judge()
    assert found(result, "LINK-EMPTY") == [("LINK-EMPTY", "deduct", f"{BASE}a0.html")]
    f = next(f for f in result.findings if f.rule == "LINK-EMPTY")
    assert f.evidence["pages"] == 3 and f.evidence["anchor"] == "政策解读" and "等 3 个页面" in f.message


def test_a_template_placeholder_link_is_reported_by_gws_dlink(site):
    art = f"{BASE}art/1.html"
    site.extra_pages += [{"url": art, "status": 200, "title": "文章"}, {"url": f"{BASE}{{{{el.url}}}}", "error": "template"}]
    site.links.append((art, f"{BASE}{{{{el.url}}}}", "工作动态"))
    result = site.judge()
    assert [(f.rule, f.evidence["error"]) for f in result.findings] == [
        ("GWS-DLINK", "链接地址是未替换的模板占位符（如 {{…}}）")]
    assert found(result, "LINK-EMPTY") == []
