"""Pair quality (`tm.quality.pairs.assess`), or any work on pairs, of many batches, shared among
processes forked from this one: scoring is pure Python and CPU-bound, so a 445k-pair import or
rescore uses every core.

The work (a closure: with its lexicon and word cache) is inherited by the workers (forked, never
pickled); only the batches and the results cross between processes, so both should be plain
tuples and strings (a dataclass such as `Quality` pickles through its `__dict__`). The caller
reads the batches and stores the results (one writer, its own transaction): the workers never
touch the database. At most `workers` × 2 batches are out at once, so memory does not grow
with the TM.

Forking is safe here because the caller is single-threaded apart from a progress bar's refresh
thread and the threads of an `aside` pool (work done in one process forked while the caller
goes on), which the workers never use (the same rule as `tm.retrieval.workers`).
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from multiprocessing.pool import AsyncResult
from typing import Any, TypeVar

Batch = TypeVar("Batch")
Result = TypeVar("Result")

_work: Callable[[Any], Any] | None = None  # in a worker: the work it was forked with
_aside: Callable[[], Any] | None = None  # in the process `aside` forked: its work


def available() -> int:
    """How many workers can score at once here (the CPUs this process may use); 1 if this
    platform cannot fork."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def mapped(
    work: Callable[[Batch], Result], batches: Iterable[Batch], *, workers: int = 1
) -> Iterator[Result]:
    """`work(batch)` for each batch, in order, as they come; shared among `workers` forked
    processes when there are more than one (0: one per CPU), this platform forks and there is
    more than one batch. `work` is inherited by the workers, never pickled."""
    workers = workers or available()
    rest = iter(batches)
    ahead = list(itertools.islice(rest, 2 if workers > 1 and available() > 1 else 1))
    if len(ahead) < 2:  # one batch, or one process: worked here
        for batch in itertools.chain(ahead, rest):
            yield work(batch)
        return
    context = multiprocessing.get_context("fork")
    global _work
    _work = work  # inherited by the workers forked now
    # what this process holds (the lexicon above all) is left out of the garbage
    # collector's passes here and in the workers, which would otherwise walk it again and
    # again (and copy the pages it touches into each worker): the laws import's workers took
    # 80.7 -> 67.0 s of CPU, this process 39.3 -> 34.9 s (load 2.2)
    gc.freeze()
    try:
        with context.Pool(workers, initializer=watch, initargs=(os.getpid(),)) as pool:
            pending: deque[AsyncResult[Result]] = deque()
            for batch in itertools.chain(ahead, rest):
                pending.append(pool.apply_async(_run, (batch,)))
                if len(pending) >= 2 * workers:
                    yield pending.popleft().get()
            while pending:
                yield pending.popleft().get()
    finally:
        _work = None
        gc.unfreeze()


@contextmanager
def aside(work: Callable[[], Result], *, fork: bool = True) -> Iterator[Callable[[], Result]]:
    """`work()` done in a process forked now (it inherits `work`, never pickled; only the
    result crosses) while this one goes on: yields what waits for the result and returns it.
    Worked here when waited for, unless `fork` and this platform forks to more than one CPU."""
    if not fork or available() < 2:
        yield work
        return
    global _aside
    _aside = work  # inherited by the process forked now
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(1, initializer=watch, initargs=(os.getpid(),)) as pool:
            done = pool.apply_async(_run_aside)
            yield done.get
    finally:
        _aside = None


def watch(parent: int) -> None:
    """In a new worker (here, or `tm.quality.learning`'s): end it when the process that
    forked it is gone. A worker waiting for its next batch would otherwise wait for good
    after a kill -9 of the command (the queue's lock and pipe ends it holds never close),
    keeping the deleted database open."""

    def wait() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=wait, daemon=True).start()


def _run_aside() -> Any:
    assert _aside is not None  # set before the process was forked
    return _aside()


def _run(batch: Any) -> Any:
    assert _work is not None  # set before the workers were forked
    return _work(batch)
