"""Fixtures for the report tests; the sample data lives in sample.py."""

from __future__ import annotations

import pytest

from .sample import load_snapshots, make_result


@pytest.fixture
def result():
    return make_result()


@pytest.fixture(scope="session")
def written(tmp_path_factory):
    """The sample's outputs, written once per session: tests only read them."""
    from reports import write_outputs

    out = tmp_path_factory.mktemp("reports")
    return out, write_outputs(out, make_result(), load_snapshots)
