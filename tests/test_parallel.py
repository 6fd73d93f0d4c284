"""core.parallel: per-site work in forked workers keeps input order, surfaces errors, and honours
GKAUDIT_WORKERS (1 = everything in this process)."""
from __future__ import annotations

import os
import time

import pytest

from core.parallel import ordered_map, worker_count


def _square_where(context, item):
    offset = context
    if item == "boom":
        raise ValueError("第 3 个站点的检查失败")
    time.sleep(0.05)  # long enough that every worker gets tasks
    return item * item + offset, os.getpid()


def test_results_come_back_in_input_order_from_several_processes():
    if worker_count(8) < 2:
        pytest.fail("this machine has one core: nothing would run in parallel")
    with ordered_map(_square_where, 100, range(8)) as results:
        found = list(results)
    assert [value for value, _ in found] == [i * i + 100 for i in range(8)]
    pids = {pid for _, pid in found}
    assert os.getpid() not in pids and len(pids) >= 2


def test_one_worker_runs_everything_here(monkeypatch):
    monkeypatch.setenv("GKAUDIT_WORKERS", "1")
    with ordered_map(_square_where, 0, [1, 2, 3]) as results:
        assert list(results) == [(1, os.getpid()), (4, os.getpid()), (9, os.getpid())]


def test_a_failing_task_raises_in_the_caller():
    with pytest.raises(ValueError, match="第 3 个站点"):
        with ordered_map(_square_where, 0, [1, 2, "boom", 4]) as results:
            list(results)


def test_a_bad_worker_setting_is_named(monkeypatch):
    monkeypatch.setenv("GKAUDIT_WORKERS", "two")
    with pytest.raises(SystemExit, match="GKAUDIT_WORKERS"):
        worker_count(4)
