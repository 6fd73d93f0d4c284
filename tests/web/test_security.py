"""What keeps gkaudit serve safe to put on a 政务内网: CSRF tokens, cookie flags, login throttling, response headers,
escaping of crawled text, and where a login may send the browser."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from store.users import MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_USER, add_user, audit_log

from .province import HOSTILE, PASSWORD, sign_in


def _login_form(client, path="/login"):
    page = client.get(path)
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def login(client, name, password, next_url="/"):
    token = _login_form(client)
    client.cookies.set("gk_login", token)  # the test client keeps a Secure cookie of an https proxy from plain http
    return client.post("/login", data={"name": name, "password": password, "csrf": token, "next": next_url},
                       follow_redirects=False)


# ---- CSRF

def test_a_post_without_its_csrf_token_is_refused_with_a_chinese_page(client, service):
    csrf = sign_in(client, service[0], "admin")
    form = {"name": "csrf-victim", "role": "readonly", "password": PASSWORD}
    for data, headers in ((form, {}), (form | {"csrf": "wrong"}, {}), (form | {"csrf": ""}, {})):
        refused = client.post("/users", data=data, headers=headers, follow_redirects=False)
        assert refused.status_code == 403
        assert "CSRF" in refused.text and "请求被拒绝" in refused.text
    assert "csrf-victim" not in client.get("/users").text  # nothing was done
    done = client.post("/users", data=form | {"csrf": csrf}, follow_redirects=False)
    assert done.status_code == 303 and "csrf-victim" in client.get("/users").text


def test_another_sessions_token_does_not_pass(client, service):
    other = sign_in(TestClient(service[1]), service[0], "admin")
    sign_in(client, service[0], "admin")
    refused = client.post("/users", data={"name": "x1", "role": "readonly", "password": PASSWORD, "csrf": other},
                          follow_redirects=False)
    assert refused.status_code == 403


def test_htmx_sends_the_token_in_a_header_and_gets_the_row_back(client, service):
    csrf = sign_in(client, service[0], "admin")
    add_user(service[0], "htmx-victim", "readonly", PASSWORD)
    row = client.post("/users/htmx-victim/disable", headers={"HX-Request": "true", "X-CSRF-Token": csrf})
    assert row.status_code == 200 and row.text.lstrip().startswith("<tr") and "已停用" in row.text


def test_the_login_form_needs_its_own_token(client):
    refused = client.post("/login", data={"name": "admin", "password": PASSWORD}, follow_redirects=False)
    assert refused.status_code == 403 and "gk_session" not in refused.headers.get("set-cookie", "")


def test_every_form_carries_the_csrf_token(client, service):
    csrf = sign_in(client, service[0], "admin")
    for path in ("/", "/sites/a", "/runs", "/users"):
        page = client.get(path).text
        forms = re.findall(r"<form\b.*?</form>", page, re.S)
        assert forms, path
        for form in forms:
            assert f'name="csrf" value="{csrf}"' in form, (path, form)


# ---- cookies

def _cookie(response, name):
    return next(h for h in response.headers.get_list("set-cookie") if h.startswith(name + "="))


def test_the_session_cookie_is_httponly_and_samesite_lax_and_not_secure_over_http(service):
    with TestClient(service[1]) as client:
        cookie = _cookie(login(client, "readonly", PASSWORD), "gk_session")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie


def test_the_session_cookie_is_secure_over_https(service):
    with TestClient(service[1], base_url="https://testserver") as client:
        cookie = _cookie(login(client, "readonly", PASSWORD), "gk_session")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" in cookie


def test_the_session_cookie_is_secure_behind_a_trusted_https_proxy(service):
    """uvicorn's proxy headers (gkaudit serve --forwarded-allow-ips): X-Forwarded-Proto https from the proxy."""
    behind = ProxyHeadersMiddleware(service[1], trusted_hosts="testclient")
    with TestClient(behind, headers={"X-Forwarded-Proto": "https"}) as client:
        cookie = _cookie(login(client, "readonly", PASSWORD), "gk_session")
    assert "Secure" in cookie
    untrusted = ProxyHeadersMiddleware(service[1], trusted_hosts="10.9.9.9")
    with TestClient(untrusted, headers={"X-Forwarded-Proto": "https"}) as client:
        assert "Secure" not in _cookie(login(client, "readonly", PASSWORD), "gk_session")


