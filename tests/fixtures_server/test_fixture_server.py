"""The fixture server (fixtures/server.py) and the bundled sample bureau sites (fixtures/sites/)."""
from __future__ import annotations

import http.client
import re
import socket
import subprocess
import sys
import time
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from fixtures.server import DEFAULT_SITES_DIR, REPO_ROOT, load_sites, serve

SITES = {s.id: s for s in load_sites(DEFAULT_SITES_DIR)}
FULL_SITES = ["sthjt-trs", "sthjj-hanweb", "clean-gkmlpt"]
GBK_PATH = "/art/2026/11/16/art_1002_5101.html"
HEAL_PATH = "/xwzx/gzdt/content/post_2095.html"


def request(base: str, path: str, method: str = "GET", headers=None, timeout: float = 5.0):
    """(status, headers dict with lower-case names, body bytes) for one request on a fresh connection."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def fx():
    with serve() as server:
        yield server


# A scratch sites dir with one fault of every kind, and a second, fully challenged site.
FAULTS = {
    "/status500.html": {"status": 500},
    "/heal.html": {"heal_after": 2},
    "/slow.html": {"delay": 0.3},
    "/hang.html": {"hang": True},
    "/reset.html": {"reset": True},
    "/jsl.html": {"challenge": "jsl"},
    "/acw.html": {"challenge": "acw_sc__v2"},
    "/moved.html": {"redirect": "/page.html"},
    "/loop.html": {"redirect_loop": True},
    "/gone/soft.html": {"soft404": True},
    "/gbk.html": {"headers": {"Content-Type": "text/html"}},
    "/glob/*.html": {"status": 502},
    "/switched-off.html": {"status": 500, "enabled": False},
}


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    root = tmp_path_factory.mktemp("sites")
    site = root / "faulty"
    (site / "root" / "dir").mkdir(parents=True)
    (site / "root" / "glob").mkdir()
    (site / "site.yaml").write_text("id: faulty\nname: 故障测试局\nlevel: county\naddress: 127.0.0.9\n", "utf-8")
    (site / "faults.yaml").write_text(yaml.safe_dump({"faults": FAULTS}, allow_unicode=True), "utf-8")
    for name in ["page.html", "status500.html", "heal.html", "slow.html", "hang.html", "reset.html", "jsl.html",
                 "acw.html", "moved.html", "loop.html", "switched-off.html", "glob/a.html"]:
        (site / "root" / name).write_text(f"<html><body>{name} 正常页面</body></html>", "utf-8")
    (site / "root" / "dir" / "index.html").write_text("<html><body>目录首页</body></html>", "utf-8")
    (site / "root" / "gbk.html").write_bytes('<meta charset="gb2312"><p>生态环境局</p>'.encode("gbk"))
    blocked = root / "walled"
    (blocked / "root").mkdir(parents=True)
    (blocked / "root" / "index.html").write_text("<html>secret</html>", "utf-8")
    (blocked / "site.yaml").write_text("id: walled\nname: 挑战局\nlevel: city\naddress: 127.0.0.10\n", "utf-8")
    (blocked / "faults.yaml").write_text('faults:\n  "*": {challenge: acw_sc__v2}\n', "utf-8")
    with serve(root) as server:
        yield server


# ------------------------------------------------------------------------------- the bundled sites

def test_each_site_answers_on_its_own_address(fx):
    assert set(fx.urls) == set(SITES)
    for sid, url in fx.urls.items():
        assert urlsplit(url).hostname == SITES[sid].address
        status, headers, body = request(url, "/")
        assert headers["x-fixture-site"] == sid
        if sid == "blocked-jsl":
            assert status == 521
        else:
            assert status == 200
            assert SITES[sid].name.endswith(re.search(rb'name="SiteName" content="([^"]+)"', body)[1].decode())


def test_addresses_are_the_documented_ones():
    assert {sid: s.address for sid, s in SITES.items()} == {
        "sthjt-trs": "127.0.0.2", "sthjj-hanweb": "127.0.0.3", "blocked-jsl": "127.0.0.4",
        "clean-gkmlpt": "127.0.0.5", "traps": "127.0.0.6"}
    assert {sid: s.level for sid, s in SITES.items()} == {
        "sthjt-trs": "province", "sthjj-hanweb": "city", "blocked-jsl": "city", "clean-gkmlpt": "county",
        "traps": "city"}


def test_routing_ignores_the_host_header(fx):
    hanweb_host = urlsplit(fx.urls["sthjj-hanweb"]).netloc
    status, headers, body = request(fx.urls["sthjt-trs"], "/", headers={"Host": hanweb_host})
    assert status == 200 and headers["x-fixture-site"] == "sthjt-trs"
    assert "江南省生态环境厅".encode() in body
    status, _, _ = request(fx.urls["sthjt-trs"], "/col/col1001/index.html", headers={"Host": hanweb_host})
    assert status == 404


def test_sites_file_is_a_valid_gkaudit_sites_file(fx):
    data = yaml.safe_load(fx.sites_file.read_text("utf-8"))
    entries = {e["id"]: e for e in data["sites"]}
    assert set(entries) == set(SITES)
    for sid, e in entries.items():
        assert e["url"] == fx.urls[sid] and e["level"] in ("province", "city", "county")
        assert e["name"] and e["supervisor"]
    try:
        from core.sites import load_sites as gk_load
    except ImportError:  # pragma: no cover - the gkaudit package is developed alongside
        return
    assert [s.id for s in gk_load(fx.sites_file).sites] == list(entries)


def test_only_serves_the_named_sites():
    with serve(only="sthjt-trs") as one:
        assert list(one.urls) == ["sthjt-trs"]
        assert [e["id"] for e in yaml.safe_load(one.sites_file.read_text("utf-8"))["sites"]] == ["sthjt-trs"]


def test_gbk_page_bytes_are_served_unchanged(fx):
    status, headers, body = request(fx.urls["sthjj-hanweb"], GBK_PATH)
    assert status == 200
    assert headers["content-type"] == "text/html"
    assert body == (SITES["sthjj-hanweb"].root / GBK_PATH.lstrip("/")).read_bytes()
    assert b'<meta charset="gb2312">' in body
    assert "燃煤锅炉".encode("gbk") in body and "燃煤锅炉".encode("utf-8") not in body


def test_html_defaults_to_utf8_and_pdf_is_a_pdf(fx):
    _, headers, _ = request(fx.urls["sthjt-trs"], "/xxdt/tzgg/index.html")
    assert headers["content-type"] == "text/html; charset=utf-8"
    status, headers, body = request(fx.urls["sthjt-trs"], "/zcfg/zcwj/202611/P020261110123456789012.pdf")
    assert status == 200 and headers["content-type"] == "application/pdf" and body.startswith(b"%PDF-")
    _, headers, _ = request(fx.urls["clean-gkmlpt"], "/gkmlpt/index")
    assert headers["content-type"] == "text/html; charset=utf-8"


def test_blocked_site_challenges_every_path(fx):
    for path in ("/", "/robots.txt", "/index.html", "/anything/else.html"):
        status, headers, body = request(fx.urls["blocked-jsl"], path)
        assert status == 521 and b"__jsl_clearance" in body
        assert "__jsluid_s=" in headers["set-cookie"]


def test_trs_pagination_only_through_create_page_html(fx):
    _, _, body = request(fx.urls["sthjt-trs"], "/xxdt/tzgg/index.html")
    assert b'<script>createPageHTML(3, 0, "index", "html");</script>' in body
    assert b"index_1.html" not in body and b"index_2.html" not in body
    for page in ("index_1.html", "index_2.html"):
        assert request(fx.urls["sthjt-trs"], "/xxdt/tzgg/" + page)[0] == 200


def test_hanweb_lists_only_in_datastore(fx):
    _, _, body = request(fx.urls["sthjj-hanweb"], "/col/col1001/index.html")
    text = body.decode("utf-8")
    assert "<datastore>" in text and "<recordset>" in text
    assert '<record><![CDATA[<li><a href="/art/2026/10/1/art_1001_5003.html"' in text
    assert "<ul class=\"list\">" not in text


def test_trs_robots_and_private_path(fx):
    status, headers, body = request(fx.urls["sthjt-trs"], "/robots.txt")
    assert status == 200 and b"Disallow: /private/" in body
    _, _, home = request(fx.urls["sthjt-trs"], "/")
    assert b'href="/private/oa/index.html"' in home


def test_heal_after_on_the_clean_site(fx):
    assert request(fx.urls["clean-gkmlpt"], HEAL_PATH)[0] == 503
    assert request(fx.urls["clean-gkmlpt"], HEAL_PATH)[0] == 200


@pytest.mark.parametrize("sid", sorted(SITES))
def test_expected_manifest_paths(fx, sid):
    manifest = yaml.safe_load((SITES[sid].dir / "expected.yaml").read_text("utf-8"))
    assert isinstance(manifest["findings"], list)
    assert ("blocked" in (manifest.get("not_tested") or [])) == (sid == "blocked-jsl")
    base = fx.urls[sid]
    for f in manifest["findings"]:
        assert set(f) <= {"rule", "kind", "path", "parent_path"}, f
        if f["kind"] in ("column-stale", "column-blank"):
            status, _, body = request(base, f["path"])
            assert status == 200, f
            assert b'name="ColumnName"' in body
            if f["kind"] == "column-blank":
                assert "暂无信息".encode() in body
        elif f["kind"] == "link-broken" and "#" in f["path"]:  # a #fragment whose anchor is missing
            path, frag = f["path"].split("#", 1)
            status, _, body = request(base, path)
            assert status == 200 and f'id="{frag}"'.encode() not in body, f
        elif f["kind"] == "link-broken":
            status, _, body = request(base, f["path"])
            assert status == 404 or (status == 200 and "页面不存在".encode() in body), f  # a soft 404
            status, _, parent = request(base, f["parent_path"])
            assert status == 200
            hrefs = re.findall(rb'(?:href|src)="([^"]+)"', parent)
            targets = {urlsplit(urljoin(base.rstrip("/") + f["parent_path"], h.decode())).path for h in hrefs}
            assert f["path"] in targets, f
        else:  # homepage-level and item findings: the page exists
            status, _, _ = request(base, f["path"])
            assert status == 200, f


def test_manifest_rules_and_kinds():
    """Manifests name rules of the catalog and kinds of the vocabulary (a typo would make an e2e test vacuous)."""
    from core.vocab import FINDING_KINDS as KINDS
    from checks.rules import load_rules
    from core.resources import RULES_DIR

    rules = {r.id for r in load_rules(RULES_DIR)}
    for sid, site in SITES.items():
        manifest = yaml.safe_load((site.dir / "expected.yaml").read_text("utf-8"))
        for f in manifest["findings"]:
            assert f["rule"] in rules and f["kind"] in KINDS, (sid, f)


def _html_files(sid):
    root = SITES[sid].root
    for p in sorted(root.rglob("*")):
        if p.is_file() and (p.suffix == ".html" or p.parent.name == "gkmlpt"):
            raw = p.read_bytes()
            yield "/" + p.relative_to(root).as_posix(), raw.decode("gb18030" if b'charset="gb2312"' in raw else "utf-8")


@pytest.mark.parametrize("sid", FULL_SITES)
def test_pages_carry_design_spec_metas(sid):
    n = 0
    for path, text in _html_files(sid):
        n += 1
        assert 'name="SiteName"' in text and 'name="SiteDomain"' in text, path
        assert ('name="SiteIDCode"' in text) == (sid != "sthjj-hanweb"), path
        assert "当前位置：" in text or path == "/index.html", path
        assert 'id="_jiucuo_"' in text, path
        # planted GUIDE-06: sthjj-hanweb's homepage lost the conac badge; every other page shows it
        assert ("_ideConac" in text) == ((sid, path) != ("sthjj-hanweb", "/index.html")), path
        if 'name="ArticleTitle"' in text:
            assert re.search(r'name="PubDate" content="\d{4}-\d\d-\d\d \d\d:\d\d"', text), path
            assert 'name="ContentSource"' in text, path
            assert "发布时间" in text or "发布日期" in text or "更新时间" in text, path
    assert 15 <= n <= 60  # small hand-written sites (issue 5 added the catalog columns)


def test_footer_identifiers_as_planted():
    def home(sid):
        return (SITES[sid].root / "index.html").read_text("utf-8")
    trs, hanweb, clean = home("sthjt-trs"), home("sthjj-hanweb"), home("clean-gkmlpt")
    assert "网站标识码" in trs and "ICP备" in trs and "公网安备" not in trs and "beian.gov.cn" not in trs
    assert "网站标识码" not in hanweb and "ICP备" in hanweb and "公网安备" in hanweb
    assert "sitecode='3290000021'" in trs and "网站标识码：3290000012" in trs  # planted GUIDE-07: 找错 sitecode differs
    assert "_ideConac" not in hanweb and "sitecode='3290010023'" in hanweb  # planted GUIDE-06
    assert "_ideConac" in clean and "sitecode='3290010305'" in clean
    assert all(s in clean for s in ("网站标识码：3290010305", "苏ICP备12045678号", "苏公网安备 32900102000289号",
                                     "recordcode=32900102000289", "© 2003-2026", "主办单位", "联系电话"))


# ----------------------------------------------------------------------------------------- faults

def test_missing_file_is_a_real_404(faulty):
    status, headers, body = request(faulty.urls["faulty"], "/no/such/page.html")
    assert status == 404 and "页面不存在".encode() in body


def test_directory_serves_index_and_redirects_without_slash(faulty):
    base = faulty.urls["faulty"]
    assert request(base, "/dir/")[2] == "<html><body>目录首页</body></html>".encode()
    status, headers, _ = request(base, "/dir")
    assert status == 301 and headers["location"].endswith("/dir/")


def test_status_and_glob_and_switch(faulty):
    base = faulty.urls["faulty"]
    assert request(base, "/status500.html")[0] == 500
    assert request(base, "/glob/a.html")[0] == 502
    assert request(base, "/switched-off.html")[0] == 200


def test_heal_after(faulty):
    base = faulty.urls["faulty"]
    assert [request(base, "/heal.html")[0] for _ in range(4)] == [503, 503, 200, 200]


def test_delay(faulty):
    start = time.monotonic()
    status, _, body = request(faulty.urls["faulty"], "/slow.html")
    assert status == 200 and b"slow.html" in body
    assert time.monotonic() - start >= 0.28


def test_hang(faulty):
    with pytest.raises((socket.timeout, TimeoutError)):
        request(faulty.urls["faulty"], "/hang.html", timeout=0.4)


def test_reset(faulty):
    with pytest.raises((ConnectionResetError, http.client.RemoteDisconnected, ConnectionAbortedError)):
        request(faulty.urls["faulty"], "/reset.html")


def test_challenges(faulty):
    status, _, body = request(faulty.urls["faulty"], "/jsl.html")
    assert status == 521 and b"__jsl_clearance" in body and b"jsl.html" not in body
    status, headers, body = request(faulty.urls["faulty"], "/acw.html")
    assert status == 200 and b"acw_sc__v2" in body and b"arg1=" in body
    status, _, body = request(faulty.urls["walled"], "/index.html")
    assert status == 200 and b"acw_sc__v2" in body and b"secret" not in body


def test_redirects(faulty):
    base = faulty.urls["faulty"]
    status, headers, _ = request(base, "/moved.html")
    assert status == 302 and headers["location"] == base.rstrip("/") + "/page.html"
    status, headers, _ = request(base, "/loop.html")
    assert status == 302 and headers["location"] == base.rstrip("/") + "/loop.html"


def test_soft404(faulty):
    status, _, body = request(faulty.urls["faulty"], "/gone/soft.html")
    assert status == 200 and "页面不存在".encode() in body


def test_header_override_and_raw_bytes(faulty):
    status, headers, body = request(faulty.urls["faulty"], "/gbk.html")
    assert status == 200 and headers["content-type"] == "text/html"
    assert body == '<meta charset="gb2312"><p>生态环境局</p>'.encode("gbk")


def test_head_and_conditional_get(faulty):
    base = faulty.urls["faulty"]
    status, headers, body = request(base, "/page.html", method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 0
    etag = headers["etag"]
    assert request(base, "/page.html", headers={"If-None-Match": etag})[0] == 304


def test_probe_bypasses_faults_and_counters(faulty):
    base = faulty.urls["faulty"]
    assert request(base, "/jsl.html", headers={"X-Fixture-Probe": "1"})[0] == 204


# -------------------------------------------------------------------------------------------- CLI

def test_cli_reports_a_failed_bind_clearly():
    with socket.socket() as busy:
        busy.bind(("127.0.0.2", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "fixtures.server", "--only", "sthjt-trs", "--port", str(port)],
                              cwd=str(REPO_ROOT), capture_output=True, text=True, timeout=20)
    assert proc.returncode == 2
    assert f"127.0.0.2:{port}" in proc.stderr and "sthjt-trs" in proc.stderr


def test_cli_rejects_unknown_site():
    proc = subprocess.run([sys.executable, "-m", "fixtures.server", "--only", "nope"], cwd=str(REPO_ROOT),
                          capture_output=True, text=True, timeout=20)
    assert proc.returncode == 2 and "nope" in proc.stderr


def test_serve_works_from_another_cwd(tmp_path):
    code = ("from fixtures.server import serve\n"
            "with serve(only=['clean-gkmlpt']) as fx:\n"
            "    print(fx.urls['clean-gkmlpt'], fx.sites_file.exists())\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=str(tmp_path), capture_output=True, text=True,
                          timeout=30, env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("http://127.0.0.5:") and proc.stdout.strip().endswith("True")


# ------------------------------------------------------------------------------------------ traps

TRAPS_UTF16 = "/xwzx/gzdt/content/post_3110.html"
TRAPS_META_LIES = "/xwzx/gzdt/content/post_3104.html"
TRAPS_GBK = "/zwgk/zcwj/content/post_3298.html"


def test_traps_encodings_are_served_as_planted(fx):
    base = fx.urls["traps"]
    status, headers, body = request(base, TRAPS_UTF16)
    assert status == 200 and headers["content-type"] == "text/html; charset=gb2312"
    assert body.startswith(b"\xff\xfe") and 'charset=gb2312'.encode("utf-16-le") in body
    assert "大气污染防治攻坚推进会" in body.decode("utf-16")
    status, headers, body = request(base, TRAPS_META_LIES)
    assert headers["content-type"] == "text/html" and b'<meta charset="gbk">' in body
    assert "饮用水水源地".encode("utf-8") in body
    status, headers, body = request(base, TRAPS_GBK)
    assert headers["content-type"] == "text/html" and b"charset" not in body.lower()
    assert "建设项目环境监管".encode("gbk") in body and "建设项目环境监管".encode("utf-8") not in body


def test_traps_faults_and_robots(fx):
    base = fx.urls["traps"]
    status, _, body = request(base, "/robots.txt")
    assert b"Disallow: /zfxxgk/xxgknb/" in body
    _, _, home = request(base, "/")
    for path in ("/zfxxgk/xxgknb/index.html", "/ztzl/zyhbdc/index.html", "/hdjl/zxft/index.html", "/wsbs/index.html"):
        assert f'href="{path}"'.encode() in home, path
    assert request(base, "/zfxxgk/xxgknb/index.html")[0] == 200  # it exists; only robots.txt hides it
    status, _, body = request(base, "/zwgk/zcwj/content/post_3305.html")
    assert status == 200 and b"acw_sc__v2" in body
    status, headers, _ = request(base, "/xwzx/gzdt/old/news_3090.html")
    assert status == 302 and headers["location"].endswith("/xwzx/gzdt/content/post_3090.html")
    status, headers, _ = request(base, "/wsbs/index.html")
    assert status == 302 and headers["location"].endswith("/wsbs/index.html")
    status, _, body = request(base, "/ztzl/zyhbdc/index.html")
    assert status == 200 and "页面不存在".encode() in body
    with pytest.raises(socket.timeout):
        request(base, "/hdjl/zxft/index.html", timeout=0.4)
    # 通知公告: no item carries a date, in the list or in the articles
    _, _, tzgg = request(base, "/xwzx/tzgg/index.html")
    items = tzgg.decode("utf-8").split('class="list"')[1].split("</ul>")[0]
    assert items.count("<li>") == 3 and not re.search(r"20\d\d\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d", items)


def _id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of a resident ID number."""
    p = 0
    for ch in first17:
        p = (p + int(ch)) * 2 % 11
    return "0123456789X"[(12 - p) % 11]


def test_planted_personal_data():
    """PRIV-01/02 are planted on purpose (fictional people), the clean site shows only masked numbers."""
    trs = (SITES["sthjt-trs"].root / "xxgk/fdzdgknr/202611/t20261105_1395.html").read_text("utf-8")
    ids = re.findall(r"(?<![0-9A-Za-z])[1-8]\d{16}[\dXx](?![0-9A-Za-z])", trs)
    assert ids == ["329001198506120030"] and _id_check_char(ids[0][:17]) == ids[0][-1]
    hanweb = (SITES["sthjj-hanweb"].root / "art/2026/10/20/art_1002_5080.html").read_text("utf-8")
    assert "13900001234" in hanweb
    for _, text in _html_files("clean-gkmlpt"):
        assert not re.search(r"(?<!\d)(1[3-9]\d{9}|[1-8]\d{16}[\dXx])(?!\d)", text)
