"""Fragments a page's scripts load (crawler/facts/fragments.py): jQuery .load/$.get of an HTML file, a script file
named as a header/footer/menu part; near misses are event handlers, data requests and ordinary scripts. And the
markup a script file writes, read from its string literals."""
from __future__ import annotations

from datetime import date

from crawler.facts import extract
from crawler.facts.fragments import written_markup

BASE = "http://sthjj.qingchuan.gov.cn/"


def loaded(head: str, body: str = "") -> list[dict]:
    html = f'<html><head><meta charset="utf-8"><title>首页</title>{head}</head><body>{body}</body></html>'
    return extract(html.encode(), BASE + "index.html", "text/html", as_of=date(2026, 11, 20)).extra.get("fragments") or []


def test_jquery_loads_and_part_scripts_are_fragments():
    got = loaded('<script src="/static/js/public_foot_response_2020.js"></script><script src="js/head_2020.js"></script>',
                 '<script>$(function(){ $("#footer").load("/inc/footer.html #ft"); '
                 "jQuery('.nav').load('inc/nav.shtml'); "
                 '$.get("/inc/links.html", function (d) { $("#links").html(d); }); });</script>')
    assert [(f["url"], f["how"], f["into"]) for f in got] == [
        (BASE + "inc/footer.html", "jquery.load", "#footer"), (BASE + "inc/nav.shtml", "jquery.load", ".nav"),
        (BASE + "inc/links.html", "jquery.get", "#links"),
        (BASE + "static/js/public_foot_response_2020.js", "script", None), (BASE + "js/head_2020.js", "script", None)]


def test_event_handlers_data_requests_and_ordinary_scripts_are_not():
    assert loaded('<script src="/js/jquery.min.js"></script><script src="/js/common.js"></script>'
                  '<script src="/js/topic.js"></script>',
                  '<script>$("#tempIframe1").load(function () { resize(); }); '
                  '$.get("/api/list.json", function (d) { $("#list").html(render(d)); });</script>') == []


def test_the_markup_a_script_writes():
    js = ("document.write('<div class=\"footer\"><p>网站标识码：3290010305</p>');\n"
          "document.write(\"<p>苏ICP备12045678号 © \" + new Date().getFullYear() + \"</p></div>\");\n"
          "var year = 2026; el.innerHTML = '<a href=\\'/xxgk/\\'>信息公开</a>';\n"
          "document.write(unescape(\"%3Cspan id='_ideConac'%3E%3C/span%3E\"));\n"
          "console.log('not markup; 分号 inside');")
    markup = written_markup(js)
    assert "网站标识码：3290010305" in markup and "苏ICP备12045678号" in markup
    assert "<a href='/xxgk/'>信息公开</a>" in markup and "<span id='_ideConac'></span>" in markup
    assert "not markup" not in markup and written_markup("var a = 1; function f() { return a; }") == ""
