"""core.parallel: per-site work in forked workers keeps input order, surfaces errors in Chinese, never waits
without bound for a worker, and honours GKAUDIT_WORKERS (1 = everything in this process)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from core.parallel import WorkerError, ordered_map, worker_count


def _square_where(context, item):
    offset = context
    if item == "boom":
        raise ValueError("第 3 个站点的检查失败")
    if item == "die":
        os._exit(3)
    if item == "slow":
        time.sleep(60)
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


def test_a_failing_task_raises_in_the_caller_in_chinese_with_the_workers_traceback():
    with pytest.raises(WorkerError, match="处理第 3 项（boom）时出错：ValueError: 第 3 个站点的检查失败") as caught:
        with ordered_map(_square_where, 0, [1, 2, "boom", 4]) as results:
            list(results)
    assert "Traceback" in caught.value.remote_traceback and "_square_where" in caught.value.remote_traceback


def test_a_failure_ends_the_block_at_once_and_kills_the_other_workers():
    """The issue's hang: one task fails while another worker is busy for a minute; the caller is back in
    seconds and no worker is left behind."""
    if worker_count(2) < 2:
        pytest.fail("this machine has one core: nothing would run in parallel")
    started = time.monotonic()
    with pytest.raises(WorkerError, match="第 2 项"):
        with ordered_map(_square_where, 0, ["slow", "boom"]) as results:
            list(results)
    assert time.monotonic() - started < 10
    assert not _children()


def test_a_worker_that_dies_is_named_not_waited_for():
    with pytest.raises(WorkerError, match="处理第 2 项（die）的工作进程意外退出（退出码 3）"):
        with ordered_map(_square_where, 0, [1, "die", 3]) as results:
            list(results)
    assert not _children()


def _children() -> list[int]:
    """This process's child processes still alive (zombies included), from /proc."""
    me = str(os.getpid())
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat").read()
            except OSError:
                continue
            if stat.rsplit(")", 1)[1].split()[1] == me:
                found.append(int(entry))
    return found


def test_workers_die_with_their_parent_and_ignore_its_sigterm_handler(tmp_path):
    """A parent that ignores SIGTERM (as Scrapy's leftover handler did) is SIGKILLed mid-task: its workers go
    too, instead of living on as orphans."""
    pids = tmp_path / "pids"
    script = textwrap.dedent(f"""
        import os, signal, time
        from core.parallel import ordered_map
        signal.signal(signal.SIGTERM, lambda *a: None)
        def work(context, item):
            with open({str(pids)!r}, "a") as f:
                f.write(f"{{os.getpid()}}\\n")
            time.sleep(120)
        with ordered_map(work, None, [1, 2]) as results:
            list(results)
    """)
    env = dict(os.environ, GKAUDIT_WORKERS="2")
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=os.path.dirname(os.path.dirname(__file__)), env=env)
    deadline = time.monotonic() + 20
    while not (pids.exists() and len(pids.read_text().split()) == 2):
        assert time.monotonic() < deadline and parent.poll() is None, "the workers did not start"
        time.sleep(0.05)
    workers = [int(p) for p in pids.read_text().split()]
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=10)
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers):
        assert time.monotonic() < deadline, "a worker outlived its parent"
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_bad_worker_setting_is_named(monkeypatch):
    monkeypatch.setenv("GKAUDIT_WORKERS", "two")
    with pytest.raises(SystemExit, match="GKAUDIT_WORKERS"):
        worker_count(4)
