"""Per-site work after the crawl (checks, reports) spread over the machine's cores, results in input order.

Judging and writing reports are CPU-bound and independent per site; on the 2-core machines audits run on, one
process leaves half the machine idle once the crawl is over. Workers are forked (they inherit the loaded rules
and templates, nothing is pickled but each site's input and output), so this runs only where fork exists;
elsewhere, and for a single site, the work runs in this process. GKAUDIT_WORKERS caps the number of processes
(1 = no workers).

A forked child must not touch database connections its parent holds: callers close their pooled connections
before calling `ordered_map` and open new ones in the worker (see checks.engine).
"""
from __future__ import annotations

import multiprocessing
import os
from multiprocessing.util import Finalize
from typing import Callable, Iterable, Iterator, TypeVar

C = TypeVar("C")
T = TypeVar("T")
R = TypeVar("R")


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


_CONTEXT = None  # what every task shares: set before the workers fork, so it is inherited, not pickled


def _call(task):
    fn, item = task
    return fn(_CONTEXT, item)


class ordered_map:
    """fn(context, item) for each item, in order, in forked workers when there are several tasks and cores::

        with ordered_map(fn, context, items) as results:
            for result in results: ...

    fn must be a module-level function (it is sent to the workers by name); context is shared by every task and
    reaches the workers by fork, when the `with` block starts. Results are yielded in order as they arrive, so
    the caller can store one while the workers compute the next. `on_exit` runs in each worker as it ends;
    processes=False keeps the work in this process.
    """

    def __init__(self, fn: Callable[[C, T], R], context: C, items: Iterable[T], *, processes: bool = True,
                 on_exit: Callable[[], None] | None = None):
        self.fn, self.context, self.items, self.on_exit = fn, context, list(items), on_exit
        self.workers = worker_count(len(self.items)) if processes else 1
        self.pool = None

    def __enter__(self) -> Iterator[R]:
        global _CONTEXT
        if self.workers == 1:
            return (self.fn(self.context, item) for item in self.items)
        _CONTEXT = self.context
        self.pool = multiprocessing.get_context("fork").Pool(self.workers, initializer=_started,
                                                             initargs=(self.on_exit,))
        return self.pool.imap(_call, ((self.fn, item) for item in self.items))

    def __exit__(self, kind, error, tb) -> None:
        global _CONTEXT
        _CONTEXT = None
        if self.pool is None:
            return
        if kind is None:
            self.pool.close()  # workers end normally and run on_exit
        else:
            self.pool.terminate()
        self.pool.join()


def _started(on_exit):
    if on_exit is not None:
        Finalize(None, on_exit, exitpriority=10)
