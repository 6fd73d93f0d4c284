"""availability: the share of failed homepage probes over a week (GWS-V2), blocked probes left out."""
from __future__ import annotations

import pytest


def week(failures=0, blocked=0, per_day=20, days=7):
    samples = [{"at_day": d, "ok": True} for d in range(days) for _ in range(per_day)]
    for i in range(failures):
        samples[i * 3]["ok"] = False
    for i in range(blocked):
        samples[i * 3 + 1].update(ok=False, blocked=True)
    return samples


@pytest.mark.parametrize("failures, blocked, vetoed", [
    (6, 0, False),   # 6 / 140 = 4.3 %
    (7, 0, True),    # 7 / 140 = 5.0 %: veto
    (5, 40, True),   # blocked probes are neither up nor down: 5 of the 100 verifiable = 5.0 %
    (4, 40, False),  # 4 / 100
])
def test_availability_veto_at_five_percent_of_a_week(site, failures, blocked, vetoed):
    site.probes = week(failures, blocked)
    result = site.judge()
    assert [f.rule for f in result.findings] == (["GWS-V2"] if vetoed else [])
    if vetoed:
        assert result.findings[0].severity == "veto" and result.sites[0].verdict == "fail"


def test_availability_needs_twenty_probes_every_day(site):
    site.probes = week(per_day=19)
    result = site.judge()
    assert result.findings == ()
    assert [(n.rule, n.reason) for n in result.sites[0].not_tested] == [("GWS-V2", "probes")]
