"""Fixtures for the report tests; the sample data lives in sample.py."""

from __future__ import annotations

import pytest

from .sample import make_result


@pytest.fixture
def result() -> dict:
    return make_result()


@pytest.fixture(scope="session")
def written(tmp_path_factory):
    """The sample's reports, written once per session: tests only read them."""
    from reports import write_reports

    out = tmp_path_factory.mktemp("reports")
    return out, write_reports(out, make_result())
