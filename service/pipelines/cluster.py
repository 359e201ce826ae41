"""Where the documents of a batch run are worked on: processes on this machine (`Pool`), or the
workers of a Dask distributed cluster (`Cluster`: `--cluster tcp://scheduler:8786`, or
`local` for one started here), the same tasks on either.

A task is one item (a document, or part of one): `perform(work, item)` in a worker. `work` (a
frozen, picklable `Work`) names the read-only copy of the TM the worker reads (`tm.copies`) and
the run's settings; the worker opens it on its first task (`Work.open`) and keeps it across
tasks (a Dask worker first gives its allocator glibc's usual thresholds: `allocate_from_heap`).
Results come back to the client, in input order (`Engine.map`); a document whose worker died
is run again elsewhere (up to `RETRIES` times), one that fails as bad input comes back `Failed`
with the message, the other documents going on. Workers never write the TM: the client alone does.

Dask is an optional extra (`pip install 'tm[cluster]'`): it is imported only when a cluster is
asked for.
"""

from __future__ import annotations

import ctypes
import functools
import importlib
import importlib.util
import logging
import multiprocessing
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import forkserver
from typing import Any, Protocol

from tm import TMError
from tm.errors import InvalidInput

RETRIES = 3
"""Times a document is run again after the worker running it died."""
IN_FLIGHT = 4
"""Documents sent ahead per worker: enough to keep each busy, few enough to bound memory."""
CONNECT_TIMEOUT = 10.0
"""Seconds to reach a scheduler, and to wait for its first worker."""
_KEPT = 2  # works (copies) a worker keeps open at once: a long-lived cluster serves many runs
HEAP_BLOCKS = 32 << 20
"""Bytes below which a worker's allocations come from the heap (glibc's own ceiling for its
mmap threshold on 64-bit systems); twice as much free heap is kept before it is given back."""
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt's parameters (malloc.h)
QUIET = {
    "distributed.admin.tick.interval": "500ms",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "500ms",
    "distributed.worker.profile.enabled": False,
}
"""Dask's settings for a cluster started here (an operator's cluster keeps its own). With Dask's
defaults, every event loop ticks every 20 ms, the system monitor samples every 0.5 s, each
worker reads its memory every 0.1 s and samples its own stack every 10 ms for the dashboard's
profile: idle, a local cluster of 2 workers took 16% of a core (7% in the client's process:
scheduler and nannies; 9% in the workers); with these, 2.3%."""


FORKED = {"distributed.worker.multiprocessing-method": "forkserver"}
"""How a cluster started here starts its workers: forked from one process that has imported
Dask and the works once (`forking`), not each a fresh interpreter importing them (Dask's
default, spawn). Each spawned worker took 1.3-1.5 s of CPU to import Dask and tm before its
first task (2 workers on 2 cores: about 1.7 s before the cluster could work); forked, 0.1 s.
Forked from that clean process, not from the client (multiprocessing's fork method): the
client runs threads and holds the TM open while its workers start or restart."""


