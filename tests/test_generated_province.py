"""The province generator (fixtures/generator/): deterministic, exact page counts, and a real audit of a
small generated province reports exactly the planted problems of every site's expected.yaml."""
from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml

from fixtures import generator
from fixtures.server import load_sites, serve
from tests.conftest import AS_OF, gkaudit

# A small province with every problem planted at rate 0.6: seed 34 plants every kind of RATES (and all their
# variants but an article's meta: the three missing identifiers and columns, each stale column, both 找错 faults,
# two of the four OGI-20 gaps), so the audit below meets every rule but WORD-02 (its dictionary is empty),
# GWS-V2 (probes) and LINK-FRAGMENT.
SITES, PAGES, SEED = 4, 70, 34
TEST_RATES = {problem: 0.6 for problem in generator.RATES}
EVERY_RULE = {"GWS-V3", "GWS-V4a", "GWS-V4d", "GWS-D1", "GWS-D4", "GWS-V6", "GWS-DLINK", "OGI-04", "OGI-12a", "OGI-26",
              "OGI-49", "OGI-50", "BUD-01a", "BUD-01b", "GUIDE-04", "GUIDE-05", "GUIDE-06", "GUIDE-07", "WORD-01",
              "PRIV-01", "PRIV-02",
              # the catalog rules of issue 5
              "GWS-V4c", "GWS-V5a", "GWS-D2", "GWS-D3", "GWS-D6", "GUIDE-09", "OGI-12b", "OGI-20", "BUD-04", "BUD-05",
              "EIA-02", "EIA-05", "ENV-01", "ENV-05", "ENV-06",
              # the rules that read page.extra: messages with their dates, what a 公示 states
              "GWS-V5b", "EIA-03a", "EIA-03b", "EIA-04",
              # BUD-03: the 预决算 tables' 科目编码 depth
              "BUD-03",
              # issue 20: injected advertising, empty links
              "GWS-V1c", "LINK-EMPTY",
              # issue 20: serious wording, a forged publish date
              "WORD-02", "GWS-V1e1"}


def tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    out = tmp_path_factory.mktemp("province")
    summary = generator.generate(SITES, PAGES, SEED, out, AS_OF, rates=TEST_RATES)
    return out, summary


@pytest.fixture(scope="module")
def audit(province, tmp_path_factory):
    out, _ = province
    work = tmp_path_factory.mktemp("audit")
    with serve(sites_dir=out) as server:
        proc = gkaudit("audit", "--sites", server.sites_file, "--as-of", AS_OF, "--out", work / "report",
                       "--db", f"sqlite:///{work / 'gk.db'}", "--delay", "0", "--timeout", "3")
        urls = dict(server.urls)
    assert proc.returncode == 0, proc.stderr
    return urls, json.loads((work / "report" / "findings.json").read_text(encoding="utf-8")), work / "gk.db"


def test_the_test_province_plants_every_kind(province):
    _, summary = province
    assert set(summary["planted"]) == set(generator.RATES)
    assert set(summary["findings_per_rule"]) == EVERY_RULE
    assert summary["rates"] == TEST_RATES


def test_audit_reports_exactly_the_planted_problems(province, audit):
    out, summary = province
    urls, data, _ = audit
    assert {s["site"] for s in data["sites"]} == {e["id"] for e in summary["site_list"]}
    for entry in summary["site_list"]:
        sid, base = entry["id"], urls[entry["id"]]
        manifest = yaml.safe_load((out / sid / "expected.yaml").read_text(encoding="utf-8"))
        want = {(f["rule"], f["kind"], urljoin(base, f["path"]),
                 urljoin(base, f["parent_path"]) if f.get("parent_path") else None) for f in manifest["findings"]}
        got = {(f["rule"], f["kind"], f["url"], f["parent_url"]) for f in data["findings"] if f["site"] == sid}
        assert got == want, f"{sid} missing: {sorted(want - got)}\nunexpected: {sorted(got - want)}"
        site = next(s for s in data["sites"] if s["site"] == sid)
        assert sorted({n["reason"] for n in site["not_tested"]}) == sorted(manifest["not_tested"])
        assert all(n["rule"] is not None for n in site["not_tested"]) and site["verdict"] in ("pass", "fail")


