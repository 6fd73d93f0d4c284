"""Repeat audits reuse what did not change: 304 answers and HTTP-fresh pages are copied, not re-parsed.

The fixture server sends ETag and Last-Modified (the file's mtime) and answers If-None-Match with 304.
"""
from __future__ import annotations

import json
import os
import time

from sqlalchemy import create_engine, text

from fixtures.server import serve
from tests.conftest import AS_OF, gkaudit

ARTICLES = 6
OLD = time.time() - 200 * 86400  # published 200 days ago: fresh for 7 days (the cap) after it was fetched


def news_site(tmp_path, per_page=ARTICLES, dead_link=False):
    """A homepage, one dated list (栏目, `per_page` items a page: index.html, index_1.html …) and its articles;
    the articles' files are old, as a CMS leaves them. dead_link: article 1 links a page that does not exist."""
    site = tmp_path / "sites" / "news"
    root = site / "root"
    (root / "xwdt").mkdir(parents=True)
    (site / "site.yaml").write_text("id: news\nname: 新闻测试局\nlevel: city\naddress: 127.0.0.33\n", encoding="utf-8")
    (root / "index.html").write_text(
        '<html><head><meta charset="utf-8"><title>新闻测试局</title></head><body>'
        '<a href="/xwdt/index.html">工作动态</a></body></html>', encoding="utf-8")
    for n, first in enumerate(range(0, ARTICLES, per_page)):
        write_list_page(root, n, first, per_page)
    for i in range(ARTICLES):
        extra = '<a href="/files/a.pdf">附件</a>' if i == 0 else ""
        extra += '<a href="/xwdt/gone.html">相关链接</a>' if dead_link and i == 1 else ""
        write_article(root, i, f"正文{i}", extra=extra)
    (root / "files").mkdir()
    (root / "files" / "a.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 2000)
    os.utime(root / "files" / "a.pdf", (OLD, OLD))
    return tmp_path / "sites"


def write_list_page(root, n, first, per_page, note=""):
    items = "".join(f'<li><a href="/xwdt/a{i}.html">动态{i}</a><span>2026-11-{10 + i:02d}</span></li>'
                    for i in range(first, min(first + per_page, ARTICLES)))
    pages = "".join(f'<a href="{"index" if k == 0 else f"index_{k}"}.html">{k + 1}</a>'
                    for k in range(-(-ARTICLES // per_page))) if per_page < ARTICLES else ""
    path = root / "xwdt" / ("index.html" if n == 0 else f"index_{n}.html")
    path.write_text(f'<html><head><meta charset="utf-8"><meta name="ColumnName" content="工作动态">'
                    f'<title>工作动态</title></head><body><h2>工作动态</h2><ul>{items}</ul>'
                    f'<div class="page">{pages}</div>{note}</body></html>', encoding="utf-8")


def write_article(root, i, text, extra="", mtime=OLD):
    path = root / "xwdt" / f"a{i}.html"
    path.write_text(f'<html><head><meta charset="utf-8"><title>动态{i}</title></head><body><h1>动态{i}</h1>'
                    f'<p>发布时间：2026-11-{10 + i:02d}</p><p>{text}</p>{extra}<a href="/">首页</a></body></html>',
                    encoding="utf-8")
    os.utime(path, (mtime, mtime))


def audit(server, db, out, *extra):
    url = db if isinstance(db, str) else f"sqlite:///{db}"
    proc = gkaudit("audit", "--sites", server.sites_file, "--as-of", AS_OF, "--out", out, "--db", url,
                   "--delay", "0", "--quiet", *extra)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))


def pages(db, run_id):
    engine = create_engine(db if isinstance(db, str) else f"sqlite:///{db}")
    with engine.connect() as con:
        rows = con.execute(text("select url, status, revalidated, title from page where run_id = :r and not probe"),
                           {"r": run_id}).all()
        links = con.execute(text("select count(*) from link where run_id = :r"), {"r": run_id}).scalar()
    engine.dispose()
    return {url.split("/", 3)[3]: (status, revalidated, title) for url, status, revalidated, title in rows}, links


def test_a_repeat_audit_asks_only_for_what_may_have_changed_and_finds_the_same(tmp_path, db_url):
    db = db_url
    with serve(news_site(tmp_path), access_log=True) as server:
        first = audit(server, db, tmp_path / "first")
        start = server.log_size()
        second = audit(server, db, tmp_path / "second")
        asked = server.requests(start)

    fetched = {path for method, path, status in asked}
    assert not any(p.startswith("/xwdt/a") for p in fetched)  # fresh articles: not asked at all
    assert "/files/a.pdf" not in fetched  # nor a fresh attachment
    assert ("GET", "/", 304) in asked and ("GET", "/xwdt/index.html", 304) in asked  # home and list: revalidated
    before, links_before = pages(db, 1)
    after, links_after = pages(db, 2)
    assert after.keys() == before.keys() and links_after == links_before
    assert all(after[u][1] for u in after if before[u][0] == 200)  # every 200 page reused, none re-parsed
    assert {u: (s, t) for u, (s, _, t) in after.items()} == {u: (s, t) for u, (s, _, t) in before.items()}
    assert [(f["id"], f["rule"]) for f in second["findings"]] == [(f["id"], f["rule"]) for f in first["findings"]]
    assert {f["status"] for f in second["findings"]} <= {"open"}
    assert second["resolved"] == []


def is_list(db, run_id, path):
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as con:
        found = con.execute(text("select is_list from page where run_id = :r and url like :u"),
                            {"r": run_id, "u": f"%/{path}"}).scalar()
    engine.dispose()
    return bool(found)


def test_a_changed_page_is_downloaded_and_parsed_again(tmp_path):
    db = tmp_path / "gk.db"
    sites = news_site(tmp_path)
    root = sites / "news" / "root"
    with serve(sites, access_log=True) as server:
        audit(server, db, tmp_path / "first", "--revalidate", "all")
        write_article(root, 2, "更正后的正文", extra='<a href="/xwdt/gone.html">相关链接</a>', mtime=time.time())
        start = server.log_size()
        second = audit(server, db, tmp_path / "second", "--revalidate", "all")
        asked = server.requests(start)

    assert ("GET", "/xwdt/a2.html", 200) in asked  # changed: a new ETag, so a full answer
    assert ("GET", "/xwdt/a1.html", 304) in asked  # `all`: every page asked, unchanged ones answer 304
    after, _ = pages(db, 2)
    assert after["xwdt/a2.html"][1] == 0 and after["xwdt/a1.html"][1] == 1
    dead = [f for f in second["findings"] if f["rule"] == "GWS-DLINK"]
    assert [(f["url"].rsplit("/", 1)[1], f["parent_url"].rsplit("/", 1)[1]) for f in dead] == [("gone.html", "a2.html")]


def test_revalidate_off_downloads_everything_again(tmp_path):
    db = tmp_path / "gk.db"
    with serve(news_site(tmp_path), access_log=True) as server:
        audit(server, db, tmp_path / "first")
        start = server.log_size()
        audit(server, db, tmp_path / "second", "--revalidate", "off")
        asked = server.requests(start)
    assert {status for method, path, status in asked
            if method == "GET" and path.endswith(".html") and "gkaudit-probe" not in path} == {200}
    after, _ = pages(db, 2)
    assert not any(revalidated for _, revalidated, _ in after.values())


def test_pages_stored_by_another_extractor_are_parsed_again(tmp_path):
    """Reused facts must be the facts this gkaudit would extract: a run made by other extraction code is not reused."""
    db = tmp_path / "gk.db"
    with serve(news_site(tmp_path), access_log=True) as server:
        audit(server, db, tmp_path / "first")
        engine = create_engine(f"sqlite:///{db}")
        with engine.begin() as con:  # as an older gkaudit, whose page facts differ, would have left it
            con.execute(text("update run set crawl_options = json_set(crawl_options, '$.facts_version', 'older')"))
        engine.dispose()
        start = server.log_size()
        audit(server, db, tmp_path / "second")
        asked = server.requests(start)
    assert ("GET", "/xwdt/a1.html", 200) in asked
    after, _ = pages(db, 2)
    assert not any(revalidated for _, revalidated, _ in after.values())


def test_a_lists_further_pages_are_reused_while_its_first_page_is_unchanged(tmp_path):
    """A CMS regenerates every page of a column when it publishes into it: page 1 unchanged (304) means the
    pages after it are too, so they are not asked; once page 1 changes, they are asked again."""
    db = tmp_path / "gk.db"
    sites = news_site(tmp_path, per_page=2)
    root = sites / "news" / "root"
    with serve(sites, access_log=True) as server:
        first = audit(server, db, tmp_path / "first")
        start = server.log_size()
        second = audit(server, db, tmp_path / "second")
        asked = server.requests(start)
        write_list_page(root, 0, 0, 2, note="<p>栏目说明已更新</p>")  # republished: a new ETag
        start = server.log_size()
        audit(server, db, tmp_path / "third")
        third = server.requests(start)

    before, links_before = pages(db, 1)
    assert before["xwdt/index_1.html"][0] == before["xwdt/index_2.html"][0] == 200
    assert is_list(db, 1, "xwdt/index_1.html") and is_list(db, 1, "xwdt/index_2.html")
    assert ("GET", "/xwdt/index.html", 304) in asked
    assert not {"/xwdt/index_1.html", "/xwdt/index_2.html"} & {path for _, path, _ in asked}
    after, links_after = pages(db, 2)
    assert {u: (s, t) for u, (s, _, t) in after.items()} == {u: (s, t) for u, (s, _, t) in before.items()}
    assert after["xwdt/index_1.html"][1] == after["xwdt/index_2.html"][1] == 1 and links_after == links_before
    assert [(f["id"], f["rule"]) for f in second["findings"]] == [(f["id"], f["rule"]) for f in first["findings"]]
    assert ("GET", "/xwdt/index.html", 200) in third
    assert {("GET", "/xwdt/index_1.html", 304), ("GET", "/xwdt/index_2.html", 304)} <= set(third)


def test_a_link_the_previous_audit_confirmed_broken_is_not_asked_a_third_time(tmp_path):
    db = tmp_path / "gk.db"
    with serve(news_site(tmp_path, dead_link=True), access_log=True) as server:
        first_start = server.log_size()
        first = audit(server, db, tmp_path / "first")
        first_asked = server.requests(first_start)
        start = server.log_size()
        second = audit(server, db, tmp_path / "second")
        asked = server.requests(start)

    gone = ("GET", "/xwdt/gone.html", 404)
    assert first_asked.count(gone) == 2  # the first audit confirms with a second attempt
    assert asked.count(gone) == 1  # the repeat's answer agrees with the confirmed one: that is the confirmation
    dead = [[(f["rule"], f["id"], f["evidence"]["confirmed"], f["evidence"]["status"]) for f in run["findings"]
             if f["rule"] == "GWS-DLINK"] for run in (first, second)]
    assert dead[0] == dead[1] and len(dead[0]) == 1 and dead[0][0][2:] == (True, 404)


def test_only_further_pages_of_the_same_column_count_as_pagination():
    from core.columns import column_key
    from crawler.revalidate import Previous, PreviousAudits

    base = "http://127.0.0.33:8000/xwdt/"
    news, notices = column_key(base + "index.html", "工作动态"), column_key(base + "tz.html", "通知公告")
    previous = PreviousAudits.__new__(PreviousAudits)  # its lookups only, without a database
    previous.sites = {"news": Previous(7, columns={base + "index.html": news, base + "index_1.html": news,
                                                   base + "index_2.html": news, base + "tz.html": notices},
                                       first_pages={news: base + "index.html", notices: base + "tz.html"},
                                       recent_lists={base + "index.html", base + "index_1.html", base + "tz.html"})}
    assert previous.is_pagination("news", base + "index.html", base + "index_1.html") == 7
    assert previous.is_pagination("news", base + "index_1.html", base + "index.html") is None  # a first page: asked
    assert previous.is_pagination("news", base + "index.html", base + "index_2.html") is None  # fetched too long ago
    assert previous.is_pagination("news", base + "index.html", base + "tz.html") is None  # another column
    assert previous.is_pagination("other", base + "index.html", base + "index_1.html") is None
