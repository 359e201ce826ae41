"""Read-only copies of a TM database: one moment of it written to another file (its files
copied within a read transaction: a consistent picture even while others write), and opened so
that nothing can be written to it (`immutable`: no locks, no journal, safe on a shared read-only
folder); and the `state` of a database's files, which tells whether a copy is still of it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from contextlib import suppress
from pathlib import Path
from urllib.parse import quote

from tm.errors import InvalidInput
from tm.store.database import Database


def backup(db: Database, path: Path) -> None:
    """Write the database of `db` as it is now (its last commit) to `path` (replaced), as a
    rollback-journal database (no `-wal`/`-shm` files beside it: readers of a read-only
    folder need none).

    A database in a file is copied as files (several times faster than SQLite's backup API,
    which goes page by page through both pagers) within a read transaction of `db`: while it
    is open, no writer can commit to the file (rollback journal), or no checkpoint can write
    there past it nor the log start over (WAL). So the file, then its write-ahead log, hold
    every page of that commit or of a later one; SQLite replays the copied log into the copy
    up to its last whole commit (a commit made while copying counts as a change:
    `tm.copies.Copy.changed`)."""
    for stale in (path, _wal(path), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    source = _file(db)
    if source is None or db.conn.in_transaction:  # in memory, or with changes of its own
        target = sqlite3.connect(str(path), isolation_level=None)
        try:
            db.conn.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
        return
    db.conn.execute("BEGIN")
    try:
        db.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the read lock
        shutil.copyfile(source, path)
        if _wal(source).exists():
            shutil.copyfile(_wal(source), _wal(path))
    finally:
        db.conn.execute("COMMIT")
    target = sqlite3.connect(str(path), isolation_level=None)
    try:
        # A copy lost in a crash is made again: no waiting for the disk.
        target.execute("PRAGMA synchronous = OFF")
        target.execute("PRAGMA journal_mode = DELETE")  # the log replayed into the copy
    finally:
        target.close()


SETTLED = 1.0
"""Seconds since a database's files were last written after which its `state` can be told: a
file system stamps writes with a clock that moves by ticks (milliseconds), so a second write
within the tick of the first could leave every time as it was."""


def state(db: Database) -> str:
    """What tells the committed content of the database of `db` from any other it has held:
    the identity (device, inode, size, modification and change times) of its file, and of its
    write-ahead log when that holds anything. Every commit writes one or the other (SQLite
    deletes an empty log when its last connection closes, and makes it again, empty, on the
    next). "" when it cannot be told: in memory, or written less than `SETTLED` seconds ago."""
    source = _file(db)
    if source is None:
        return ""
    now = time.time_ns()
    try:
        files = [source.stat()]
        with suppress(FileNotFoundError):
            log = _wal(source).stat()
            if log.st_size:
                files.append(log)
    except OSError:
        return ""
    if any(now - max(f.st_mtime_ns, f.st_ctime_ns) < SETTLED * 1e9 for f in files):
        return ""
    return ";".join(map(identity, files))


def identity(status: os.stat_result) -> str:
    """A file's device, inode, size, modification and change times: any write to it, or its
    replacement by another file, changes them (the change time cannot be set back)."""
    fields = (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
    return ":".join(map(str, fields))


def _file(db: Database) -> Path | None:
    """The file of `db`'s main database (None in memory)."""
    for _seq, name, file in db.conn.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return Path(file) if file else None
    return None


def _wal(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def open_readonly(path: Path) -> Database:
    """A connection to the database at `path` that never writes it nor waits for a lock
    (`InvalidInput` if it is missing or not a SQLite database). The file must not change while
    it is open: a copy made by `backup`."""
    if not path.is_file():
        raise InvalidInput("no such file", file=str(path))
    uri = f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as error:
        raise InvalidInput(f"not a usable TM database ({error})", file=str(path)) from error
    return Database(conn)


def data_version(db: Database) -> int:
    """SQLite's `data_version` of this connection: it changes when another connection commits
    a change to the database (this connection's own writes leave it as it is)."""
    return int(db.conn.execute("PRAGMA data_version").fetchone()[0])