def test_province_summary_counts_the_manifests(province):
    out, summary = province
    per_rule: dict[str, int] = {}
    for entry in summary["site_list"]:
        manifest = yaml.safe_load((out / entry["id"] / "expected.yaml").read_text(encoding="utf-8"))
        assert len(manifest["findings"]) == entry["findings"]
        for f in manifest["findings"]:
            per_rule[f["rule"]] = per_rule.get(f["rule"], 0) + 1
    assert summary["findings_per_rule"] == dict(sorted(per_rule.items()))
    on_disk = yaml.safe_load((out / "province.yaml").read_text(encoding="utf-8"))
    assert on_disk["findings_per_rule"] == summary["findings_per_rule"] and on_disk["seed"] == SEED


def test_page_counts_and_sites_are_as_requested(province):
    out, summary = province
    sites = load_sites(out)
    assert [s.id for s in sites] == [e["id"] for e in summary["site_list"]]
    assert [s.address for s in sites] == [generator.address("127.0.1.1", i) for i in range(SITES)]
    assert {e["cms"] for e in summary["site_list"]} == set(generator.FAMILIES)
    for s in sites:
        pages = [p for p in s.root.rglob("*") if p.is_file() and p.suffix in ("", ".html", ".action")]
        assert len(pages) == PAGES, s.id
    assert summary["html_pages"] == SITES * PAGES


def test_same_seed_same_bytes_other_seed_other_bytes(province, tmp_path):
    out, _ = province
    generator.generate(SITES, PAGES, SEED, tmp_path / "again", AS_OF, rates=TEST_RATES)
    generator.generate(SITES, PAGES, SEED + 1, tmp_path / "other", AS_OF, rates=TEST_RATES)
    first = tree_digest(out)
    assert tree_digest(tmp_path / "again") == first
    assert tree_digest(tmp_path / "other") != first


@pytest.mark.parametrize("sites,pages", [(5, 70), (4, 71), (2, 400)])
def test_other_sizes_are_exact(tmp_path, sites, pages):
    summary = generator.generate(sites, pages, 3, tmp_path, AS_OF)
    assert summary["html_pages"] == sites * pages


def test_addresses_roll_over_past_254():
    assert generator.address("127.0.1.1", 0) == "127.0.1.1"
    assert generator.address("127.0.1.1", 253) == "127.0.1.254"
    assert generator.address("127.0.1.1", 254) == "127.0.2.1"
    assert generator.address("127.0.1.1", 254 * 3) == "127.0.4.1"
    with pytest.raises(ValueError):
        generator.address("127.255.255.254", 1)


def test_rates_reach_every_planted_problem(tmp_path):
    """A larger province (pages kept minimal) plants every kind of problem at roughly its rate."""
    summary = generator.generate(120, generator.MIN_PAGES, 5, tmp_path, AS_OF)
    for problem, rate in generator.RATES.items():
        assert 0.4 * rate * 120 <= summary["planted"].get(problem, 0) <= 1.8 * rate * 120, problem
    assert set(summary["findings_per_rule"]) == EVERY_RULE
    assert summary["rates"] == generator.RATES


def test_rates_override_is_checked(tmp_path):
    with pytest.raises(ValueError):
        generator.generate(1, generator.MIN_PAGES, 1, tmp_path, AS_OF, rates={"no_such_problem": 1.0})


def test_planted_id_numbers_pass_the_checksum():
    import random

    from crawler.facts.personal import valid_id

    rng = random.Random(1)
    assert all(valid_id(generator.id_number(rng, date(2026, 11, 20)), date(2026, 11, 20)) for _ in range(200))


def test_judging_in_worker_processes_gives_the_verdicts_of_judging_in_one(audit, monkeypatch):
    """Sites are judged in forked workers (core.parallel); judging the stored run in this one process must
    give the same findings, outcomes and scores, in the same order."""
    from checks.engine import judge
    from checks.rules import load_rules
    from core.parallel import worker_count
    from core.resources import RULES_DIR
    from store import connect

    _, data, db = audit
    if worker_count(len(data["sites"])) < 2:
        pytest.fail("this machine has one core: nothing would be judged in worker processes")
    engine = connect(f"sqlite:///{db}")
    rules = load_rules(RULES_DIR)
    parallel = judge(engine, 1, rules)
    monkeypatch.setenv("GKAUDIT_WORKERS", "1")
    serial = judge(engine, 1, rules)
    engine.dispose()

    def verdicts(result):
        return [replace(f, first_seen=None) for f in result.findings], result.sites, result.resolved

    assert len(parallel.findings) > 20 and verdicts(serial) == verdicts(parallel)
