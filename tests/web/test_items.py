"""The 整改台账 in gkaudit serve, on SQLite and PostgreSQL: an item's page (problem, escaped evidence, sandboxed
snapshot, deadline and 逾期, timeline), what the webmaster and the supervisor do on it, the audit log of who did
it, the overdue list, and the audits page's queue."""
from __future__ import annotations

import re
from datetime import date, datetime

from fastapi.testclient import TestClient

from gkaudit.web.app import create_app
from store import connect, ledger
from store.bulk import insert_rows
from store.models import Finding, LedgerItem
from store.snapshots import digest
from store.users import audit_log

from .conftest import make_service
from .province import HOSTILE, SNAPSHOT, add_users, fill, item_of, new_item, sign_in, take_in


def _csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def test_the_loop_on_each_database(db_url, rules, tmp_path):
    engine, app, _runs = make_service(db_url, rules, tmp_path / "rechecks")
    link = item_of(engine, "a-link")
    with TestClient(app) as client:
        sign_in(client, engine, "supervisor")  # the dashboard counts each site's unsettled and overdue items
        counts = r'data-site="(\w)".*?class="unsettled">(\d+)</td>\s*<td class="overdue-count">(?:<a[^>]*>)?(\d+)'
        rows = re.findall(counts, client.get("/").text, re.S)
        assert rows == [("a", "1", "1"), ("c", "1", "0")]
        csrf = sign_in(client, engine, "webmaster")
        page = client.get(f"/items/{link}").text
        assert "链接不可用" in page and "2026-11-10" in page and "逾期" in page  # the deadline first fixed
        assert HOSTILE not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # crawled text is text
        assert "&lt;img src=x onerror=alert(2)&gt;" in page
        assert "检测发现" in page  # the timeline
        assert "已整改，申请复查" in page and "误报申诉" in page and "裁决申诉" not in page
        done = client.post(f"/items/{link}/feedback", data={"csrf": csrf, "note": f"已修复链接{HOSTILE}",
                                                            "done": "2026-11-21"}, follow_redirects=False)
        assert done.status_code == 303 and done.headers["location"] == f"/items/{link}"
        page = client.get(f"/items/{link}").text
        assert "已整改待复查（逾期）" in page and "完成时间 2026-11-21" in page and "来自 网页" in page
        assert "已修复链接&lt;script&gt;" in page and "webmaster" in page  # who, escaped
        # the supervisor sees it in the overdue list (only the sites of their units)
        sign_in(client, engine, "supervisor")
        overdue = client.get("/ledger?view=overdue").text
        assert f'data-item="{link}"' in overdue and "乙市生态环境局" not in overdue
        csrf = sign_in(client, engine, "webmaster")
        again = client.post(f"/items/{link}/dispute", data={"csrf": csrf, "reason": "该链接可以打开"})
        assert again.status_code == 200 and "误报申诉中" in again.text
        # the supervisor rejects the dispute: the item is open again, its deadline unchanged
        csrf = sign_in(client, engine, "supervisor")
        decided = client.post(f"/items/{link}/decide", data={"csrf": csrf, "decision": "reject", "note": "仍无法打开"},
                              follow_redirects=False)
        assert decided.status_code == 303
        item = ledger.get_item(engine, link)
        assert item.status == "open" and str(item.deadline) == "2026-11-10"
        waived = client.post(f"/items/{link}/waive", data={"csrf": csrf, "reason": "栏目已停用", "expires": "2099-01-01"},
                             follow_redirects=False)
        assert waived.status_code == 303 and ledger.get_item(engine, link).status == "waived"
        assert "豁免至 2099-01-01" in client.get(f"/items/{link}").text
    actions = [(e.actor, e.action) for e in audit_log(engine)]
    for who, what in (("webmaster", "item_feedback"), ("webmaster", "item_dispute"), ("supervisor", "item_decide"),
                      ("supervisor", "item_waive")):
        assert (who, what) in actions
    engine.dispose()


