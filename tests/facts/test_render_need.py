"""Which pages are rendered (crawler/render/need.py): only those whose static HTML lacks what their own scripts could
supply. Near misses: a full static footer beside scripts that write markup, a footer lacking only ICP without an
empty footer container, a list filled in the HTML, an app root with content, an anti-bot challenge."""
from __future__ import annotations

from datetime import date

from crawler.facts import extract
from crawler.render.browser import unavailable
from crawler.render.need import why_render
from tests.builders import BASE

FOOTER = ("<div class='footer'><p>网站标识码：3200000001 <a href='https://beian.miit.gov.cn/'>苏ICP备12345678号</a> "
          "<a href='http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=32010202000001'>"
          "苏公网安备 32010202000001号</a></p></div>")
WRITES = "<script>document.write('<span>' + new Date().getFullYear() + '</span>');</script>"
FETCHES = "<script>fetch('/api/list.json').then(r => r.json()).then(d => fill(d));</script>"


def why(body: str, home: bool = False, url: str = BASE, title: str = "首页") -> str | None:
    html = f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>{body}</body></html>'
    return why_render(extract(html.encode(), url, "text/html", as_of=date(2026, 11, 20)), home)


def test_an_empty_application_root_is_rendered():
    assert why('<div id="app"></div><script src="/js/app.js"></script>') == "app-root"
    assert why('<div id="root"><noscript>请启用 JavaScript</noscript></div><script src="/static/main.js"></script>') \
        == "app-root"


def test_an_application_root_with_content_is_not():
    text = "生态环境局工作动态。" * 30
    assert why(f'<div id="app"><p>{text}</p></div><script src="/js/app.js"></script>') is None


def test_a_homepage_footer_built_by_scripts_is_rendered():
    assert why('<div id="footer"></div>' + FETCHES, home=True) == "footer"
    assert why("<p>欢迎</p><script>document.getElementById('ft').innerHTML = build(cfg);</script>", home=True) \
        == "footer"


def test_a_static_footer_beside_scripts_is_not_rendered():
    assert why(FOOTER + WRITES, home=True) is None
    partial = FOOTER.replace("苏ICP备12345678号", "ICP备案")  # ICP really missing: reported statically
    assert why(partial + WRITES, home=True) is None
    assert why('<div id="footer"></div>' + FETCHES, home=False) is None  # a footer is judged on the homepage


def test_an_empty_list_filled_from_an_api_is_rendered():
    assert why('<h3>通知公告</h3><ul class="list"></ul>' + FETCHES, url=f"{BASE}tzgg/index.html") == "list"


def test_a_list_in_the_html_or_without_a_data_script_is_not():
    rows = "".join(f'<li><a href="/a/{i}.html">通知{i}</a><span>2026-11-{i + 10}</span></li>' for i in range(3))
    assert why(f'<ul class="list">{rows}</ul><ul class="more"></ul>' + FETCHES, url=f"{BASE}tzgg/index.html") is None
    assert why('<h3>通知公告</h3><ul class="list"></ul>' + WRITES, url=f"{BASE}tzgg/index.html") is None


def test_an_anti_bot_challenge_is_never_rendered():
    challenge = ("<div id='app'></div><script>document.cookie='__jsl_clearance=1';"
                 "location.href=location.pathname</script>")
    assert why(challenge) is None


def test_without_chromium_rendering_degrades_with_a_chinese_note():
    assert "未找到 chromium" in unavailable("/nonexistent/chromium")
