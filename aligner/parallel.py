"""Per-bead work of a long document in two forked processes.

The stages after the DP that run here (the word evidence, the checks) treat each bead on its
own once the document's context is built, and on a 5,000-sentence pair each takes a second or
more of pure Python: two processes can halve that on a machine with two free cores (where the
cores are shared, as on the machine this was measured on, they gained 10-15%). The weighing
stays in one process: its 213,000 spans cost more to send back than to compute. The work is a
closure over the documents; the workers are forked after it is set, so they inherit it (and
every cache the parent filled) instead of receiving it by pickle; only results come back.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

#: Beads above which the work runs in two processes: below, forking costs more than it saves.
PARALLEL_BEADS = 2000

_WORK: Callable[..., Any] | None = None
_ONE_JOB = threading.Lock()


def can_fork(n: int) -> bool:
    """Two processes pay off on long documents, where fork is safe: a POSIX fork start method,
    at least two cores, not inside a daemonic worker (which may not have children), and no
    torch loaded (its thread pools do not survive a fork)."""
    return (n >= PARALLEL_BEADS and (os.cpu_count() or 1) > 1
            and "fork" in multiprocessing.get_all_start_methods()
            and not multiprocessing.current_process().daemon and "torch" not in sys.modules
            and os.environ.get("ALIGNER_THREADS") != "1")  # a batch worker: one level only


def calls(work: Callable[..., T], arguments: Sequence[tuple], fork: bool) -> list[T]:
    """``[work(*a) for a in arguments]``, in two forked processes where ``fork``. One job at a
    time per process (a lock): the workers must inherit this job's closure, not another
    thread's."""
    global _WORK
    if not fork or len(arguments) < 2 or multiprocessing.current_process().daemon:
        return [work(*a) for a in arguments]      # (a worker may not fork, nor wait on the lock
                                                  # it was forked holding)
    with _ONE_JOB:
        _WORK = work
        try:
            with multiprocessing.get_context("fork").Pool(2) as pool:
                return pool.starmap(_run, arguments)
        finally:
            _WORK = None


def halves(work: Callable[[int, int], list[T]], n: int) -> list[T]:
    """``work(0, n)``, the items 0..n-1 of a per-bead job, in two halves in two forked processes
    where ``can_fork(n)`` allows, else in this one; the results in order."""
    if not can_fork(n):
        return work(0, n)
    first, second = calls(work, [(0, n // 2), (n // 2, n)], fork=True)
    return first + second


def _run(*arguments: Any) -> Any:
    assert _WORK is not None
    return _WORK(*arguments)