def test_an_action_that_does_not_fit_is_explained_and_changes_nothing(client, service):
    engine = service[0]
    closed = item_of(engine, "a-icp")  # closed by the recheck
    csrf = sign_in(client, engine, "webmaster")
    refused = client.post(f"/items/{closed}/feedback", data={"csrf": csrf, "note": "已整改"})
    assert refused.status_code == 400 and "当前状态为「已销号」，不能反馈已整改" in refused.text
    item = new_item(engine, "a")
    for data, message in (({"note": ""}, "请填写整改情况"), ({"note": "x", "done": "2026-13-01"}, "完成时间应为 YYYY-MM-DD"),
                          ({"note": "x", "done": "2099-01-01"}, "晚于今天"), ({"note": "x" * 2001}, "最多 2000 个字符")):
        bad = client.post(f"/items/{item}/feedback", data={"csrf": csrf} | data)
        assert bad.status_code == 400 and message in bad.text, message
    assert ledger.get_item(engine, item).status == "open"
    assert [e.kind for e in ledger.timeline(engine, item)] == []


def test_comments_and_decisions_are_in_the_timeline(client, service):
    engine = service[0]
    item = new_item(engine, "a", "disputed")
    csrf = sign_in(client, engine, "supervisor")
    assert client.post(f"/items/{item}/comment", data={"csrf": csrf, "note": "请补充截图"},
                       follow_redirects=False).status_code == 303
    assert client.post(f"/items/{item}/decide", data={"csrf": csrf, "decision": "accept"},
                       follow_redirects=False).status_code == 303
    page = client.get(f"/items/{item}").text
    assert "留言" in page and "请补充截图" in page and "申诉成立，豁免" in page and "已豁免" in page
    assert [e.kind for e in ledger.timeline(engine, item)] == ["comment", "dispute_accepted"]


def test_the_snapshot_is_inert_and_sandboxed(client, service):
    engine = service[0]
    sign_in(client, engine, "webmaster")
    item = item_of(engine, "a-icp")
    page = client.get(f"/items/{item}").text
    assert f"/items/{item}/snapshot/{digest(SNAPSHOT)}" in page
    shot = client.get(f"/items/{item}/snapshot/{digest(SNAPSHOT)}")
    assert shot.status_code == 200 and "本页为检测时的快照" in shot.text
    assert "<script" not in shot.text.lower()
    assert shot.headers["content-security-policy"].startswith("sandbox;")
    assert client.get(f"/items/{item}/snapshot/{'0' * 20}").status_code == 404


def test_the_audits_page_shows_the_queue_and_queues_a_recheck_now(client, service):
    engine = service[0]
    item = new_item(engine, "c")
    ledger.feedback(engine, item, "已整改", "webmaster")
    csrf = sign_in(client, engine, "supervisor")
    page = client.get("/audits").text
    assert 'data-site="c"' in page and f'href="/items/{item}"' in page and 'data-site="b"' not in page
    assert client.post("/audits/recheck", data={"csrf": csrf, "site": "c"}, follow_redirects=False).status_code == 303
    assert "即将复查：丙县生态环境局" in client.get("/audits").text
    assert ("supervisor", "recheck_now", "c") in [(e.actor, e.action, e.target) for e in audit_log(engine)]


def test_the_site_page_lists_its_open_items(client, service):
    engine = service[0]
    sign_in(client, engine, "webmaster")
    page = client.get("/sites/a").text
    assert f'href="/items/{item_of(engine, "a-link")}"' in page
    assert f'data-item="{item_of(engine, "a-icp")}"' not in page  # closed (销号) by the recheck


def test_the_dashboard_counts_closures_this_month_and_first_time_right_as_they_happen(tmp_path, rules):
    """A webmaster reports a-icp fixed; the dashboard (built once per state of the data) shows the report at once,
    then the recheck's 销号 as 本月销号 1 and 一次整改通过率 100 % for site a and its unit."""
    engine = connect(f"sqlite:///{tmp_path / 'gk.db'}")
    runs = fill(engine, with_ledger=False)
    add_users(engine)
    app = create_app(engine, rules)

    def site_a(page):
        row = re.search(r'data-site="a".*?class="unsettled">(\d+)</td>.*?class="closed-month">(\d+)</td>\s*'
                        r'<td class="first-time">([^<]+)</td>', page, re.S)
        return row.groups()

    take_in(engine, runs["first"])
    take_in(engine, runs["second"])
    icp = item_of(engine, "a-icp")
    with TestClient(app) as client:
        sign_in(client, engine, "supervisor")
        assert site_a(client.get("/").text) == ("2", "0", "—")
        csrf = sign_in(client, engine, "webmaster")
        assert client.post(f"/items/{icp}/feedback", data={"csrf": csrf, "note": "已补充备案号"},
                           follow_redirects=False).status_code == 303
        sign_in(client, engine, "supervisor")
        assert site_a(client.get("/").text) == ("2", "0", "—")  # reported, not yet rechecked
        take_in(engine, runs["recheck"])  # the recheck no longer finds a-icp
        page = client.get("/").text
        assert site_a(page) == ("1", "1", "100%")
        assert "本月销号 1 项，一次整改通过率 100%" in page
        units = re.search(r"<td>省生态环境厅</td>(.*?)</tr>", page, re.S).group(1)
        assert units.endswith("<td>1</td><td>100%</td>")
    engine.dispose()


