"""Reading a saved index file (`tm.retrieval.indexfile`) and checking its checksums, ahead of
its use when asked: a command that will look something up starts the check of `tm.db.index`
in a thread (`ahead`) as it starts, so that the file is read from disk and checksummed while
the process imports the engine, and the index is loaded from the bytes checked (`checked`).

Standard library only: starting a check imports nothing heavy. The check holds the file it
read, mapped copy-on-write; the index is loaded from that mapping, so the bytes used are the
bytes checked. A check started ahead is used only if the file at its path is still the one it
read (a file saved since is checked anew), and in a process forked meanwhile only if it had
finished (the thread does not come along); one that failed is made again, at load time, as
without it.
"""

from __future__ import annotations

import io
import json
import mmap
import os
import struct
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tm.errors import TMError

MAGIC = b"tm lookup index\n"
ALIGN = 64
HEAD = struct.Struct("<Q")
CRC = struct.Struct("<I")
_BLOCK = 1 << 20  # bytes read at a time


class Unusable(TMError):
    """An index file that must not be used (missing, corrupt, another version or another TM);
    the message says why."""


@dataclass(frozen=True)
class Checked:
    """An index file read and checked: its mapping, its JSON header (its own checksum checked),
    where the body starts, and whether the body matches its checksum (the caller says what is
    wrong first: a file of another version is told so, whatever its body)."""

    mapped: mmap.mmap
    head: dict[str, Any]
    start: int
    body_sound: bool
    identity: tuple[int, ...]


def path_for(database: Path) -> Path:
    """Where the index of the database at `database` is saved."""
    return database.with_name(database.name + ".index")


def check(path: Path) -> Checked:
    """Read the index file at `path` and check it; `Unusable` when it is missing, cannot be
    mapped, or its header is not sound.

    The body is summed as it is read with `read`, a block at a time, not through the mapping:
    page faults on a mapping hold the process's memory-map lock, which the imports beside a
    check made ahead need too (and the file's pages are then in the page cache all the same)."""
    try:
        with path.open("rb", buffering=0) as handle:
            status = os.fstat(handle.fileno())
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_COPY)
            head, start = header(mapped, path)
            handle.seek(start)
            crc = _sum(handle)
    except FileNotFoundError as error:
        raise Unusable(f"no index file at {path}") from error
    except (OSError, ValueError) as error:  # an empty file cannot be mapped
        raise Unusable(f"the index file {path} cannot be read ({error})") from error
    return Checked(mapped, head, start, crc == head.get("body_crc"), _identity(status))


def _sum(handle: io.RawIOBase) -> int:
    """The CRC-32 of what is left to read from `handle`."""
    block = bytearray(_BLOCK)
    view = memoryview(block)
    crc = 0
    while size := handle.readinto(block):
        crc = zlib.crc32(view[:size], crc)  # read and zlib let go of the GIL
    return crc


def header(mapped: mmap.mmap, path: Path) -> tuple[dict[str, Any], int]:
    """The JSON header and where the body starts; `Unusable` if they are not sound."""
    fixed = len(MAGIC) + HEAD.size
    if len(mapped) < fixed or mapped[: len(MAGIC)] != MAGIC:
        raise Unusable(f"{path} is not a tm index file")
    (size,) = HEAD.unpack(mapped[len(MAGIC) : fixed])
    end = fixed + size + CRC.size
    if end > len(mapped):
        raise Unusable(f"the index file {path} is truncated")
    (crc,) = CRC.unpack(mapped[fixed + size : end])
    if zlib.crc32(mapped[: fixed + size]) != crc:
        raise Unusable(f"the index file {path} is corrupt (header checksum mismatch)")
    try:
        head: dict[str, Any] = json.loads(mapped[fixed : fixed + size])
    except ValueError as error:
        raise Unusable(f"the index file {path} is corrupt ({error})") from error
    return head, padded(end)


def padded(size: int) -> int:
    return -(-size // ALIGN) * ALIGN


class _Ahead:
    """A check of one file running in a thread of the process that started it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.process = os.getpid()
        self.done = threading.Event()
        self.outcome: Checked | None = None
        threading.Thread(target=self._run, name="tm-index-check", daemon=True).start()

    def _run(self) -> None:
        try:
            self.outcome = check(self.path)
        except Exception:  # made again at load time, which then says what is wrong
            self.outcome = None
        finally:
            self.done.set()

    def usable(self) -> Checked | None:
        """The check's result if it can stand for a check made now (see the module)."""
        if not self.done.is_set():
            if self.process != os.getpid():
                return None  # a child forked while the thread ran: the thread did not come along
            self.done.wait()
        if self.outcome is None:
            return None
        try:
            now = _identity(self.path.stat())
        except OSError:
            return None
        return self.outcome if now == self.outcome.identity else None


_started: dict[Path, _Ahead] = {}


def ahead(path: Path) -> None:
    """Start checking the index file at `path` in a thread, for `checked` to take later."""
    if path not in _started:
        _started[path] = _Ahead(path)


def checked(path: Path) -> Checked:
    """The index file at `path` read and checked: by the check started `ahead` when there is
    one that can be used, else now; `Unusable` as `check`."""
    started = _started.pop(path, None)
    found = started.usable() if started is not None else None
    return found if found is not None else check(path)


def _identity(status: os.stat_result) -> tuple[int, ...]:
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)
