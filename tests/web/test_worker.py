"""The recheck worker against the fixture server, on SQLite and PostgreSQL: a bureau's 「已整改」 queues the item,
the worker rechecks the site and the item closes (销号) when the page is fixed, reopens when it is not; a recheck
that cannot reach the site, or a site another crawl holds, never closes anything and is retried later."""
from __future__ import annotations

from datetime import timedelta

import pytest

from core.clock import now
from core.resources import RULES_DIR
from gkaudit.locks import SiteLock
from gkaudit.worker import Worker, due_sites
from store import connect, ledger
from tests.conftest import audited_samples, gkaudit
from tests.test_recheck import FOOTER_FIXED, FOOTER_OLD

SITE = "sthjt-trs"


@pytest.fixture
def audited(tmp_path, db_url):
    """(engine, site root, the fixture server, the GUIDE-05 item: 公安备案 missing from the footer)."""
    with audited_samples(tmp_path, db_url, SITE) as (server, sites):
        engine = connect(db_url)
        item = next(i for i in ledger.list_items(engine, site=SITE) if "GUIDE-05" in i.rules)
        yield engine, sites / SITE / "root", server, item
        engine.dispose()


def _fix_footer(root):
    index = root / "index.html"
    index.write_text(index.read_text(encoding="utf-8").replace(FOOTER_OLD, FOOTER_FIXED), encoding="utf-8")


def test_reported_fixed_and_fixed_closes_the_item(audited, db_url, tmp_path):
    engine, root, _server, item = audited
    other = next(i for i in ledger.list_items(engine, site=SITE) if i.id != item.id and i.status == "open")
    ledger.feedback(engine, item.id, "页脚已补充公安备案号", "webmaster")
    ledger.feedback(engine, other.id, "已处理", "webmaster")  # reported fixed, but nothing changed on the site
    _fix_footer(root)
    worker = Worker(db_url, RULES_DIR, tmp_path / "rechecks")
    done = worker.run_round()
    worker.engine.dispose()
    assert [o.site for o in done] == [SITE] and done[0].state == "done", done[0].note
    assert ledger.get_item(engine, item.id).status == "closed"
    assert ledger.get_item(engine, other.id).status == "open"  # found again: 复查未通过
    assert done[0].closed == [item.id] and done[0].reopened == [other.id]
    kinds = [e.kind for e in ledger.timeline(engine, item.id)]
    assert kinds[-3:] == ["feedback", "recheck_queued", "recheck_passed"]
    assert "recheck_failed" in [e.kind for e in ledger.timeline(engine, other.id)]
    assert ledger.recheck_queue(engine) == []
    assert list((tmp_path / "rechecks" / SITE).glob("*/index.html"))  # the recheck's report is written


def test_an_unreachable_site_never_closes_and_is_retried_later(audited, db_url, tmp_path):
    engine, root, server, item = audited
    ledger.feedback(engine, item.id, "页脚已补充公安备案号", "webmaster")
    _fix_footer(root)
    server.process.terminate()  # the site goes away before the recheck
    server.process.wait(timeout=30)
    worker = Worker(db_url, RULES_DIR, tmp_path / "rechecks")
    done = worker.run_round()
    assert done[0].state == "incomplete" and done[0].waiting == [item.id]
    assert ledger.get_item(engine, item.id).status == "feedback_received"
    last = ledger.timeline(engine, item.id)[-1]
    assert last.kind == "recheck_incomplete" and "未能检测" in last.note and "已整改待复查" in last.note
    queue = ledger.recheck_queue(engine)
    assert [q.site for q in queue] == [SITE] and queue[0].last_attempt is not None
    assert due_sites(queue, timedelta(minutes=30), now()) == []  # not hammered: tried again after 30 minutes
    assert due_sites(queue, timedelta(minutes=30), now() + timedelta(minutes=31)) == [SITE]
    assert worker.run_round() == []
    worker.engine.dispose()


def test_a_site_another_crawl_holds_waits_for_the_next_round(audited, db_url, tmp_path):
    engine, root, _server, item = audited
    ledger.feedback(engine, item.id, "页脚已补充公安备案号", "webmaster")
    _fix_footer(root)
    holder = SiteLock(connect(db_url))
    assert holder.acquire(SITE)
    worker = Worker(db_url, RULES_DIR, tmp_path / "rechecks")
    try:
        busy = worker.run_round()
        assert busy[0].state == "busy" and ledger.get_item(engine, item.id).status == "feedback_received"
        assert ledger.recheck_queue(engine)[0].last_attempt is None  # not an attempt: due again at once
    finally:
        holder.release_all()
    again = worker.run_round()
    worker.engine.dispose()
    assert again[0].state == "done" and ledger.get_item(engine, item.id).status == "closed"


def test_gkaudit_worker_once_for_cron(audited, db_url, tmp_path):
    engine, root, _server, item = audited
    nothing = gkaudit("worker", "--once", "--db", db_url, "--out", tmp_path / "rechecks")
    assert nothing.returncode == 0 and "没有到期需要复查的站点" in nothing.stderr
    ledger.feedback(engine, item.id, "页脚已补充公安备案号", "webmaster")
    _fix_footer(root)
    done = gkaudit("worker", "--once", "--db", db_url, "--out", tmp_path / "rechecks")
    assert done.returncode == 0, done.stderr
    assert f"站点 {SITE}：复查运行" in done.stderr and "销号 1 项" in done.stderr
    assert ledger.get_item(engine, item.id).status == "closed"
    unknown = gkaudit("worker", "--site", "nosuch", "--db", db_url, "--out", tmp_path / "rechecks")
    assert unknown.returncode == 2 and "没有检查过站点 nosuch" in unknown.stderr and SITE in unknown.stderr


def test_a_job_run_now_from_the_audits_page_audits_its_sites(audited, db_url, tmp_path):
    """「立即运行」: the worker runs the schedules file's job as the scheduler would; the audit is stored, its
    reports written, and the ledger takes it in (the fixed footer closes the GUIDE-05 item)."""
    engine, root, server, item = audited
    schedules = tmp_path / "schedules.yaml"
    schedules.write_text(f"timezone: Asia/Shanghai\nsites: {server.sites_file}\njobs:\n  - id: monthly\n    kind: audit\n"
                         f"    cron: \"0 2 1 * *\"\n    group: all\n    crawl: {{delay: 0}}\n", encoding="utf-8")
    _fix_footer(root)
    worker = Worker(db_url, RULES_DIR, tmp_path / "rechecks", schedules=schedules, jobs_out=tmp_path / "jobs")
    worker.request_job("monthly")
    assert worker.pending_jobs() == ["monthly"]
    worker.run_round()
    worker.engine.dispose()
    outcome = worker.job_history[0]
    assert (outcome.job, outcome.code) == ("monthly", 0), outcome.note
    assert outcome.summary() == "任务 monthly：已完成"
    assert list((tmp_path / "jobs").rglob("index.html"))  # the audit's reports
    assert ledger.get_item(engine, item.id).status == "closed"
    assert worker.pending_jobs() == [] and worker.current_job is None
