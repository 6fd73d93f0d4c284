"""Every route × every role × own / other site, from one table: what the policy (gkaudit/web/policy.py) answers
is what a user gets. A webmaster (or a supervisor) asking for a site outside their scope gets 404, as for a site
that does not exist; an action the role may never do is 403; without a session a page sends to the login form
and a POST is refused (it carries no session's CSRF token).

Own site: a (甲, under 省生态环境厅: the supervisor's unit, the webmaster's site); other site: b (乙, 市生态环境局).
A ledger item's routes are asked of an item of each site ({own}, {other}; a POST acts on a fresh item in the state
the action needs), and of a number that does not exist ({missing}).
"""
from __future__ import annotations

import itertools

import pytest
from fastapi.routing import APIRoute

from gkaudit.web.policy import POLICY

from store.snapshots import digest
from store.tokens import add_token

from .province import PASSWORD, SNAPSHOT, USERS, item_of, new_item, one_item_per_site, sign_in

ROLES = ["anonymous", *USERS]  # anonymous: no session

# (method, path) → expected status per role, in the order of ROLES. 302 → the login form; 303 → done, redirected.
MATRIX = {
    ("GET", "/"): (302, 200, 200, 200, 200),
    ("GET", "/sites/a"): (302, 200, 200, 200, 200),  # own site
    ("GET", "/sites/b"): (302, 200, 404, 404, 200),  # another site
    ("GET", "/sites/nosuch"): (302, 404, 404, 404, 404),
    ("GET", "/runs"): (302, 200, 200, 403, 200),
    ("GET", "/users"): (302, 200, 403, 403, 403),
    ("POST", "/users"): (403, 303, 403, 403, 403),
    ("POST", "/users/{victim}/disable"): (403, 303, 403, 403, 403),
    ("POST", "/logout"): (403, 303, 303, 303, 303),
    ("GET", "/login"): (200, 303, 303, 303, 303),
    # the 整改台账: every role reads its own sites' items; the webmaster reports back, the supervisor decides
    ("GET", "/ledger"): (302, 200, 200, 200, 200),
    ("GET", "/items/{own}"): (302, 200, 200, 200, 200),
    ("GET", "/items/{other}"): (302, 200, 404, 404, 200),
    ("GET", "/items/{missing}"): (302, 404, 404, 404, 404),
    ("GET", "/items/{own}/snapshot/{digest}"): (302, 200, 200, 200, 200),
    ("GET", "/items/{other}/snapshot/{digest}"): (302, 404, 404, 404, 404),  # not a snapshot of that item
    ("POST", "/items/{own}/feedback"): (403, 403, 403, 303, 403),
    ("POST", "/items/{other}/feedback"): (403, 403, 403, 404, 403),
    ("POST", "/items/{missing}/feedback"): (403, 403, 403, 404, 403),
    ("POST", "/items/{own}/dispute"): (403, 403, 403, 303, 403),
    ("POST", "/items/{other}/dispute"): (403, 403, 403, 404, 403),
    ("POST", "/items/{own}/decide"): (403, 403, 303, 403, 403),
    ("POST", "/items/{other}/decide"): (403, 403, 404, 403, 403),
    ("POST", "/items/{own}/waive"): (403, 403, 303, 403, 403),
    ("POST", "/items/{other}/waive"): (403, 403, 404, 403, 403),
    ("POST", "/items/{own}/comment"): (403, 303, 303, 303, 403),
    ("POST", "/items/{other}/comment"): (403, 303, 404, 404, 403),
    ("GET", "/audits"): (302, 200, 200, 403, 403),
    ("POST", "/audits/recheck"): (403, 303, 303, 403, 403),  # site a
    ("POST", "/audits/recheck#b"): (403, 303, 404, 403, 403),  # site b
    ("POST", "/audits/run"): (403, 303, 303, 403, 403),  # job-a: the sites of the supervisor's unit
    ("POST", "/audits/run#job-all"): (403, 303, 404, 403, 403),  # every site: not all the supervisor's
    ("POST", "/audits/run#nosuch"): (403, 404, 404, 403, 403),
    ("GET", "/tokens"): (302, 200, 200, 200, 200),
    ("POST", "/tokens"): (403, 200, 200, 200, 200),
    ("POST", "/tokens/{own_token}/revoke"): (403, 303, 303, 303, 303),
}
# The JSON API: a bearer token of each role instead of a session (anonymous: none). 401 without a token; errors are
# JSON with a Chinese message. {own_item} is an item of site a, {other_item} one of site b.
API_MATRIX = {
    ("GET", "/api/v1/sites"): (401, 200, 200, 200, 200),
    ("GET", "/api/v1/sites/a/items"): (401, 200, 200, 200, 200),
    ("GET", "/api/v1/sites/b/items"): (401, 200, 404, 404, 200),
    ("GET", "/api/v1/sites/nosuch/items"): (401, 404, 404, 404, 404),
    ("GET", "/api/v1/items/{own_item}"): (401, 200, 200, 200, 200),
    ("GET", "/api/v1/items/{other_item}"): (401, 200, 404, 404, 200),
    ("GET", "/api/v1/items/999999"): (401, 404, 404, 404, 404),
    ("GET", "/api/v1/runs"): (401, 200, 200, 403, 200),
    ("POST", "/api/v1/check"): (401, 200, 200, 200, 200),
}
FORMS = {"feedback": {"note": "已修改页脚", "done": "2026-11-21"}, "dispute": {"reason": "该链接可以打开"},
         "decide": {"decision": "reject", "note": "仍无法打开"}, "waive": {"reason": "栏目已停用", "expires": "2099-01-01"},
         "comment": {"note": "请尽快处理"}}
