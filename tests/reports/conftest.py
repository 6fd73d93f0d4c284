"""Fixtures for the report tests; the sample data lives in sample.py."""

from __future__ import annotations

import pytest

from .sample import make_result


@pytest.fixture
def result() -> dict:
    return make_result()


@pytest.fixture
def written(tmp_path, result):
    from reports import write_reports

    return tmp_path, write_reports(tmp_path, result)
