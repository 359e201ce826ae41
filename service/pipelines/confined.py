"""Work run in a child process with a memory and a time limit (`run`), so that one request
needing too much of either fails alone, as `TooLarge`, while the process that asked (the
server) keeps its memory and goes on answering.

The child is forked from a `multiprocessing` fork server (a clean single-threaded process,
never the threaded server itself), limits its address space with `resource.setrlimit`
(`RLIMIT_AS`), runs the function and sends back its result or its `TMError`; the parent waits
at most the time limit and then kills it.
"""

from __future__ import annotations

import multiprocessing
import resource
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from tm.errors import TMError, TooLarge

Result = TypeVar("Result")

MEMORY_BYTES = 1 << 30
"""The child's address space by default (1 GiB: the interpreter and its libraries take about a
quarter of it)."""
SECONDS = 60.0
"""The child's time by default."""


def start(preload: tuple[str, ...] = ()) -> None:
    """Start the fork server now, `preload` imported (a second or more), rather than on the
    first `run`: the service calls it at start-up, in the background."""
    from multiprocessing import forkserver

    context = multiprocessing.get_context("forkserver")
    if preload:
        context.set_forkserver_preload(list(preload))
    forkserver.ensure_running()


def run(
    function: Callable[..., Result],
    *args: Any,
    memory: int = MEMORY_BYTES,
    seconds: float = SECONDS,
    preload: tuple[str, ...] = (),
) -> Result:
    """`function(*args)` (a module-level function; arguments and result are pickled) in a child
    process limited to `memory` bytes of address space and `seconds`. A `TMError` it raises is
    raised here; running out of memory or time is `TooLarge`; another error is a RuntimeError.
    `preload` names modules the fork server imports once for every child."""
    context = multiprocessing.get_context("forkserver")
    if preload:
        context.set_forkserver_preload(list(preload))
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sending, memory, function, args), daemon=True)
    child.start()
    sending.close()
    try:
        if not receiving.poll(seconds):
            raise TooLarge(f"the work took over {seconds:g} s: send less at a time")
        ok, value = receiving.recv()
    except EOFError:  # the child died without an answer (killed for its memory)
        raise TooLarge(_over_memory(memory)) from None
    finally:
        child.kill()
        child.join()
        receiving.close()
    if ok:
        return value  # type: ignore[no-any-return]
    raise value


def _over_memory(memory: int) -> str:
    return f"the work needed over {memory >> 20:,} MB of memory: send less at a time"


def _child(sending: Connection, memory: int, function: Callable[..., Any], args: Any) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    answer: tuple[bool, Any]
    try:
        answer = (True, function(*args))
    except MemoryError:
        answer = (False, TooLarge(_over_memory(memory)))
    except TMError as error:
        answer = (False, error)
    except Exception as error:  # sent back as text: it may not pickle
        answer = (False, RuntimeError(f"{type(error).__name__}: {error}"))
    try:
        sending.send(answer)
    except MemoryError:
        sending.send((False, TooLarge(_over_memory(memory))))
    finally:
        sending.close()
