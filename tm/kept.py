"""Copies of a TM kept for the runs to come (`tm.copies`): a batch run against a TM that has not
changed since an earlier run copied it reads that copy again instead of copying the TM anew (a
second or two for the laws TM's 600 MB of database and index, most of it the disk's write-back).

A kept copy is used only if the TM's `state` (`tm.store.copies.state`: the identity of its
files, which every commit changes) is the one it was copied in, and if it is still the copy
that was made: its files as they were made (any write to them, or another file put in their
place, changes their identity), the TM's id and watermarks in it the TM's own, its lookup
index's header of this version of tm and level with it. Otherwise a new copy is made, and kept
when the TM's state could be told; an older one is removed once no run reads it.

    FOLDER/<TM id>/.lock                      held while a copy is chosen or made
    FOLDER/<TM id>/<copy>/tm.db, tm.db.index  the copy (read-only)
    FOLDER/<TM id>/<copy>/kept.json           what it was made from, its files' identities
    FOLDER/<TM id>/<copy>/.in-use             held (shared) by every run reading it

Each copy has a folder of its own: a long-lived worker, which keeps what it opened by the
copy's path, never takes one copy for another.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

from tm.copies import NAME, Copy, make
from tm.errors import InvalidInput
from tm.files import made_folder
from tm.memory import TranslationMemory
from tm.retrieval import indexfile, upkeep
from tm.store import copies, identity

MANIFEST = "kept.json"
"""What a kept copy was made from (in its folder)."""
_IN_USE, _LOCK = ".in-use", ".lock"


@contextmanager
def taken(memory: TranslationMemory, folder: Path, *, indexed: bool = True) -> Iterator[Copy]:
    """A read-only copy of the TM of `memory` as it is now, under `folder` (created): the one
    kept there if the TM has not changed since it was made (`Copy.reused`), else one made now
    (and kept, with its lookup index when `indexed`). Nothing removes it until the end."""
    if memory.path is None:
        raise InvalidInput("a TM in memory cannot be copied for workers")
    tm_id = identity.tm_id(memory.db, create=True)  # the index names the TM by it
    home = made_folder(folder / (tm_id or "unnamed"))
    with _held(home / _LOCK, fcntl.LOCK_EX):
        version = copies.data_version(memory.db)  # before the state: a change after counts
        state = copies.state(memory.db) if tm_id else ""
        copy = _kept(home, memory, state, indexed=indexed)
        if copy is None:
            copy = _made(home / uuid.uuid4().hex[:12], memory, state, indexed=indexed)
        else:
            copy = replace(copy, data_version=version)
        in_use = _hold(copy.path.parent / _IN_USE, fcntl.LOCK_SH)
        _tidy(home, copy.path.parent)
    try:
        yield copy
    finally:
        in_use.close()


def _kept(home: Path, memory: TranslationMemory, state: str, *, indexed: bool) -> Copy | None:
    """The copy kept in `home` of the TM in `state`, checked; None when there is none."""
    if not state:
        return None
    for folder in sorted(home.iterdir()):
        manifest = _manifest(folder)
        if not manifest or manifest.get("state") != state:
            continue
        if (indexed and not manifest.get("indexed")) or not _sound(folder, manifest, memory):
            continue
        made, segments, has_index = manifest["made"], manifest["segments"], manifest["indexed"]
        return Copy(folder / NAME, made, segments, has_index, 0, reused=True)
    return None


def _manifest(folder: Path) -> dict[str, Any]:
    try:
        found = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _sound(folder: Path, manifest: dict[str, Any], memory: TranslationMemory) -> bool:
    """Whether `folder` holds the copy `manifest` says was made, of the TM of `memory` as it
    is: its files as they were made, the TM's id and watermarks in it, its index level with
    it (its header alone read: a worker checks the rest as it maps it)."""
    path = folder / NAME
    files = [path, indexfile.path_for(path)] if manifest.get("indexed") else [path]
    try:
        if any(copies.identity(f.stat()) != manifest["files"].get(f.name) for f in files):
            return False
        reader = copies.open_readonly(path)
    except (OSError, KeyError, AttributeError, InvalidInput):
        return False
    try:
        theirs = (identity.tm_id(reader), identity.watermarks(reader))
        if theirs != (identity.tm_id(memory.db), identity.watermarks(memory.db)):
            return False
        return len(files) == 1 or upkeep.current(files[1], reader)
    except sqlite3.DatabaseError:
        return False
    finally:
        reader.conn.close()


def _made(folder: Path, memory: TranslationMemory, state: str, *, indexed: bool) -> Copy:
    """A copy made now in `folder`, kept (its manifest written) when the TM's `state` is
    known and the TM did not change while it was copied; what was made is removed when making
    it fails."""
    try:
        copy = make(memory, folder, indexed=indexed)
        if state and not copy.changed(memory):
            path = copy.path
            files = [path, indexfile.path_for(path)] if copy.indexed else [path]
            manifest = {
                "state": state,
                "made": copy.made,
                "segments": copy.segments,
                "indexed": copy.indexed,
                "files": {f.name: copies.identity(f.stat()) for f in files},
            }
            written = folder / f"{MANIFEST}.tmp"
            written.write_text(json.dumps(manifest, indent=1) + "\n", "utf-8")
            written.replace(folder / MANIFEST)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return copy


def _tidy(home: Path, kept: Path) -> None:
    """Remove the copies in `home` but `kept` that no run reads now."""
    for folder in home.iterdir():
        if folder == kept or not folder.is_dir():
            continue
        try:
            handle = _hold(folder / _IN_USE, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # a run reads it (or it cannot be locked): a later run removes it
            continue
        with handle:
            shutil.rmtree(folder, ignore_errors=True)


def _hold(path: Path, mode: int) -> IO[bytes]:
    """`path` opened and locked (`fcntl.flock` `mode`): closing it lets go."""
    handle = path.open("a+b")
    try:
        fcntl.flock(handle.fileno(), mode)
    except BaseException:
        handle.close()
        raise
    return handle


@contextmanager
def _held(path: Path, mode: int) -> Iterator[None]:
    with _hold(path, mode):
        yield


__all__ = ["MANIFEST", "taken"]
