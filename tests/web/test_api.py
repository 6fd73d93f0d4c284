"""The JSON API as a CMS or a script uses it: bearer tokens (made by the command line or the /tokens page, stored
only as a hash), revoked tokens and disabled users refused, ledger items filtered by status, and POST /check
finding an ID number or a wrong wording on a page before it is published — and nothing on a near miss."""
from __future__ import annotations

import hashlib

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from gkaudit.web.app import create_app
from store.tokens import add_token, revoke_token
from store.users import add_user, disable_user
from tests.conftest import gkaudit

from .province import PASSWORD, one_item_per_site, sign_in

URL = "http://127.0.0.10/xxgk/2026/t1.html"
ARTICLE = """<!doctype html><html><head><meta charset="utf-8"><title>行政处罚决定书</title>
<meta name="ArticleTitle" content="行政处罚决定书"><meta name="PubDate" content="2026-11-18 09:30">
<meta name="ContentSource" content="甲市生态环境局"></head><body>
<div class="TRS_Editor"><p>{body}</p>
<p><a href="/xxgk/list.html">返回列表</a> <a href="http://www.mee.gov.cn/">生态环境部</a></p></div>
</body></html>"""


@pytest.fixture(scope="module")
def items(service):
    return one_item_per_site(service[0])


def bearer(engine, user: str) -> dict:
    return {"Authorization": f"Bearer {add_token(engine, user, 'test')[1]}"}


def check(client, headers, body: str, url: str = URL):
    return client.post("/api/v1/check", headers=headers, json={"url": url, "html": ARTICLE.format(body=body)})


def test_a_webmasters_token_lists_only_their_site_with_its_ledger(client, service, items):
    answer = client.get("/api/v1/sites", headers=bearer(service[0], "webmaster"))
    assert answer.status_code == 200
    sites = answer.json()["sites"]
    assert [s["id"] for s in sites] == ["a"]
    assert sites[0]["name"] == "甲市生态环境局" and sites[0]["ledger"]["open"] == 1  # a-icp closed by the recheck
    assert sites[0]["latest"]["recheck"] is True  # the recheck of run 3 is the newest complete result


def test_items_filter_by_status_and_an_item_carries_its_timeline(client, service, items):
    from store import ledger

    engine, headers = service[0], bearer(service[0], "admin")
    ledger.feedback(engine, items["b"], "已删除错误表述", by="webmaster")
    everything = client.get("/api/v1/sites/b/items", headers=headers).json()["items"]
    fed = client.get("/api/v1/sites/b/items?status=feedback_received", headers=headers).json()["items"]
    assert len(everything) == 2 and [i["id"] for i in fed] == [items["b"]]
    item = client.get(f"/api/v1/items/{items['b']}", headers=headers).json()
    assert [e["kind"] for e in item["events"]] == ["detected", "feedback", "recheck_queued"]
    assert item["events"][1]["note"] == "已删除错误表述" and item["deadline"] == "2026-12-31"
    bad = client.get("/api/v1/sites/b/items?status=nosuch", headers=headers)
    assert bad.status_code == 400 and "未知状态 nosuch" in bad.json()["message"]