CASES = [(method, path, role, MATRIX[(method, path)][ROLES.index(role)])
         for (method, path), role in itertools.product(MATRIX, ROLES)]
API_CASES = [(method, path, role, API_MATRIX[(method, path)][ROLES.index(role)])
             for (method, path), role in itertools.product(API_MATRIX, ROLES)]


@pytest.fixture(scope="module")
def items(service):
    return one_item_per_site(service[0])


@pytest.mark.parametrize("method,path,role,expected", CASES, ids=[f"{m} {p} {r}" for m, p, r, _ in CASES])
def test_route_role_site(client, service, method, path, role, expected):
    engine = service[0]
    csrf = sign_in(client, engine, role) if role != "anonymous" else ""
    victim = f"victim-{role}-{len(path)}"
    if "{victim}" in path:
        from store.users import add_user
        add_user(engine, victim, "readonly", PASSWORD)
        path = path.format(victim=victim)
    data = {"csrf": csrf}
    if path == "/users":
        data |= {"name": f"new-{role}", "role": "readonly", "password": PASSWORD}
    if path.startswith("/audits/recheck"):
        path, _, site = path.partition("#")
        data["site"] = site or "a"
    if path.startswith("/audits/run"):
        path, _, job = path.partition("#")
        data["job"] = job or "job-a"
    if path.startswith("/items/"):
        action = path.rsplit("/", 1)[-1]
        if method == "POST":  # a fresh item per case, in the state the action needs
            status = "disputed" if action == "decide" else "open"
            path = path.format(own=new_item(engine, "a", status), other=new_item(engine, "b", status), missing=99999)
            data |= FORMS[action]
        else:
            path = path.format(own=item_of(engine, "a-icp"), other=item_of(engine, "b-link"), missing=99999,
                               digest=digest(SNAPSHOT))
    if path == "/tokens":
        data |= {"name": "门户CMS"}
    if "{own_token}" in path:
        path = path.format(own_token=add_token(engine, role if role != "anonymous" else "admin", "待吊销")[0].id)
    response = client.request(method, path, data=data if method == "POST" else None, follow_redirects=False)
    assert response.status_code == expected, response.text[:500]
    if expected == 302:
        assert response.headers["location"].startswith("/login?next=")
    if expected in (403, 404):
        assert "出错了" in response.text  # a Chinese page, not a bare status


