"""Behaviour kept: auditing the bundled sample sites and a generated province (20 sites × 200 pages) gives the
findings.json recorded in tests/golden (see tests/golden.py; record again with `python -m tests.golden --update`
only when a change is meant to alter findings)."""
from __future__ import annotations

import pytest

from tests import golden


@pytest.mark.parametrize("name", list(golden.AUDITS))
def test_findings_are_the_recorded_ones(name, tmp_path):
    found, recorded = golden.audit(name, tmp_path), golden.load(name)
    assert found["sites"] == recorded["sites"]
    assert [(f["site"], f["rule"], f["url"]) for f in found["findings"]] == \
        [(f["site"], f["rule"], f["url"]) for f in recorded["findings"]]
    assert found == recorded
