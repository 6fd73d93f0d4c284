"""date_rewritten: GWS-V1e2, an article whose publish date changed between two audits while its text did not."""
from __future__ import annotations

from datetime import date

from tests.builders import BASE, article, found

OLD, NEW = date(2026, 3, 2), date(2026, 11, 16)


def _page(url, published, text_hash, **more):
    return article(url, title="关于印发大气污染防治实施方案的通知", published=published, published_source="meta:PubDate",
                   extra={"text_hash": text_hash}, **more)


def test_a_redated_article_with_the_same_text_is_reported_with_both_dates(site):
    site.extra_pages = [_page("a.html", OLD, "h-same")]
    assert found(site.judge(), "GWS-V1e2") == []  # no earlier audit: nothing to compare
    site.extra_pages = [_page("a.html", NEW, "h-same")]
    result = site.judge()
    assert found(result, "GWS-V1e2") == [("GWS-V1e2", "advice", f"{BASE}a.html")]
    finding = next(f for f in result.findings if f.rule == "GWS-V1e2")
    assert (finding.evidence["before"], finding.evidence["after"]) == (OLD.isoformat(), NEW.isoformat())
    assert "正文未变" in finding.message and "推后" in finding.message and finding.kind == "date-suspect"


def test_near_misses_updated_text_counter_only_change_other_reading_and_lists(site):
    """New text with a new date is an update; a page whose only change was its 浏览次数 has the same fingerprint
    and the same date (the extractor leaves counters out: tests/facts/test_redate.py); a date read another way (the
    page gained a PubDate) and a list page are not compared."""
    site.extra_pages = [_page("u.html", OLD, "h-old"), _page("c.html", OLD, "h-c"),
                        _page("s.html", OLD, "h-s"), _page("l.html", OLD, "h-l", is_list=True)]
    site.judge()
    site.extra_pages = [_page("u.html", NEW, "h-new"), _page("c.html", OLD, "h-c"),
                        _page("s.html", NEW, "h-s") | {"published_source": "text:发布时间"},
                        _page("l.html", NEW, "h-l", is_list=True)]
    assert found(site.judge(), "GWS-V1e2") == []


def test_a_recheck_compares_with_the_audit_before_its_base_and_the_next_audit_skips_it(site):
    """A recheck copies its base run's pages: comparing with the base would call the rewritten date fixed."""
    from sqlmodel import Session

    from core.clock import now
    from store.history import previous_audit
    from store.models import Run, SiteRun

    first = site.judge().run.id
    base = site.judge().run.id
    with Session(site.engine) as s:
        runs = [Run(started_at=now(), as_of=date(2026, 11, 20), status="complete", sites_file=label)
                for label in (f"recheck of run {base}", "sites.yaml")]
        s.add_all(runs)
        s.commit()
        for run in runs:
            s.add(SiteRun(run_id=run.id, site="s", name="测试局", url=BASE, level="city", crawl_finished=True))
        s.commit()
        recheck, after = runs[0].id, runs[1].id
        assert previous_audit(s, recheck, "s", BASE) == first
        assert previous_audit(s, after, "s", BASE) == base
        assert previous_audit(s, first, "s", BASE) is None
        assert previous_audit(s, after, "s", "http://elsewhere.gov.cn/") is None  # the site moved: not the same site
