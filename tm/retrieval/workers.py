"""Many lookups at once, in worker processes forked from this one.

A built index is hundreds of megabytes that took seconds to build; a worker forked after the
build shares it (copy-on-write) and starts at once. Each worker opens its own connection to the
database (a SQLite connection must not cross a fork) and keeps the parent's index, so its
lookups are exactly the parent's. Only items and results cross between processes (pickled).

Forking is safe here because the caller is single-threaded (the CLI, a batch job). The service,
whose request threads may hold locks at any time, looks up in its own threads instead.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Generator, Iterator, Sequence
from pathlib import Path
from typing import TypeVar, cast

from tm.memory import TranslationMemory
from tm.retrieval.index import Index

Memory = TypeVar("Memory")
Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS = 200
"""Fewer items than this are looked up here: forking and pickling would cost more."""
_CHUNK = 32  # items per message to a worker: few messages, yet an even share of the work

# In a worker: the job it was forked for (the function and its own TranslationMemory).
_job: tuple[Callable[[TranslationMemory, object], object], TranslationMemory] | None = None


def available() -> int:
    """How many workers can run at once here (the CPUs this process may use); 1 if this
    platform cannot fork."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def fork_imap(
    memory: Memory,
    function: Callable[[Memory, Item], Result],
    items: Sequence[Item],
    *,
    workers: int,
    progress: Callable[[int], None] | None = None,
) -> Generator[Result, None, None]:
    """`function(memory, item)` for each item, in order, as they come, shared among `workers`
    processes forked from this one when `memory` is a `TranslationMemory` over a file
    (`function` is inherited, not pickled; each worker passes it a TranslationMemory of its own
    over the same file and index). The caller can work on the first results while the workers
    go on; closing the iterator stops them.

    Runs here when `workers` ≤ 1, there are fewer than `MIN_ITEMS` items, `memory` is anything
    else (e.g. a wrapper that leaves a document out), or this platform cannot fork. `progress`
    is told of each item done.
    """
    if (
        workers > 1
        and len(items) >= MIN_ITEMS
        and isinstance(memory, TranslationMemory)
        and memory.path is not None
        and available() > 1
    ):
        yield from _forked(memory, memory.path, function, items, workers, progress)
        return
    for item in items:
        yield function(memory, item)
        if progress is not None:
            progress(1)


def _forked(
    memory: TranslationMemory,
    path: Path,
    function: Callable[..., Result],
    items: Sequence[object],
    workers: int,
    progress: Callable[[int], None] | None,
) -> Iterator[Result]:
    memory.index.refresh(memory.db)  # built before the fork, once for every worker
    chunks = [items[start : start + _CHUNK] for start in range(0, len(items), _CHUNK)]
    context = multiprocessing.get_context("fork")
    start = (path, memory.index, function)
    with context.Pool(workers, initializer=_start, initargs=start) as pool:
        for done in pool.imap(_run, chunks):
            if progress is not None:
                progress(len(done))
            yield from cast(list[Result], done)


def _start(
    path: Path, index: Index, function: Callable[[TranslationMemory, object], object]
) -> None:
    """In a new worker: a connection of its own, the parent's index. The connection inherited
    with the parent's TranslationMemory is never used nor closed (a worker ends in `os._exit`)."""
    global _job
    _job = (function, TranslationMemory.open(path, index=index))


def _run(chunk: Sequence[object]) -> list[object]:
    if _job is None:
        raise RuntimeError("not in a worker started by fork_imap")
    function, memory = _job
    return [function(memory, item) for item in chunk]
