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


def news_site(tmp_path):
    """A homepage, one dated list (栏目) and its articles; the articles' files are old, as a CMS leaves them."""
    site = tmp_path / "sites" / "news"
    root = site / "root"
    (root / "xwdt").mkdir(parents=True)
    (site / "site.yaml").write_text("id: news\nname: 新闻测试局\nlevel: city\naddress: 127.0.0.33\n", encoding="utf-8")
    (root / "index.html").write_text(
        '<html><head><meta charset="utf-8"><title>新闻测试局</title></head><body>'
        '<a href="/xwdt/index.html">工作动态</a></body></html>', encoding="utf-8")
    items = "".join(f'<li><a href="/xwdt/a{i}.html">动态{i}</a><span>2026-11-{10 + i:02d}</span></li>'
                    for i in range(ARTICLES))
    (root / "xwdt" / "index.html").write_text(
        f'<html><head><meta charset="utf-8"><title>工作动态</title></head><body><h2>工作动态</h2><ul>{items}</ul>'
        '</body></html>', encoding="utf-8")
    for i in range(ARTICLES):
        write_article(root, i, f"正文{i}", extra='<a href="/files/a.pdf">附件</a>' if i == 0 else "")
    (root / "files").mkdir()
    (root / "files" / "a.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 2000)
    os.utime(root / "files" / "a.pdf", (OLD, OLD))
    return tmp_path / "sites"


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