@pytest.mark.parametrize("method,path,role,expected", API_CASES, ids=[f"{m} {p} {r}" for m, p, r, _ in API_CASES])
def test_api_route_role_site(client, service, items, method, path, role, expected):
    engine = service[0]
    client.cookies.clear()  # the API reads no session: a cookie would prove nothing here
    headers = {"Authorization": f"Bearer {add_token(engine, role, 'matrix')[1]}"} if role != "anonymous" else {}
    path = path.format(own_item=items["a"], other_item=items["b"])
    body = {"url": "http://127.0.0.10/news/1.html", "html": "<html><body><p>通知</p></body></html>"}
    response = client.request(method, path, headers=headers, json=body if method == "POST" else None)
    assert response.status_code == expected, response.text[:500]
    assert response.headers["content-type"].startswith("application/json")
    if expected >= 400:
        assert response.json()["error"] == expected and response.json()["message"]  # Chinese, never bare


def test_the_matrix_covers_every_route_of_the_service(service):
    """A new page must be added to MATRIX (and its action to the policy) before it ships."""
    app = service[1]
    names = {"{site_id}": "a", "{name}": "{victim}", "{token_id}": "{own_token}"}
    routes = set()
    for route in app.routes:
        if isinstance(route, APIRoute):
            path = route.path.replace("{item_id}", "{own_item}" if route.path.startswith("/api/") else "{own}")
            for name, value in names.items():
                path = path.replace(name, value)
            routes |= {(method, path) for method in route.methods}
    assert routes <= set(MATRIX) | set(API_MATRIX), routes - set(MATRIX) - set(API_MATRIX)


def test_the_policy_table(service):
    """What each role may do, in the service's one place for it."""
    assert {action: sorted(roles) for action, roles in POLICY.items()} == {
        "dashboard.view": ["admin", "readonly", "supervisor", "webmaster"],
        "site.view": ["admin", "readonly", "supervisor", "webmaster"],
        "runs.view": ["admin", "readonly", "supervisor"],
        "users.manage": ["admin"],
        "ledger.view": ["admin", "readonly", "supervisor", "webmaster"],
        "item.view": ["admin", "readonly", "supervisor", "webmaster"],
        "item.comment": ["admin", "supervisor", "webmaster"],
        "item.feedback": ["webmaster"],
        "item.dispute": ["webmaster"],
        "item.decide": ["supervisor"],
        "item.waive": ["supervisor"],
        "audits.view": ["admin", "supervisor"],
        "audits.recheck": ["admin", "supervisor"],
        "audits.run": ["admin", "supervisor"],
        "tokens.manage": ["admin", "readonly", "supervisor", "webmaster"],
        "api.check": ["admin", "readonly", "supervisor", "webmaster"],
    }


@pytest.mark.parametrize("role,sites", [("admin", ["a", "b", "c"]), ("readonly", ["a", "b", "c"]),
                                        ("supervisor", ["a", "c"]), ("webmaster", ["a"])])
def test_the_dashboard_lists_only_the_sites_in_scope(client, service, role, sites):
    sign_in(client, service[0], role)
    page = client.get("/").text
    shown = [s for s in ("a", "b", "c") if f'data-site="{s}"' in page]
    assert shown == sites
    if role == "webmaster":
        assert "乙市生态环境局" not in page and "<td>市生态环境局</td>" not in page  # nor the other unit's counts


def test_the_run_list_names_only_sites_in_scope(client, service):
    sign_in(client, service[0], "supervisor")
    page = client.get("/runs").text
    assert "甲市生态环境局" in page and "丙县生态环境局" in page and "乙市生态环境局" not in page


def test_a_disabled_users_session_ends(client, service):
    from store.users import add_user, disable_user, list_users, start_session

    engine = service[0]
    add_user(engine, "leaving", "readonly", PASSWORD)
    token, _ = start_session(engine, next(u for u in list_users(engine) if u.name == "leaving"))
    client.cookies.set("gk_session", token)
    assert client.get("/", follow_redirects=False).status_code == 200
    disable_user(engine, "leaving")
    assert client.get("/", follow_redirects=False).status_code == 302
