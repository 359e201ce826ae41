"""Keeping a lookup index in step with its database: opening it (the saved file when it is
sound and this TM's, else a new index built and saved), applying the changes made since,
saving it again when far behind, and bringing it up to date in the background.

A saved file is used only if it is whole (checksums), of this version, of this TM (its id) and
of this TM's history (the last deletion-log entry and the largest segment it saw are still
there, or logged since); otherwise it is rebuilt, with a warning on the `tm.index` logger.
Builds and saves hold a lock file beside the index (`tm.db.index.lock`), so two processes
opening a TM without an index do not both build it: one builds and saves, the other waits,
then reads what was saved.
"""

from __future__ import annotations

import fcntl
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from tm.retrieval import indexfile, ranking, signatures
from tm.retrieval import snapshot as snapshots
from tm.retrieval.index import Index, Pending, log
from tm.retrieval.indexfile import Header, Unusable
from tm.retrieval.scoring import analysis_version, index_keys
from tm.store import deletions, identity, segments
from tm.store import keys as key_cache
from tm.store import quality as quality_store
from tm.store.database import Database, connect

INLINE = 2_000
"""Changes a lookup applies itself; with more, an index with `background` has them caught up
in the background (`Index.refresh`)."""
SAVE_AFTER = 5_000
"""Changes since the saved snapshot after which the index is saved again."""
_CHUNK = 50_000  # rows read at a time while building
_STEP = 1_000  # rows applied between progress reports


def open_index(index: Index, db: Database) -> None:
    """Open `index` on `db`: load its saved file, or build it (and save it) when there is none
    or it cannot be used.

    The index then lives as long as the process: objects alive after opening are left out of
    later garbage collections (the caller freezes them), which would otherwise walk them all.
    """
    index.opened = True
    if index.database is None:
        build(index, db)
        return
    try:
        load(index, db)
        return
    except Unusable as why:
        if indexfile.path_for(index.database).exists():
            log.warning("%s: rebuilding it", why)
    rebuild(index, db)


def load(index: Index, db: Database) -> None:
    """Take the saved snapshot of `index`'s database; `Unusable` if it cannot be used."""
    assert index.database is not None
    path = indexfile.path_for(index.database)
    header, snapshot = indexfile.load(path)
    _check(header, db, path)
    index.adopt(snapshot, seen=(header.max_id, header.deletion_seq, header.quality_epoch))
    index.opened = True


def current(path: Path, db: Database) -> bool:
    """Whether the index saved at `path` is of this TM and has seen all of it (its header
    alone is read: nothing to catch up, nothing to save again)."""
    try:
        header = indexfile.header(path)
        _check(header, db, path)
    except Unusable:
        return False
    seen = (header.deletion_seq, header.max_id, header.quality_epoch)
    return seen == identity.watermarks(db)


def _check(header: Header, db: Database, path: Path) -> None:
    """`Unusable` unless `header` describes a moment of this TM's history."""
    if not header.tm_id or header.tm_id != identity.tm_id(db):
        raise Unusable(f"the index file {path} belongs to another TM")
    seq = header.deletion_seq
    if seq > deletions.last(db) or (seq and deletions.logged(db, seq) != header.deleted_id):
        raise Unusable(f"the index file {path} does not match this TM's history")
    changed = header.max_id and identity.source_hash(db, header.max_id) != header.max_hash
    if changed and header.max_id not in set(deletions.since(db, seq)):
        raise Unusable(f"the index file {path} does not match this TM's segments")