def test_long_lists_come_a_page_at_a_time(tmp_path, rules):
    """A province's ledger holds ~100,000 items and a site's audit ~500 findings: the ledger list shows 200 items a
    page and the site page 100 findings a page, with the pages named, and a page number past the end shows the last."""
    engine = connect(f"sqlite:///{tmp_path / 'gk.db'}")
    runs = fill(engine)
    add_users(engine)
    at = datetime.now().astimezone()
    with engine.begin() as conn:
        insert_rows(conn, LedgerItem, [
            {"key": f"c-many-{n}", "problem": f"c-many-{n}", "fingerprints": [], "site": "c", "rules": ["GWS-DLINK"],
             "kind": "link-broken", "severity": "deduct", "message": f"第{n}个链接不可用", "url": f"http://c/{n}",
             "first_run": runs["second"], "first_found": date(2026, 11, 20), "deadline": date(2099, 1, 1),
             "last_run": runs["second"], "last_seen": date(2026, 11, 20), "status": "open", "updated_at": at}
            for n in range(300)])
        insert_rows(conn, Finding, [
            {"run_id": runs["second"], "site": "c", "rule": "GWS-DLINK", "kind": "link-broken", "severity": "deduct",
             "url": f"http://c/{n:03d}.html", "message": f"第{n:03d}号链接不可用", "evidence": {}, "points": 0.1,
             "fingerprint": f"c-f-{n}", "status": "open"} for n in range(150)])
    with TestClient(create_app(engine, rules)) as client:
        sign_in(client, engine, "admin")
        total = ledger.count_items(engine, statuses=ledger.ACTIVE)
        first = client.get("/ledger").text
        assert f"共 {total} 项，第 1–200 项" in first and "第 1 / 2 页" in first and "上一页" not in first
        assert first.count('<tr class="item') == 200
        second = client.get("/ledger?page=2").text
        assert second.count('<tr class="item') == total - 200 and "上一页" in second and "下一页" not in second
        assert client.get("/ledger?page=99").text.count('<tr class="item') == total - 200
        site = client.get("/sites/c").text
        assert "第 1–100 项，共 151 项" in site and site.count('<tr class="finding') == 100
        rest = client.get("/sites/c?page=2").text
        assert "第 101–151 项，共 151 项" in rest and rest.count('<tr class="finding') == 51
        shown = re.findall(r"第(\d{3})号链接不可用", site + rest)
        assert sorted(shown) == [f"{n:03d}" for n in range(150)]  # every finding once, none lost between pages
    engine.dispose()


def test_the_audits_page_lists_the_jobs_one_may_run_and_queues_one_now(client, service):
    engine = service[0]
    csrf = sign_in(client, engine, "supervisor")
    page = client.get("/audits").text
    assert 'data-job="job-a"' in page and 'data-job="job-all"' not in page  # job-all crawls 乙, not theirs
    assert "全面检查" in page and "0 2 1 * *" in page and "甲市生态环境局、丙县生态环境局" in page
    assert client.post("/audits/run", data={"csrf": csrf, "job": "job-a"}, follow_redirects=False).status_code == 303
    assert "即将运行任务：job-a" in client.get("/audits").text
    assert ("supervisor", "job_run_now", "job-a") in [(e.actor, e.action, e.target) for e in audit_log(engine)]
    sign_in(client, engine, "admin")
    assert 'data-job="job-all"' in client.get("/audits").text