def test_logout_ends_the_session_on_the_server(client, service):
    assert login(client, "readonly", PASSWORD).status_code == 303
    stolen = client.cookies.get("gk_session")
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text).group(1)
    assert client.post("/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    replay = TestClient(service[1])
    replay.cookies.set("gk_session", stolen)
    assert replay.get("/", follow_redirects=False).status_code == 302


# ---- throttling

def test_five_failures_lock_the_name_for_fifteen_minutes_even_with_the_right_password(service):
    add_user(service[0], "throttled", "readonly", PASSWORD)
    with TestClient(service[1]) as client:
        for _ in range(MAX_FAILURES_PER_USER):
            assert login(client, "throttled", "wrong password").status_code == 401
        locked = login(client, "throttled", PASSWORD)
        assert locked.status_code == 429 and "登录失败次数过多" in locked.text and "15 分钟" in locked.text
        assert "gk_session" not in locked.headers.get("set-cookie", "")
        assert login(client, "admin", PASSWORD).status_code == 303  # another name from the same address still may
    assert any(e.action == "login_throttled" and e.actor == "throttled" for e in audit_log(service[0]))


def test_too_many_failures_from_one_address_lock_that_address(tmp_path, rules):
    from .conftest import make_service

    engine, app, _ = make_service(f"sqlite:///{tmp_path / 'gk.db'}", rules)
    with TestClient(app) as client:
        for i in range(MAX_FAILURES_PER_ADDRESS):
            assert login(client, f"guess{i}", "wrong password").status_code == 401
        assert login(client, "admin", PASSWORD).status_code == 429


def test_a_wrong_password_and_an_unknown_name_read_the_same(client):
    assert login(client, "admin", "wrong password").text.count("用户名或密码错误") == 1
    assert login(client, "nobody", "wrong password").text.count("用户名或密码错误") == 1


# ---- headers and escaping

@pytest.mark.parametrize("path", ["/", "/sites/a", "/sites/nosuch", "/login"])
def test_every_answer_forbids_inline_script_and_framing(client, service, path):
    sign_in(client, service[0], "admin")
    response = client.get(path, follow_redirects=False)
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in response.text.replace('<script src="/static/htmx.min.js" defer></script>', "")


def test_crawled_text_is_escaped_and_unsafe_links_are_not_linked(client, service):
    sign_in(client, service[0], "admin")
    for path in ("/sites/a", "/sites/b"):
        page = client.get(path).text
        assert HOSTILE not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<img src=x" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    page = client.get("/sites/b").text
    assert "javascript:alert(3)" in page and 'href="javascript:' not in page


def test_the_site_page_shows_findings_with_evidence_labels_and_deadline(client, service):
    sign_in(client, service[0], "webmaster")
    page = client.get("/sites/a").text
    assert "批次 3（复查）" in page  # the recheck is the newest picture
    assert "链接不可用" in page and "HTTP 状态" in page and "链接文字" in page  # reports/labels.py's words
    assert "2026-12-10" in page  # GWS-DLINK: 15 days after the recheck's 2026-11-25
    assert page.count("<tr class=\"finding") == 1 and "首页底部未标注ICP备案编号" not in page  # fixed by the recheck
    assert page.count("全面检查") == 2 and page.count("复查") >= 2


def test_the_dashboard_shows_verdict_counts_units_and_a_trend(client, service):
    sign_in(client, service[0], "admin")
    page = client.get("/").text
    assert "省生态环境厅" in page and "市生态环境局" in page
    assert page.count("<svg class=\"trend\"") == 3 and "问题数趋势" in page
    assert "批次 3（2026-11-25）" in page  # site a: its recheck; b and c: the second audit
    assert page.count("<td>批次 2（2026-11-20）</td>") == 2


@pytest.mark.parametrize("target,where", [("/runs", "/runs"), ("//evil.example/", "/"),
                                          ("https://evil.example/", "/"), ("/\\evil.example", "/")])
def test_after_login_the_browser_goes_only_to_a_page_of_this_service(service, target, where):
    with TestClient(service[1]) as client:
        assert login(client, "readonly", PASSWORD, next_url=target).headers["location"] == where


def test_a_page_asked_before_login_is_shown_after_it(client):
    to_login = client.get("/runs", follow_redirects=False)
    assert to_login.headers["location"] == "/login?next=/runs"
    token = _login_form(client, to_login.headers["location"])
    page = client.post("/login", data={"name": "readonly", "password": PASSWORD, "csrf": token, "next": "/runs"})
    assert page.status_code == 200 and "检查批次" in page.text
