"""整改台账 on SQLite and PostgreSQL: runs open, keep, close and reopen items; what people do is recorded; the
deadline is fixed at first detection; an incomplete or blocked run never closes anything."""
from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, select

from core.workdays import rectification_deadline
from store import connect, ledger
from store.models import LedgerEvent, Run, RuleOutcome, SiteResult, SiteRun, Waiver
from store.runs import RECHECK_LABEL

A, B = "a", "b"


def run(engine, as_of: date, *, status="complete", recheck=False, verdicts=None, tested=("R1", "R2")) -> int:
    """A judged run of sites a and b: verdict per site (default fail), rules R1/R2 tested on each."""
    verdicts = verdicts or {A: "fail", B: "fail"}
    with Session(engine) as session:
        r = Run(started_at=datetime(2026, 11, 20, 9).astimezone(), as_of=as_of, status=status,
                sites_file=f"{RECHECK_LABEL} 1" if recheck else "sites.yaml")
        session.add(r)
        session.commit()
        for site, verdict in verdicts.items():
            session.add(SiteRun(run_id=r.id, site=site, name=site, url=f"http://{site}/", level="city"))
            session.add(SiteResult(run_id=r.id, site=site, verdict=verdict, counts={}))
            for rule in ("R1", "R2"):
                session.add(RuleOutcome(run_id=r.id, site=site, rule=rule,
                                        outcome="fail" if rule in tested else "not_tested"))
        session.commit()
        return r.id


def seen(problem: str, site: str = A, rule: str = "R1", as_of: date = date(2026, 11, 20), days: int = 15,
         waived: bool = False) -> ledger.Seen:
    return ledger.Seen(problem, (problem,), site, (rule,), "link-broken", "deduct", f"{problem} 链接不可用",
                       f"http://{site}/{problem}", rectification_deadline(as_of, days), waived)


def events(engine, item_id: int) -> list[str]:
    return [e.kind for e in ledger.timeline(engine, item_id)]


def item(engine, problem: str) -> ledger.Item:
    found = ledger.find_items(engine, problem)
    assert len(found) == 1, found
    return found[0]


def test_a_problem_is_detected_once_and_its_deadline_never_moves(db_url):
    engine = connect(db_url)
    first = run(engine, date(2026, 11, 20))
    applied = ledger.record_run(engine, first, [seen("p1"), seen("p2", B)])
    assert applied.detected == 2
    p1 = item(engine, "p1")
    # 15 working days after Friday 2026-11-20 on the official calendar: Friday 2026-12-11
    assert (p1.status, p1.first_found, p1.first_run, p1.deadline) == ("open", date(2026, 11, 20), first,
                                                                      date(2026, 12, 11))
    later = run(engine, date(2026, 11, 25), recheck=True)
    ledger.record_run(engine, later, [seen("p1", as_of=date(2026, 11, 25)), seen("p2", B, as_of=date(2026, 11, 25))])
    assert item(engine, "p1").deadline == date(2026, 12, 11)  # not 2026-12-16
    assert events(engine, p1.id) == ["detected"]  # seen again: nothing to record
    assert not item(engine, "p1").overdue
    assert ledger.get_item(engine, p1.id, today=date(2026, 12, 14)).overdue
    assert [i.id for i in ledger.list_items(engine, overdue=True, today=date(2026, 12, 14))] == [p1.id, item(engine, "p2").id]
    assert ledger.list_items(engine, overdue=True, today=date(2026, 12, 11)) == []
    ledger.feedback(engine, p1.id, "已整改")
    assert ledger.get_item(engine, p1.id, today=date(2026, 12, 14)).status_label == "已整改待复查（逾期）"


def test_a_complete_run_that_tested_it_closes_an_item_and_a_return_reopens_it(db_url):
    engine = connect(db_url)
    ledger.record_run(engine, run(engine, date(2026, 11, 20)), [seen("p1"), seen("p2", rule="R2"), seen("p3", B)])
    # R2 not tested this time, site b blocked: only p1 may close
    second = run(engine, date(2026, 11, 27), verdicts={A: "pass", B: "not_tested"}, tested=("R1",))
    applied = ledger.record_run(engine, second, [])
    assert applied.closed == 1
    assert [item(engine, p).status for p in ("p1", "p2", "p3")] == ["closed", "open", "open"]
    assert events(engine, item(engine, "p1").id) == ["detected", "recheck_passed"]
    third = run(engine, date(2026, 12, 4))
    applied = ledger.record_run(engine, third, [seen("p1", as_of=date(2026, 12, 4)), seen("p2", rule="R2"),
                                                seen("p3", B)])
    assert applied.reopened == 1
    p1 = item(engine, "p1")
    assert p1.status == "open" and p1.deadline == date(2026, 12, 11)
    assert events(engine, p1.id) == ["detected", "recheck_passed", "reopened"]