def apply(index: Index, db: Database, pending: Pending, *, save: bool) -> None:
    """Apply `pending` changes: one by one, or by rebuilding when most of the index changed;
    with `save`, save the index again when it is far behind its file."""
    if pending.size > max(INLINE, index.live // 2):
        rebuild(index, db)
        return
    catch_up(index, db, pending)
    if save and index.changes >= SAVE_AFTER:
        store(index, db)


def store(index: Index, db: Database) -> None:
    """Save `index` beside its database now (holding the lock file)."""
    with locked(index) as holding:
        if holding:
            _save(index, db)


def catch_up(index: Index, db: Database, pending: Pending) -> None:
    """Apply the deletion-log entries, the new rows and the quality pass of `pending`."""
    done, total = 0, pending.size
    if pending.deleted:
        deleted = deletions.since(db, index.deletion_seq)
        for segment_id in deleted:
            index.remove(segment_id)
        index.deletion_seq = max(index.deletion_seq, pending.seq)
        # SQLite reuses the largest ids: a deleted id may already hold a new row.
        for segment_id, norm, changed, quality in segments.indexable_among(db, deleted):
            index.add(segment_id, norm, changed=changed, quality=quality)
        done = len(deleted)
    index.max_id = min(index.max_id, pending.top)  # ids above the largest are new rows
    if pending.top > index.max_id:
        for row, (segment_id, norm, changed, quality) in enumerate(
            segments.indexable_after(db, index.max_id), start=1
        ):
            index.add(segment_id, norm, changed=changed, quality=quality)
            if total > INLINE and row % _STEP == 0:
                index.tell("catching up with the TM", done + row, total)
        index.max_id = max(index.max_id, pending.top)
    if pending.quality:
        _qualities(index, db, pending.epoch)


def _qualities(index: Index, db: Database, epoch: int) -> None:
    """Read every quality again (after a quality pass: they order ties)."""
    rows = quality_store.qualities(db)
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    values = np.fromiter(
        (ranking.UNSCORED if row[1] is None else row[1] for row in rows),
        dtype=np.float64,
        count=len(rows),
    )
    inside = ids < len(index.quality)
    index.quality[ids[inside]] = values[inside]
    index.quality_epoch = epoch
    index.changes = max(index.changes, SAVE_AFTER)  # the saved file has the old ones


def rebuild(index: Index, db: Database) -> None:
    """Build `index` from the database and save it; unless another process saved a usable
    index meanwhile (waiting for it when it is building one), which is read instead."""
    if index.database is None:
        build(index, db)
        return
    with locked(index) as holding:
        if holding:
            try:
                load(index, db)
                pending = index.pending(db)
                if pending.size <= max(INLINE, index.live // 2):
                    catch_up(index, db, pending)
                    return
            except Unusable:
                pass
        build(index, db)
        if holding:
            _save(index, db)


def build(index: Index, db: Database) -> None:
    """Index every suggestible segment of `db`, replacing what `index` held.

    Word keys come from the `segment_keys` cache when it was made by the same analysis code;
    the keys computed here are written back (skipped if the database is busy).
    """
    seen = (0, deletions.last(db), quality_store.epoch(db))
    index.adopt(snapshots.empty(), seen=seen)
    total = segments.count_after(db, 0) + 1  # the last step: arranging (and saving)
    index.tell("indexing the TM", 0, total)
    version = analysis_version()
    fresh = key_cache.version(db) == version
    replace, saving, after = not fresh, True, 0
    parts: list[tuple[np.ndarray, ...]] = []
    placeables: dict[int, tuple[str, ...]] = {}
    while rows := key_cache.rows(db, after=after, limit=_CHUNK, cached=fresh):
        computed: list[tuple[int, str]] = []
        ids, tokens, ends = [], [], []
        recency, quality, marks = [], [], []
        for segment_id, norm, changed, value, packed in rows:
            if packed is None:
                keys = index_keys(norm)
                computed.append((segment_id, key_cache.pack(keys)))
            else:
                keys = key_cache.unpack(packed)
            tokens.extend(index.encode(keys))
            ends.append(len(tokens))
            ids.append(segment_id)
            recency.append(ranking.recency(changed))
            quality.append(ranking.UNSCORED if value is None else value)
            marks.append(signatures.marks(keys))
            if keys.placeables:
                placeables[segment_id] = keys.placeables
        parts.append(_arrays(ids, tokens, ends, recency, quality, marks))
        after = rows[-1][0]
        index.tell("indexing the TM", sum(len(part[0]) for part in parts), total)
        if computed and saving:
            # Once the stale cache could not be cleared, none of it may be marked fresh.
            saving = key_cache.save(db, computed, version, replace=replace) or not replace
            replace = False
    encoded = _encoded(index, parts, placeables)
    top = int(encoded.ids.max(initial=0))
    snapshot = snapshots.assemble(encoded, capacity=top + 1 + top // 8)
    index.adopt(snapshot, seen=(top, *seen[1:]))
    index.opened = True


def _arrays(
    ids: list[int],
    tokens: list[int],
    ends: list[int],
    recency: list[int],
    quality: list[float],
    marks: list[int],
) -> tuple[np.ndarray, ...]:
    return (
        np.array(ids, dtype=np.int64),
        np.array(tokens, dtype=np.int32),
        np.array(ends, dtype=np.int64),
        np.array(recency, dtype=np.int64),
        np.array(quality, dtype=np.float64),
        np.array(marks, dtype=np.int64),
    )


def _encoded(
    index: Index, parts: list[tuple[np.ndarray, ...]], placeables: dict[int, tuple[str, ...]]
) -> snapshots.Encoded:
    """The chunks read by `build` as one `Encoded` (each chunk's ends made global)."""
    if not parts:
        return snapshots.empty_encoded()
    offsets = np.cumsum([0] + [len(part[1]) for part in parts[:-1]])
    return snapshots.Encoded(
        words=index.words,
        placeable_tokens=sorted(index.placeable_tokens),
        ids=np.concatenate([part[0] for part in parts]),
        tokens=np.concatenate([part[1] for part in parts]),
        ends=np.concatenate(
            [part[2] + offset for part, offset in zip(parts, offsets, strict=True)]
        ),
        recency=np.concatenate([part[3] for part in parts]),
        quality=np.concatenate([part[4] for part in parts]),
        marks=np.concatenate([part[5] for part in parts]),
        placeables=placeables,
    )


def compact(index: Index) -> snapshots.Snapshot:
    """A snapshot of `index` as it is now (its later postings and changes folded in)."""
    ids = np.flatnonzero(index.lengths >= 0)
    text = "".join(index.strings.many(ids.tolist()))
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    tokens = np.where(codes >= 0xE000, codes - 0x800, codes).astype(np.int32)
    placeables = {}
    for segment_id in ids.tolist():
        found = index.placeables.get(segment_id)
        if found:
            placeables[segment_id] = found
    encoded = snapshots.Encoded(
        words=index.words,
        placeable_tokens=sorted(index.placeable_tokens),
        ids=ids,
        tokens=tokens,
        ends=np.cumsum(index.lengths[ids], dtype=np.int64),
        recency=index.recency[ids],
        quality=index.quality[ids],
        marks=index.marks[ids],
        placeables=placeables,
    )
    return snapshots.assemble(encoded, capacity=len(index.lengths))


def _save(index: Index, db: Database) -> None:
    """Save `index` beside its database (the caller holds the lock), then map what was saved
    (shared with every process that reads it). A database or folder that cannot be written
    keeps the index in memory only, with a warning."""
    assert index.database is not None
    path = indexfile.path_for(index.database)
    tm_id = identity.tm_id(db, create=True)
    if not tm_id:
        log.warning("the TM cannot be written now: its lookup index is kept in memory only")
        return
    snapshot = compact(index) if index.changes else index.snapshot
    header = Header(
        tm_id=tm_id,
        max_id=index.max_id,
        deletion_seq=index.deletion_seq,
        deleted_id=deletions.logged(db, index.deletion_seq) or 0,
        max_hash=identity.source_hash(db, index.max_id),
        quality_epoch=index.quality_epoch,
    )
    for stale in path.parent.glob(f"{path.name}.*.tmp"):  # a save killed midway (we hold the lock)
        stale.unlink(missing_ok=True)
    try:
        indexfile.save(snapshot, header, path, mode=index.database.stat().st_mode & 0o666)
    except OSError as error:
        log.warning("the lookup index could not be saved to %s (%s): kept in memory", path, error)
        index.adopt(snapshot, seen=(index.max_id, index.deletion_seq, index.quality_epoch))
        return
    try:
        load(index, db)
    except Unusable:  # replaced meanwhile by an unusable file: keep ours in memory
        index.adopt(snapshot, seen=(header.max_id, header.deletion_seq, header.quality_epoch))


@contextmanager
def locked(index: Index) -> Iterator[bool]:
    """Hold the lock file of `index`'s saved file (waiting while another process holds it);
    False when it cannot be made (a folder that cannot be written: nothing will be saved)."""
    assert index.database is not None
    path = Path(f"{indexfile.path_for(index.database)}.lock")
    try:
        handle = path.open("a+b")
    except OSError:
        yield False
        return
    with handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield True
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def in_background(index: Index) -> None:
    """Bring `index` up to date in a thread, while lookups go on with it: a separate process
    (`python -m tm.retrieval.upkeep DATABASE`: its memory and CPU are not the server's) brings
    the saved file up to date; a new index then reads it, catches up with what came since, and
    takes the place of `index`'s state. One such thread at a time."""
    with index.lock:
        if index.worker is not None and index.worker.is_alive():
            return
        index.worker = threading.Thread(
            target=_bring_up_to_date, args=(index,), name="tm-index", daemon=True
        )
        index.worker.start()


def _bring_up_to_date(index: Index) -> None:
    assert index.database is not None
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tm.retrieval.upkeep", str(index.database)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:  # then this thread does the work itself
            log.warning("the lookup index could not be saved: %s", done.stderr[-2000:])
        db = connect(index.database, migrate=False)
        try:
            fresh = Index(index.database)
            fresh.refresh(db)
        finally:
            db.conn.close()
        with index.lock:
            index.take(fresh)
    except Exception:  # a thread's failure must not go unseen; lookups go on meanwhile
        log.exception("the lookup index could not be brought up to date")


def save_up_to_date(database: Path) -> None:
    """Bring the index saved beside `database` up to date with it and save it: read it (or
    build it), catch up, save. Holds the lock file throughout, so that processes asking at
    the same time do the work once: the others then find it done."""
    db = connect(database, migrate=False)
    try:
        index = Index(database)
        with locked(index) as holding:
            index.opened = built = True
            try:
                load(index, db)
                built = False
            except Unusable:
                build(index, db)
            pending = index.pending(db)
            if pending.size > max(INLINE, index.live // 2):
                build(index, db)
                built = True
            elif pending.size or pending.quality:
                catch_up(index, db, pending)
            if holding and (built or index.changes):
                _save(index, db)
    finally:
        db.conn.close()


if __name__ == "__main__":
    save_up_to_date(Path(sys.argv[1]))
