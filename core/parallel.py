"""Per-site work after the crawl (checks, reports) spread over the machine's cores, results in input order.

Judging and writing reports are CPU-bound and independent per site; on the 2-core machines audits run on, one
process leaves half the machine idle once the crawl is over. Workers are forked (they inherit the loaded rules
and templates, nothing is pickled but each site's input and output), so this runs only where fork exists;
elsewhere, and for a single site, the work runs in this process. GKAUDIT_WORKERS caps the number of processes
(1 = no workers).

The audit must always end (issue 22): a multiprocessing.Pool whose task raised could leave the parent waiting
forever in terminate() → join() for workers that had inherited a SIGTERM handler doing nothing. So this is plain
fork + pipes, managed here: each worker gets one task at a time on its own pipe and answers on another; a task's
exception comes back as a `WorkerError` in Chinese (with the worker's traceback for -v); a worker that dies is
noticed by its pipe closing; workers restore the default SIGTERM, ignore SIGINT (the parent decides), die with
their parent (Linux PR_SET_PDEATHSIG) and are SIGKILLed when the parent leaves the `with` block on an error.

A forked child must not touch database connections its parent holds: callers close their pooled connections
before calling `ordered_map` and open new ones in the worker (see checks.engine).
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import pickle
import selectors
import signal
import sys
import time
import traceback
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, TypeVar

C = TypeVar("C")
T = TypeVar("T")
R = TypeVar("R")

_PR_SET_PDEATHSIG = 1
EXIT_WAIT = 10.0  # seconds a worker may take to end after its last task before it is killed


class WorkerError(RuntimeError):
    """A task failed in a worker process (or the worker died); the message is Chinese and names the task."""

    def __init__(self, message: str, remote_traceback: str = ""):
        super().__init__(message)
        self.remote_traceback = remote_traceback


def worker_count(tasks: int) -> int:
    """Processes to use for `tasks` independent tasks: 1 means run them here."""
    if tasks < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    wanted = os.environ.get("GKAUDIT_WORKERS")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        limit = int(wanted) if wanted else cores
    except ValueError:
        raise SystemExit(f"GKAUDIT_WORKERS={wanted!r} 不是整数") from None
    return max(1, min(limit, cores, tasks))


@dataclass
class _Worker:
    pid: int
    tasks: object  # binary file: pickled (index, item) to the worker
    results: object  # binary file: pickled (index, ok, value) from the worker
    busy: int | None = None  # index of the task it holds


class ordered_map:
    """fn(context, item) for each item, in order, in forked workers when there are several tasks and cores::

        with ordered_map(fn, context, items) as results:
            for result in results: ...

    context is shared by every task and reaches the workers by fork, when the `with` block starts. Results are
    yielded in order as they arrive, so the caller can store one while the workers compute the next. A task that
    raises ends the iteration with WorkerError; leaving the block on any error kills the workers at once.
    `on_exit` runs in each worker as it ends normally; processes=False keeps the work in this process.
    """

    def __init__(self, fn: Callable[[C, T], R], context: C, items: Iterable[T], *, processes: bool = True,
                 on_exit: Callable[[], None] | None = None):
        self.fn, self.context, self.items, self.on_exit = fn, context, list(items), on_exit
        self.workers = worker_count(len(self.items)) if processes else 1
        self._procs: list[_Worker] = []

    def __enter__(self) -> Iterator[R]:
        if self.workers == 1:
            return (self.fn(self.context, item) for item in self.items)
        parent = os.getpid()
        for _ in range(self.workers):
            task_r, task_w = os.pipe()
            result_r, result_w = os.pipe()
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:  # the worker: never returns
                os.close(task_w)
                os.close(result_r)
                for other in self._procs:  # another worker's pipes stay open only in the parent
                    other.tasks.close()
                    other.results.close()
                _serve(parent, task_r, result_w, self.fn, self.context, self.on_exit)
            os.close(task_r)
            os.close(result_w)
            self._procs.append(_Worker(pid, os.fdopen(task_w, "wb"), os.fdopen(result_r, "rb")))
        return self._results()

    def _results(self) -> Iterator[R]:
        pending = list(enumerate(self.items))
        pending.reverse()
        arrived: dict[int, R] = {}
        selector = selectors.DefaultSelector()
        for worker in self._procs:
            selector.register(worker.results, selectors.EVENT_READ, worker)
        try:
            for wanted in range(len(self.items)):
                while wanted not in arrived:
                    for worker in self._procs:  # every idle worker gets the next task
                        if worker.busy is None and pending:
                            worker.busy, item = pending.pop()
                            pickle.dump((worker.busy, item), worker.tasks)
                            worker.tasks.flush()
                    for key, _ in selector.select():
                        index, value = self._receive(key.data)
                        arrived[index] = value
                yield arrived.pop(wanted)
        finally:
            selector.close()

    def _receive(self, worker: _Worker):
        """The answer of a worker's task, or WorkerError when the task raised or the worker died."""
        index = worker.busy
        try:
            answer, ok, value = pickle.load(worker.results)
        except (EOFError, pickle.UnpicklingError, OSError):
            raise WorkerError(f"处理第 {index + 1} 项（{_name(self.items[index])}）的工作进程意外退出"
                              f"（{_ended(worker.pid)}）") from None
        worker.busy = None
        if not ok:
            error, remote = value
            raise WorkerError(f"处理第 {answer + 1} 项（{_name(self.items[answer])}）时出错：{error}", remote)
        return answer, value

    def __exit__(self, kind, error, tb) -> None:
        if not self._procs:
            return
        procs, self._procs = self._procs, []
        for worker in procs:  # no more tasks: a worker sees end of file, runs on_exit and ends
            for pipe in (worker.tasks, worker.results):
                try:
                    pipe.close()
                except OSError:
                    pass
        if kind is not None:
            for worker in procs:
                _kill(worker.pid)
        deadline = time.monotonic() + EXIT_WAIT
        for worker in procs:
            _reap(worker.pid, deadline)