def test_an_interrupted_run_closes_nothing_but_records_what_it_found(db_url):
    engine = connect(db_url)
    ledger.record_run(engine, run(engine, date(2026, 11, 20)), [seen("p1")])
    interrupted = run(engine, date(2026, 11, 27), status="incomplete")
    applied = ledger.record_run(engine, interrupted, [seen("p9")])
    assert (applied.closed, applied.detected) == (0, 1)
    assert item(engine, "p1").status == "open"


def test_feedback_then_recheck_closes_or_fails_and_is_recorded_once(db_url):
    engine = connect(db_url)
    ledger.record_run(engine, run(engine, date(2026, 11, 20)), [seen("p1"), seen("p2")])
    p1, p2 = item(engine, "p1"), item(engine, "p2")
    assert ledger.feedback(engine, p1.id, "已补全公安备案号", "张三", date(2026, 11, 24))
    assert not ledger.feedback(engine, p1.id, "已补全公安备案号", "张三", date(2026, 11, 24))  # the same, again
    assert ledger.feedback(engine, p2.id, "已修复链接", "李四")
    assert ledger.queued_rechecks(engine) == {A: [p1.id, p2.id]}
    assert item(engine, "p1").status_label == "已整改待复查"
    recheck = run(engine, date(2026, 11, 25), recheck=True)
    applied = ledger.record_run(engine, recheck, [seen("p2")])  # p1 fixed, p2 not
    assert (applied.closed, applied.failed) == (1, 1)
    assert item(engine, "p1").status == "closed" and item(engine, "p1").status_label == "已销号"
    assert events(engine, p1.id) == ["detected", "feedback", "recheck_queued", "recheck_passed"]
    assert item(engine, "p2").status == "open"
    assert events(engine, p2.id) == ["detected", "feedback", "recheck_queued", "recheck_failed"]
    feedback = ledger.timeline(engine, p1.id)[1]
    assert (feedback.note, feedback.by, feedback.data["done"]) == ("已补全公安备案号", "张三", "2026-11-24")
    # taking the same run in again changes nothing; an older run judged again leaves the site alone
    assert ledger.record_run(engine, recheck, [seen("p2")]).closed == 0
    with Session(engine) as session:
        assert len(session.exec(select(LedgerEvent)).all()) == 8
    try:
        ledger.feedback(engine, p1.id, "再次反馈", "张三")
        raise AssertionError("feedback on a closed item must be refused")
    except ledger.LedgerError as exc:
        assert "已销号" in str(exc)


def test_a_dispute_is_accepted_as_a_waiver_or_rejected(db_url):
    engine = connect(db_url)
    ledger.record_run(engine, run(engine, date(2026, 11, 20)), [seen("p1"), seen("p2")])
    p1, p2 = item(engine, "p1"), item(engine, "p2")
    ledger.dispute(engine, p1.id, "该链接为内网系统入口，外网不可达属正常", "网站管理员")
    ledger.dispute(engine, p2.id, "误报", "网站管理员")
    assert item(engine, "p1").status_label == "误报申诉中"
    ledger.decide(engine, p1.id, True, "监管员")
    ledger.decide(engine, p2.id, False, "监管员", "链接确实打不开")
    assert (item(engine, "p1").status, item(engine, "p2").status) == ("waived", "open")
    assert events(engine, p1.id) == ["detected", "disputed", "dispute_accepted"]
    assert ledger.dispute_outcomes(engine) == {"R1": (1, 1)}  # counted against the rule's precision
    with Session(engine) as session:
        waivers = session.exec(select(Waiver)).all()
    assert [(w.fingerprint, w.rule) for w in waivers] == [("p1", "R1")] and "内网" in waivers[0].reason
    # a waived item found again (still waived) stays waived; a waiver that expired reopens it
    later = run(engine, date(2026, 11, 27))
    ledger.record_run(engine, later, [seen("p1", waived=True), seen("p2")])
    assert item(engine, "p1").status == "waived"
    ledger.record_run(engine, run(engine, date(2026, 12, 27)), [seen("p1"), seen("p2")])
    assert item(engine, "p1").status == "open" and events(engine, p1.id)[-1] == "reopened"


