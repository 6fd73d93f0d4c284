"""Fixtures of the check-type tests: a stored run of one site, built by hand (tests/builders.py)."""
from __future__ import annotations

import pytest

from tests.builders import SiteBuilder


@pytest.fixture
def site(tmp_path):
    """A complete, fresh, compliant site unless the test changes it."""
    return SiteBuilder(tmp_path)
