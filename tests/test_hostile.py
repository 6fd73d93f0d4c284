"""A hostile bureau site (fixtures/hostile.py), audited with external links checked: every crawler-side trap of
issue 22 is bounded, the audit ends, and nothing of the auditor's network is asked or published.

The trap server logs every request it receives: the tests read that log to show what never left the crawler.
"""
from __future__ import annotations

import functools
import http.server
import json
import socket
import sqlite3
import threading
from pathlib import Path

import pytest

from fixtures.hostile import ALLOWED, BIGROBOTS, BUREAU, NUMERIC, SECRET, SECRET_BODY, SECRET_TITLE, serve_hostile
from tests.conftest import AS_OF, gkaudit

REFUSED = "目标地址为内网地址，未访问"


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    out, db = tmp / "out", tmp / "gk.db"
    with serve_hostile() as server:
        proc = gkaudit("audit", "--sites", server.sites_file, "--as-of", AS_OF, "--out", out, "--db",
                       f"sqlite:///{db}", "--delay", "0", "--confirm-delay", "0.2", "--external", "on", "--quiet",
                       timeout=600)
        requests = server.requests()
        ports = server.ports
    con = sqlite3.connect(db)
    pages = {r[0]: r[1:] for r in con.execute("select url, status, error, final_url, extra from page")}
    links = dict(con.execute("select page_url, count(*) from link group by page_url").fetchall())
    dump = "\n".join(con.iterdump())
    con.close()
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return {"proc": proc, "requests": requests, "ports": ports, "pages": pages, "links": links, "dump": dump,
            "findings": findings, "out": out}


def url(audited, address, path="/"):
    return f"http://{address}:{audited['ports'][address]}{path}"


def site(audited, site_id):
    return next(s for s in audited["findings"]["sites"] if s["site"] == site_id)


def test_the_audit_ends_without_a_traceback(audited):
    proc = audited["proc"]
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr  # a robots.txt whose connection was refused included …
    robots = [line for line in proc.stderr.splitlines() if "127.0.0.155:9/robots.txt" in line]
    assert len(robots) == 1 and "WARNING" in robots[0]  # … it is one WARNING line


def test_no_request_reaches_an_address_outside_the_allow_list(audited):
    asked = {address for address, _, _ in audited["requests"]}
    assert asked <= {BUREAU, ALLOWED, BIGROBOTS}  # the secret host and the numeric forms' host: nothing
    assert SECRET not in asked and NUMERIC not in asked


def test_a_redirect_to_another_loopback_host_publishes_nothing_of_it(audited):
    status, error, final, _ = audited["pages"][url(audited, BUREAU, "/to-secret.html")]
    assert (status, error) == (None, "private-address") and final == url(audited, SECRET, "/admin/secret.html")
    everything = audited["dump"] + json.dumps(audited["findings"], ensure_ascii=False)
    everything += "".join(p.read_text("utf-8", "replace") for p in Path(audited["out"]).rglob("*")
                          if p.is_file() and p.suffix in (".html", ".json", ".xml", ".csv", ".txt"))
    for secret in (SECRET_TITLE, SECRET_BODY, "SECRET-TITLE", "SECRET-BODY"):
        assert secret not in everything


@pytest.mark.parametrize("path, target", [("/to-postgres.html", "http://127.0.0.1:5432/"),
                                          ("/to-metadata.html", "http://169.254.169.254/latest/meta-data/")])
def test_redirects_to_local_services_and_cloud_metadata_are_refused(audited, path, target):
    assert audited["pages"][url(audited, BUREAU, path)][:3] == (None, "private-address", target)


def test_external_links_to_private_and_numeric_addresses_are_unverified_never_asked(audited):
    numeric = audited["ports"][NUMERIC]
    targets = ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://192.168.1.1/",
               "http://100.64.0.1/", "http://[fe80::1]/", f"http://127.1:{numeric}/short.html",
               f"http://2130706584:{numeric}/n1.html", f"http://0x7f000098:{numeric}/n2.html",
               f"http://0177.0.0.152:{numeric}/n3.html", f"http://[::ffff:127.0.0.152]:{numeric}/n4.html"]
    for target in targets:
        assert audited["pages"][target][:2] == (None, "private-address"), target
    detail = next(n["detail"] for n in site(audited, "hostile")["not_tested"] if n["rule"] == "GWS-DLINK")
    assert REFUSED in detail
    assert not any(f["rule"] == "GWS-DLINK" and "private" in json.dumps(f) for f in audited["findings"]["findings"])