def test_a_problem_whose_id_changes_keeps_its_item(db_url):
    """Two rules' findings about one thing are one problem; when one of them stops firing, the problem id becomes
    the other finding's own id: the same item, same deadline."""
    engine = connect(db_url)
    grouped = ledger.Seen("g1", ("f1", "f2"), A, ("R1", "R2"), "link-broken", "deduct", "附件打不开", "http://a/x.pdf",
                          date(2026, 12, 11))
    ledger.record_run(engine, run(engine, date(2026, 11, 20)), [grouped])
    alone = ledger.Seen("f1", ("f1",), A, ("R1",), "link-broken", "deduct", "附件打不开", "http://a/x.pdf",
                        date(2026, 12, 18))
    applied = ledger.record_run(engine, run(engine, date(2026, 11, 27)), [alone])
    assert (applied.detected, applied.closed) == (0, 0)
    moved = item(engine, "f1")
    assert (moved.key, moved.problem, moved.deadline, moved.status) == ("g1", "f1", date(2026, 12, 11), "open")


def test_site_totals_count_by_status_and_overdue(db_url):
    engine = connect(db_url)
    ledger.record_run(engine, run(engine, date(2026, 11, 20)), [seen("p1"), seen("p2"), seen("p3", B)])
    ledger.feedback(engine, item(engine, "p2").id, "已整改")
    totals = {t.site: t for t in ledger.site_totals(engine, today=date(2026, 12, 14))}
    assert (totals[A].open, totals[A].feedback_received, totals[A].overdue) == (1, 1, 2)
    assert (totals[B].open, totals[B].overdue, totals[B].closed) == (1, 1, 0)


def test_first_time_right_counts_the_first_recheck_after_a_report_and_closures_count_by_month(db_url):
    """一次整改通过率: p1 reported fixed and closed by its first recheck; p2 reported, still found, reported again
    and closed (not first time right); p3 and b's p5 closed without any report (not counted); p4 never reported."""
    engine = connect(db_url)
    ledger.record_run(engine, run(engine, date(2026, 11, 20)), [seen(p) for p in ("p1", "p2", "p3", "p4")] + [seen("p5", B)])
    for p in ("p1", "p2"):
        ledger.feedback(engine, item(engine, p).id, "已整改")
    ledger.record_run(engine, run(engine, date(2026, 11, 25), recheck=True), [seen("p2"), seen("p3"), seen("p4")])
    assert (item(engine, "p1").status, item(engine, "p2").status) == ("closed", "open")
    ledger.feedback(engine, item(engine, "p2").id, "已再次整改")
    ledger.record_run(engine, run(engine, date(2026, 11, 27), recheck=True), [seen("p4")])
    assert [item(engine, p).status for p in ("p1", "p2", "p3", "p4")] == ["closed", "closed", "closed", "open"]
    today = date.today()
    a = {t.site: t for t in ledger.site_totals(engine, today=today)}[A]
    assert (a.rechecked, a.first_time_right, a.first_time_rate) == (2, 1, 0.5)
    assert (a.closed, a.closed_this_month) == (3, 3)
    next_month = date(today.year + today.month // 12, today.month % 12 + 1, 1)
    assert {t.site: t for t in ledger.site_totals(engine, today=next_month)}[A].closed_this_month == 0
    assert {t.site: t for t in ledger.site_totals(engine, today=today)}[B].first_time_rate is None


def test_the_upgrade_fills_first_recheck_from_the_recorded_events(tmp_path):
    """A database whose ledger was kept before 0010 gets 一次整改通过率 from the events it already holds."""
    from alembic import command
    from sqlalchemy import create_engine, text

    from store.db import _alembic_config, head_revision

    url = f"sqlite:///{tmp_path / 'gk.db'}"
    engine = connect(url)
    ledger.record_run(engine, run(engine, date(2026, 11, 20)), [seen("p1"), seen("p2"), seen("p3")])
    for p in ("p1", "p2"):
        ledger.feedback(engine, item(engine, p).id, "已整改")
    ledger.record_run(engine, run(engine, date(2026, 11, 25), recheck=True), [seen("p2"), seen("p3")])
    plain = create_engine(url)
    with plain.begin() as conn:
        command.downgrade(_alembic_config(conn), "0009")
    with plain.begin() as conn:
        command.upgrade(_alembic_config(conn), head_revision())
    with plain.connect() as conn:
        got = dict(conn.execute(text("select problem, first_recheck from ledgeritem")).all())
    assert got == {"p1": "passed", "p2": "failed", "p3": None}
