"""A read-only copy of a TM for processes that only read it (the workers of a batch run on a
cluster): the database as it was at one moment (`tm.store.copies.backup`), with its lookup index
saved beside it to match, so that a worker opens it in a fraction of a second, never writes
it, and never sees a change made to the TM after the copy.

>>> made = copies.make(memory, Path("/shared/run-1"))
>>> worker_memory = copies.open_copy(made.path)   # in each worker, once
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tm.errors import InvalidInput
from tm.files import made_folder
from tm.memory import TranslationMemory
from tm.retrieval import indexfile, upkeep
from tm.retrieval.index import Index
from tm.retrieval.indexfile import Unusable
from tm.store import copies, identity
from tm.store.database import Database, connect

NAME = "tm.db"
"""The copy's file name in its folder (its index: `tm.db.index`)."""


@dataclass(frozen=True)
class Copy:
    """A copy made by `make`: where it is, when it was made, how many pairs it holds, whether
    its lookup index is beside it, the TM's `data_version` when it was made or taken for a run
    (`changed` compares), and whether an earlier run made it (`tm.kept`)."""

    path: Path
    made: str
    segments: int
    indexed: bool
    data_version: int
    reused: bool = False

    def changed(self, memory: TranslationMemory) -> bool:
        """Whether another connection changed the TM since this copy was made (`memory` is
        the connection the copy was made from)."""
        return copies.data_version(memory.db) != self.data_version


def make(memory: TranslationMemory, folder: Path, *, indexed: bool = True) -> Copy:
    """Copy the TM of `memory` into `folder` (created) as it is now, with its lookup index
    brought up to date and saved beside the copy when `indexed`. Both files are made
    read-only."""
    if memory.path is None:
        raise InvalidInput("a TM in memory cannot be copied for workers")
    made_folder(folder)
    identity.tm_id(memory.db, create=True)  # the index names the TM by it
    if indexed:
        memory.index.refresh(memory.db)  # the TM's own index file, saved when there was none
    path = folder / NAME
    for old in (path, indexfile.path_for(path)):
        if old.exists():
            old.chmod(0o644)
    version = copies.data_version(memory.db)  # before: a change while copying counts as one
    made = datetime.now(UTC).isoformat(timespec="seconds")
    segments = memory.count()
    copies.backup(memory.db, path)
    if indexed:
        _index(indexfile.path_for(memory.path), path)
    for done in (path, indexfile.path_for(path)):
        if done.exists():
            done.chmod(0o444)
    Path(f"{indexfile.path_for(path)}.lock").unlink(missing_ok=True)
    return Copy(path, made, segments, indexed, version)


def _index(live: Path, path: Path) -> None:
    """Save beside the copy at `path` an index of exactly its segments: the TM's own index
    file, as it is when it has seen all the copy holds (the usual case: `make` brought it up
    to date), else brought up to it (or built when it cannot be used)."""
    saved = indexfile.path_for(path)
    if live.exists():
        shutil.copyfile(live, saved)
    reader = copies.open_readonly(path)  # its header alone: loading it reads every byte
    try:
        if upkeep.current(saved, reader):
            return
    finally:
        reader.conn.close()
    db = connect(path, migrate=False)
    try:
        index = Index(path)
        index.refresh(db)
        if index.changes or _behind(path, index):
            upkeep.store(index, db)
        db.conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        db.conn.close()


def _behind(path: Path, index: Index) -> bool:
    """Whether the index file beside `path` saw less of the database than `index` (changes
    that touched nothing it holds still move its watermarks)."""
    try:
        header, _snapshot = indexfile.load(indexfile.path_for(path))
    except Unusable:
        return True
    seen = (header.max_id, header.deletion_seq, header.quality_epoch)
    return seen != (index.max_id, index.deletion_seq, index.quality_epoch)


def open_copy(path: Path, *, indexed: bool = True, index: Index | None = None) -> TranslationMemory:
    """A TranslationMemory over a copy made by `make`, read-only, with its saved index when
    `indexed` (or `index`, one already read from it: the threads of a worker share one);
    `InvalidInput` when the copy cannot be read or its index does not match it."""
    db = copies.open_readonly(path)
    if index is None:
        index = Index(path)
        if indexed:
            try:
                _load(index, db, path)
            except InvalidInput:
                db.conn.close()
                raise
    return TranslationMemory(db, path, index=index)


def _load(index: Index, db: Database, path: Path) -> None:
    try:
        upkeep.load(index, db)
    except Unusable as why:
        raise InvalidInput(f"the copy's lookup index cannot be used: {why}") from why
    pending = index.pending(db)
    if pending.size or pending.quality:
        raise InvalidInput("the copy's lookup index does not match it", file=str(path))


__all__ = ["NAME", "Copy", "make", "open_copy"]