def _serve(parent: int, task_fd: int, result_fd: int, fn, context, on_exit) -> None:
    """A worker's life: tasks until end of file, each answered (index, ok, value); then on_exit and _exit."""
    code = 0
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's handler (Scrapy's) would ignore it here
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent decides
        _die_with(parent)
        tasks, results = os.fdopen(task_fd, "rb"), os.fdopen(result_fd, "wb")
        while True:
            try:
                index, item = pickle.load(tasks)
            except EOFError:
                break
            try:
                answer = (index, True, fn(context, item))
                data = pickle.dumps(answer)
            except BaseException as exc:  # noqa: BLE001 — every failure goes back to the parent, in words
                data = pickle.dumps((index, False, (_describe(exc), traceback.format_exc())))
            results.write(data)
            results.flush()
        if on_exit is not None:
            on_exit()
    except BaseException:  # noqa: BLE001 — a broken pipe (the parent left) or on_exit failing: just end
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _die_with(parent: int) -> None:
    """Ask Linux to SIGKILL this worker when its parent dies; elsewhere the closed task pipe ends it."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _name(item) -> str:
    """A task in a message: a site id, or the site id a report task starts with."""
    first = item[0] if isinstance(item, tuple) and item else item
    return str(getattr(first, "site", first))[:80]


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _reap(pid: int, deadline: float) -> None:
    """Wait for a worker until the deadline, then kill it: leaving never waits without bound."""
    while True:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return
        if done:
            return
        if time.monotonic() >= deadline:
            _kill(pid)
            deadline = float("inf")
        time.sleep(0.01)


def _ended(pid: int) -> str:
    """How a dead worker ended, in words (it is reaped here)."""
    try:
        done, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return "已退出"
    if os.WIFSIGNALED(status):
        return f"被信号 {signal.Signals(os.WTERMSIG(status)).name} 终止"
    return f"退出码 {os.WEXITSTATUS(status)}"
