"""Findings across runs, on SQLite and PostgreSQL: the same problem is the same finding; fixed ones are listed."""
from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from store.models import Finding, Waiver
from tests.builders import BASE, SiteBuilder
from tests.conftest import gkaudit


def statuses(result):
    return {(f.rule, f.url): f.status for f in result.findings}


def test_new_then_open_then_fixed_then_reopened(db_url):
    site = SiteBuilder(db_url=db_url)
    site.columns["工作动态"] = date(2026, 10, 1)
    site.home["icp"] = None
    first = site.judge()
    assert set(statuses(first).values()) == {"new"} and first.resolved == ()

    second = site.judge()  # nothing changed: the same findings, still open, same ids
    assert set(statuses(second).values()) == {"open"}
    assert {f.id for f in second.findings} == {f.id for f in first.findings}
    assert [f.first_seen for f in second.findings] == [f.first_seen for f in first.findings]

    site.home["icp"] = "苏ICP备12345678号"  # the bureau fixed its footer
    third = site.judge()
    assert [(r.rule, r.url) for r in third.resolved] == [("GUIDE-05", BASE)]
    assert third.sites[0].resolved == 1

    site.home["icp"] = None  # and broke it again
    fourth = site.judge()
    assert statuses(fourth)[("GUIDE-05", BASE)] == "reopened"
    assert [h.score for h in fourth.sites[0].history] == [first.sites[0].score,
                                                                  second.sites[0].score,
                                                                  third.sites[0].score]


def test_two_missing_columns_on_one_page_are_two_findings(db_url):
    site = SiteBuilder(db_url=db_url)
    del site.columns["通知公告"], site.columns["政策文件"]
    ids = [f.id for f in site.judge().findings if f.rule == "GWS-D4"]
    assert len(ids) == 2 and len(set(ids)) == 2


def test_a_blocked_run_does_not_mark_findings_fixed(db_url):
    site = SiteBuilder(db_url=db_url)
    site.home["icp"] = None
    site.judge()
    site.home_status, site.challenge = 521, "jsl"
    blocked = site.judge()
    assert blocked.resolved == ()
    site.home_status, site.challenge = 200, None
    again = site.judge()
    assert set(statuses(again).values()) == {"open"}  # compared with the last run that audited the site


def test_waived_finding_is_shown_but_not_scored(db_url):
    site = SiteBuilder(db_url=db_url)
    site.home["icp"] = None
    first = site.judge()
    fp = first.findings[0].id
    with Session(site.engine) as session:
        session.add(Waiver(fingerprint=fp, site="s", rule="GUIDE-05", reason="备案变更中", expires=date(2026, 12, 31),
                           created_at=first_seen(session, fp)))
        session.commit()
    second = site.judge()
    assert statuses(second) == {("GUIDE-05", BASE): "waived"}
    assert second.sites[0].score == 100 and second.sites[0].counts.waived == 1


def first_seen(session, fp):
    return session.exec(select(Finding.first_seen).where(Finding.fingerprint == fp)).first()


def test_waive_command_names_the_finding_and_rejects_unknown_ids(tmp_path):
    db = f"sqlite:///{tmp_path / 'gk.db'}"
    site = SiteBuilder(db_url=db)
    site.home["icp"] = None
    fp = site.judge().findings[0].id
    proc = gkaudit("waive", fp[:8], "--reason", "备案变更中", "--expires", "2099-12-31", "--db", db)
    assert proc.returncode == 0, proc.stderr
    assert "GUIDE-05" in proc.stdout + proc.stderr
    assert site.judge().findings[0].status == "waived"
    bad = gkaudit("waive", "ffffffff", "--reason", "x", "--db", db)
    assert bad.returncode == 2 and "ffffffff" in bad.stderr


def test_waiving_a_row_that_several_rules_share_waives_each_of_them(tmp_path):
    db = f"sqlite:///{tmp_path / 'gk.db'}"
    site = SiteBuilder(db_url=db)
    site.columns["政策文件"] = date(2026, 2, 10)  # GWS-D1 and GWS-V4a: one problem, one row
    first = site.judge()
    [problem] = {f.problem for f in first.findings}
    assert len(first.findings) == 2 and problem not in {f.id for f in first.findings}
    proc = gkaudit("waive", problem[:8], "--reason", "栏目已撤并", "--db", db)
    assert proc.returncode == 0, proc.stderr
    assert "GWS-D1、GWS-V4a" in proc.stdout + proc.stderr
    again = site.judge()
    assert {f.status for f in again.findings} == {"waived"} and again.sites[0].score == 100
