"""Link verdicts end to end: a small site served on loopback, crawled by the real crawler (gkaudit audit).

Every status class of README "Link verdicts" ends broken, ok or unverified after a finished crawl; a meta refresh is
a link of its page; CSS, srcset and media references are checked; redirects off the web and addresses that cannot
be URLs get a clear reason; a same-page #fragment is compared percent-decoded.
"""
from __future__ import annotations

import json

from sqlalchemy import create_engine, text

from fixtures.server import serve
from tests.conftest import AS_OF, gkaudit

STATUSES = {"s400": 400, "s402": 402, "s405": 405, "s406": 406, "s409": 409, "s418": 418, "s451": 451,
            "s501": 501, "s505": 505, "s523": 523}
PAGE = '<html><head><meta charset="utf-8"><title>{title}</title>{head}</head><body>{body}</body></html>'


def link_site(tmp_path):
    """A homepage that refreshes to /portal/home.html, the portal page linking every case."""
    site = tmp_path / "sites" / "links"
    root = site / "root"
    (root / "portal").mkdir(parents=True)
    (site / "site.yaml").write_text("id: links\nname: 链接测试局\nlevel: city\naddress: 127.0.0.41\n", encoding="utf-8")
    faults = {f"/{name}.html": {"status": status} for name, status in STATUSES.items()}
    faults |= {"/to-ftp.html": {"redirect": "ftp://127.0.0.41/pub/a.zip"},
               "/to-file.html": {"redirect": "file:///C:/Users/bureau/a.doc"},
               "/to-refused.html": {"redirect": "http://127.0.0.41:9/a.html"}}  # its own address, another port
    (site / "faults.yaml").write_text(json.dumps({"faults": faults}), encoding="utf-8")
    (root / "index.html").write_text(PAGE.format(
        title="正在跳转", head='<meta http-equiv="refresh" content="0; url=/portal/home.html">',
        body='<a href="/refresh-only-gone.html">旧入口</a>'), encoding="utf-8")
    cases = "".join(f'<a href="/{name}.html">{name}</a>' for name in STATUSES)
    cases += ('<a href="/to-ftp.html">ftp</a><a href="/to-file.html">file</a><a href="/to-refused.html">外站</a>'
              '<a href="http://">空地址</a><a href="#Information%20displays">说明</a><a href="#nowhere">无锚点</a>'
              '<a href="#none" onclick="show()">按钮</a><img srcset="/img/ok.png 1x, /img/gone-2x.png 2x">'
              '<div style="background:url(/img/gone-bg.png)">背景</div><p id="Information displays">说明</p>')
    (root / "portal" / "home.html").write_text(PAGE.format(
        title="链接测试局", head='<link rel="stylesheet" href="/site.css">', body=cases), encoding="utf-8")
    (root / "site.css").write_text("body{background:url(/img/ok.png)} @font-face{src:url('/font/gone.woff')}")
    (root / "img").mkdir()
    (root / "img" / "ok.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    return tmp_path / "sites"


def audit(server, out, db):
    proc = gkaudit("audit", "--sites", server.sites_file, "--as-of", AS_OF, "--out", out, "--db", db,
                   "--delay", "0", "--confirm-delay", "0.2", "--quiet")
    assert proc.returncode in (0, 1), proc.stderr


def homes(db):
    engine = create_engine(db)
    with engine.connect() as con:
        rows = con.execute(text("select run_id, url from page where is_home order by run_id")).all()
        meta = con.execute(text("select distinct page_url, target_url from link where tag = 'meta'")).all()
    engine.dispose()
    return rows, meta


def test_every_link_ends_broken_ok_or_unverified_with_its_reason(tmp_path):
    out, db = tmp_path / "out", f"sqlite:///{tmp_path / 'gk.db'}"
    with serve(link_site(tmp_path)) as server:
        audit(server, out, db)
        audit(server, tmp_path / "again", db)  # a repeat audit (304s, reused pages) keeps the same homepage
    result = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    base = server.urls["links"]
    broken = {f["url"].removeprefix(base): (f["evidence"]["error"], f["parent_url"].removeprefix(base))
              for f in result["findings"] if f["rule"] == "GWS-DLINK"}
    assert broken == {
        "s400.html": ("HTTP 400", "portal/home.html"), "s405.html": ("HTTP 405", "portal/home.html"),
        "s451.html": ("HTTP 451", "portal/home.html"), "s501.html": ("HTTP 501", "portal/home.html"),
        "s505.html": ("HTTP 505", "portal/home.html"), "s523.html": ("HTTP 523", "portal/home.html"),
        "to-file.html": ("链接指向本机文件（file:）", "portal/home.html"),
        "http://": ("链接地址无效", "portal/home.html"),
        "img/gone-2x.png": ("HTTP 404", "portal/home.html"), "img/gone-bg.png": ("HTTP 404", "portal/home.html"),
        "font/gone.woff": ("HTTP 404", "site.css"),
        "refresh-only-gone.html": ("HTTP 404", ""),  # the refresh page's own link, checked as its own
    }
    unverified = next(n["detail"] for n in result["sites"][0]["not_tested"] if n["reason"] == "unverified")
    for why in ("需要付费", "服务器不接受本次请求方式（HTTP 406）", "服务器状态冲突（HTTP 409）", "反爬虫拦截",
                "重定向到非网页地址（ftp:），未检查", "连接被拒绝"):
        assert why in unverified
    assert "未完成复核" not in unverified
    fragments = [f["url"].removeprefix(base) for f in result["findings"] if f["rule"] == "LINK-FRAGMENT"]
    assert fragments == ["portal/home.html#nowhere"]  # %20 matches the id; an onclick "#none" is a button
    home, meta = homes(db)
    # the same-site refresh target is the homepage, as after a redirect
    assert home == [(1, f"{base}portal/home.html"), (2, f"{base}portal/home.html")]
    assert meta == [(base, f"{base}portal/home.html")]


def test_a_homepage_refreshing_to_another_host_is_a_link_and_the_site_is_not_judged_from_it(tmp_path):
    site = tmp_path / "sites" / "away"
    (site / "root").mkdir(parents=True)
    (site / "site.yaml").write_text("id: away\nname: 跳转测试局\nlevel: city\naddress: 127.0.0.44\n", encoding="utf-8")
    (site / "root" / "index.html").write_text(PAGE.format(
        title="跳转测试局", head='<meta http-equiv="refresh" content="3;URL=http://127.0.0.45:9/">',
        body='<a href="/about.html">关于</a>'), encoding="utf-8")
    (site / "root" / "about.html").write_text(PAGE.format(title="关于", head="", body="关于本局"), encoding="utf-8")
    out, db = tmp_path / "out", f"sqlite:///{tmp_path / 'gk.db'}"
    with serve(tmp_path / "sites") as server:
        audit(server, out, db)
    base = server.urls["away"]
    home, meta = homes(db)
    assert home == [(1, base)] and meta == [(base, "http://127.0.0.45:9/")]  # only a link (external: not checked)
    engine = create_engine(db)
    with engine.connect() as con:
        assert con.execute(text("select status from page where url like '%about.html'")).scalar() == 200
    engine.dispose()
    # the bureau's pages are on the other host: the site is not judged from the refresh page (no false findings)
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert data["findings"] == [] and data["sites"][0]["verdict"] == "not_tested"
    [whole] = data["sites"][0]["not_tested"]
    assert whole["rule"] is None and whole["reason"] == "moved" and "http://127.0.0.45:9/" in whole["detail"]
