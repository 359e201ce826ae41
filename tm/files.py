"""Output files written whole or not at all: to a temporary name beside the file, renamed over
it on success (a full disk or a crash never leaves a 0-byte or half file under the name)."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tm.errors import DiskFull, InvalidInput

FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
"""The errors of a write that found no room (EFBIG: over the process's file size limit)."""


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary path in `path`'s folder to write to; renamed to `path` when the block ends
    without error, removed otherwise. A write that finds no room is `DiskFull`, another write
    failure `InvalidInput` naming `path`."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o644)  # mkstemp's 0o600 is for the unfinished file only
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise failed(error, path) from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def made_folder(path: Path, *, what: str = "the folder") -> Path:
    """`path` created with its parents if missing; `InvalidInput` naming it and the system's
    reason when it cannot be."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InvalidInput(f"cannot create {what}: {error.strerror}", file=str(path)) from error
    return path


def failed(error: OSError, path: Path) -> Exception:
    """The `TMError` for a write of `path` that raised `error`."""
    if error.errno in FULL:
        return DiskFull(f"disk is full: {path.name} was not written ({error.strerror})")
    return InvalidInput(f"cannot write: {error.strerror}", file=str(path))