def test_an_ipv6_literal_link_is_not_an_unresolvable_name(audited):
    v6 = f"http://[::1]:{audited['ports'][BUREAU]}/v6.html"
    assert audited["pages"][v6][1] == "private-address"  # loopback, refused: not 域名无法解析


def test_an_allow_listed_host_is_asked_and_a_delete_address_never_gets_a_get_after_405(audited):
    asked = [(m, p) for a, m, p in audited["requests"] if a == ALLOWED]
    assert ("HEAD", "/admin/delete?id=1") in asked and ("GET", "/admin/delete?id=1") not in asked
    assert ("GET", "/report.html") in asked  # near miss: an ordinary address is fetched after its 405
    assert audited["pages"][url(audited, ALLOWED, "/admin/delete?id=1")][:2] == (None, "unsafe-get")
    assert audited["pages"][url(audited, ALLOWED, "/report.html")][0] == 200


def test_a_page_of_a_million_links_stores_at_most_the_cap_and_counts_the_rest(audited):
    page = url(audited, BUREAU, "/million.html")
    status, _, _, extra = audited["pages"][page]
    assert status == 200 and audited["links"][page] == 5000
    assert json.loads(extra)["links_over_cap"] == 995_000
    notes = [n["detail"] for n in site(audited, "hostile")["not_tested"] if n["reason"] == "budget"]
    assert any("超出的 995000 个链接未检查" in n for n in notes)
    assert not any(p.startswith(url(audited, BUREAU, "/m")) and p != page and p.rsplit("m", 1)[-1].isdigit()
                   and int(p.rsplit("m", 1)[-1]) >= 5000 for p in audited["pages"])


def test_links_after_nesting_depth_256_are_followed(audited):
    for path in ("/deep-1.html", "/deep-2.html", "/after-deep.html"):
        assert audited["pages"][url(audited, BUREAU, path)][0] == 200, path


def test_an_oversized_page_is_named_in_words(audited):
    for path in ("/oversize.html", "/oversize-chunked.html"):
        assert audited["pages"][url(audited, BUREAU, path)][1] == "too-large"
    detail = next(n["detail"] for n in site(audited, "hostile")["not_tested"] if n["rule"] == "GWS-DLINK")
    assert "文件超过下载上限" in detail and "Cancelled" not in json.dumps(audited["findings"])


def test_a_robots_txt_too_large_to_read_forbids_the_whole_site(audited):
    asked = [p for a, _, p in audited["requests"] if a == BIGROBOTS]
    assert asked == ["/robots.txt"]  # its /hidden/ folder (disallowed past the size bound) was never crawled
    whole = site(audited, "bigrobots")
    assert whole["verdict"] == "not_tested"
    assert [n["reason"] for n in whole["not_tested"] if n["rule"] is None] == ["robots"]


def test_a_site_at_an_ipv6_literal_is_crawled_over_ipv6(tmp_path):
    """http://[::1]:port/ names its address: asked over IPv6, never looked up as a name (域名无法解析)."""
    root = tmp_path / "root"
    root.mkdir()
    (root / "index.html").write_text('<html><head><title>IPv6 测试局</title></head><body><a href="/a.html">一</a>'
                                     '</body></html>', encoding="utf-8")
    (root / "a.html").write_text("<html><head><title>一</title></head><body>一</body></html>", encoding="utf-8")

    class V6Server(http.server.ThreadingHTTPServer):
        address_family = socket.AF_INET6

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a: None
    server = V6Server(("::1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://[::1]:{server.server_address[1]}/"
        sites = tmp_path / "sites.yaml"
        sites.write_text(f"sites:\n  - {{id: v6, name: IPv6测试局, level: city, url: '{base}'}}\n", encoding="utf-8")
        db = tmp_path / "gk.db"
        proc = gkaudit("audit", "--sites", sites, "--as-of", AS_OF, "--out", tmp_path / "out", "--db", f"sqlite:///{db}",
                       "--delay", "0", "--network", "off", "--quiet")
    finally:
        server.shutdown()
    assert proc.returncode in (0, 1), proc.stderr
    con = sqlite3.connect(db)
    rows = dict(con.execute("select url, coalesce(status, error) from page where not probe").fetchall())
    con.close()
    assert rows == {base: 200, f"{base}a.html": 200}