def test_a_revoked_token_and_a_disabled_users_token_are_refused(client, service):
    engine = service[0]
    add_user(engine, "api-leaving", "readonly", PASSWORD)
    info, token = add_token(engine, "api-leaving", "脚本")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/sites", headers=headers).status_code == 200
    revoke_token(engine, info.id)
    refused = client.get("/api/v1/sites", headers=headers)
    assert refused.status_code == 401 and "令牌" in refused.json()["message"]
    assert refused.headers["www-authenticate"] == "Bearer"
    _, token = add_token(engine, "api-leaving", "另一个脚本")
    disable_user(engine, "api-leaving")
    assert client.get("/api/v1/sites", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    with engine.connect() as conn:
        stored = [r[0] for r in conn.execute(text("select token_hash from apitoken"))]
    assert token not in stored and hashlib.sha256(token.encode()).hexdigest() in stored


def test_a_session_cookie_opens_no_api_call(client, service):
    """The API reads bearer tokens only: a page's session (which a forged cross-site request would carry) is 401."""
    sign_in(client, service[0], "admin")
    assert client.get("/api/v1/sites").status_code == 401
    assert client.post("/api/v1/check", json={"url": URL, "html": "<p>x</p>"}).status_code == 401


def test_check_finds_an_id_number_and_a_serious_wording_error(client, service):
    answer = check(client, bearer(service[0], "webmaster"),
                   "当事人李某，身份证号码：110101199003071233，为庆祝中华人名共和国成立77周年。")
    assert answer.status_code == 200, answer.text
    found = answer.json()
    rules = sorted(f["rule"] for f in found["findings"])
    assert rules == ["PRIV-01", "WORD-02"]
    priv = next(f for f in found["findings"] if f["rule"] == "PRIV-01")
    assert "110101199003071233" not in answer.text  # the number comes back masked, as in reports
    assert priv["severity"] == "deduct" and priv["url"] == URL
    word = next(f for f in found["findings"] if f["rule"] == "WORD-02")
    assert word["evidence"]["right"] == "中华人民共和国"
    assert {"url": "http://127.0.0.10/xxgk/list.html", "tag": "a", "text": "返回列表", "internal": True} in found["links"]
    assert {"url": "http://www.mee.gov.cn/", "tag": "a", "text": "生态环境部", "internal": False} in found["links"]
    assert found["links_total"] == 2 and found["facts"]["published"] == "2026-11-18"
    assert "GUIDE-05" not in found["rules"]  # a homepage's footer rules only when the page is a homepage


def test_check_near_miss_fires_nothing(client, service):
    """A number that fails the ID checksum, the country's name spelt right, every article meta tag: no finding."""
    answer = check(client, bearer(service[0], "webmaster"),
                   "案卷编号：110101199003071234，为庆祝中华人民共和国成立77周年。")
    assert answer.status_code == 200
    assert answer.json()["findings"] == []
    assert answer.json()["facts"]["personal_data"] == 0


def test_check_of_a_homepage_names_missing_footer_identifiers(client, service):
    home = {"url": "http://127.0.0.10/", "html": "<html><body><p>首页</p></body></html>", "home": True}
    answer = client.post("/api/v1/check", headers=bearer(service[0], "admin"), json=home)
    assert "GUIDE-05" in {f["rule"] for f in answer.json()["findings"]}


@pytest.mark.parametrize("body,status,words", [
    ({"url": URL}, 400, "html"),
    ({"url": "javascript:alert(1)", "html": "<p>x</p>"}, 400, "http://"),
    ({"url": URL, "html": "<p>" + "长" * (1024 * 1024) + "</p>"}, 413, "请求过大"),
])
def test_check_refuses_bad_or_oversized_requests_in_chinese(client, service, body, status, words):
    answer = client.post("/api/v1/check", headers=bearer(service[0], "admin"), json=body)
    assert answer.status_code == status and words in answer.json()["message"]


def test_check_is_rate_limited_per_token(service, rules):
    app = create_app(service[0], rules)
    app.state.check_rate = (3, 60.0)
    one, other = bearer(service[0], "supervisor"), bearer(service[0], "supervisor")
    with TestClient(app) as c:
        assert [check(c, one, "通知").status_code for _ in range(3)] == [200, 200, 200]
        refused = check(c, one, "通知")
        assert refused.status_code == 429
        assert "检查请求过多" in refused.json()["message"] and int(refused.headers["retry-after"]) >= 1
        assert check(c, other, "通知").status_code == 200  # another token has its own allowance


def test_the_tokens_page_shows_a_token_once_and_revokes_only_ones_own(client, service):
    engine = service[0]
    csrf = sign_in(client, engine, "webmaster")
    made = client.post("/tokens", data={"csrf": csrf, "name": "门户CMS"})
    assert made.status_code == 200 and "只显示这一次" in made.text
    token = made.text.split('id="token-made"')[1].split("<code>")[1].split("</code>")[0]
    assert client.get("/api/v1/sites", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert token not in client.get("/tokens").text
    others, _ = add_token(engine, "admin", "管理员的脚本")
    assert client.post(f"/tokens/{others.id}/revoke", data={"csrf": csrf}).status_code == 404
    mine = int(made.text.split('data-token="')[-1].split('"')[0])
    assert client.post(f"/tokens/{mine}/revoke", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    assert client.get("/api/v1/sites", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert client.post("/tokens", data={"name": "无令牌"}).status_code == 403  # CSRF as on every form


def test_token_commands(tmp_path):
    db = f"sqlite:///{tmp_path / 'gk.db'}"
    assert gkaudit("users", "add", "cms", "--role", "webmaster", "--site", "a", "--password-stdin", "--db", db,
                   input=PASSWORD + "\n").returncode == 0
    made = gkaudit("users", "token", "add", "cms", "--for", "门户CMS发布前检查", "--db", db)
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    assert token.startswith("gk_") and "只" not in made.stdout and "之后不再显示" in made.stderr
    listed = gkaudit("users", "token", "list", "--db", db)
    assert "门户CMS发布前检查" in listed.stdout and "有效" in listed.stdout and token not in listed.stdout
    revoked = gkaudit("users", "token", "revoke", "1", "--db", db)
    assert revoked.returncode == 0 and "已吊销用户 cms 的令牌 1" in revoked.stderr
    assert "已吊销" in gkaudit("users", "token", "list", "--db", db).stdout
    unknown = gkaudit("users", "token", "add", "nobody", "--for", "x", "--db", db)
    assert unknown.returncode == 2 and "没有用户 nobody" in unknown.stderr
    assert gkaudit("users", "token", "revoke", "9", "--db", db).returncode == 2


def test_check_for_a_named_site_applies_its_wording_list_and_scope(client, service):
    """A site's own WORD-02 additions (the sites file's wording:, kept with its newest run) apply when the CMS names
    the site; a webmaster naming another site gets 404."""
    from datetime import date, datetime

    from sqlmodel import Session

    from store.models import Run, SiteRun

    engine = service[0]
    with Session(engine) as s:
        run = Run(started_at=datetime(2026, 12, 1).astimezone(), as_of=date(2026, 12, 1), status="running")
        s.add(run)
        s.flush()
        s.add(SiteRun(run_id=run.id, site="a", name="甲市生态环境局", url="http://127.0.0.10/", level="city",
                      supervisor="省生态环境厅", settings={"wording": [
                          {"wrong": "甲市生态环境局局长李四", "right": "甲市生态环境局局长张三", "category": "领导职务",
                           "source": "甲市人民政府任免通知"}]}))
        s.commit()
    headers = bearer(engine, "webmaster")
    body = "甲市生态环境局局长李四出席会议。"
    named = client.post("/api/v1/check", headers=headers, json={"url": URL, "html": ARTICLE.format(body=body),
                                                                "site": "a"})
    assert named.status_code == 200
    assert [(f["rule"], f["evidence"]["right"]) for f in named.json()["findings"]] == [("WORD-02", "甲市生态环境局局长张三")]
    assert check(client, headers, body).json()["findings"] == []  # the province's library alone does not know it
    other = client.post("/api/v1/check", headers=headers, json={"url": URL, "html": "<p>x</p>", "site": "b"})
    assert other.status_code == 404 and other.json()["message"]