def forking(module: str) -> None:
    """Start, in the background, the process the workers of a cluster started here will be
    forked from, importing Dask and `module` (the works') there while this process goes on
    (reading the inputs, importing Dask itself, copying the TM). Nothing where Dask is not
    installed or where processes cannot be forked; once per process."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return
    if importlib.util.find_spec("distributed") is None:
        return
    multiprocessing.get_context("forkserver").set_forkserver_preload(["distributed", module])
    forkserver.ensure_running()


class Work(Protocol):
    """What every task of a run shares (a frozen dataclass, sent with each task): the copy to
    read and the settings. `open` runs in a worker, once per thread; `run` once per item."""

    def open(self) -> Any: ...

    def run(self, opened: Any, item: Any) -> Any: ...


@dataclass(frozen=True)
class Failed:
    """A document the work refused as bad input (`TMError`): its message. Never retried."""

    message: str


class Unavailable(InvalidInput):
    """The cluster cannot run the work: unreachable, without workers, or workers that cannot
    read the TM copy. Raised before any document is sent."""


# -- in a worker --------------------------------------------------------------------------

_opened: OrderedDict[object, dict[tuple[int, int], Any]] = OrderedDict()
_lock = threading.Lock()


@functools.cache
def allocate_from_heap() -> bool:
    """In a worker whose environment sets MALLOC_TRIM_THRESHOLD_ (Dask's nanny starts every
    worker with 65536: `distributed.nanny.pre-spawn-environ`, to give memory back early), set
    glibc's thresholds as its own dynamic ones end up (`HEAP_BLOCKS`); whether they were set.

    Setting that variable also fixes glibc's mmap threshold at 128 KiB: every array of 128 KiB
    or more that a lookup makes is then mapped afresh, faulted in page by page and unmapped,
    and the heap's top is given back as soon as 64 KiB of it is free. Pretranslating 2,332
    segments against the laws TM on 2 local Dask workers took 510,000 page faults instead of
    27,000, and 2.6 ms of worker CPU per segment instead of 2.0 (a process pool's, forked from
    the client, keeps glibc's dynamic thresholds: 1.7-2.0). An operator's own
    MALLOC_MMAP_THRESHOLD_ is kept."""
    if "MALLOC_TRIM_THRESHOLD_" not in os.environ or "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # glibc's: absent on other C libraries
    except (AttributeError, OSError):
        return False
    return bool(
        mallopt(_M_MMAP_THRESHOLD, HEAP_BLOCKS) and mallopt(_M_TRIM_THRESHOLD, 2 * HEAP_BLOCKS)
    )


def opened(work: Work) -> Any:
    """This worker's opened state for `work` (opened on first use, per process and thread;
    the states of older works are let go)."""
    allocate_from_heap()
    where = (os.getpid(), threading.get_ident())
    with _lock:
        states = _opened.setdefault(work, {})
        _opened.move_to_end(work)
        while len(_opened) > _KEPT:
            _opened.popitem(last=False)
        if where in states:
            return states[where]
    state = work.open()
    with _lock:
        return _opened.setdefault(work, {}).setdefault(where, state)


def perform(work: Work, item: Any) -> Any:
    """One task: `work.run` on `item` with this worker's opened state; bad input comes back
    as `Failed`."""
    state = opened(work)
    try:
        return work.run(state, item)
    except TMError as error:
        return failure(error)


def failure(error: TMError) -> Failed:
    """What a document that is bad input comes back as."""
    return Failed(_describe(error))


@dataclass(frozen=True)
class Sealed:
    """An item as it is handed to Dask: one object, not a list or a tuple. `Client.submit`
    walks through lists, tuples and dicts, every element, looking for futures to wait for:
    with the items as they are, that took 0.2 ms of the client's CPU per segment to pretranslate
    (0.5 s for bench.cluster's 2,332: a tenth of what the workers spent looking them up)."""

    item: Any


def perform_sealed(work: Work, sealed: Sealed) -> Any:
    """`perform` on a sealed item: a Dask task."""
    return perform(work, sealed.item)


async def load(module: str) -> None:
    """Import `module` in this worker, in its event loop's thread (`Cluster.warm`): the thread
    that reads each task as it comes and imports its classes. Imported in another thread (as a
    task), the works were half made when a probe came: the loop got AttributeError, stopped
    reading its scheduler, and the run waited forever (main's `--cluster local`, under load)."""
    importlib.import_module(module)


def probe(work: Work) -> str:
    """Open `work` here (kept for the tasks to come): "" when it opens, else why not."""
    try:
        opened(work)
    except Exception as error:  # any reason a worker cannot read the copy is reported
        return _describe(error)
    return ""


def _describe(error: BaseException) -> str:
    if isinstance(error, InvalidInput):
        return error.describe()
    return str(error) or type(error).__name__


# -- on the client --------------------------------------------------------------------------


class Engine(Protocol):
    """Runs a work's tasks somewhere: `warm` up its workers while the copy is made, `check`
    that every worker can open it, then `map`."""

    description: str

    def warm(self, module: str) -> None: ...

    def check(self, work: Work) -> None: ...

    def map(self, work: Work, items: Sequence[Any]) -> Iterator[Any]: ...

    def close(self) -> None: ...


class _Ordered:
    """Items sent ahead `window` at a time, their results taken in input order; `retry`
    decides what to do with an error of a worker (not of the work)."""

    def __init__(
        self,
        items: Sequence[Any],
        submit: Callable[[Any], Any],
        window: int,
    ) -> None:
        self.items, self.submit, self.window = items, submit, window
        self.pending: dict[int, Any] = {}
        self.sent = 0

    def fill(self, done: int) -> None:
        while self.sent < len(self.items) and self.sent - done < self.window:
            self.pending[self.sent] = self.submit(self.items[self.sent])
            self.sent += 1


class Pool:
    """`workers` processes on this machine, each with the copy opened on its own (forked
    where this platform can; a process that dies is replaced and its documents sent again)."""

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self.description = f"{self.workers} local process(es)"
        self._executor: ProcessPoolExecutor | None = None
        self.restarts = 0

    def warm(self, module: str) -> None:
        """Nothing to do: the processes fork from this one, which has imported `module`."""

    def check(self, work: Work) -> None:
        """The workers are on this machine: if the copy opens here, it opens there."""
        problem = probe(work)
        if problem:
            raise Unavailable(f"the TM copy cannot be read: {problem}")

    def _start(self) -> ProcessPoolExecutor:
        if self._executor is None:
            methods = multiprocessing.get_all_start_methods()
            method = "fork" if "fork" in methods else "spawn"
            context = multiprocessing.get_context(method)
            self._executor = ProcessPoolExecutor(self.workers, mp_context=context)
        return self._executor

    def map(self, work: Work, items: Sequence[Any]) -> Iterator[Any]:
        """`perform(work, item)` for each item, in order; when a worker process dies, the
        pool is started again and every document not yet returned is sent again."""
        ordered = _Ordered(
            items, lambda item: self._start().submit(perform, work, item), IN_FLIGHT * self.workers
        )
        for position in range(len(items)):
            ordered.fill(position)
            yield self._result(ordered, position)
            del ordered.pending[position]

    def _result(self, ordered: _Ordered, position: int) -> Any:
        while True:
            try:
                return ordered.pending[position].result()
            except BrokenProcessPool as error:
                self.restarts += 1
                if self.restarts > RETRIES * self.workers:
                    raise TMError(f"worker processes kept dying ({error})") from error
                self.close()
                for index, future in list(ordered.pending.items()):
                    if not (future.done() and future.exception() is None):
                        ordered.pending[index] = ordered.submit(ordered.items[index])

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def dask() -> Any:
    """The `distributed` module; `InvalidInput` when the `cluster` extra is not installed."""
    try:
        return importlib.import_module("distributed")
    except ImportError as error:
        raise Unavailable(
            "--cluster needs Dask: pip install 'tm[cluster]' (dask and distributed)"
        ) from error


def installed() -> bool:
    """Whether Dask distributed can be imported here."""
    try:
        dask()
    except Unavailable:
        return False
    return True


class Cluster:
    """A Dask distributed cluster: the scheduler at `address`, or a local cluster of
    `workers` processes (one thread each) started here when `address` is None."""

    def __init__(
        self, address: str | None, *, workers: int = 2, timeout: float = CONNECT_TIMEOUT
    ) -> None:
        distributed = dask()
        self.local = None
        if address is None:
            settings = QUIET | (
                FORKED if "forkserver" in multiprocessing.get_all_start_methods() else {}
            )
            with importlib.import_module("dask").config.set(settings):  # workers take it too
                self.local = distributed.LocalCluster(
                    n_workers=max(1, workers),
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",  # any free port: 8787 may be taken
                    silence_logs=logging.ERROR,
                )
            self.client = distributed.Client(self.local, timeout=timeout)
            where = "a local Dask cluster"
        else:
            try:
                self.client = distributed.Client(address, timeout=timeout)
            except (OSError, TimeoutError) as error:
                raise Unavailable(
                    f"cannot reach the Dask scheduler at {address} within {timeout:g} s "
                    f"({error}); is it running (dask scheduler) and reachable from here?"
                ) from error
            where = f"the Dask scheduler at {address}"
        try:
            self.client.wait_for_workers(1, timeout=timeout)
        except (OSError, TimeoutError) as error:
            self.close()
            raise Unavailable(
                f"{where} has no workers (none joined within {timeout:g} s): start some with "
                f"dask worker {address or ''}".rstrip()
            ) from error
        self.workers = len(self.client.scheduler_info(n_workers=-1)["workers"])
        self.description = f"{where}, {self.workers} worker(s)"
        self._killed = distributed.KilledWorker

    def warm(self, module: str) -> None:
        """Every worker imports `module` (the works' own, and tm with it) now, without waiting
        for them: a worker that has not run tm's tasks yet spends about half a second of CPU
        importing them, which the TM's copy then hides. What fails here fails again in
        `check`, which tells it."""
        self.client.run(load, module, wait=False)

    def check(self, work: Work) -> None:
        """Every worker opens the copy now (and keeps it): `Unavailable` naming those that
        cannot, before any document is sent."""
        # A task per worker, pinned to it: it runs in the thread the worker's tasks run in, so
        # what it opens is what they use (`client.run` runs in another thread: each worker
        # opened the copy twice).
        workers = sorted(self.client.scheduler_info(n_workers=-1)["workers"])
        pinned = {"allow_other_workers": False, "pure": False}
        try:
            futures = {a: self.client.submit(probe, work, workers=[a], **pinned) for a in workers}
            answers: dict[str, str] = {a: future.result() for a, future in futures.items()}
        except Exception as error:  # a worker without tm cannot even unpickle the probe
            raise Unavailable(
                f"the cluster's workers cannot run tm's tasks ({_describe(error)}): install "
                "tm, the same version as here, on every worker"
            ) from error
        failing = {address: why for address, why in answers.items() if why}
        if failing:
            lines = "; ".join(f"{address}: {why}" for address, why in sorted(failing.items()))
            raise Unavailable(
                f"{len(failing)} of {len(answers)} worker(s) cannot read the TM copy ({lines}); "
                "the copy must be readable at the same path on every worker (--tm-copy FOLDER)"
            )

    def map(self, work: Work, items: Sequence[Any]) -> Iterator[Any]:
        """`perform(work, item)` for each item on the cluster, in order; a document whose
        worker died more often than the scheduler allows is sent again."""
        ordered = _Ordered(
            items,
            lambda item: self.client.submit(perform_sealed, work, Sealed(item), pure=False),
            IN_FLIGHT * max(1, self.workers),
        )
        for position in range(len(items)):
            ordered.fill(position)
            yield self._result(ordered, position)
            del ordered.pending[position]

    def _result(self, ordered: _Ordered, position: int) -> Any:
        for attempt in range(RETRIES + 1):
            try:
                return ordered.pending[position].result()
            except self._killed:
                if attempt == RETRIES:
                    raise
                ordered.pending[position] = ordered.submit(ordered.items[position])
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.client.close()
        if self.local is not None:
            self.local.close()


LOCAL = "local"
"""`--cluster local`: a Dask cluster started on this machine (the process pool without Dask)."""


def engine(cluster: str | None, *, workers: int, timeout: float = CONNECT_TIMEOUT) -> Engine:
    """The engine `--cluster` asks for: None, the process pool; `local`, a local Dask cluster
    (the process pool when Dask is not installed); anything else, a scheduler's address."""
    if cluster is None:
        return Pool(workers)
    if cluster == LOCAL:
        return Cluster(None, workers=workers, timeout=timeout) if installed() else Pool(workers)
    return Cluster(cluster, timeout=timeout)


__all__ = [
    "CONNECT_TIMEOUT",
    "FORKED",
    "HEAP_BLOCKS",
    "IN_FLIGHT",
    "LOCAL",
    "QUIET",
    "RETRIES",
    "Cluster",
    "Engine",
    "Failed",
    "Pool",
    "Sealed",
    "Unavailable",
    "Work",
    "allocate_from_heap",
    "engine",
    "failure",
    "forking",
    "installed",
    "load",
    "opened",
    "perform",
    "perform_sealed",
    "probe",
]
