"""GUIDE-12: the homepage offers a 无障碍/适老化 entrance (无障碍浏览, 关怀版, 长者模式 …) by text, title, aria-label,
alt or value, or a 无障碍 toolbar script. Near misses: a headline about 无障碍环境建设, the words in plain text."""
from __future__ import annotations

from datetime import date

from crawler.facts import extract
from tests.builders import BASE, found


def entrance(body: str) -> dict | None:
    html = f'<html><head><meta charset="utf-8"><title>首页</title></head><body>{body}</body></html>'
    return extract(html.encode(), BASE, "text/html", as_of=date(2026, 11, 20)).extra.get("care_entrance")


def test_an_entrance_is_named_by_its_text_or_attributes():
    assert entrance('<a href="javascript:void(0)" onclick="aria.start()">无障碍浏览</a>')["label"] == "无障碍浏览"
    assert entrance('<button type="button" aria-label="关怀版"><i class="icon"></i></button>')["tag"] == "button"
    assert entrance('<a href="/care/"><img src="/img/zz.png" alt="长者模式"></a>')["label"] == "长者模式"
    assert entrance('<span role="button" title="适老化服务">⚙</span>')["label"] == "适老化服务"


def test_a_headline_or_plain_text_is_no_entrance():
    assert entrance('<ul><li><a href="/a/1.html">市残联开展无障碍环境建设宣传活动</a></li></ul>') is None
    assert entrance("<p>本站支持无障碍浏览，请使用读屏软件。</p>") is None
    assert entrance('<a href="/a/2.html">长者食堂开业</a>') is None


def test_a_homepage_without_an_entrance_is_advice(site):
    site.home["extra"] = None
    result = site.judge()
    assert found(result, "GUIDE-12") == [("GUIDE-12", "advice", BASE)]


def test_a_homepage_with_an_entrance_or_toolbar_script_is_no_finding(site):
    site.home["extra"] = {"care_entrance": {"label": "无障碍", "tag": "a"}}
    assert found(site.judge(), "GUIDE-12") == []
    site.home["extra"] = None
    site.links.append((BASE, "http://127.0.0.9/wza/assist.js", "", None, "script"))
    assert found(site.judge(), "GUIDE-12") == []
